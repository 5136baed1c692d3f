/**
 * Two relay processes (the built dist/src/main.js, as pods run it) on one PostgreSQL database and
 * one NATS stream: exactly one publishes, by lease. The active one is killed with SIGKILL while
 * events keep being appended; the standby takes over within the lease's retry interval, and a bus
 * consumer handles every event exactly once (the bus's contract: at least once, handled once,
 * repeats dropped by JetStream's Nats-Msg-Id window and the consumer's ledger). A clean stop hands
 * the lease over at once. A row inserted with a wrong hash is never published, by either replica:
 * the holder stops at it and answers NOT_SERVING. Needs NATS_URL and DATABASE_URL.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import pg from 'pg';
import { NatsEventBus, type BusSubscription } from '@workshare/bus';
import { GENESIS_HASH, type EventStore } from '@workshare/eventsourcing';
import {
  createPostgresDatabase,
  dropPostgresDatabase,
  openEventStore,
  postgresDatabaseUrl,
} from '@workshare/eventstore';
import { createLogger } from '@workshare/telemetry/logger';
import { deleteStreams, describeNeeding } from '../../../libs/bus/test/support/nats.js';
import {
  HOLDS_LEASE,
  STANDING_BY,
  startReplica,
  timeOf,
  type Replica,
  type ReplicaSettings,
} from '../bench/replicas.js';

const natsUrl = process.env.NATS_URL;
const databaseUrl = process.env.DATABASE_URL;
const RETRY_MS = 250;
const quiet = createLogger('relay-test', { level: 'silent' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const eventually = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
};

describeNeeding(
  'relay replicas (PostgreSQL lease, NATS JetStream)',
  { NATS_URL: natsUrl, DATABASE_URL: databaseUrl },
  (found) => {
    describe('relay replicas (PostgreSQL lease, NATS JetStream)', () => {
      const id = `${process.pid}_${randomBytes(3).toString('hex')}`;
      const database = `relay_failover_${id}`;
      const stream = `RELAY_FAILOVER_${id}`;
      const settings: ReplicaSettings = {
        packageRoot: path.resolve(__dirname, '..'),
        storeUrl: postgresDatabaseUrl(found.DATABASE_URL, database),
        natsUrl: found.NATS_URL,
        stream,
        subjectPrefix: `relayfailover_${id}`,
        leaseId: 7,
        leaseRetryMs: RETRY_MS,
      };
      const replicas: Replica[] = [];
      let created = false;
      let store: EventStore;
      let bus: NatsEventBus;
      let sub: BusSubscription;
      let jsm: JetStreamManager;
      /** How many times the consumer's handler was called for each event id. */
      const calls = new Map<string, number>();
      const appended: string[] = [];
      let active: Replica;
      let standby: Replica;

      const start = async (label: string): Promise<Replica> => {
        const replica = await startReplica(label, settings);
        replicas.push(replica);
        return replica;
      };

      const append = async (streamName: string, data: Record<string, string | number> = {}): Promise<string> => {
        const { events } = await store.append(streamName, [{ type: 'PieceDone', data }]);
        const eventId = events[0]!.id;
        appended.push(eventId);
        return eventId;
      };

      const messagesInStream = async (): Promise<number> => (await jsm.streams.info(stream)).state.messages;

      /** Every event appended so far reaches the consumer, each handled exactly once. */
      const everyEventHandledOnce = async (): Promise<void> => {
        await eventually('every appended event at the consumer', () => appended.every((e) => calls.has(e)));
        await eventually('the consumer to settle every message', async () => {
          const info = await jsm.consumers.info(stream, 'failover');
          return info.num_pending === 0 && info.num_ack_pending === 0;
        });
        const log = (await store.readAll({ limit: 10_000 })).map((e) => e.id);
        expect([...calls.keys()].sort()).toEqual([...log].sort());
        expect([...calls.entries()].filter(([, n]) => n !== 1)).toEqual([]);
      };

      beforeAll(async () => {
        await createPostgresDatabase(found.DATABASE_URL, database);
        created = true;
        store = await openEventStore(settings.storeUrl, { maxConnections: 4 });
        bus = NatsEventBus.start({ url: found.NATS_URL, stream, subjectPrefix: settings.subjectPrefix, log: quiet });
        await bus.ready;
        jsm = await jetstreamManager(await bus.connection());
        sub = bus.subscribe({
          consumer: 'failover',
          handle: (event) => void calls.set(event.id, (calls.get(event.id) ?? 0) + 1),
        });
        await sub.ready;
      }, 60_000);

      afterAll(async () => {
        await Promise.all(replicas.map((r) => r.kill('SIGKILL')));
        await sub?.stop();
        await bus?.close();
        await store?.close();
        if (created) await dropPostgresDatabase(found.DATABASE_URL, database);
        await deleteStreams(found.NATS_URL, [stream, `KV_${stream}_ledger`]);
      }, 60_000);

      it('exactly one of two replicas publishes; the other stands by, and both answer SERVING', async () => {
        const a = await start('a');
        await a.waitForLine(HOLDS_LEASE);
        const b = await start('b');
        await b.waitForLine(STANDING_BY);
        for (let i = 0; i < 100; i++) await append(`piece-${i % 10}`, { i });
        await everyEventHandledOnce();
        expect(b.linesMatching(HOLDS_LEASE)).toEqual([]);
        expect([await a.health(), await b.health()]).toEqual(['SERVING', 'SERVING']);
        [active, standby] = [a, b];
      }, 90_000);

      it('kill -9 of the active replica: the standby takes over within the retry interval, and every event is handled exactly once', async () => {
        // Events keep coming throughout: some are in the killed replica's last page, unacknowledged or
        // acknowledged but not checkpointed; the next replica publishes them again from the checkpoint.
        let appending = true;
        const appender = (async () => {
          for (let i = 0; appending; i++) {
            await append(`busy-${i % 20}`, { i });
            await sleep(1);
          }
        })();
        try {
          const before = appended.length;
          await eventually('events flowing through the active replica', () => calls.size >= before + 200);
          const killedAt = Date.now();
          await active.kill('SIGKILL');
          const marker = await append('marker-1'); // appended after the kill: only the next replica can publish it
          const took = timeOf(await standby.waitForLine(HOLDS_LEASE, 10_000)) - killedAt;
          await eventually('the first event appended after the kill at the consumer', () => calls.has(marker), 10_000);
          const delivered = Date.now() - killedAt;
          process.stderr.write(
            `relay failover: lease taken ${took} ms after kill -9 (retry every ${RETRY_MS} ms); first event after it delivered at ${delivered} ms\n`,
          );
          expect(took).toBeLessThan(RETRY_MS + 1_000);
          expect(delivered).toBeLessThan(RETRY_MS + 5_000);
          await sleep(500); // and the new holder carries on with the events still coming
        } finally {
          appending = false;
          await appender;
        }
        await everyEventHandledOnce();
        // Inside JetStream's duplicate window: each event is stored once, whoever published it.
        expect(await messagesInStream()).toBe(appended.length);
        [active, standby] = [standby, await start('c')];
        await standby.waitForLine(STANDING_BY);
      }, 120_000);

      it('SIGTERM: the active replica checkpoints, lets go of the lease and exits 0; the standby takes over at once', async () => {
        const stoppedAt = Date.now();
        const exit = await active.kill('SIGTERM');
        expect(exit).toEqual({ code: 0, signal: null });
        expect(active.linesMatching(/^relay stopped publishing; letting go of the lease/)).toHaveLength(1);
        const took = timeOf(await standby.waitForLine(HOLDS_LEASE, 10_000)) - stoppedAt;
        expect(took).toBeLessThan(RETRY_MS + 5_000);
        for (let i = 0; i < 30; i++) await append(`calm-${i % 3}`, { i });
        await everyEventHandledOnce();
        [active, standby] = [standby, await start('d')];
        await standby.waitForLine(STANDING_BY);
      }, 120_000);

      it('a row with a wrong hash is never published: the holder stops at it and answers NOT_SERVING, and so does the next', async () => {
        await everyEventHandledOnce();
        const messagesBefore = await messagesInStream();
        // Written behind the store's back, as an append writes (under the store's appender lock, so
        // that readers see it in log order), with a hash that is not that of its content.
        const forged = randomUUID();
        const sql = new pg.Client({ connectionString: settings.storeUrl });
        await sql.connect();
        try {
          await sql.query('BEGIN');
          await sql.query(`SELECT pg_advisory_xact_lock_shared(4243, hashtext('eventstore'))`);
          await sql.query(
            `INSERT INTO eventstore.events (event_id, stream_name, stream_version, type, schema_version, data, metadata, occurred_at, prev_hash, hash)
           VALUES ($1, 'forged-1', 0, 'PieceDone', 1, '{"forged":true}', '{}', now(), $2, $3)`,
            [forged, GENESIS_HASH, 'f'.repeat(64)],
          );
          await sql.query('COMMIT');
        } finally {
          await sql.end();
        }
        const after = await append('after-1'); // intact, but behind the forged row in the log: held back too

        await eventually(
          'the holder to answer NOT_SERVING',
          async () => (await active.health()) === 'NOT_SERVING',
          15_000,
        );
        const stopped = await active.waitForLine(/^relay stopped for good/);
        expect(stopped).toMatchObject({ level: 'error', streamName: 'forged-1', eventId: forged });
        expect(stopped.msg).toContain('fails its hash-chain check');
        await sleep(1_000);
        expect(calls.has(forged)).toBe(false);
        expect(calls.has(after)).toBe(false);
        expect(await messagesInStream()).toBe(messagesBefore);
        // It keeps the lease: the standby stays a standby, and healthy.
        expect(standby.linesMatching(HOLDS_LEASE)).toEqual([]);
        expect(await standby.health()).toBe('SERVING');

        // Killed, the faulty holder lets go of the lease; the next replica stops at the same row.
        await active.kill('SIGKILL');
        await standby.waitForLine(HOLDS_LEASE, 10_000);
        await eventually(
          'the next holder to answer NOT_SERVING',
          async () => (await standby.health()) === 'NOT_SERVING',
          15_000,
        );
        expect((await standby.waitForLine(/^relay stopped for good/)).eventId).toBe(forged);
        await sleep(500);
        expect(calls.has(forged)).toBe(false);
        expect(calls.has(after)).toBe(false);
        expect(await messagesInStream()).toBe(messagesBefore);
      }, 120_000);
    });
  },
);
