/**
 * The process mode on PostgreSQL and NATS, from the built launcher on a fresh database: the
 * demo's history (the cooperative and its two past months, the earlier closed and sealed) is
 * recorded by the seeder process before any service starts; time tracking, settlement and the
 * audit (its seal key and log from the environment) then run as processes of their own on their
 * ports and pick that history up from the store (their durable read models catch up with the
 * log; the relay publishes it to NATS): the month's approved time is there, and the month
 * closes in one call through the settlement process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteStreams } from '@workshare/bus';
import { createPostgresDatabase, dropPostgresDatabase, postgresDatabaseUrl } from '@workshare/eventstore';
import { checkHealth, createClient } from '@workshare/grpc';
import { DEMO_COORDINATOR_EMAIL } from '@workshare/identity';
import { identityV1, settlementV1, timeTrackingV1, yenFromMoney } from '@workshare/proto';
import { describeNeeding } from '../../../libs/bus/test/support/nats.js';

const databaseUrl = process.env.DATABASE_URL;
const natsUrl = process.env.NATS_URL;
const root = join(__dirname, '..', '..', '..');
const entry = join(root, 'services', 'launcher', 'dist', 'src', 'main.js');
const PASSWORD = 'process-mode-password';

const freePort = (taken: Set<number>): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => (taken.has(port) ? resolve(freePort(taken)) : (taken.add(port), resolve(port))));
    });
  });

const SERVICES = [
  'IDENTITY',
  'JOB_INTAKE',
  'TASK_DECOMPOSITION',
  'TEAM_SCHEDULING',
  'TIME_TRACKING',
  'SETTLEMENT',
  'AUDIT',
];

describeNeeding(
  'the process mode (PostgreSQL, NATS): time tracking and settlement pick the demo’s month up',
  { DATABASE_URL: databaseUrl, NATS_URL: natsUrl },
  ({ DATABASE_URL: databaseUrl, NATS_URL: natsUrl }) => {
    const id = `${process.pid}_${Date.now().toString(36)}`;
    const database = `workshare_launcher_${id}`;
    const stream = `LAUNCHER_${id}`;
    let launcher: ChildProcess | undefined;
    let output = '';
    const ports: Record<string, number> = {};
    // The audit's seal key and log, given as a cluster gives them (the process mode requires both).
    const sealFolder = mkdtempSync(join(tmpdir(), 'workshare-launcher-seals-'));
    const sealLog = join(sealFolder, 'seals.jsonl');

    beforeAll(async () => {
      await createPostgresDatabase(databaseUrl, database);
      const taken = new Set<number>();
      const env: Record<string, string> = {};
      for (const name of [...SERVICES, 'GATEWAY']) {
        ports[name] = await freePort(taken);
        env[`${name}_PORT`] = String(ports[name]);
        env[`${name}_METRICS_PORT`] = String(await freePort(taken));
      }
      env.RELAY_METRICS_PORT = String(await freePort(taken));
      // The relay's two metrics ports are that one and the next.
      launcher = spawn(process.execPath, ['--import', '@workshare/telemetry/register', entry], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          ...env,
          EVENTSTORE_URL: postgresDatabaseUrl(databaseUrl, database),
          NATS_URL: natsUrl,
          NATS_STREAM: stream,
          NATS_SUBJECT_PREFIX: `launcher_${id}`,
          IDENTITY_MASTER_KEY: randomBytes(32).toString('base64'),
          WORKSHARE_SEAL_KEY: generateKeyPairSync('ed25519')
            .privateKey.export({ type: 'pkcs8', format: 'pem' })
            .toString(),
          WORKSHARE_SEAL_LOG: sealLog,
          TEAM_SCHEDULING_REPLICAS: '1',
          RELAY_PORT: '0',
          LOG_LEVEL: 'warn',
          WORKSHARE_DEMO_PASSWORD: PASSWORD,
        },
      });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the platform did not start in time:\n${output}`)), 280_000);
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
    }, 300_000);

    afterAll(async () => {
      if (launcher && launcher.exitCode === null) {
        await new Promise<void>((resolve) => {
          launcher!.removeAllListeners('exit');
          launcher!.once('exit', () => resolve());
          launcher!.kill('SIGTERM');
        });
      }
      await deleteStreams(natsUrl, [stream, `KV_${stream}_ledger`]);
      await dropPostgresDatabase(databaseUrl, database);
      rmSync(sealFolder, { recursive: true, force: true });
    }, 60_000);

    const signIn = async (email: string): Promise<string> => {
      const identity = createClient(identityV1.IdentityServiceClient, `127.0.0.1:${ports.IDENTITY}`);
      try {
        return (await identity.login({ email, password: PASSWORD })).accessToken;
      } finally {
        identity.close();
      }
    };

    it('records the history before the services start, then runs time tracking, settlement and the audit as processes on their ports', async () => {
      const recording = output.indexOf("Recording the demo's history");
      expect(recording).toBeGreaterThanOrEqual(0);
      expect(output.indexOf('  identity ')).toBeGreaterThan(recording);
      for (const [name, port] of [
        ['time-tracking', ports.TIME_TRACKING],
        ['settlement', ports.SETTLEMENT],
        ['audit', ports.AUDIT],
      ] as const) {
        expect(output).toMatch(
          new RegExp(`^\\s+${name}\\s+gRPC 127\\.0\\.0\\.1:${port}, metrics :\\d+ \\(pid \\d+\\)$`, 'm'),
        );
        expect(await checkHealth(`127.0.0.1:${port}`)).toBe('SERVING');
      }
      expect(output).toMatch(/The demo's past month, \d{4}-\d{2} in Fujisato, recorded at its own times/);
      expect(output).toMatch(/Demo jobs:\n(\s+\S+\s+\w+\s+.+\n){3}/);
      // The month before last was closed by the seeder's services, and sealed into the seal log given.
      expect(output).toMatch(/The demo's closed month, \d{4}-\d{2} in Fujisato, closed /);
      expect(output).toMatch(/audit page +http:\/\/127\.0\.0\.1:\d+\/audit/);
      expect(existsSync(sealLog) && readFileSync(sealLog, 'utf8').trim().split('\n').length).toBeGreaterThanOrEqual(1);
    });

    it('the time tracking process answers the month’s approved time; the settlement process closes it', async () => {
      const month = /The demo's past month, (\d{4}-\d{2}) in Fujisato/.exec(output)![1]!;
      const minutes = Number(/approved: ([\d,]+) minutes/.exec(output)![1]!.replace(/,/g, ''));
      expect(minutes).toBeGreaterThan(2_000);
      const accountantToken = await signIn('makoto.sasaki@accounting.example');
      const time = createClient(timeTrackingV1.TimeTrackingServiceClient, `127.0.0.1:${ports.TIME_TRACKING}`, {
        token: accountantToken,
      });
      const coordinator = createClient(settlementV1.SettlementServiceClient, `127.0.0.1:${ports.SETTLEMENT}`, {
        token: await signIn(DEMO_COORDINATOR_EMAIL),
      });
      const accountant = createClient(settlementV1.SettlementServiceClient, `127.0.0.1:${ports.SETTLEMENT}`, {
        token: accountantToken,
      });
      try {
        expect((await time.listApprovedTime({ regionId: 'fujisato', month })).totalMinutes).toBe(minutes);
        const { summary } = await coordinator.closeMonth({ requestId: `close-${month}`, regionId: 'fujisato', month });
        expect(summary).toMatchObject({ invoiceCount: 2, statementCount: 5 });
        const billed = yenFromMoney(summary?.billed);
        expect(billed).toBeGreaterThan(0n);
        const { settlementJson } = await accountant.getSettlement({ regionId: 'fujisato', month });
        const invoices = (JSON.parse(settlementJson) as { invoices: { totals: { amountYen: string }[] }[] }).invoices;
        expect(invoices.flatMap((i) => i.totals).reduce((sum, t) => sum + BigInt(t.amountYen), 0n)).toBe(billed);
      } finally {
        time.close();
        coordinator.close();
        accountant.close();
      }
    }, 60_000);
  },
);
