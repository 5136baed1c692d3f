/**
 * deploy/Dockerfile and its Dockerfile.dockerignore, read statically (there is no Docker
 * engine here): three stages, a pruned install, production dependencies only, a non-root user,
 * the service's entry point started with telemetry.
 */
import { readFileSync } from 'node:fs';
import {
  dockerfilePath,
  dockerignorePath,
  isIgnored,
  parseDockerfile,
  parseDockerignore,
  stagesOf,
  type Stage,
} from './support/docker.js';

const { globalArgs, stages } = stagesOf(parseDockerfile(readFileSync(dockerfilePath, 'utf8')));
const stage = (name: string): Stage => {
  const found = stages.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no stage ${name}`);
  return found;
};
const runs = (s: Stage): string =>
  s.instructions
    .filter((i) => i.keyword === 'RUN')
    .map((i) => i.args)
    .join('\n');
const args = (s: Stage, keyword: string): string[] =>
  s.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

describe('deploy/Dockerfile', () => {
  it('has three stages, prune → build → runtime, all on node:20-bookworm-slim', () => {
    expect(stages.map((s) => s.name)).toEqual(['prune', 'build', 'runtime']);
    expect(globalArgs.map((i) => i.args)).toEqual(['NODE_IMAGE=node:20-bookworm-slim']);
    expect(stages.map((s) => s.from)).toEqual(['${NODE_IMAGE}', '${NODE_IMAGE}', '${NODE_IMAGE}']);
  });

  it('prunes the monorepo to the service with turbo, in docker mode', () => {
    expect(args(stage('prune'), 'ARG')).toContain('SERVICE');
    expect(runs(stage('prune'))).toMatch(
      /turbo@\$\{turbo_version\}" prune "@workshare\/\$\{SERVICE\}" --docker --out-dir \/pruned/,
    );
  });

  it('installs from the pruned lockfile, then builds the service and its workspace dependencies', () => {
    const build = stage('build');
    const copies = args(build, 'COPY');
    expect(copies[0]).toBe('--from=prune /pruned/json/ ./');
    const install = runs(build).indexOf('npm ci');
    const buildStep = runs(build).indexOf('npx turbo run build --filter="@workshare/${SERVICE}..."');
    expect(install).toBeGreaterThanOrEqual(0);
    expect(buildStep).toBeGreaterThan(install);
    expect(copies).toContain('--from=prune /pruned/full/ ./');
  });

  it('runs with production dependencies only, NODE_ENV=production, as uid 10001', () => {
    const runtime = stage('runtime');
    expect(args(runtime, 'COPY')[0]).toBe('--from=prune /pruned/json/ ./');
    expect(runs(runtime)).toMatch(/npm ci --omit=dev/);
    expect(runs(runtime)).not.toMatch(/npm ci --no-audit/);
    expect(args(runtime, 'ENV').join(' ')).toMatch(/NODE_ENV=production/);
    expect(runs(runtime)).toMatch(/useradd --system --uid 10001 --gid 10001/);
    const users = args(runtime, 'USER');
    expect(users).toEqual(['10001:10001']);
    // USER comes after every RUN: nothing at run time is root.
    const last = (keyword: string): number => runtime.instructions.map((i) => i.keyword).lastIndexOf(keyword);
    expect(last('USER')).toBeGreaterThan(last('RUN'));
  });

  it('copies only compiled output from the build stage', () => {
    expect(args(stage('runtime'), 'COPY').filter((c) => c.startsWith('--from=build'))).toEqual([
      '--from=build /out/ ./',
    ]);
    expect(runs(stage('build'))).toMatch(/cp -R "\$\{dir\}\/dist" "\/out\/\$\{dir\}\/dist"/);
  });

  it('requires the SERVICE and PORT build arguments before anything is pruned', () => {
    const prune = stage('prune');
    expect(args(prune, 'ARG')).toEqual(['SERVICE', 'PORT']);
    expect(runs(prune)).toContain('test -n "${SERVICE}" || {');
    expect(runs(prune)).toContain('test -n "${PORT}" || {');
    expect(runs(prune).indexOf('test -n "${PORT}"')).toBeLessThan(runs(prune).indexOf(' prune "@workshare/'));
  });

  it('exposes the serving port (gRPC or HTTP) and the metrics port, and starts the service with telemetry preloaded', () => {
    const runtime = stage('runtime');
    expect(args(runtime, 'ARG')).toEqual(['SERVICE', 'PORT', 'METRICS_PORT=9464']);
    expect(args(runtime, 'EXPOSE')).toEqual(['${PORT} ${METRICS_PORT}']);
    // Neutral: a gRPC service reads GRPC_PORT and the gateway PORT; the manifests set the one
    // each reads, so the image sets neither.
    expect(args(runtime, 'ENV').join(' ')).not.toMatch(/\b(GRPC_)?PORT=/);
    expect(args(runtime, 'ENV').join(' ')).toMatch(/METRICS_PORT=\$\{METRICS_PORT\}/);
    const [entrypoint] = args(runtime, 'ENTRYPOINT');
    const argv = JSON.parse(entrypoint ?? 'null') as unknown;
    expect(argv).toEqual([
      '/bin/sh',
      '-c',
      'exec node --import @workshare/telemetry/register "services/${SERVICE}/dist/src/main.js" "$@"',
      'workshare',
    ]);
  });
});

describe('deploy/Dockerfile.dockerignore', () => {
  const rules = parseDockerignore(readFileSync(dockerignorePath, 'utf8'));

  it.each([
    'node_modules/jose/package.json',
    'libs/eventstore/node_modules/x',
    '.git/HEAD',
    'libs/eventstore/dist/src/index.js',
    'deploy/k8s/overlays/dev/secrets/postgres-password',
    '.workshare/data/x',
    'services/identity/test/x.spec.ts',
    '.turbo/cache',
    'e2e/flow.spec.ts',
  ])('keeps %s out of the build context', (file) => {
    expect(isIgnored(rules, file)).toBe(true);
  });

  it.each([
    'package.json',
    'package-lock.json',
    'turbo.json',
    'tsconfig.base.json',
    'proto/buf.yaml',
    'libs/eventstore/src/index.ts',
    'services/identity/src/main.ts',
    'services/identity/dist/src/main.js',
    'services/gateway/src/main.ts',
  ])('keeps %s in the build context', (file) => {
    expect(isIgnored(rules, file)).toBe(false);
  });

  it('gives settlement’s image the Japanese font its PDFs are written in (Debian’s IPAexGothic), and no other image', () => {
    const runtime = runs(stage('runtime'));
    expect(runtime).toMatch(
      /if \[ "\$\{SERVICE\}" = "settlement" \]; then[^]*apt-get install[^]*fonts-ipaexfont-gothic/,
    );
    expect(runtime).toContain('test -f /usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf');
  });
});
