/**
 * Seals on the embedded store: the seal key, the file the seals are kept in, the sealer (at
 * intervals, at once after a month's close, resuming from its file, one per store), the lean
 * rows hashed on worker threads as in process, and rows of hash scheme 1 written before
 * migration 5.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  chainHash,
  contentDigest,
  GENESIS_HASH,
  hashSchemeOf,
  type JsonObject,
  type RecordedEvent,
} from '@workshare/eventsourcing';
import { embeddedDriver } from '../src/pglite-driver.js';
import { HashingPool, rowSchemes, type LogRow } from '../src/log-hashing.js';
import { MIGRATIONS, sqlFor } from '../src/schema.js';
import {
  checkSeals,
  FileSealLog,
  generateSealKey,
  loadSealKey,
  sealDigest,
  sealPublicKey,
  SealLogBrokenError,
  type Seal,
} from '../src/seals.js';
import { LogSealer } from '../src/sealer.js';
import { SqlEventStore, splitStatements } from '../src/sql-event-store.js';
import { verifyLog } from '../src/verify.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const eventually = async (what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'workshare-seals-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the seal key', () => {
  it('is generated into a file only its owner reads, and loaded from WORKSHARE_SEAL_KEY as PEM text or a path', () => {
    const path = join(dir, 'keys', 'seal.pem');
    const key = generateSealKey(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(key.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(loadSealKey({ WORKSHARE_SEAL_KEY: path }).keyId).toBe(key.keyId);
    expect(loadSealKey({ WORKSHARE_SEAL_KEY: readFileSync(path, 'utf8') }).keyId).toBe(key.keyId);
    expect(sealPublicKey(key.publicKeyPem).export({ type: 'spki', format: 'pem' })).toBe(key.publicKeyPem);
    expect(() => generateSealKey(path)).toThrow(/EEXIST/);
  });

  it('refuses a missing, unreadable or non-Ed25519 key with a clear error', () => {
    expect(() => loadSealKey({})).toThrow(/WORKSHARE_SEAL_KEY is not set/);
    expect(() => loadSealKey({ WORKSHARE_SEAL_KEY: join(dir, 'nothing.pem') })).toThrow(
      /neither PEM text nor a readable file/,
    );
    expect(() =>
      loadSealKey({ WORKSHARE_SEAL_KEY: '-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----' }),
    ).toThrow(/holds no private key/);
    expect(() => sealPublicKey('-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----')).toThrow(/no public key/);
  });
});

describe('the log sealer on the embedded store', () => {
  let store: SqlEventStore;
  beforeEach(async () => {
    store = await SqlEventStore.open(embeddedDriver('memory'));
  });
  afterEach(() => store.close());

  const append = (stream: string, type = 'WorkLogged') => store.append(stream, [{ type, data: { at: Date.now() } }]);

  it('seals at intervals only when there are new events, and the seals chain and verify', async () => {
    const key = generateSealKey(join(dir, 'seal.pem'));
    const sink = new FileSealLog(join(dir, 'seals.jsonl'));
    const seals: Seal[] = [];
    await append('job-1');
    const sealer = LogSealer.start({
      store,
      key,
      sinks: [sink],
      intervalMs: 30,
      pollIntervalMs: 10,
      onSeal: (s) => seals.push(s),
    });
    try {
      await eventually('the first seal', () => seals.length === 1);
      await sleep(150);
      expect(seals).toHaveLength(1); // nothing new: no seal
      await append('job-2');
      await append('job-1');
      await eventually('a seal of all three events', () => seals[seals.length - 1]?.events === 3);
      const made = seals.length;
      await sleep(150);
      expect(seals).toHaveLength(made);
    } finally {
      await sealer.stop();
    }
    const kept = await sink.readAll();
    expect(kept).toEqual(seals);
    // One seal for the first event, then one or two for the next two (as the interval fell between them).
    expect(seals[0]).toMatchObject({ sequence: 1, reason: 'interval', events: 1, previous: GENESIS_HASH });
    seals.forEach((seal, i) => {
      expect(seal).toMatchObject({ sequence: i + 1, reason: 'interval' });
      if (i > 0) {
        expect(seal.events).toBeGreaterThan(seals[i - 1]!.events);
        expect(seal.previous).toBe(sealDigest(seals[i - 1]!));
      }
    });
    expect(seals.flatMap((s) => s.tips.map((t) => `${t.stream}@${t.version}`)).sort()).toEqual([
      'job-1@0',
      'job-1@1',
      'job-2@0',
    ]);
    expect(checkSeals(kept, key.publicKey).problems).toEqual([]);
    const result = await verifyLog(store, { seals: kept, publicKey: key.publicKeyPem });
    expect(result).toMatchObject({
      intact: true,
      events: 3,
      unsealed: { events: 0 },
      seals: { checked: seals.length },
    });
  });

  it('seals at once after a month’s close, the seal ending at that event', async () => {
    const key = generateSealKey(join(dir, 'seal.pem'));
    const sink = new FileSealLog(join(dir, 'seals.jsonl'));
    const seals: Seal[] = [];
    const sealer = LogSealer.start({
      store,
      key,
      sinks: [sink],
      intervalMs: 3_600_000,
      pollIntervalMs: 10,
      monthClose: (e: RecordedEvent) => e.type === 'MonthClosed',
      onSeal: (s) => seals.push(s),
    });
    try {
      await sealer.ready;
      await append('job-1');
      const closed = await append('settlement-202604', 'MonthClosed');
      await eventually('the month-close seal', () => seals.length === 1);
      expect(seals[0]).toMatchObject({ reason: 'month-close', events: 2 });
      expect(seals[0]!.position).toBe(`${closed.position.commit}/${closed.position.prepare}`);
      await append('job-1');
      await sleep(100);
      expect(seals).toHaveLength(1); // an ordinary event waits for the interval
      expect(await sealer.sealNow()).toMatchObject({ sequence: 2, reason: 'manual', events: 3 });
      expect(await sealer.sealNow()).toMatchObject({ sequence: 2 }); // nothing new: the last seal
    } finally {
      await sealer.stop();
    }
  });

  it('resumes from the last seal in its file, recomputing nothing before it', async () => {
    const key = generateSealKey(join(dir, 'seal.pem'));
    const sink = new FileSealLog(join(dir, 'seals.jsonl'));
    await append('job-1');
    const first = LogSealer.start({ store, key, sinks: [sink], pollIntervalMs: 3_600_000 });
    await first.sealNow();
    await first.stop();
    await append('job-1');
    const reads: number[] = [];
    const counting = {
      locks: store.locks,
      readAll: async (options: Parameters<SqlEventStore['readAll']>[0]) => {
        const page = await store.readAll(options);
        reads.push(page.length);
        return page;
      },
    };
    const second = LogSealer.start({ store: counting, key, sinks: [sink], pollIntervalMs: 3_600_000 });
    try {
      expect(await second.sealNow()).toMatchObject({ sequence: 2, events: 2 });
      expect(reads.reduce((a, b) => a + b, 0)).toBe(1); // only the event after seal #1
    } finally {
      await second.stop();
    }
    expect((await verifyLog(store, { seals: await sink.readAll(), publicKey: key.publicKey })).intact).toBe(true);
  });

  it('copies every seal to its other sinks, catching one up that was unreachable', async () => {
    const key = generateSealKey(join(dir, 'seal.pem'));
    const primary = new FileSealLog(join(dir, 'seals.jsonl'));
    const copy = new FileSealLog(join(dir, 'copy', 'seals.jsonl'));
    let reachable = false;
    const flaky = {
      name: 'flaky',
      append: (seal: Seal) => (reachable ? copy.append(seal) : Promise.reject(new Error('unreachable'))),
      readAll: () => copy.readAll(),
    };
    const errors: unknown[] = [];
    await append('job-1');
    const sealer = LogSealer.start({
      store,
      key,
      sinks: [primary, flaky],
      pollIntervalMs: 10,
      intervalMs: 3_600_000,
      onError: (e) => errors.push(e),
    });
    try {
      await sealer.sealNow();
      await append('job-1');
      await sealer.sealNow();
      expect(await copy.readAll()).toEqual([]);
      expect(errors.length).toBeGreaterThan(0);
      reachable = true;
      await eventually('the copy to catch up', async () => (await copy.readAll()).length === 2);
      expect(await copy.readAll()).toEqual(await primary.readAll());
    } finally {
      await sealer.stop();
    }
  });

  it('runs one per store: a second sealer waits for the first to stop', async () => {
    const key = generateSealKey(join(dir, 'seal.pem'));
    const sink = new FileSealLog(join(dir, 'seals.jsonl'));
    const first = LogSealer.start({ store, key, sinks: [sink], pollIntervalMs: 3_600_000 });
    await first.ready;
    const second = LogSealer.start({ store, key, sinks: [sink], pollIntervalMs: 3_600_000 });
    let started = false;
    void second.ready.then(() => (started = true));
    await sleep(100);
    expect(started).toBe(false);
    await first.stop();
    await second.ready;
    await append('job-1');
    expect(await second.sealNow()).toMatchObject({ sequence: 1 });
    await second.stop();
  });

  it('refuses to extend a seal file that does not check', async () => {
    const key = generateSealKey(join(dir, 'seal.pem'));
    const path = join(dir, 'seals.jsonl');
    const sink = new FileSealLog(path);
    await append('job-1');
    const first = LogSealer.start({ store, key, sinks: [sink], pollIntervalMs: 3_600_000 });
    await first.sealNow();
    await first.stop();
    writeFileSync(path, readFileSync(path, 'utf8').replace('"events":1', '"events":2'));
    const second = LogSealer.start({ store, key, sinks: [sink], pollIntervalMs: 3_600_000 });
    await expect(second.ready).rejects.toThrow(SealLogBrokenError);
    await expect(second.done).rejects.toThrow(/signature does not match/);
  });

  it('verifies the same log on worker threads as in process, and reports a line of the seal file that is not JSON', async () => {
    const key = generateSealKey(join(dir, 'seal.pem'));
    const path = join(dir, 'seals.jsonl');
    const sink = new FileSealLog(path);
    for (let i = 0; i < 30; i++) await append(`job-${i % 4}`);
    const sealer = LogSealer.start({ store, key, sinks: [sink], pollIntervalMs: 3_600_000 });
    await sealer.sealNow();
    await sealer.stop();
    const seals = await sink.readAll();
    const here = await verifyLog(store, { seals, publicKey: key.publicKey, workers: 0, pageSize: 7 });
    const there = await verifyLog(store, { seals, publicKey: key.publicKey, workers: 2, pageSize: 7 });
    expect(there).toEqual(here);
    expect(here).toMatchObject({ intact: true, events: 30, streams: 4 });
    writeFileSync(path, `${readFileSync(path, 'utf8')}{not json\n`);
    const broken = await verifyLog(store, { seals: await sink.readAll(), publicKey: key.publicKey });
    expect(broken.breaks).toEqual([{ kind: 'seal', reason: 'entry 2 of the seals: not a seal: not an object' }]);
  });
});

/** The same JSON value with every object's keys in reverse order. */
const reorder = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(reorder)
    : typeof value === 'object' && value !== null
      ? Object.fromEntries(
          Object.entries(value)
            .reverse()
            .map(([k, v]) => [k, reorder(v)]),
        )
      : value;

describe('hashing lean rows', () => {
  const jsonValue = fc.jsonValue({ maxDepth: 3 });
  const row = fc
    .record({
      data: fc.dictionary(
        fc.oneof(
          fc.string({ maxLength: 6 }),
          fc.string({ maxLength: 4, unit: 'binary' }),
          fc.constantFrom('\u2028', '\u0007', 'a"b'),
        ),
        jsonValue,
        { maxKeys: 6 },
      ),
      metadata: fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string(), fc.integer()), { maxKeys: 4 }),
      stream: fc.constantFrom('job-1', 'member-"x"', 'タスク-1', 'a-\u2028'),
      version: fc.nat({ max: 1000 }),
      occurredAt: fc.integer({ min: 0, max: 4_102_444_800_000 }),
      recordedAt: fc.integer({ min: 0, max: 4_102_444_800_000 }),
      scheme: fc.constantFrom(0, 1, 2),
    })
    .map(({ data, metadata, stream, version, occurredAt, recordedAt, scheme }) => {
      const id = '0190f5c2-7d3f-7b6a-9f1e-2b3c4d5e6f70';
      // As the database gives it back: a JSON text, its keys in another order.
      const reordered = reorder(data);
      const digest = contentDigest({
        id,
        streamName: stream,
        type: 'WorkLogged',
        schemaVersion: 1,
        occurredAt: new Date(occurredAt),
        data: JSON.parse(JSON.stringify(data)) as JsonObject,
        metadata,
      });
      const previousHash = 'a'.repeat(64);
      const hash =
        scheme === 2
          ? chainHash(previousHash, version, digest, recordedAt)
          : scheme === 1
            ? chainHash(previousHash, version, digest)
            : 'f'.repeat(64);
      return {
        scheme,
        row: {
          c: '1',
          p: '1',
          id,
          s: stream,
          v: version,
          t: 'WorkLogged',
          sv: 1,
          d: JSON.stringify(reordered),
          m: JSON.stringify(metadata),
          o: occurredAt * 1000,
          r: recordedAt * 1000 + (scheme === 1 ? 789 : 0),
          ph: previousHash,
          h: hash,
        } satisfies LogRow,
      };
    });

  it('answers the same schemes on a worker thread as in process, and as hashSchemeOf', async () => {
    const pool = new HashingPool(1);
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 20 }), async (cases) => {
          const rows = cases.map((c) => c.row);
          const expected = Uint8Array.from(cases.map((c) => c.scheme));
          expect(rowSchemes(rows)).toEqual(expected);
          expect(await pool.schemes(rows)).toEqual(expected);
          for (const r of rows) {
            const event = {
              id: r.id,
              streamName: r.s,
              streamVersion: r.v,
              type: r.t,
              schemaVersion: r.sv,
              occurredAt: new Date(r.o / 1000),
              recordedAt: new Date(Math.floor(r.r / 1000)),
              data: JSON.parse(r.d) as RecordedEvent['data'],
              metadata: JSON.parse(r.m) as RecordedEvent['metadata'],
              position: { commit: 1n, prepare: 1n },
              previousHash: r.ph,
              hash: r.h,
            };
            expect(hashSchemeOf(r.ph, event) ?? 0).toBe(rowSchemes([r])[0]);
          }
        }),
        { numRuns: 100 },
      );
    } finally {
      await pool.close();
    }
  });
});

describe('rows written before migration 5 (hash scheme 1)', () => {
  it('verify as they are, next to the newer rows of scheme 2, and a sealed one cannot be changed unseen', async () => {
    const db = embeddedDriver('memory');
    const schema = 'eventstore';
    await db.transaction(async (query) => {
      await query(`CREATE SCHEMA ${schema}`);
      await query(`CREATE TABLE ${schema}.migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      for (const migration of MIGRATIONS.filter((m) => m.version < 5)) {
        for (const statement of splitStatements(sqlFor(migration, schema))) await query(statement);
        await query(`INSERT INTO ${schema}.migrations (version, name) VALUES ($1, $2)`, [
          migration.version,
          migration.name,
        ]);
      }
    });
    // Two events as the store wrote them before: recorded-at to the microsecond, outside the hash.
    let previous = GENESIS_HASH;
    const ids = ['0190f5c2-7d3f-7b6a-9f1e-2b3c4d5e6f71', '0190f5c2-7d3f-7b6a-9f1e-2b3c4d5e6f72'];
    for (const [version, id] of ids.entries()) {
      const occurredAt = new Date(Date.UTC(2026, 0, 5, 9, version));
      const data = { amount: version };
      const digest = contentDigest({
        id,
        streamName: 'job-1',
        type: 'Old',
        schemaVersion: 1,
        occurredAt,
        data,
        metadata: {},
      });
      const hash = chainHash(previous, version, digest);
      await db.query(
        `INSERT INTO ${schema}.events (event_id, stream_name, stream_version, type, schema_version, data, metadata, occurred_at,
           recorded_at, prev_hash, hash)
         VALUES ($1, 'job-1', $2, 'Old', 1, $3, '{}', $4, '2026-01-05 09:00:00.123456+00', $5, $6)`,
        [id, version, JSON.stringify(data), occurredAt.toISOString(), previous, hash],
      );
      previous = hash;
    }
    const store = await SqlEventStore.open(db, { schema });
    try {
      await store.append('job-1', [{ type: 'New', data: { amount: 2 } }]);
      const events = await store.readStream('job-1');
      expect(events.map((e) => hashSchemeOf(e.previousHash, e))).toEqual([1, 1, 2]);
      const key = generateSealKey(join(dir, 'seal.pem'));
      const sink = new FileSealLog(join(dir, 'seals.jsonl'));
      const sealer = LogSealer.start({ store, key, sinks: [sink], pollIntervalMs: 3_600_000 });
      await sealer.sealNow();
      await sealer.stop();
      const seals = await sink.readAll();
      expect((await verifyLog(store, { seals, publicKey: key.publicKey })).breaks).toEqual([]);
      // The recorded-at of a scheme-1 row is outside its hash: the seal still sees the change.
      await db.query(`ALTER TABLE ${schema}.events DISABLE TRIGGER events_append_only`);
      await db.query(`UPDATE ${schema}.events SET recorded_at = recorded_at + interval '1 day' WHERE event_id = $1`, [
        ids[0],
      ]);
      const result = await verifyLog(store, { seals, publicKey: key.publicKey });
      expect(result.breaks.filter((b) => b.streamName !== undefined)).toEqual([]);
      expect(result.breaks).toEqual([
        expect.objectContaining({ kind: 'changed', seal: 1, reason: expect.stringContaining('hash scheme 1') }),
      ]);
      expect(checkSeals(seals, key.publicKey).problems).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
