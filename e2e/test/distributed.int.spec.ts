/**
 * The intake story on PostgreSQL and NATS JetStream, each service its own process: the
 * launcher's distributed mode (as pods run), started from its built entry point, with a fresh
 * database and a NATS stream of its own, dropped at the end. Through the gateway's HTTP API only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { EventStore } from '@workshare/eventsourcing';
import { openEventStore, postgresDriver } from '@workshare/eventstore';
import { DEMO_BUSINESS_USER_EMAIL, DEMO_COORDINATOR_EMAIL } from '@workshare/identity';
import { checkHealth } from '@workshare/grpc';
import { apiAt } from './support/http.js';
import { runBadInputMatrix, runHandOffStory, runIntakeStory, type DemoCredentials } from './support/story.js';

const databaseUrl = process.env.DATABASE_URL;
const natsUrl = process.env.NATS_URL;
const root = join(__dirname, '..', '..');
const entry = join(root, 'services', 'launcher', 'dist', 'src', 'main.js');
const demo: DemoCredentials = {
  password: 'e2e-demo-password',
  coordinatorEmail: DEMO_COORDINATOR_EMAIL,
  businessUserEmail: DEMO_BUSINESS_USER_EMAIL,
};

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const withDatabase = (url: string, database: string): string => {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
};

const adminQuery = async (sql: string): Promise<void> => {
  const driver = postgresDriver({ connectionString: databaseUrl!, maxConnections: 1 });
  try {
    await driver.query(sql);
  } finally {
    await driver.close();
  }
};

if (!databaseUrl || !natsUrl) {
  console.log('distributed e2e skipped: it needs DATABASE_URL and NATS_URL (CI sets both)');
  describe.skip('distributed platform', () => it('needs PostgreSQL and NATS', () => undefined));
} else {
  describe('distributed platform (PostgreSQL, NATS JetStream, one process per service), through the HTTP API', () => {
    const id = `${process.pid}_${Date.now().toString(36)}`;
    const database = `workshare_e2e_${id}`;
    const stream = `E2E_${id}`;
    const storeUrl = withDatabase(databaseUrl, database);
    let launcher: ChildProcess | undefined;
    let output = '';
    let gatewayUrl = '';
    let store: EventStore | undefined;
    let identityPort = 0;
    let jobIntakePort = 0;

    beforeAll(async () => {
      await adminQuery(`CREATE DATABASE ${database}`);
      [identityPort, jobIntakePort] = [0, 0];
      const [identity, jobIntake, decomposition, scheduling, gateway] = [
        await freePort(),
        await freePort(),
        await freePort(),
        await freePort(),
        await freePort(),
      ];
      gatewayUrl = `http://127.0.0.1:${gateway}`;
      [identityPort, jobIntakePort] = [identity, jobIntake];
      launcher = spawn(process.execPath, ['--import', '@workshare/telemetry/register', entry], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          EVENTSTORE_URL: storeUrl,
          NATS_URL: natsUrl,
          NATS_STREAM: stream,
          NATS_SUBJECT_PREFIX: `e2e_${id}`,
          IDENTITY_MASTER_KEY: randomBytes(32).toString('base64'),
          IDENTITY_PORT: String(identity),
          JOB_INTAKE_PORT: String(jobIntake),
          TASK_DECOMPOSITION_PORT: String(decomposition),
          TEAM_SCHEDULING_PORT: String(scheduling),
          GATEWAY_PORT: String(gateway),
          METRICS_PORT: '0',
          LOG_LEVEL: 'warn',
          WORKSHARE_DEMO_PASSWORD: demo.password,
        },
      });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the platform did not start in time:\n${output}`)), 150_000);
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('Workshare is running (one process per service)')) {
            clearTimeout(timer);
            resolve();
          }
        };
        launcher!.stdout!.on('data', onData);
        launcher!.stderr!.on('data', onData);
        launcher!.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`the launcher exited with ${code}:\n${output}`));
        });
      });
      store = await openEventStore(storeUrl, { maxConnections: 2 });
    }, 180_000);

    afterAll(async () => {
      await store?.close();
      if (launcher && launcher.exitCode === null) {
        await new Promise<void>((resolve) => {
          launcher!.removeAllListeners('exit');
          launcher!.once('exit', () => resolve());
          launcher!.kill('SIGTERM');
        });
      }
      const nc = await connect({ servers: natsUrl });
      try {
        const jsm = await jetstreamManager(nc);
        for (const name of [stream, `KV_${stream}_ledger`]) await jsm.streams.delete(name).catch(() => undefined);
      } finally {
        await nc.close();
      }
      await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    }, 60_000);

    let jobId: string;

    it('prints the demo jobs, seeded through the services’ APIs', () => {
      expect(output).toContain('Demo cooperative of Fujisato (藤里町) seeded');
      expect(output).toMatch(/Demo jobs:\n(\s+\S+\s+\w+\s+.+\n){3}/);
      expect(output).toMatch(/hand-off: \S+@fujisato\.example \(sick child\) → \S+@fujisato\.example/);
    });

    it('a business submits, a coordinator quotes, the business accepts, tasks are planned', async () => {
      ({ jobId } = await runIntakeStory(apiAt(gatewayUrl), demo));
    }, 60_000);

    it('refuses bad input with problem+json and stores nothing', async () => {
      await runBadInputMatrix(apiAt(gatewayUrl), demo, store!, jobId);
    }, 60_000);

    it('schedules the demo’s planned job; a member hands off; a teammate holds the task; the history shows both', async () => {
      const demoJob = /Demo jobs:\n\s+(\S+)/.exec(output)?.[1];
      const memberEmails = [...output.matchAll(/^\s+(\S+@fujisato\.example)\s+member/gm)].map((m) => m[1]!);
      expect(memberEmails.length).toBeGreaterThan(5);
      await runHandOffStory(apiAt(gatewayUrl), demo, demoJob!, memberEmails);
    }, 90_000);

    it('supervises: a service killed with SIGKILL is started again and serves, while the others answer throughout', async () => {
      const pidOf = (service: string): number | undefined => {
        const all = [...output.matchAll(new RegExp(`^\\s+${service}\\s+gRPC .*\\(pid (\\d+)\\)`, 'gm'))];
        return all.length > 0 ? Number(all[all.length - 1]![1]) : undefined;
      };
      const killed = pidOf('job-intake');
      expect(killed).toBeDefined();
      process.kill(killed!, 'SIGKILL');
      // Meanwhile identity (another process) answers every time it is asked.
      let identityAnswers = 0;
      let identityFailures = 0;
      let restarted: number | undefined;
      for (const until = Date.now() + 60_000; Date.now() < until;) {
        if ((await checkHealth(`127.0.0.1:${identityPort}`)) === 'SERVING') identityAnswers++;
        else identityFailures++;
        restarted = pidOf('job-intake');
        if (restarted !== killed && (await checkHealth(`127.0.0.1:${jobIntakePort}`)) === 'SERVING') break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(restarted).not.toBe(killed);
      expect(await checkHealth(`127.0.0.1:${jobIntakePort}`)).toBe('SERVING');
      expect(output).toContain('a service stopped: restarting it');
      expect({ identityAnswers: identityAnswers > 0, identityFailures }).toEqual({
        identityAnswers: true,
        identityFailures: 0,
      });
      // And the restarted service works through the gateway: a business's user lists her jobs.
      const api = apiAt(gatewayUrl);
      const token = await api.login(demo.businessUserEmail, demo.password);
      expect((await api.request('GET', '/v1/jobs', { token })).status).toBe(200);
    }, 90_000);
  });
}

if (databaseUrl && natsUrl) {
  describe('the launcher leaves no service behind', () => {
    it('SIGTERM while the services are still starting stops every one of them, then the launcher exits 0', async () => {
      const id = randomBytes(4).toString('hex');
      const database = `workshare_e2e_stop_${id}`;
      const stream = `E2E_STOP_${id}`;
      await adminQuery(`CREATE DATABASE ${database}`);
      const ports = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
      const launcher = spawn(process.execPath, ['--import', '@workshare/telemetry/register', entry], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          EVENTSTORE_URL: withDatabase(databaseUrl, database),
          NATS_URL: natsUrl,
          NATS_STREAM: stream,
          NATS_SUBJECT_PREFIX: `e2e_stop_${id}`,
          IDENTITY_MASTER_KEY: randomBytes(32).toString('base64'),
          IDENTITY_PORT: String(ports[0]),
          JOB_INTAKE_PORT: String(ports[1]),
          TASK_DECOMPOSITION_PORT: String(ports[2]),
          TEAM_SCHEDULING_PORT: String(ports[3]),
          GATEWAY_PORT: String(ports[4]),
          METRICS_PORT: '0',
          LOG_LEVEL: 'warn',
        },
      });
      let output = '';
      const pids = (): number[] => [...output.matchAll(/\(pid (\d+)\)/g)].map((m) => Number(m[1]));
      const exited = new Promise<number | null>((resolve) => launcher.once('exit', (code) => resolve(code)));
      try {
        await new Promise<void>((resolve, reject) => {
          const onData = (chunk: Buffer) => {
            output += chunk.toString();
            if (pids().length === 5) resolve();
          };
          launcher.stdout!.on('data', onData);
          launcher.stderr!.on('data', onData);
          launcher.once('exit', (code) => reject(new Error(`the launcher exited with ${code}:\n${output}`)));
        });
        // Every service is spawned; the gateway is not ready yet, the demo not seeded.
        expect(output).not.toContain('Workshare is running');
        launcher.kill('SIGTERM');
        expect(await exited).toBe(0);
        const alive = pids().filter((pid) => {
          try {
            process.kill(pid, 0);
            return true;
          } catch {
            return false;
          }
        });
        expect(alive).toEqual([]);
      } finally {
        if (launcher.exitCode === null) launcher.kill('SIGKILL');
        for (const pid of pids()) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // gone, as it should be
          }
        }
        const nc = await connect({ servers: natsUrl });
        try {
          const jsm = await jetstreamManager(nc);
          for (const name of [stream, `KV_${stream}_ledger`]) await jsm.streams.delete(name).catch(() => undefined);
        } finally {
          await nc.close();
        }
        await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      }
    }, 120_000);
  });
}
