import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { checkHealth } from '@workshare/grpc';

/**
 * A service's built entry point run as its own process, as a pod runs it: for the tests that
 * check a service's `main.js` (health, one call, a clean stop) and for tools that start one.
 */
export interface ServiceChild {
  readonly process: ChildProcess;
  /** Its stdout, line by line (JSON log lines). */
  readonly lines: string[];
  readonly stderr: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A port free on 127.0.0.1 a moment ago. */
export const freePort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
};

// Not a test runner's NODE_OPTIONS, nor this machine's OTLP endpoint, metrics port or service settings.
const NOT_INHERITED = ['NODE_OPTIONS', 'METRICS_PORT', 'EVENTSTORE_URL', 'GRPC_PORT', 'NATS_URL', 'IDENTITY_ADDRESS'];

/** Runs `<packageRoot>/dist/src/main.js` with telemetry registered, `env` over a cleaned copy of this process's. */
export const spawnServiceProcess = (packageRoot: string, env: Readonly<Record<string, string>>): ServiceChild => {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('OTEL_') && !NOT_INHERITED.includes(key)),
  );
  const child = spawn(process.execPath, ['--import', '@workshare/telemetry/register', 'dist/src/main.js'], {
    cwd: packageRoot,
    env: { ...inherited, LOG_LEVEL: 'info', METRICS_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => lines.push(line));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { process: child, lines, stderr, exited };
};

/** Asks `check` every 200 ms until it says yes; fails with the child's output if it exits first or time runs out. */
export const waitForService = async (
  what: string,
  check: () => Promise<boolean>,
  child: ServiceChild,
  timeoutMs = 60_000,
): Promise<void> => {
  const until = Date.now() + timeoutMs;
  let exited = false;
  void child.exited.then(() => {
    exited = true;
  });
  while (Date.now() < until) {
    if (exited)
      throw new Error(`the service exited before ${what}\n${child.lines.join('\n')}\n${child.stderr.join('')}`);
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}\n${child.lines.join('\n')}\n${child.stderr.join('')}`);
};

/** A service process started by `runServiceUntilStopped`, while it runs. */
export interface RunningService {
  readonly port: number;
  /** `127.0.0.1:<port>`. */
  readonly address: string;
  readonly child: ServiceChild;
}

/** How a service process run by `runServiceUntilStopped` went. */
export interface StoppedService {
  /** The port it listened on. */
  readonly port: number;
  /** How it exited after SIGTERM. */
  readonly exit: { code: number | null; signal: NodeJS.Signals | null };
  /** Its `<name> gRPC listening` log line. */
  readonly listening: Record<string, unknown> | undefined;
  /** Every log line's message, in order. */
  readonly messages: readonly (string | undefined)[];
  /** Everything it wrote, stdout and stderr. */
  readonly output: string;
}

/**
 * The life of a service's process, as a pod lives it: started on a free port with `env`,
 * waited for until `healthService` answers SERVING, used by `exercise`, then sent SIGTERM and
 * waited for. Killed if anything fails on the way.
 */
export const runServiceUntilStopped = async (
  packageRoot: string,
  name: string,
  env: Readonly<Record<string, string>>,
  healthService: string,
  exercise: (service: RunningService) => Promise<void>,
): Promise<StoppedService> => {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const child = spawnServiceProcess(packageRoot, { ...env, GRPC_PORT: String(port) });
  try {
    await waitForService(
      'health SERVING',
      async () => (await checkHealth(address, healthService)) === 'SERVING',
      child,
    );
    await exercise({ port, address, child });
    child.process.kill('SIGTERM');
    const exit = await child.exited;
    const logged = child.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    return {
      port,
      exit,
      listening: logged.find((line) => line.msg === `${name} gRPC listening`),
      messages: logged.map((line) => (typeof line.msg === 'string' ? line.msg : undefined)),
      output: child.lines.join('\n') + child.stderr.join(''),
    };
  } finally {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
  }
};

/** A service's process started with a bad port and a bad log level: how it exited, and its stderr. */
export const startWithBadConfiguration = async (
  packageRoot: string,
  env: Readonly<Record<string, string>>,
): Promise<{ exit: { code: number | null; signal: NodeJS.Signals | null }; stderr: string }> => {
  const child = spawnServiceProcess(packageRoot, { ...env, GRPC_PORT: 'fifty', LOG_LEVEL: 'chatty' });
  const exit = await child.exited;
  return { exit, stderr: child.stderr.join('') };
};
