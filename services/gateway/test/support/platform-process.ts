/**
 * The whole platform as `npm start` runs it, for the tests that drive the gateway from outside
 * (the browser test): the built launcher (services/launcher/dist, which the gateway's test task
 * builds first) as a child process, every service in it on the embedded store in a folder and on
 * any free port, the demo cooperative and its past month seeded on the first start (a start again
 * on the same folder seeds nothing). Its banner says where the gateway listens and what the demo
 * holds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..', '..');
const ENTRY = path.join(ROOT, 'services', 'launcher', 'dist', 'src', 'main.js');

/** Every service of the launcher's plan on any free port (a variable of a service it lacks is ignored). */
const ANY_PORT = Object.fromEntries(
  [
    'IDENTITY',
    'JOB_INTAKE',
    'TASK_DECOMPOSITION',
    'TEAM_SCHEDULING',
    'TIME_TRACKING',
    'SETTLEMENT',
    'AUDIT',
    'GATEWAY',
    'METRICS',
  ].map((name) => [`${name}_PORT`, '0']),
);

export interface PlatformProcess {
  /** The gateway's base URL, e.g. http://127.0.0.1:41234. */
  readonly gatewayUrl: string;
  /** The demo's past month (`2026-11`), as the banner prints it on the start that seeds it. */
  readonly demoMonth: string | undefined;
  /** The password of every demo account. */
  readonly password: string;
  /** Everything it printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Whether the launcher is built (the gateway's test task builds it first: see turbo.json). */
export const launcherBuilt = (): string | undefined => (existsSync(ENTRY) ? ENTRY : undefined);

/** Starts the platform on the embedded store in `folder` (kept across starts). */
export const startPlatformProcess = (folder: string, password: string, timeoutMs = 360_000): Promise<PlatformProcess> =>
  new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, ['--import', '@workshare/telemetry/register', ENTRY], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...ANY_PORT,
        EVENTSTORE_URL: `embedded:${folder}`,
        NATS_URL: '',
        LOG_LEVEL: 'warn',
        WORKSHARE_DEMO: 'on',
        WORKSHARE_DEMO_PASSWORD: password,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const stop = (): Promise<void> =>
      new Promise((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.removeAllListeners('exit');
        child.once('exit', () => done());
        child.kill('SIGTERM');
      });
    const timer = setTimeout(() => {
      void stop().then(() => reject(new Error(`the platform did not start in time:\n${out}`)));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (!out.includes('Ctrl-C stops it.')) return;
      const gatewayUrl = /HTTP API\s+(http:\/\/\S+)/.exec(out)?.[1];
      const demoMonth = /The demo's past month, (\d{4}-\d{2})/.exec(out)?.[1];
      clearTimeout(timer);
      if (gatewayUrl === undefined) {
        void stop().then(() => reject(new Error(`the platform's banner says no gateway:\n${out}`)));
        return;
      }
      resolve({ gatewayUrl, demoMonth, password, output: () => out, stop });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the launcher exited with ${code}:\n${out}`));
    });
  });
