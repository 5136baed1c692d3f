/**
 * A broker restart: a nats-server of this test's own (a free port, a data folder in tmp) is
 * killed while the relay and a consumer are running, events are appended while it is down, and it
 * is started again on the same port and folder. The client reconnects by itself; the relay must
 * then publish what was appended at once, rather than after the 10 s it allows JetStream to answer
 * a publish (the publishes that were on their way when the connection dropped never get an answer).
 * Needs PostgreSQL (DATABASE_URL) and a nats-server binary.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createLogger } from '@workshare/telemetry/logger';
import type { EventStore } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import { DEFAULT_JETSTREAM_TIMEOUT_MS, NatsEventBus } from '../src/index.js';
import { eventually, sleep } from './support/wait.js';
import { describeNeeding, freePort, natsServerBinary } from './support/nats.js';

const natsServer = natsServerBinary();
const databaseUrl = process.env.DATABASE_URL;

/** Resolves once something accepts TCP connections on the port. */
const listening = async (port: number): Promise<void> => {
  await eventually(
    'nats-server to listen',
    () =>
      new Promise<boolean>((resolve) => {
        const socket = connectTcp(port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      }),
  );
};

/** Log lines with the time they were written, to tell when the client reconnected. */
const timedLogger = () => {
  const lines: { level: string; message: string; at: number; fields: Record<string, unknown> }[] = [];
  const write = (line: string): void => {
    const { level, msg, time: _time, ...fields } = JSON.parse(line) as Record<string, unknown>;
    lines.push({ level: String(level), message: String(msg), at: Date.now(), fields });
  };
  return Object.assign(createLogger('bus', { level: 'debug', destination: { write } }), { lines });
};

describeNeeding(
  'broker restart',
  { 'nats-server (NATS_SERVER_BIN)': natsServer, DATABASE_URL: databaseUrl },
  (found) => {
    describe('broker restart', () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'bus-restart-'));
      const schema = `bus_restart_${process.pid}_${randomBytes(3).toString('hex')}`;
      let server: ChildProcess | undefined;
      let port = 0;
      let store: EventStore;

      const startServer = async (): Promise<void> => {
        server = spawn(
          found['nats-server (NATS_SERVER_BIN)'],
          ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dataDir],
          {
            stdio: 'ignore',
          },
        );
        await listening(port);
      };
      const killServer = async (): Promise<void> => {
        const s = server;
        if (!s || s.exitCode !== null || s.signalCode !== null) return;
        const exited = new Promise((resolve) => s.once('exit', resolve));
        s.kill('SIGKILL');
        await exited;
      };

      beforeAll(async () => {
        port = await freePort();
        await startServer();
        store = await openEventStore(found.DATABASE_URL, { schema, maxConnections: 4 });
      }, 60_000);

      afterAll(async () => {
        await killServer();
        rmSync(dataDir, { recursive: true, force: true });
        await store?.close();
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      }, 60_000);

      it('publishes what was appended during the outage within a second or two of the broker being back', async () => {
        const log = timedLogger();
        const bus = NatsEventBus.start({
          url: `nats://127.0.0.1:${port}`,
          stream: 'BUS_RESTART',
          subjectPrefix: 'busrestart',
          log,
        });
        const received = new Map<string, number>();
        const relay = bus.startRelay({ store, pollIntervalMs: 10 });
        const sub = bus.subscribe({ consumer: 'restart', handle: (e) => void received.set(e.id, Date.now()) });
        try {
          await sub.ready;
          const [first] = (await store.append('order-1', [{ type: 'OrderPlaced', data: { n: 0 } }])).events;
          await eventually('the first event at the consumer', () => received.has(first!.id));

          await killServer();
          await eventually('the client to notice', () =>
            log.lines.some((l) => l.message.startsWith('disconnected from NATS')),
          );
          const during = (
            await store.append(
              'order-1',
              Array.from({ length: 20 }, (_, i) => ({ type: 'OrderChanged', data: { n: i + 1 } })),
            )
          ).events;
          await sleep(1_500); // the relay reads them and tries to publish them while the broker is down

          const startedAt = Date.now(); // the client may reconnect before listening() sees the port open
          await startServer();
          await eventually(
            'the events appended during the outage at the consumer',
            () => during.every((e) => received.has(e.id)),
            30_000,
          );
          const reconnectedAt = log.lines.find((l) => l.message === 'reconnected to NATS' && l.at >= startedAt)?.at;
          expect(reconnectedAt).toBeDefined();
          const lastAt = Math.max(...during.map((e) => received.get(e.id)!));
          // From the client's reconnection to the last of them handled: far inside the JetStream timeout
          // that used to hold the relay up (10 s), with room for a slow, busy machine.
          expect(lastAt - reconnectedAt!).toBeLessThan(DEFAULT_JETSTREAM_TIMEOUT_MS / 3);
          expect(lastAt - startedAt).toBeLessThan(DEFAULT_JETSTREAM_TIMEOUT_MS / 2);
          expect(relay.stats.fault).toBeUndefined();
        } finally {
          await relay.stop();
          await sub.stop();
          await bus.close();
        }
      }, 90_000);
    });
  },
);
