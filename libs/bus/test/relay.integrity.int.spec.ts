/**
 * The relay and the embedded bus check every event they read against its stream's hash chain
 * before anything acts on it. Rows written into the PostgreSQL events table behind the store's
 * back (a wrong hash, content changed after it was written, a previous hash that does not link)
 * are never published or handled: what came before them is, nothing from them on is, and the
 * fault is reported. Needs PostgreSQL (DATABASE_URL) and NATS (NATS_URL).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  chainHash,
  contentDigest,
  formatPosition,
  type EventStore,
  type GlobalPosition,
  type RecordedEvent,
} from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import {
  ChainFaultError,
  cursorCheckpointId,
  EmbeddedEventBus,
  ledgerCheckpointId,
  NatsEventBus,
  type BusSubscription,
} from '../src/index.js';
import { collectingLogger } from './contract.js';
import { describeNeeding, deleteStreams, uniqueName } from './support/nats.js';
import { eventually, sleep } from './support/wait.js';

const natsUrl = process.env.NATS_URL;
const databaseUrl = process.env.DATABASE_URL;

describeNeeding(
  'events that fail their hash-chain check',
  { NATS_URL: natsUrl, DATABASE_URL: databaseUrl },
  (found) => {
    describe('events that fail their hash-chain check', () => {
      const schemas: string[] = [];
      const streams: string[] = [];
      const stores: EventStore[] = [];
      let sql: pg.Client;

      beforeAll(async () => {
        sql = new pg.Client({ connectionString: databaseUrl });
        await sql.connect();
      });

      afterAll(async () => {
        await Promise.all(stores.map((s) => s.close()));
        for (const schema of schemas) await sql.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await sql.end();
        await deleteStreams(found.NATS_URL, streams);
      }, 60_000);

      /** A PostgreSQL store in a schema of its own, so its log holds only this test's events. */
      const freshStore = async (): Promise<{ store: EventStore; schema: string }> => {
        const schema = `bus_chain_${process.pid}_${randomBytes(3).toString('hex')}`;
        schemas.push(schema);
        const store = await openEventStore(found.DATABASE_URL, { schema, maxConnections: 4 });
        stores.push(store);
        return { store, schema };
      };

      const append = async (store: EventStore, stream: string, count = 1): Promise<RecordedEvent[]> => [
        ...(
          await store.append(
            stream,
            Array.from({ length: count }, (_, i) => ({ type: 'PieceDone', data: { i } })),
          )
        ).events,
      ];

      /**
       * Inserts an event row straight into the events table, as someone with database access
       * could: its hash chains from `previousHash` unless `hash` is given.
       */
      const insertRow = async (
        schema: string,
        row: { streamName: string; streamVersion: number; previousHash: string; hash?: string },
      ): Promise<string> => {
        const id = randomUUID();
        const occurredAt = new Date();
        const data = { forged: true };
        const digest = contentDigest({
          id,
          streamName: row.streamName,
          type: 'PieceDone',
          schemaVersion: 1,
          occurredAt,
          data,
          metadata: {},
        });
        await sql.query(
          `INSERT INTO ${schema}.events (event_id, stream_name, stream_version, type, schema_version, data, metadata, occurred_at, prev_hash, hash)
         VALUES ($1, $2, $3, 'PieceDone', 1, $4, '{}', $5, $6, $7)`,
          [
            id,
            row.streamName,
            row.streamVersion,
            JSON.stringify(data),
            occurredAt,
            row.previousHash,
            row.hash ?? chainHash(row.previousHash, row.streamVersion, digest),
          ],
        );
        return id;
      };

      const positionOf = async (store: EventStore, eventId: string): Promise<GlobalPosition> => {
        const event = (await store.readAll({ limit: 10_000 })).find((e) => e.id === eventId);
        if (!event) throw new Error(`event ${eventId} is not in the log`);
        return event.position;
      };

      /** A bus on a stream of its own with one consumer recording what it is handed. */
      const natsFixture = async () => {
        const stream = uniqueName('BUS_CHAIN');
        streams.push(stream, `KV_${stream}_ledger`);
        const log = collectingLogger();
        const bus = NatsEventBus.start({ url: natsUrl, stream, subjectPrefix: uniqueName('buschain'), log });
        await bus.ready;
        const handled: string[] = [];
        const sub: BusSubscription = bus.subscribe({ consumer: 'chaintest', handle: (e) => void handled.push(e.id) });
        await sub.ready;
        const jsm = await (await import('@nats-io/jetstream')).jetstreamManager(await bus.connection());
        const messages = async () => (await jsm.streams.info(stream)).state.messages;
        return { bus, log, handled, messages, close: () => bus.close() };
      };

      it('publishes what precedes a row with a wrong hash, in the same page, and nothing from that row on; the relay stops and reports it', async () => {
        const { store, schema } = await freshStore();
        const a = await append(store, 'acct-1', 2);
        const b = await append(store, 'acct-2');
        const forged = await insertRow(schema, {
          streamName: 'acct-1',
          streamVersion: 2,
          previousHash: a[1]!.hash,
          hash: 'f'.repeat(64), // not the hash of its content
        });
        // Intact events after it (the store chains acct-1 on from the forged row's hash): held back too.
        await append(store, 'acct-2');
        await append(store, 'acct-1');
        await append(store, 'acct-3');
        const forgedAt = await positionOf(store, forged);
        const f = await natsFixture();
        try {
          const relay = f.bus.startRelay({ store, relayId: 'relay-chain', batchSize: 100 });
          const error: unknown = await relay.done.then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(ChainFaultError);
          const fault = {
            streamName: 'acct-1',
            streamVersion: 2,
            eventId: forged,
            position: formatPosition(forgedAt),
            reason: expect.stringContaining('content does not match its hash'),
          };
          expect((error as ChainFaultError).fault).toEqual(fault);
          expect(relay.stats.fault).toEqual(fault);
          expect(relay.stats.published).toBe(3);
          // The checkpoint stays just before the forged row: the events before it in its page are checkpointed.
          expect(await store.readCheckpoint('relay-chain')).toEqual(b[0]!.position);
          expect(f.bus.faults()).toEqual([
            expect.objectContaining({ component: 'relay', name: 'relay-chain', ...fault }),
          ]);
          const logged = f.log.lines.find((l) => l.level === 'error' && l.fields.eventId === forged);
          expect(logged?.fields).toMatchObject({
            relayId: 'relay-chain',
            streamName: 'acct-1',
            streamVersion: 2,
            position: formatPosition(forgedAt),
          });
          expect(logged?.message).toMatch(
            /relay relay-chain stopped: event 2 of stream acct-1 .* content does not match/,
          );
          await expect(relay.caughtUp()).rejects.toThrow(ChainFaultError);

          const before = [...a, ...b].map((e) => e.id);
          await eventually('the consumer to handle the events before the forged row', () => f.handled.length >= 3);
          await sleep(300);
          expect([...f.handled].sort()).toEqual([...before].sort());
          expect(await f.messages()).toBe(3);

          // It does not resume by itself, and a relay started again stops at the same row.
          const again = f.bus.startRelay({ store, relayId: 'relay-chain', batchSize: 100 });
          await expect(again.done).rejects.toThrow(ChainFaultError);
          expect(again.stats.fault).toEqual(fault);
          expect(again.stats.published + again.stats.duplicates).toBe(0);
          expect(await f.messages()).toBe(3);
        } finally {
          await f.close();
        }
      }, 60_000);

      it('refuses an event whose content was changed in place, on a later page', async () => {
        const { store, schema } = await freshStore();
        const events = await append(store, 'job-1', 5);
        // The table refuses UPDATE (migration 6): its owner disables that first, as a database writer could.
        await sql.query(`ALTER TABLE ${schema}.events DISABLE TRIGGER events_append_only`);
        await sql.query(`UPDATE ${schema}.events SET data = '{"i": 99}' WHERE event_id = $1`, [events[3]!.id]);
        const f = await natsFixture();
        try {
          const relay = f.bus.startRelay({ store, relayId: 'relay-changed', batchSize: 2 });
          await expect(relay.done).rejects.toThrow(/event 3 of stream job-1 .*content does not match its hash/);
          expect(relay.fault).toMatchObject({ streamName: 'job-1', streamVersion: 3, eventId: events[3]!.id });
          expect(await store.readCheckpoint('relay-changed')).toEqual(events[2]!.position);
          await eventually('the consumer to handle the three intact events', () => f.handled.length >= 3);
          await sleep(300);
          expect(f.handled).toEqual(events.slice(0, 3).map((e) => e.id));
          expect(await f.messages()).toBe(3);
        } finally {
          await f.close();
        }
      }, 60_000);

      it('refuses a row whose previous hash does not link, its predecessor read from the store', async () => {
        const { store, schema } = await freshStore();
        const first = await append(store, 'team-1', 2);
        const [next] = await append(store, 'team-1'); // published by a relay starting after `first`
        const [other] = await append(store, 'team-2');
        const previousHash = 'a'.repeat(64); // a hash of its own that is right, chained from nowhere
        const forged = await insertRow(schema, { streamName: 'team-1', streamVersion: 3, previousHash });
        await append(store, 'team-3');
        // The relay starts past team-1's first events, so it reads the stream's previous event from
        // the store for `next`; it keeps one stream's hash (team-2's, after the first page of two),
        // so it reads team-1's from the store again for the forged row.
        await store.storeCheckpoint('relay-link', first[1]!.position);
        const f = await natsFixture();
        try {
          const relay = f.bus.startRelay({ store, relayId: 'relay-link', chainTails: 1, batchSize: 2 });
          await expect(relay.done).rejects.toThrow(ChainFaultError);
          expect(relay.fault).toEqual({
            streamName: 'team-1',
            streamVersion: 3,
            eventId: forged,
            position: formatPosition(await positionOf(store, forged)),
            reason: 'previous hash does not match the event before',
          });
          expect(await store.readCheckpoint('relay-link')).toEqual(other!.position);
          await eventually('the consumer to handle the two intact events', () => f.handled.length >= 2);
          await sleep(300);
          expect(f.handled).toEqual([next!.id, other!.id]);
          expect(await f.messages()).toBe(2);
        } finally {
          await f.close();
        }
      }, 60_000);

      it('the embedded bus hands its consumers what precedes a forged row and nothing from it on, and reports it', async () => {
        const { store, schema } = await freshStore();
        const good = await append(store, 'member-1', 2);
        const forged = await insertRow(schema, {
          streamName: 'member-1',
          streamVersion: 2,
          previousHash: good[1]!.hash,
          hash: '0'.repeat(64),
        });
        await append(store, 'member-1');
        await append(store, 'member-2');
        const log = collectingLogger();
        const bus = new EmbeddedEventBus({ store, log, pollIntervalMs: 10, restartDelayMs: 20 });
        const handled: string[] = [];
        const sub = bus.subscribe({ consumer: 'embedded-chain', handle: (e) => void handled.push(e.id) });
        try {
          await eventually('the consumer to stop at the forged row', () => bus.faults().length > 0);
          const fault = {
            streamName: 'member-1',
            streamVersion: 2,
            eventId: forged,
            position: formatPosition(await positionOf(store, forged)),
            reason: expect.stringContaining('content does not match its hash'),
          };
          expect(bus.faults()).toEqual([
            expect.objectContaining({ component: 'consumer', name: 'embedded-chain', ...fault }),
          ]);
          await sleep(300); // many restart delays: it does not resume by itself
          expect(handled).toEqual(good.map((e) => e.id));
          expect(await store.readCheckpoint(ledgerCheckpointId('embedded-chain'))).toEqual(good[1]!.position);
          expect(await store.readCheckpoint(cursorCheckpointId('embedded-chain'))).toEqual(good[1]!.position);
          const logged = log.lines.filter((l) => l.level === 'error' && l.fields.eventId === forged);
          expect(logged).toHaveLength(1);
          expect(logged[0]!.fields).toMatchObject({
            consumer: 'embedded-chain',
            streamName: 'member-1',
            streamVersion: 2,
          });
        } finally {
          await sub.stop();
          await bus.close();
        }
      }, 60_000);
    });
  },
);
