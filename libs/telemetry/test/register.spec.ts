/**
 * `node --import @workshare/telemetry/register <entry>` in real child processes: the built
 * package (dist/) is loaded the way a pod loads it, its spans reach a local OTLP receiver,
 * its /metrics answers, and SIGTERM ends it cleanly with the spans flushed.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';

const packageRoot = path.resolve(__dirname, '..');
let workDir: string;
let entry: string;

/** The app: an HTTP server, one traced piece of work with a log line, a counter. */
const fixture = (indexUrl: string): string => `
import http from 'node:http';
import { once } from 'node:events';
import { activeTelemetry, counter, createLogger, injectTraceparent, shutdownTelemetry, withSpan } from ${JSON.stringify(indexUrl)};

const log = createLogger('demo');
const served = counter('demo_requests', 'Requests the demo served');
const server = http.createServer((request, response) => { served.add(1); response.end('ok'); });
server.listen(0, '127.0.0.1');
await once(server, 'listening');

const traceparent = await withSpan('demo.work', { 'demo.id': 'd-1' }, async () => {
  const response = await new Promise((resolve, reject) => http.get('http://127.0.0.1:' + server.address().port + '/hello', resolve).on('error', reject));
  response.resume();
  await once(response, 'end');
  log.info({ memberId: 'm-1', email: 'hanako@example.jp' }, 'did work');
  return injectTraceparent();
});

if (process.env.FIXTURE_MODE === 'own-handler') {
  process.on('SIGTERM', async () => {
    console.log(JSON.stringify({ msg: 'app draining' }));
    server.close();
    await shutdownTelemetry();
    console.log(JSON.stringify({ msg: 'app stopped' }));
    process.exit(0);
  });
}
const telemetry = await activeTelemetry();
console.log(JSON.stringify({ ready: true, traceparent, metricsUrl: telemetry?.metrics?.url, serviceName: telemetry?.serviceName }));
`;

const run = (command: string, args: string[], cwd: string): Promise<void> =>
  new Promise((resolve, reject) =>
    execFile(command, args, { cwd }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stdout}\n${stderr}`)) : resolve(),
    ),
  );

const freePort = async (): Promise<number> => {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
};

/** A stand-in OTLP/HTTP collector: keeps the raw protobuf bodies posted to /v1/traces. */
interface Receiver {
  server: Server;
  bodies: Buffer[];
  requests: string[];
  url: string;
}
const startReceiver = async (port = 0): Promise<Receiver> => {
  const bodies: Buffer[] = [];
  const requests: string[] = [];
  const server = createHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push(`${request.method} ${request.url}`);
      const body = Buffer.concat(chunks);
      if (request.url === '/v1/traces')
        bodies.push(request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body);
      response.writeHead(200, { 'content-type': 'application/x-protobuf' });
      response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return { server, bodies, requests, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
};

interface Child {
  process: ChildProcess;
  lines: string[];
  stderr: string[];
  ready: Promise<{ traceparent: string; metricsUrl?: string; serviceName: string }>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const startChild = (env: Record<string, string>): Child => {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !key.startsWith('OTEL_') && key !== 'NODE_OPTIONS' && key !== 'METRICS_PORT',
    ),
  );
  const child = spawn(process.execPath, ['--import', '@workshare/telemetry/register', entry], {
    cwd: packageRoot,
    env: { ...inherited, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<{ traceparent: string; metricsUrl?: string; serviceName: string }>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      lines.push(line);
      const parsed = JSON.parse(line) as {
        ready?: boolean;
        traceparent: string;
        metricsUrl?: string;
        serviceName: string;
      };
      if (parsed.ready === true) resolve(parsed);
    });
    void exited.then(({ code, signal }) =>
      reject(
        new Error(`the child exited before it was ready (${code ?? signal})\n${lines.join('\n')}\n${stderr.join('')}`),
      ),
    );
  });
  return { process: child, lines, stderr, ready, exited };
};

const records = (child: Child): Record<string, unknown>[] =>
  child.lines.map((line) => JSON.parse(line) as Record<string, unknown>);

beforeAll(async () => {
  // Test what a pod runs: the build output.
  await run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], packageRoot);
  workDir = mkdtempSync(path.join(tmpdir(), 'telemetry-register-'));
  const dir = path.join(workDir, 'services', 'demo-svc', 'dist', 'src');
  mkdirSync(dir, { recursive: true });
  entry = path.join(dir, 'main.mjs');
  writeFileSync(entry, fixture(pathToFileURL(path.join(packageRoot, 'dist', 'src', 'index.js')).href));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('node --import @workshare/telemetry/register', () => {
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(() => new Promise((resolve) => receiver.server.close(resolve)));

  it('starts before the app, serves /metrics, and on SIGTERM flushes its spans and terminates as Node would', async () => {
    const metricsPort = await freePort();
    const child = startChild({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, METRICS_PORT: String(metricsPort) });
    try {
      const ready = await child.ready;
      expect(ready.serviceName).toBe('demo-svc');
      expect(ready.metricsUrl).toBe(`http://127.0.0.1:${metricsPort}/metrics`);

      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      expect(metrics).toMatch(/^demo_requests_total\{otel_scope_name="workshare"\} 1$/m);
      expect(metrics).toMatch(/^target_info\{.*service_name="demo-svc"/m);

      child.process.kill('SIGTERM');
      expect(await child.exited).toEqual({ code: null, signal: 'SIGTERM' });
    } finally {
      child.process.kill('SIGKILL');
    }

    // The spans reached the collector by the time the process was gone.
    const exported = Buffer.concat(receiver.bodies);
    const traceId = Buffer.from((await child.ready).traceparent.split('-')[1] as string, 'hex');
    expect(receiver.requests).toContain('POST /v1/traces');
    expect(exported.includes('demo.work')).toBe(true);
    expect(exported.includes('demo-svc')).toBe(true);
    expect(exported.includes(traceId)).toBe(true);
    // Auto-instrumentation of an ESM app: node:http spans, client and server.
    expect(exported.includes('@opentelemetry/instrumentation-http')).toBe(true);

    // The app's log line carries the same trace id, and no personal data.
    const logLine = records(child).find((r) => r.msg === 'did work');
    expect(logLine).toMatchObject({
      logger: 'demo',
      memberId: 'm-1',
      email: '[redacted]',
      trace_id: traceId.toString('hex'),
    });
    expect(child.lines.join('\n')).not.toContain('hanako@example.jp');
  });

  it('leaves SIGTERM to the app when it handles it; the app awaits shutdownTelemetry() and exits 0', async () => {
    const child = startChild({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      METRICS_PORT: String(await freePort()),
      OTEL_SERVICE_NAME: 'named-by-env',
      FIXTURE_MODE: 'own-handler',
    });
    try {
      expect((await child.ready).serviceName).toBe('named-by-env');
      child.process.kill('SIGTERM');
      expect(await child.exited).toEqual({ code: 0, signal: null });
    } finally {
      child.process.kill('SIGKILL');
    }
    expect(
      records(child)
        .map((r) => r.msg)
        .filter((m) => typeof m === 'string' && m.startsWith('app ')),
    ).toEqual(['app draining', 'app stopped']);
    const exported = Buffer.concat(receiver.bodies);
    expect(exported.includes('demo.work')).toBe(true);
    expect(exported.includes('named-by-env')).toBe(true);
  });

  it('exports nothing and opens no metrics port when neither OTEL_EXPORTER_OTLP_ENDPOINT nor METRICS_PORT ask for it', async () => {
    // Anything defaulting to OTLP would post to localhost:4318: listen there to catch it.
    let defaultCollector: Receiver | undefined;
    try {
      defaultCollector = await startReceiver(4318);
    } catch (error) {
      console.log(
        `port 4318 is taken (${String(error)}): the check that nothing posts to the default OTLP port is skipped`,
      );
    }
    const child = startChild({ METRICS_PORT: '0' });
    try {
      const ready = await child.ready;
      expect(ready.metricsUrl).toBeUndefined();
      expect(ready.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/); // spans are still made, for logs and propagation
      child.process.kill('SIGTERM');
      expect(await child.exited).toEqual({ code: null, signal: 'SIGTERM' });
    } finally {
      child.process.kill('SIGKILL');
      if (defaultCollector !== undefined) await new Promise((resolve) => defaultCollector?.server.close(resolve));
    }
    if (defaultCollector !== undefined) expect(defaultCollector.requests).toEqual([]);
    expect(receiver.requests).toEqual([]);
    expect(child.stderr.join('')).toBe('');
  });

  it('runs on without /metrics, saying why, when its metrics port is taken', async () => {
    const squatter = createNetServer();
    await new Promise<void>((resolve) => squatter.listen(0, resolve));
    const port = (squatter.address() as { port: number }).port;
    const child = startChild({ METRICS_PORT: String(port) });
    try {
      const ready = await child.ready;
      expect(ready.metricsUrl).toBeUndefined();
      expect(child.stderr.join('')).toContain(`/metrics cannot listen on 127.0.0.1:${port}`);
      child.process.kill('SIGTERM');
      expect(await child.exited).toEqual({ code: null, signal: 'SIGTERM' });
    } finally {
      child.process.kill('SIGKILL');
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});
