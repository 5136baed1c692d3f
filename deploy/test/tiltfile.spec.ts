/**
 * The Tiltfile: valid Starlark (checked with Python's ast), and what it declares agrees with
 * the repository, deploy/Dockerfile and the rendered manifests.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildArgProblems, imageProblems, tiltProblems } from './support/checks.js';
import {
  contextSources,
  dockerfilePath,
  dockerignorePath,
  isIgnored,
  isUnderOnly,
  parseDockerfile,
  parseDockerignore,
  stagesOf,
} from './support/docker.js';
import { containersOf, renderDeploy, repoRoot, withKubectl, workloadsOf, type Workload } from './support/k8s.js';
import {
  checkTiltfile,
  checkTiltfileSource,
  tiltCalls,
  withPython3,
  type TiltCalls,
  type TiltfileReport,
} from './support/tilt.js';

const messages = (source: string): string[] => checkTiltfileSource(source).violations.map((v) => v.message);

/**
 * The folders of deploy/k8s/base/services that hold a service's manifests: all but the
 * kustomize Components (settings shared by the services, such as common/).
 */
const serviceManifestFolders = (): string[] => {
  const root = path.join(repoRoot, 'deploy/k8s/base/services');
  return readdirSync(root)
    .filter(
      (name) => !/^kind:\s*Component\s*$/m.test(readFileSync(path.join(root, name, 'kustomization.yaml'), 'utf8')),
    )
    .sort();
};

/** The build arguments deploy/Dockerfile declares, in any stage. */
const dockerfileArgs = (): string[] => {
  const { globalArgs, stages } = stagesOf(parseDockerfile(readFileSync(dockerfilePath, 'utf8')));
  const all = [...globalArgs, ...stages.flatMap((stage) => stage.instructions)].filter((i) => i.keyword === 'ARG');
  return [...new Set(all.map((i) => i.args.split('=')[0] ?? ''))];
};

withPython3('Tiltfile', () => {
  let report: TiltfileReport = { violations: [], calls: null };
  // What the Tiltfile declares; a rejected Tiltfile fails the suites that read it.
  let tilt: TiltCalls;

  beforeAll(() => {
    report = checkTiltfile();
  });

  describe('Starlark', () => {
    it('the Tiltfile parses as Starlark and evaluates with the Tilt builtins it uses', () => {
      expect(report.violations).toEqual([]);
      expect(report.calls).not.toBeNull();
    });

    it.each([
      ['class', 'class Service:\n    pass\n', 'Starlark has no class definitions'],
      ['while', 'n = 0\nwhile n < 3:\n    n += 1\n', 'Starlark has no while loops'],
      ['try', 'try:\n    x = 1\nexcept Exception:\n    x = 2\n', 'Starlark has no try statements'],
      ['import', 'import os\n', 'Starlark has no import statements'],
      ['from-import', 'from os import path\n', 'Starlark has no import statements'],
      ['f-string', 'name = "x"\nref = f"workshare/{name}"\n', 'Starlark has no f-strings (use % or .format())'],
      ['chained comparison', 'ok = 1 < 2 < 3\n', 'Starlark has no chained comparisons'],
      ['is', 'ok = None is None\n', 'Starlark has no `is` operator'],
      ['set literal', 's = {1, 2}\n', 'Starlark has no set literals'],
      ['raise', 'raise ValueError("no")\n', 'Starlark has no raise (use fail())'],
    ])('rejects a %s', (_what, source, expected) => {
      expect(messages(source)).toContain(expected);
    });

    it('reports a syntax error with its line', () => {
      expect(checkTiltfileSource('x = (1,\n').violations[0]?.message).toMatch(/^syntax error/);
    });

    it('accepts def, lambda, for, if and comprehensions, and records the calls', () => {
      const report = checkTiltfileSource(
        [
          "names = [n for n in ['a', 'b'] if n != 'b']",
          'label = lambda n: n.upper()',
          'def image(n):',
          "    docker_build('workshare/' + n, '.', only=['services/' + n], build_args={'SERVICE': n})",
          'for n in names:',
          '    image(n)',
          "    k8s_resource(n, port_forwards=[50051, '9000:9464'], labels=[label(n)], resource_deps=['db'])",
        ].join('\n'),
      );
      expect(report.violations).toEqual([]);
      expect(report.calls?.docker_build).toEqual([
        expect.objectContaining({
          ref: 'workshare/a',
          context: '.',
          only: ['services/a'],
          build_args: { SERVICE: 'a' },
        }),
      ]);
      expect(report.calls?.k8s_resource).toEqual([
        expect.objectContaining({
          workload: 'a',
          labels: ['A'],
          resource_deps: ['db'],
          port_forwards: [
            { kind: 'port_forward', local: 50051, container: 50051, host: null },
            { kind: 'port_forward', local: 9000, container: 9464, host: null },
          ],
        }),
      ]);
    });

    it('rejects a misspelt argument and an unknown builtin at evaluation', () => {
      expect(messages("docker_build('workshare/a', '.', onyl=['services/a'])").join()).toMatch(
        /evaluation failed: TypeError: .*unexpected keyword argument 'onyl'/,
      );
      expect(messages("helm('chart')").join()).toMatch(/evaluation failed: NameError: name 'helm' is not defined/);
    });
  });

  describe('what it declares', () => {
    beforeAll(() => {
      tilt = tiltCalls(report);
    });

    it('generates the proto code in a local_resource that watches proto/', () => {
      const proto = tilt.local_resource.find((r) => r.name === 'proto');
      expect(proto?.cmd).toMatch(
        /turbo run build --filter=@workshare\/proto|npm run build --workspace @workshare\/proto/,
      );
      expect(proto?.deps).toContain('proto');
      expect(existsSync(path.join(repoRoot, 'proto'))).toBe(true);
    });

    it('keeps build, test and bench as local resources; test and bench are manual buttons', () => {
      expect(tilt.local_resource.map((r) => r.name)).toEqual(['proto', 'build', 'test', 'bench']);
      for (const name of ['test', 'bench'])
        expect(tilt.local_resource.find((r) => r.name === name)).toMatchObject({
          trigger_mode: 'manual',
          auto_init: false,
        });
    });

    it('creates the development secrets, then deploys kustomize("deploy/k8s")', () => {
      expect(tilt.local.map((l) => l.command)).toEqual(['deploy/k8s/dev-secrets.sh']);
      expect(existsSync(path.join(repoRoot, 'deploy/k8s/dev-secrets.sh'))).toBe(true);
      expect(tilt.k8s_yaml).toEqual([{ kind: 'kustomize', path: 'deploy/k8s', flags: [] }]);
    });

    it('builds an image for every service that has manifests, from deploy/Dockerfile and the repository root', () => {
      const withManifests = serviceManifestFolders();
      expect(withManifests).toEqual(
        expect.arrayContaining([
          'identity',
          'job-intake',
          'task-decomposition',
          'team-scheduling',
          'time-tracking',
          'settlement',
          'audit',
          'gateway',
          'relay',
        ]),
      );
      expect(tilt.docker_build.map((b) => b.ref).sort()).toEqual(withManifests.map((name) => `workshare/${name}`));
      for (const build of tilt.docker_build) {
        const service = build.ref.replace(/^workshare\//, '');
        expect(build).toMatchObject({
          context: '.',
          dockerfile: 'deploy/Dockerfile',
          build_args: { SERVICE: service },
        });
        expect(existsSync(path.join(repoRoot, 'services', service, 'package.json'))).toBe(true);
      }
    });

    it('every built service has what the image starts: src/main.ts, and @workshare/telemetry among its dependencies', () => {
      for (const build of tilt.docker_build) {
        const service = build.ref.replace(/^workshare\//, '');
        const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'services', service, 'package.json'), 'utf8')) as {
          dependencies?: Record<string, string>;
        };
        // The entry point is preloaded with `--import @workshare/telemetry/register`; turbo prune
        // only puts in the image the workspaces the service depends on.
        expect({
          service,
          hasMain: existsSync(path.join(repoRoot, 'services', service, 'src', 'main.ts')),
          telemetry: manifest.dependencies?.['@workshare/telemetry'] !== undefined,
        }).toEqual({
          service,
          hasMain: true,
          telemetry: true,
        });
      }
    });

    it("only= lists paths that exist, including the service's own folder", () => {
      for (const build of tilt.docker_build) {
        const service = build.ref.replace(/^workshare\//, '');
        expect(build.only).toContain(`services/${service}`);
        expect(build.only.filter((p) => !existsSync(path.join(repoRoot, p)))).toEqual([]);
      }
    });

    it('the build context holds everything deploy/Dockerfile copies from it', () => {
      const rules = parseDockerignore(readFileSync(dockerignorePath, 'utf8'));
      const sources = parseDockerfile(readFileSync(dockerfilePath, 'utf8'))
        .flatMap(contextSources)
        .filter((s) => s !== '.');
      expect(sources).toEqual(['tsconfig.base.json', 'proto']);
      for (const build of tilt.docker_build) {
        const missing = sources.filter((s) => !isUnderOnly(build.only, s) || isIgnored(rules, s));
        expect({ image: build.ref, missing }).toEqual({ image: build.ref, missing: [] });
        // The whole-context COPY needs the workspace manifests and the lockfile turbo prune reads.
        for (const needed of ['package.json', 'package-lock.json', 'turbo.json', 'libs'])
          expect(build.only).toContain(needed);
      }
    });

    it('live_update syncs the compiled service into the dev copy and restarts it; synced paths are watched', () => {
      const rules = parseDockerignore(readFileSync(dockerignorePath, 'utf8'));
      for (const build of tilt.docker_build) {
        const service = build.ref.replace(/^workshare\//, '');
        const syncs = build.live_update.filter((s) => s.kind === 'sync');
        expect(syncs).toEqual(
          expect.arrayContaining([
            { kind: 'sync', local_path: `services/${service}/dist`, remote_path: `/tmp/dev/services/${service}/dist` },
          ]),
        );
        for (const sync of syncs) {
          const local = sync.local_path ?? '';
          // Tilt only sees changes to files in the context: not excluded by only= or .dockerignore.
          expect({ local, inContext: isUnderOnly(build.only, local) && !isIgnored(rules, `${local}/x.js`) }).toEqual({
            local,
            inContext: true,
          });
          expect(sync.remote_path?.startsWith('/tmp/')).toBe(true);
        }
        const run = build.live_update.find((s) => s.kind === 'run');
        expect(run?.cmd).toMatch(/\/tmp\/dev\/restart\//);
        // The steps come in the order Tilt requires: fall_back_on, then sync, then run.
        const order = build.live_update.map((s) =>
          ['fall_back_on', 'sync', 'run', 'restart_container'].indexOf(s.kind),
        );
        expect([...order].sort((a, b) => a - b)).toEqual(order);
      }
    });

    it('the development entrypoint runs the dev copy of the service with telemetry, restarting on /tmp/dev/restart', () => {
      for (const build of tilt.docker_build) {
        const service = build.ref.replace(/^workshare\//, '');
        const script = Array.isArray(build.entrypoint) ? build.entrypoint.join(' ') : build.entrypoint;
        expect(script).toContain(`cp -R /app/services/${service} /tmp/dev/services/${service}`);
        expect(script).toContain('ln -s /app/node_modules /tmp/dev/node_modules');
        expect(script).toContain(
          `exec node --watch-path=/tmp/dev/restart --import @workshare/telemetry/register /tmp/dev/services/${service}/dist/src/main.js`,
        );
      }
    });

    it('labels every cluster resource infra, services or observability', () => {
      expect(Object.fromEntries(tilt.k8s_resource.map((r) => [r.workload, r.labels]))).toEqual({
        postgres: ['infra'],
        nats: ['infra'],
        jaeger: ['observability'],
        'otel-collector': ['observability'],
        identity: ['services'],
        'job-intake': ['services'],
        'task-decomposition': ['services'],
        'team-scheduling': ['services'],
        'time-tracking': ['services'],
        settlement: ['services'],
        audit: ['services'],
        gateway: ['services'],
        relay: ['services'],
      });
    });

    it('forwards the services (gRPC 50051-50054, 50062 to 50064, the gateway HTTP 8080; not the relay, whose replicas nobody calls), Jaeger 16686, NATS 4222/8222 and PostgreSQL 5432', () => {
      const forwards = Object.fromEntries(
        tilt.k8s_resource.map((r) => [r.workload, r.port_forwards.map((p) => `${p.local}:${p.container}`)]),
      );
      expect(forwards).toEqual({
        identity: ['50051:50051'],
        'job-intake': ['50052:50052'],
        'task-decomposition': ['50053:50053'],
        'team-scheduling': ['50054:50054'],
        'time-tracking': ['50062:50062'],
        settlement: ['50063:50063'],
        audit: ['50064:50064'],
        gateway: ['8080:8080'],
        relay: [],
        jaeger: ['16686:16686'],
        nats: ['4222:4222', '8222:8222'],
        postgres: ['5432:5432'],
        'otel-collector': [],
      });
    });

    it('starts each service after the infrastructure and the services it calls', () => {
      const deps = Object.fromEntries(tilt.k8s_resource.map((r) => [r.workload, r.resource_deps]));
      const infra = ['postgres', 'nats', 'otel-collector'];
      expect(deps).toMatchObject({
        identity: infra,
        'job-intake': [...infra, 'identity'],
        'task-decomposition': [...infra, 'identity'],
        'team-scheduling': [...infra, 'identity'],
        'time-tracking': [...infra, 'identity'],
        settlement: [...infra, 'identity'],
        audit: [...infra, 'identity'],
        gateway: [
          ...infra,
          'identity',
          'job-intake',
          'task-decomposition',
          'team-scheduling',
          'time-tracking',
          'settlement',
          'audit',
        ],
        relay: infra,
      });
    });

    it("links the gateway's API documentation and the accountant's audit page; the gRPC services have no link", () => {
      const links = Object.fromEntries(
        tilt.k8s_resource.filter((r) => r.labels.includes('services')).map((r) => [r.workload, r.links]),
      );
      expect(links).toEqual({
        identity: [],
        'job-intake': [],
        'task-decomposition': [],
        'team-scheduling': [],
        'time-tracking': [],
        settlement: [],
        audit: [],
        gateway: ['http://localhost:8080/docs', 'http://localhost:8080/audit'],
        relay: [],
      });
    });

    it('passes deploy/Dockerfile the build arguments SERVICE and PORT only', () => {
      for (const build of tilt.docker_build) expect(Object.keys(build.build_args).sort()).toEqual(['PORT', 'SERVICE']);
      expect(dockerfileArgs()).toEqual(expect.arrayContaining(['SERVICE', 'PORT']));
    });
  });

  withKubectl('against the rendered manifests', () => {
    let workloads: Workload[] = [];

    beforeAll(() => {
      tilt = tiltCalls(report);
      workloads = workloadsOf(renderDeploy());
    });

    it('every image is built by the Tiltfile or a pinned third-party image', () => {
      const built = tilt.docker_build.map((b) => b.ref);
      const problems = workloads.flatMap((w) =>
        containersOf(w.pod).flatMap(({ container }) =>
          imageProblems(container.image ?? '', built).map((p) => `${w.name}: ${p}`),
        ),
      );
      expect(problems).toEqual([]);
    });

    it('an image the Tiltfile stops building is caught', () => {
      const built = tilt.docker_build.map((b) => b.ref).filter((ref) => ref !== 'workshare/identity');
      expect(imageProblems('workshare/identity', built)).toEqual([
        'workshare/identity: a workshare image that no docker_build in the Tiltfile builds',
      ]);
    });

    it('every k8s_resource names a workload, forwards declared ports and depends on known resources', () => {
      expect(tiltProblems(tilt, workloads)).toEqual([]);
    });

    it('Tilt checks catch an unknown workload, a wrong port, an unknown dependency, a bad label, an unused image', () => {
      const broken: TiltCalls = structuredClone(tilt);
      const identity = broken.k8s_resource.find((r) => r.workload === 'identity');
      const jaeger = broken.k8s_resource.find((r) => r.workload === 'jaeger');
      if (identity === undefined || jaeger === undefined) throw new Error('resources missing');
      identity.port_forwards = [{ local: 50059, container: 50059 }];
      identity.resource_deps = ['postgres', 'nats', 'kafka'];
      jaeger.labels = ['tracing'];
      broken.k8s_resource.push({
        workload: 'billing',
        new_name: '',
        port_forwards: [],
        resource_deps: [],
        objects: [],
        labels: ['services'],
        links: [],
      });
      const template = tilt.docker_build[0];
      if (template === undefined) throw new Error('no docker_build');
      broken.docker_build.push({ ...structuredClone(template), ref: 'workshare/billing' });
      expect(tiltProblems(broken, workloads)).toEqual([
        "k8s_resource('jaeger') has label tracing, not one of infra, services, observability",
        "k8s_resource('identity'): port forward to 50059 matches no container port (50051, 9464)",
        "k8s_resource('identity') depends on unknown resource kafka",
        "k8s_resource('billing') names no rendered workload",
        "docker_build('workshare/billing') builds an image no workload uses",
      ]);
    });

    it('a workload without a k8s_resource, and a service that does not wait for its infrastructure, are caught', () => {
      const broken: TiltCalls = structuredClone(tilt);
      broken.k8s_resource = broken.k8s_resource.filter((r) => r.workload !== 'jaeger');
      const identity = broken.k8s_resource.find((r) => r.workload === 'identity');
      if (identity === undefined) throw new Error('identity resource missing');
      identity.resource_deps = ['otel-collector'];
      const problems = tiltProblems(broken, workloads);
      expect(problems).toContain('Deployment/jaeger has no k8s_resource in the Tiltfile');
      expect(problems).toContain("k8s_resource('identity') does not wait for postgres");
      expect(problems).toContain("k8s_resource('identity') does not wait for nats");
    });

    it('a service that does not wait for a service it calls is caught', () => {
      const broken: TiltCalls = structuredClone(tilt);
      const jobIntake = broken.k8s_resource.find((r) => r.workload === 'job-intake');
      const gateway = broken.k8s_resource.find((r) => r.workload === 'gateway');
      if (jobIntake === undefined || gateway === undefined) throw new Error('resources missing');
      jobIntake.resource_deps = jobIntake.resource_deps.filter((d) => d !== 'identity');
      gateway.resource_deps = gateway.resource_deps.filter((d) => d !== 'task-decomposition');
      expect(tiltProblems(broken, workloads)).toEqual([
        "k8s_resource('job-intake') does not wait for identity, whose address it reads (IDENTITY_ADDRESS)",
        "k8s_resource('gateway') does not wait for task-decomposition, whose address it reads (TASK_DECOMPOSITION_ADDRESS)",
      ]);
    });

    it("each image's PORT build argument is the port its pod serves on (grpc or http); every argument is one the Dockerfile declares", () => {
      expect(buildArgProblems(tilt, workloads, dockerfileArgs())).toEqual([]);
      const gateway = tilt.docker_build.find((b) => b.ref === 'workshare/gateway');
      expect(gateway?.build_args.PORT).toBe('8080');
    });

    it('build arguments catch a port that is not the serving port, a leftover GRPC_PORT and a wrong SERVICE', () => {
      const broken: TiltCalls = structuredClone(tilt);
      const gateway = broken.docker_build.find((b) => b.ref === 'workshare/gateway');
      const jobIntake = broken.docker_build.find((b) => b.ref === 'workshare/job-intake');
      if (gateway === undefined || jobIntake === undefined) throw new Error('images missing');
      gateway.build_args = { SERVICE: 'gateway', PORT: '9464' };
      jobIntake.build_args = { SERVICE: 'job_intake', GRPC_PORT: '50052' };
      expect(buildArgProblems(broken, workloads, dockerfileArgs())).toEqual([
        "docker_build('workshare/job-intake'): build arg GRPC_PORT is not declared by deploy/Dockerfile",
        "docker_build('workshare/job-intake'): SERVICE is not job-intake",
        "docker_build('workshare/job-intake'): PORT is (unset), not the grpc port 50052 of job-intake",
        "docker_build('workshare/gateway'): PORT is 9464, not the http port 8080 of gateway",
      ]);
    });
  });
});
