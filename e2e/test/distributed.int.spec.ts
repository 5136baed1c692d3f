/**
 * The stories on PostgreSQL and NATS JetStream, each service its own process: the launcher's
 * distributed mode (as pods run), started from its built entry point, with a fresh database and
 * a NATS stream of its own, dropped at the end. Through the gateway's HTTP API only. The demo's
 * past month, recorded before the processes start, is closed through the settlement process and
 * its files read back. Team scheduling runs as two replicas, which the gateway reaches
 * round-robin: each is killed with SIGKILL in turn while the other answers the gateway's calls.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore } from '@workshare/eventsourcing';
import { deleteStreams } from '@workshare/bus';
import {
  createPostgresDatabase,
  dropPostgresDatabase,
  openEventStore,
  postgresDatabaseUrl,
} from '@workshare/eventstore';
import { DEMO_BUSINESS_USER_EMAIL, DEMO_BUSINESS_USER_EMAILS, DEMO_COORDINATOR_EMAIL } from '@workshare/identity';
import { checkHealth } from '@workshare/grpc';
import { DEMO_CORRECTION_REASON } from '@workshare/launcher';
import { runAuditCliStory, runAuditStory, type AuditFacts } from './support/audit-story.js';
import { apiAt, eventually } from './support/http.js';
import { runMonthCloseStory } from './support/month-close.js';
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

const canListen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** Two free ports in a row (team scheduling's replicas take TEAM_SCHEDULING_PORT and the next), neither in `taken`. */
const freePortPair = async (taken: readonly number[]): Promise<number> => {
  for (;;) {
    const port = await freePort();
    if (port < 65_535 && !taken.includes(port) && !taken.includes(port + 1) && (await canListen(port + 1))) return port;
  }
};

interface ServicePorts {
  identity: number;
  jobIntake: number;
  decomposition: number;
  scheduling: number;
  timeTracking: number;
  settlement: number;
  audit: number;
  gateway: number;
  /** Time tracking's, settlement's and the audit's metrics ports (the others keep their own). */
  timeTrackingMetrics: number;
  settlementMetrics: number;
  auditMetrics: number;
}

/**
 * Free ports for the eight services: team scheduling's the first of two in a row, for its two
 * replicas; time tracking's, settlement's and the audit's metrics ports too, with the port after
 * the highest one free (team-scheduling-2 takes the next metrics port above every one planned).
 */
const servicePorts = async (): Promise<ServicePorts> => {
  const scheduling = await freePortPair([]);
  const taken = [scheduling, scheduling + 1];
  const other = async (): Promise<number> => {
    for (;;) {
      const port = await freePort();
      if (!taken.includes(port)) {
        taken.push(port);
        return port;
      }
    }
  };
  const ports = {
    scheduling,
    identity: await other(),
    jobIntake: await other(),
    decomposition: await other(),
    timeTracking: await other(),
    settlement: await other(),
    audit: await other(),
    gateway: await other(),
  };
  for (;;) {
    const [timeTrackingMetrics, settlementMetrics, auditMetrics] = [await other(), await other(), await other()];
    const next = Math.max(timeTrackingMetrics, settlementMetrics, auditMetrics) + 1;
    if (next <= 65_535 && !taken.includes(next) && (await canListen(next))) {
      taken.push(next);
      return { ...ports, timeTrackingMetrics, settlementMetrics, auditMetrics };
    }
  }
};

/** The launcher's variables for those ports. */
const portVariables = (ports: ServicePorts): Record<string, string> => ({
  IDENTITY_PORT: String(ports.identity),
  JOB_INTAKE_PORT: String(ports.jobIntake),
  TASK_DECOMPOSITION_PORT: String(ports.decomposition),
  TEAM_SCHEDULING_PORT: String(ports.scheduling),
  TIME_TRACKING_PORT: String(ports.timeTracking),
  SETTLEMENT_PORT: String(ports.settlement),
  AUDIT_PORT: String(ports.audit),
  GATEWAY_PORT: String(ports.gateway),
  TIME_TRACKING_METRICS_PORT: String(ports.timeTrackingMetrics),
  SETTLEMENT_METRICS_PORT: String(ports.settlementMetrics),
  AUDIT_METRICS_PORT: String(ports.auditMetrics),
});

/**
 * The audit's seal key (a fresh Ed25519 key, PKCS#8 PEM, given in the environment as a
 * cluster's Secret would) and its seal log, in a folder of the test's own.
 */
const sealSetting = (): { env: Record<string, string>; folder: string } => {
  const folder = mkdtempSync(join(tmpdir(), 'workshare-e2e-seals-'));
  const key = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { env: { WORKSHARE_SEAL_KEY: key, WORKSHARE_SEAL_LOG: join(folder, 'seals.jsonl') }, folder };
};

/** The pid of the latest process of that name the launcher printed (`team-scheduling-1`, ...). */
const pidIn = (output: string, name: string): number | undefined => {
  const all = [...output.matchAll(new RegExp(`^\\s+${name}\\s+gRPC .*\\(pid (\\d+)\\)`, 'gm'))];
  return all.length > 0 ? Number(all[all.length - 1]![1]) : undefined;
};

if (!databaseUrl || !natsUrl) {
  console.log('distributed e2e skipped: it needs DATABASE_URL and NATS_URL (CI sets both)');
  describe.skip('distributed platform', () => it('needs PostgreSQL and NATS', () => undefined));
} else {
  describe('distributed platform (PostgreSQL, NATS JetStream, one process per service), through the HTTP API', () => {
    const id = `${process.pid}_${Date.now().toString(36)}`;
    const database = `workshare_e2e_${id}`;
    const stream = `E2E_${id}`;
    const storeUrl = postgresDatabaseUrl(databaseUrl, database);
    let launcher: ChildProcess | undefined;
    let output = '';
    let gatewayUrl = '';
    let store: EventStore | undefined;
    let identityPort = 0;
    let jobIntakePort = 0;
    /** Team scheduling's two replicas: TEAM_SCHEDULING_PORT and the next. */
    let schedulingPorts: [number, number] = [0, 0];
    let ports: ServicePorts | undefined;
    const seals = sealSetting();

    beforeAll(async () => {
      await createPostgresDatabase(databaseUrl, database);
      ports = await servicePorts();
      const { identity, jobIntake, scheduling, gateway } = ports;
      gatewayUrl = `http://127.0.0.1:${gateway}`;
      [identityPort, jobIntakePort] = [identity, jobIntake];
      schedulingPorts = [scheduling, scheduling + 1];
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
          ...seals.env,
          ...portVariables(ports),
          RELAY_PORT: '0', // the two relay processes: health on any free port (nobody calls them)
          METRICS_PORT: '0',
          LOG_LEVEL: 'warn',
          WORKSHARE_DEMO_PASSWORD: demo.password,
        },
      });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the platform did not start in time:\n${output}`)), 300_000);
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
    }, 330_000);

    afterAll(async () => {
      await store?.close();
      if (launcher && launcher.exitCode === null) {
        await new Promise<void>((resolve) => {
          launcher!.removeAllListeners('exit');
          launcher!.once('exit', () => resolve());
          launcher!.kill('SIGTERM');
        });
      }
      await deleteStreams(natsUrl, [stream, `KV_${stream}_ledger`]);
      await dropPostgresDatabase(databaseUrl, database);
      rmSync(seals.folder, { recursive: true, force: true });
    }, 60_000);

    let jobId: string;

    it('prints the demo jobs, seeded through the services’ APIs', () => {
      expect(output).toContain('Demo cooperative of Fujisato (藤里町) seeded');
      expect(output).toMatch(/Demo jobs:\n(\s+\S+\s+\w+\s+.+\n){3}/);
      expect(output).toMatch(/hand-off: \S+@fujisato\.example \(sick child\) → \S+@fujisato\.example/);
    });

    it('runs the relay as two processes beside the services: the one that holds the lease publishes the store’s log', () => {
      expect(output).toMatch(/^\s+relay-1\s+gRPC health .*\(pid \d+\)$/m);
      expect(output).toMatch(/^\s+relay-2\s+gRPC health .*\(pid \d+\)$/m);
    });

    it('runs team scheduling as two processes, each on its own gRPC and metrics port, both serving', async () => {
      const lines = [1, 2].map((replica) =>
        new RegExp(
          `^\\s+team-scheduling-${replica}\\s+gRPC 127\\.0\\.0\\.1:(\\d+), metrics :(\\d+) \\(pid \\d+\\)$`,
          'm',
        ).exec(output),
      );
      expect(lines.map((line) => Number(line?.[1]))).toEqual(schedulingPorts);
      expect(new Set(lines.map((line) => line?.[2])).size).toBe(2);
      expect(output).not.toMatch(/^\s+team-scheduling\s+gRPC/m);
      for (const port of schedulingPorts)
        await eventually(`team scheduling on ${port} serving`, async () =>
          (await checkHealth(`127.0.0.1:${port}`)) === 'SERVING' ? true : undefined,
        );
    }, 60_000);

    it('runs time tracking and settlement as processes of their own, on the ports given, both serving', async () => {
      for (const [name, port, metrics] of [
        ['time-tracking', ports!.timeTracking, ports!.timeTrackingMetrics],
        ['settlement', ports!.settlement, ports!.settlementMetrics],
      ] as const) {
        expect(output).toMatch(
          new RegExp(`^\\s+${name}\\s+gRPC 127\\.0\\.0\\.1:${port}, metrics :${metrics} \\(pid \\d+\\)$`, 'm'),
        );
        expect(await checkHealth(`127.0.0.1:${port}`)).toBe('SERVING');
      }
    });

    it('runs the audit as a process of its own on its port, sealing the log into the seal log given', async () => {
      expect(output).toMatch(
        new RegExp(
          `^\\s+audit\\s+gRPC 127\\.0\\.0\\.1:${ports!.audit}, metrics :${ports!.auditMetrics} \\(pid \\d+\\)$`,
          'm',
        ),
      );
      expect(await checkHealth(`127.0.0.1:${ports!.audit}`)).toBe('SERVING');
      // The demo's closed month was sealed at its close (and the log since at intervals): the seal log holds it.
      await eventually('a seal in the seal log', async () =>
        existsSync(seals.env.WORKSHARE_SEAL_LOG!) && readFileSync(seals.env.WORKSHARE_SEAL_LOG!, 'utf8').trim() !== ''
          ? true
          : undefined,
      );
    });

    /** What the launcher printed of the demo's closed month. */
    const auditFacts = (): AuditFacts => {
      const month = /The demo's closed month, (\d{4}-\d{2}) in Fujisato, closed/.exec(output)?.[1];
      const handOff = /hand-off: \S+ \(her child has a fever\) → \S+, task (\S+)/.exec(output)?.[1];
      const entry = /correction: \S+ corrected a span .*, entry (\S+)/.exec(output)?.[1];
      expect({ month, handOff, entry }).toEqual({
        month: expect.stringMatching(/^\d{4}-\d{2}$/),
        handOff: expect.any(String),
        entry: expect.any(String),
      });
      return {
        regionId: 'fujisato',
        month: month!,
        newcomerTaskId: handOff!,
        correctedEntryId: entry!,
        correctionReason: DEMO_CORRECTION_REASON,
      };
    };
    const auditAccounts = () => ({
      password: demo.password,
      accountantEmail: /^\s+(\S+)\s+accountant$/m.exec(output)![1]!,
      coordinatorEmail: demo.coordinatorEmail,
      memberEmail: /^\s{4}(\S+@fujisato\.example)\s+(contractor|employee)\s+\d+ min/m.exec(output)![1]!,
    });

    it('answers the accountant’s every question of the demo’s closed month through the gateway and the audit process (its history recorded before the processes started)', async () => {
      await runAuditStory(apiAt(gatewayUrl), auditAccounts(), auditFacts());
    }, 180_000);

    it('answers through the workshare audit command line, against the audit process', async () => {
      await runAuditCliStory(auditAccounts(), auditFacts(), {
        audit: `127.0.0.1:${ports!.audit}`,
        identity: `127.0.0.1:${identityPort}`,
      });
    }, 120_000);

    it('a business submits, a coordinator quotes, the business accepts, tasks are planned', async () => {
      ({ jobId } = await runIntakeStory(apiAt(gatewayUrl), demo));
    }, 60_000);

    it('refuses bad input with problem+json and stores nothing', async () => {
      await runBadInputMatrix(apiAt(gatewayUrl), demo, store!, jobId);
    }, 60_000);

    it('closes the demo’s past month through the settlement process in one call; the accountant’s files agree with each other and the summary to the yen; refusals store nothing', async () => {
      const month = /The demo's past month, (\d{4}-\d{2}) in Fujisato/.exec(output)?.[1];
      const accountantEmail = /^\s+(\S+)\s+accountant$/m.exec(output)?.[1];
      const worked = [...output.matchAll(/^\s{4}(\S+@fujisato\.example)\s+(contractor|employee)\s+\d+ min/gm)];
      expect({ month, accountantEmail, worked: worked.length > 0 }).toEqual({
        month: expect.stringMatching(/^\d{4}-\d{2}$/),
        accountantEmail: expect.stringContaining('@'),
        worked: true,
      });
      const { summary } = await runMonthCloseStory(
        apiAt(gatewayUrl),
        {
          password: demo.password,
          coordinatorEmail: demo.coordinatorEmail,
          accountantEmail: accountantEmail!,
          memberEmails: worked.map((m) => m[1]!),
          businessUserEmails: DEMO_BUSINESS_USER_EMAILS,
        },
        { regionId: 'fujisato', month: month!, store: store! },
      );
      // The demo's month: its two jobs billed, every member who worked in it paid.
      expect(summary).toMatchObject({ invoiceCount: 2, statementCount: worked.length });
    }, 60_000);

    it('schedules the demo’s planned job; team-scheduling-1 is killed with SIGKILL mid-story and the other replica answers; a member hands off; a teammate holds the task; the history shows both', async () => {
      const demoJob = /Demo jobs:\n\s+(\S+)/.exec(output)?.[1];
      const memberEmails = [...output.matchAll(/^\s+(\S+@fujisato\.example)\s+member/gm)].map((m) => m[1]!);
      expect(memberEmails.length).toBeGreaterThan(5);
      const api = apiAt(gatewayUrl);
      const coordinator = await api.login(demo.coordinatorEmail, demo.password);
      const [first] = schedulingPorts;
      let killed: number | undefined;
      let answeredWhileDown = 0;
      await runHandOffStory(api, demo, demoJob!, memberEmails, {
        beforeHandOff: async () => {
          killed = pidIn(output, 'team-scheduling-1');
          expect(killed).toBeDefined();
          process.kill(killed!, 'SIGKILL');
          await eventually('team-scheduling-1 down', async () =>
            (await checkHealth(`127.0.0.1:${first}`, '', 500)) !== 'SERVING' ? true : undefined,
          );
          // A call through the gateway while it is down (health asked after the answer): the other replica answered it.
          const schedule = await api.request('GET', `/v1/jobs/${demoJob}/schedule`, { token: coordinator });
          expect(schedule.status).toBe(200);
          if ((await checkHealth(`127.0.0.1:${first}`, '', 500)) !== 'SERVING') answeredWhileDown++;
        },
      });
      // The story went on (the hand-off, the history, the holder) with one replica killed; it is started again.
      expect(answeredWhileDown).toBe(1);
      await eventually(
        'team-scheduling-1 started again and serving',
        async () =>
          pidIn(output, 'team-scheduling-1') !== killed && (await checkHealth(`127.0.0.1:${first}`)) === 'SERVING'
            ? true
            : undefined,
        60_000,
      );
    }, 120_000);

    it('reaches both team scheduling replicas: with team-scheduling-2 killed with SIGKILL, team-scheduling-1 answers every call meanwhile', async () => {
      const api = apiAt(gatewayUrl);
      const token = await api.login(demo.coordinatorEmail, demo.password);
      const demoJob = /Demo jobs:\n\s+(\S+)/.exec(output)?.[1];
      const [first, second] = schedulingPorts;
      expect(await checkHealth(`127.0.0.1:${first}`)).toBe('SERVING');
      const killed = pidIn(output, 'team-scheduling-2');
      expect(killed).toBeDefined();
      process.kill(killed!, 'SIGKILL');
      let answeredWhileDown = 0;
      const failures: number[] = [];
      let restarted: number | undefined;
      for (const until = Date.now() + 60_000; Date.now() < until;) {
        const schedule = await api.request('GET', `/v1/jobs/${demoJob}/schedule`, { token });
        if (schedule.status !== 200) failures.push(schedule.status);
        restarted = pidIn(output, 'team-scheduling-2');
        const serving = (await checkHealth(`127.0.0.1:${second}`, '', 500)) === 'SERVING';
        if (!serving && schedule.status === 200) answeredWhileDown++;
        if (restarted !== killed && serving) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect({ failures, answeredWhileDown: answeredWhileDown > 0 }).toEqual({ failures: [], answeredWhileDown: true });
      expect(restarted).not.toBe(killed);
      expect(await checkHealth(`127.0.0.1:${second}`)).toBe('SERVING');
      // Both serve again, and the gateway's list of them is ready.
      expect((await api.request('GET', '/readyz')).status).toBe(200);
    }, 90_000);

    it('ends access at the gateway’s own process within a second, heard on NATS: a logout, a revoked role', async () => {
      const api = apiAt(gatewayUrl);
      const refusedWithin = async (since: number, probe: () => Promise<number>, status: number): Promise<number> => {
        for (;;) {
          if ((await probe()) === status) return Date.now() - since;
          if (Date.now() - since > 5_000) throw new Error(`not ${status} 5 s after the revocation`);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      };
      const signedIn = (
        await api.request<{ accessToken: string; refreshToken: string }>('POST', '/v1/auth/login', {
          body: { email: demo.businessUserEmail, password: demo.password },
        })
      ).body;
      const jobs = () => api.request('GET', '/v1/jobs', { token: signedIn.accessToken }).then((a) => a.status);
      expect(await jobs()).toBe(200); // the gateway remembers her token from now on
      const loggedOutAt = Date.now();
      const out = await api.request('POST', '/v1/auth/logout', { body: { refreshToken: signedIn.refreshToken } });
      expect(out.status).toBe(204);
      expect(await refusedWithin(loggedOutAt, jobs, 401)).toBeLessThan(1_000);

      const operatorEmail = /^\s+(\S+@polaris\.example)\s+operator/m.exec(output)?.[1];
      expect(operatorEmail).toBeDefined();
      const operator = await api.login(operatorEmail!, demo.password);
      const coordinator = await api.login(demo.coordinatorEmail, demo.password);
      const me = (await api.request<{ subject: string }>('GET', '/v1/me', { token: coordinator })).body.subject;
      const regionJobs = () =>
        api.request('GET', '/v1/jobs?regionId=fujisato', { token: coordinator }).then((a) => a.status);
      expect(await regionJobs()).toBe(200);
      const role = { role: 'coordinator', regionId: 'fujisato', reason: 'e2e: a role revoked' };
      const revokedAt = Date.now();
      expect((await api.request('POST', `/v1/users/${me}/roles/revoke`, { token: operator, body: role })).status).toBe(
        204,
      );
      try {
        expect(await refusedWithin(revokedAt, regionJobs, 403)).toBeLessThan(1_000);
      } finally {
        await api.request('POST', `/v1/users/${me}/roles`, { token: operator, body: { ...role, reason: 'e2e: back' } });
      }
    }, 60_000);

    it('supervises: a service killed with SIGKILL is started again and serves, while the others answer throughout', async () => {
      const pidOf = (service: string): number | undefined => pidIn(output, service);
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
      await createPostgresDatabase(databaseUrl, database);
      const ports = await servicePorts();
      const seals = sealSetting();
      const launcher = spawn(process.execPath, ['--import', '@workshare/telemetry/register', entry], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          EVENTSTORE_URL: postgresDatabaseUrl(databaseUrl, database),
          NATS_URL: natsUrl,
          NATS_STREAM: stream,
          NATS_SUBJECT_PREFIX: `e2e_stop_${id}`,
          IDENTITY_MASTER_KEY: randomBytes(32).toString('base64'),
          ...seals.env,
          ...portVariables(ports),
          RELAY_PORT: '0',
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
            // Eleven: the eight services (team scheduling in two processes) and two relay processes.
            if (pids().length >= 11) resolve();
          };
          launcher.stdout!.on('data', onData);
          launcher.stderr!.on('data', onData);
          launcher.once('exit', (code) => reject(new Error(`the launcher exited with ${code}:\n${output}`)));
        });
        // Every process is spawned (after the demo's history, recorded first); the gateway is not ready yet.
        expect(pids()).toHaveLength(11);
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
        await deleteStreams(natsUrl, [stream, `KV_${stream}_ledger`]);
        await dropPostgresDatabase(databaseUrl, database);
        rmSync(seals.folder, { recursive: true, force: true });
      }
    }, 300_000);
  });
}
