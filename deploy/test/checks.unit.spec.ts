/**
 * The rules the deploy checks apply, on small hand-made inputs: each one accepts what is
 * right and names what is wrong.
 */
import type { IContainer } from 'kubernetes-models/v1/Container';
import {
  addressVariable,
  imageProblems,
  probeProblems,
  quantity,
  resourceProblems,
  servingPortOf,
} from './support/checks.js';
import {
  contextSources,
  isIgnored,
  isUnderOnly,
  parseDockerfile,
  parseDockerignore,
  stagesOf,
} from './support/docker.js';
import { parseManifests } from './support/k8s.js';
import { models, schemaProblems } from './support/models.js';

describe('imageProblems', () => {
  const built = ['workshare/identity'];

  it('accepts an image the Tiltfile builds, referenced by its bare name', () => {
    expect(imageProblems('workshare/identity', built)).toEqual([]);
  });

  it('accepts third-party images pinned to a version or a digest', () => {
    expect(imageProblems('nats:2.9-alpine', built)).toEqual([]);
    expect(imageProblems('otel/opentelemetry-collector-contrib:0.111.0', built)).toEqual([]);
    expect(imageProblems('registry.example.com:5000/team/app:1.2.3', built)).toEqual([]);
    expect(imageProblems(`postgres@sha256:${'a'.repeat(64)}`, built)).toEqual([]);
  });

  it('rejects untagged and :latest third-party images', () => {
    expect(imageProblems('postgres', built)).toEqual(['postgres: third-party image without a tag (pin a version)']);
    expect(imageProblems('registry.example.com:5000/app', built)).toEqual([
      'registry.example.com:5000/app: third-party image without a tag (pin a version)',
    ]);
    expect(imageProblems('nats:latest', built)).toEqual([
      'nats:latest: third-party image pinned to "latest" (pin a version)',
    ]);
    expect(imageProblems('postgres@sha256:abc', built)).toEqual(['postgres@sha256:abc: malformed digest']);
  });

  it('rejects workshare images nobody builds, and tags on built images', () => {
    expect(imageProblems('workshare/settlement', built)).toEqual([
      'workshare/settlement: a workshare image that no docker_build in the Tiltfile builds',
    ]);
    expect(imageProblems('workshare/identity:dev', built)).toEqual([
      'workshare/identity:dev: the Tiltfile builds workshare/identity; reference it without a tag so Tilt injects its build',
    ]);
  });
});

describe('probes and resources', () => {
  const container: IContainer = {
    name: 'app',
    readinessProbe: { grpc: { port: 50051 } },
    livenessProbe: { grpc: { port: 50051 } },
    resources: { requests: { cpu: '100m', memory: '192Mi' }, limits: { cpu: '1', memory: '512Mi' } },
  };

  it('accepts a container with readiness, liveness, requests and limits', () => {
    expect(probeProblems(container)).toEqual([]);
    expect(resourceProblems(container)).toEqual([]);
  });

  it('names a missing probe, and a probe with no handler', () => {
    expect(probeProblems({ ...container, livenessProbe: undefined })).toEqual(['container app has no livenessProbe']);
    expect(probeProblems({ ...container, readinessProbe: { periodSeconds: 5 } })).toEqual([
      'container app: readinessProbe needs exactly one handler',
    ]);
  });

  it('names missing requests and limits, and a request above its limit', () => {
    expect(resourceProblems({ ...container, resources: { requests: { cpu: '100m' } } })).toEqual([
      'container app has no cpu limit',
      'container app requests no memory',
      'container app has no memory limit',
    ]);
    expect(
      resourceProblems({
        ...container,
        resources: { requests: { cpu: '2', memory: '1Gi' }, limits: { cpu: '1', memory: '512Mi' } },
      }),
    ).toEqual(['container app requests more cpu than its limit', 'container app requests more memory than its limit']);
  });

  it('reads Kubernetes quantities', () => {
    expect(quantity('250m')).toBeCloseTo(0.25);
    expect(quantity('1')).toBe(1);
    expect(quantity('512Mi')).toBe(512 * 1024 ** 2);
    expect(quantity('1Gi')).toBe(1024 ** 3);
    expect(quantity('2G')).toBe(2e9);
    expect(quantity('12 apples')).toBeUndefined();
  });
});

describe('service ports and addresses', () => {
  const pod = (...names: string[]) => ({
    containers: [{ name: 'app', ports: names.map((name, i) => ({ name, containerPort: 8080 + i })) }],
  });

  it('finds the serving port: the one named grpc or http', () => {
    expect(servingPortOf(pod('grpc', 'metrics'))).toEqual({ protocol: 'grpc', port: 8080 });
    expect(servingPortOf(pod('metrics', 'http'))).toEqual({ protocol: 'http', port: 8081 });
  });

  it('finds none when a pod has neither or both', () => {
    expect(servingPortOf(pod('web', 'metrics'))).toBeUndefined();
    expect(servingPortOf(pod('grpc', 'http'))).toBeUndefined();
    expect(servingPortOf({ containers: [{ name: 'app' }] })).toBeUndefined();
  });

  it('names the address variable as the launcher does', () => {
    expect(addressVariable('identity')).toBe('IDENTITY_ADDRESS');
    expect(addressVariable('job-intake')).toBe('JOB_INTAKE_ADDRESS');
    expect(addressVariable('task-decomposition')).toBe('TASK_DECOMPOSITION_ADDRESS');
  });
});

describe('schemaProblems (kubernetes-models)', () => {
  const [deployment] = parseManifests(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: demo}
spec:
  selector: {matchLabels: {app: demo}}
  template:
    metadata: {labels: {app: demo}}
    spec:
      containers:
        - name: demo
          image: nats:2.9-alpine
          ports: [{containerPort: 4222}]
`);

  it('knows the kinds the manifests use', () => {
    for (const key of [
      'v1 Namespace',
      'v1 ConfigMap',
      'v1 Secret',
      'v1 Service',
      'apps/v1 Deployment',
      'apps/v1 StatefulSet',
    ])
      expect(models.has(key)).toBe(true);
  });

  it('accepts a valid object', () => {
    expect(deployment).toBeDefined();
    if (deployment === undefined) return;
    expect(schemaProblems(deployment)).toEqual([]);
  });

  it('names a field of the wrong type', () => {
    if (deployment === undefined) throw new Error('fixture missing');
    const broken = structuredClone(deployment);
    const spec = broken.spec as { template: { spec: { containers: { ports: { containerPort: unknown }[] }[] } } };
    const port = spec.template.spec.containers[0]?.ports[0];
    if (port === undefined) throw new Error('fixture missing');
    port.containerPort = 'grpc';
    expect(schemaProblems(broken).join()).toMatch(/containerPort must be integer/);
  });

  it('names a missing required field', () => {
    if (deployment === undefined) throw new Error('fixture missing');
    const broken = structuredClone(deployment);
    delete (broken.spec as { selector?: unknown }).selector;
    expect(schemaProblems(broken).join()).toMatch(/selector/);
  });

  it('reads Secret data as the API server does: folded base64 is fine, anything else is not', () => {
    const secret = (value: string) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      data: { url: value },
    });
    expect(schemaProblems(secret('cG9zdGdyZXM6Ly93b3Jrc2hh\ncmVAcG9zdGdyZXM6NTQzMi93b3Jrc2hhcmU='))).toEqual([]);
    expect(schemaProblems(secret('postgres://workshare@postgres:5432/workshare'))).toEqual([
      'data/data/url must match format "byte"',
    ]);
  });

  it('fails a kind it has no schema for', () => {
    expect(schemaProblems({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual([
      'no Kubernetes schema known for apiVersion example.com/v1, kind Widget',
    ]);
    expect(schemaProblems({ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'w' } })).toHaveLength(1);
  });
});

describe('Dockerfile and .dockerignore reading', () => {
  it('joins continuation lines, drops comments, splits stages', () => {
    const instructions = parseDockerfile(
      [
        'ARG BASE=node:20',
        '# a comment',
        'FROM ${BASE} AS build',
        'RUN echo a && \\',
        '    # inside',
        '    echo b',
        'FROM ${BASE}',
        'COPY --from=build /out/ ./',
      ].join('\n'),
    );
    const { globalArgs, stages } = stagesOf(instructions);
    expect(globalArgs).toEqual([{ keyword: 'ARG', args: 'BASE=node:20', line: 1 }]);
    expect(stages.map((s) => [s.from, s.name])).toEqual([
      ['${BASE}', 'build'],
      ['${BASE}', undefined],
    ]);
    expect(stages[0]?.instructions).toEqual([{ keyword: 'RUN', args: 'echo a && echo b', line: 4 }]);
  });

  it('lists what COPY reads from the context, and nothing for COPY --from', () => {
    const [fromContext, fromStage, json] = parseDockerfile(
      'COPY tsconfig.base.json proto/ ./\nCOPY --from=build /out/ ./\nCOPY ["a b", "c"]',
    );
    expect(fromContext && contextSources(fromContext)).toEqual(['tsconfig.base.json', 'proto']);
    expect(fromStage && contextSources(fromStage)).toEqual([]);
    expect(json && contextSources(json)).toEqual(['a b']);
  });

  it('matches .dockerignore patterns against paths and their parent folders, last rule winning', () => {
    const rules = parseDockerignore(
      ['# comment', '**/node_modules', 'libs/*/dist', 'deploy', '!deploy/Dockerfile', '*.log'].join('\n'),
    );
    expect(isIgnored(rules, 'node_modules/x/index.js')).toBe(true);
    expect(isIgnored(rules, 'libs/eventstore/node_modules/pg/index.js')).toBe(true);
    expect(isIgnored(rules, 'libs/eventstore/dist/src/index.js')).toBe(true);
    expect(isIgnored(rules, 'services/identity/dist/src/main.js')).toBe(false);
    expect(isIgnored(rules, 'deploy/k8s/kustomization.yaml')).toBe(true);
    expect(isIgnored(rules, 'deploy/Dockerfile')).toBe(false);
    expect(isIgnored(rules, 'build.log')).toBe(true);
    expect(isIgnored(rules, 'logs/build.log')).toBe(false);
  });

  it("tells whether a path is within Tilt's only= list", () => {
    expect(isUnderOnly(['libs', 'services/identity', 'package.json'], 'libs/eventstore/src/index.ts')).toBe(true);
    expect(isUnderOnly(['libs', 'services/identity'], 'services/identity')).toBe(true);
    expect(isUnderOnly(['libs', 'services/identity'], 'services/identity-admin/src')).toBe(false);
    expect(isUnderOnly(['libs'], 'tsconfig.base.json')).toBe(false);
  });
});
