/**
 * Tamper evidence against a database writer, on a real PostgreSQL server: events are written
 * through the store and sealed, then changed, deleted, truncated and forged straight in SQL by
 * the table's owner (who can disable the append-only trigger), each in the way the store itself
 * computes hashes; verification must report each break, naming stream, version and position.
 * Each test has a database of its own.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import {
  chainHash,
  contentDigest,
  formatPosition,
  GENESIS_HASH,
  type EventStore,
  type JsonObject,
  type RecordedEvent,
} from '@workshare/eventsourcing';
import { openEventStore } from '../src/open.js';
import { createPostgresDatabase, dropPostgresDatabase } from '../src/schemas.js';
import { APPEND_ONLY_TRIGGER } from '../src/schema.js';
import { FileSealLog, generateSealKey, signSeal, type Seal, type SealKey } from '../src/seals.js';
import { LogSealer } from '../src/sealer.js';
import { verifyLog, type LogVerification } from '../src/verify.js';
import { describeNeeding } from '../../bus/test/support/nats.js';

describeNeeding(
  'tampering with the log in PostgreSQL',
  { DATABASE_URL: process.env.DATABASE_URL },
  ({ DATABASE_URL }) => {
    let n = 0;
    let database: string;
    let url: string;
    let store: EventStore;
    let admin: pg.Client;
    let dir: string;
    let key: SealKey;
    let sink: FileSealLog;
    let sealer: LogSealer;
    /** What was written, by "<stream>@<version>". */
    let written: Map<string, RecordedEvent>;

    const event = (stream: string, version: number): RecordedEvent => {
      const e = written.get(`${stream}@${version}`);
      if (!e) throw new Error(`${stream}@${version} was not written`);
      return e;
    };
    const pos = (stream: string, version: number) => formatPosition(event(stream, version).position);

    const append = async (stream: string, ...amounts: number[]) => {
      const result = await store.append(
        stream,
        amounts.map((amount) => ({ type: 'WorkLogged', data: { amount, note: 'やった' }, metadata: { actor: 'm-1' } })),
      );
      for (const e of result.events) written.set(`${e.streamName}@${e.streamVersion}`, e);
    };

    /**
     * Three seals: #1 after job-1@0..1 and member-1@0; #2 after job-1@2 and job-2@0; #3 after
     * job-1@3 and member-1@1.
     */
    const history = async () => {
      await append('job-1', 100, 200);
      await append('member-1', 1);
      await sealer.sealNow();
      await append('job-1', 300);
      await append('job-2', 50);
      await sealer.sealNow();
      await append('job-1', 400);
      await append('member-1', 2);
      await sealer.sealNow();
    };

    const verify = async (): Promise<LogVerification> =>
      verifyLog(store, { seals: await sink.readAll(), publicKey: key.publicKeyPem, workers: 1 });

    /** Runs SQL as the table's owner with the append-only trigger disabled, as a database writer can. */
    const asWriter = async (work: () => Promise<unknown>) => {
      await admin.query(`ALTER TABLE eventstore.events DISABLE TRIGGER ${APPEND_ONLY_TRIGGER}`);
      try {
        await work();
      } finally {
        await admin.query(`ALTER TABLE eventstore.events ENABLE ALWAYS TRIGGER ${APPEND_ONLY_TRIGGER}`);
      }
    };

    interface Row {
      event_id: string;
      stream_name: string;
      stream_version: string;
      type: string;
      schema_version: number;
      data: JsonObject;
      metadata: JsonObject;
      occurred_at: Date;
      recorded_at: Date;
    }

    /** Recomputes a stream's hashes from `fromVersion` on, the store's way (hash scheme 2). */
    const rehash = async (stream: string, fromVersion: number) => {
      const rows = (
        await admin.query<Row & { hash: string }>(
          `SELECT event_id, stream_name, stream_version, type, schema_version, data, metadata, occurred_at,
                date_trunc('milliseconds', recorded_at) AS recorded_at, hash
           FROM eventstore.events WHERE stream_name = $1 ORDER BY stream_version`,
          [stream],
        )
      ).rows;
      let previous = GENESIS_HASH;
      for (const row of rows) {
        const version = Number(row.stream_version);
        if (version < fromVersion) {
          previous = row.hash;
          continue;
        }
        const digest = contentDigest({
          id: row.event_id,
          streamName: row.stream_name,
          type: row.type,
          schemaVersion: row.schema_version,
          occurredAt: row.occurred_at,
          data: row.data,
          metadata: row.metadata,
        });
        const hash = chainHash(previous, version, digest, row.recorded_at);
        await admin.query(`UPDATE eventstore.events SET prev_hash = $1, hash = $2 WHERE event_id = $3`, [
          previous,
          hash,
          row.event_id,
        ]);
        previous = hash;
      }
    };

    /** Inserts an event computed the store's way (scheme 2) at a position of the forger's choosing. */
    const forge = async (
      stream: string,
      version: number,
      previousHash: string,
      at?: { transactionId: string; globalPosition: string },
    ): Promise<{ id: string; position: string }> => {
      const id = randomUUID();
      const occurredAt = new Date('2026-04-30T10:00:00.000Z');
      const recordedAt = new Date('2026-04-30T10:00:01.000Z');
      const data = { amount: 1_000_000, note: 'forged' };
      const digest = contentDigest({
        id,
        streamName: stream,
        type: 'WorkLogged',
        schemaVersion: 1,
        occurredAt,
        data,
        metadata: {},
      });
      const hash = chainHash(previousHash, version, digest, recordedAt);
      const columns = `event_id, stream_name, stream_version, type, schema_version, data, metadata, occurred_at, recorded_at, prev_hash, hash`;
      const values = [id, stream, version, JSON.stringify(data), occurredAt, recordedAt, previousHash, hash];
      const row = at
        ? await admin.query<{ c: string; p: string }>(
            `INSERT INTO eventstore.events (transaction_id, global_position, ${columns}) OVERRIDING SYSTEM VALUE
           VALUES ($9::text::xid8, $10::bigint, $1, $2, $3, 'WorkLogged', 1, $4, '{}', $5, $6, $7, $8)
           RETURNING transaction_id::text AS c, global_position::text AS p`,
            [...values, at.transactionId, at.globalPosition],
          )
        : await admin.query<{ c: string; p: string }>(
            `INSERT INTO eventstore.events (${columns}) VALUES ($1, $2, $3, 'WorkLogged', 1, $4, '{}', $5, $6, $7, $8)
           RETURNING transaction_id::text AS c, global_position::text AS p`,
            values,
          );
      return { id, position: `${row.rows[0]!.c}/${row.rows[0]!.p}` };
    };

    beforeEach(async () => {
      database = `tamper_${process.pid}_${n++}`;
      url = await createPostgresDatabase(DATABASE_URL, database);
      store = await openEventStore(url, { maxConnections: 4 });
      admin = new pg.Client({ connectionString: url });
      await admin.connect();
      dir = mkdtempSync(join(tmpdir(), 'workshare-seals-'));
      key = generateSealKey(join(dir, 'seal-key.pem'));
      sink = new FileSealLog(join(dir, 'seals.jsonl'));
      sealer = LogSealer.start({ store, key, sinks: [sink], intervalMs: 3_600_000, pollIntervalMs: 3_600_000 });
      written = new Map();
      await history();
    });

    afterEach(async () => {
      await sealer?.stop();
      await admin?.end();
      await store?.close();
      await dropPostgresDatabase(DATABASE_URL, database);
      rmSync(dir, { recursive: true, force: true });
    });

    it('finds the sealed log intact, every seal checked, nothing unsealed', async () => {
      const result = await verify();
      expect(result.breaks).toEqual([]);
      expect(result).toMatchObject({ events: 7, streams: 3, intact: true, seals: { given: 3, checked: 3 } });
      expect(result.unsealed).toEqual({ events: 0, after: pos('member-1', 1) });
    });

    it('verifies a range between two seals from the first one’s log hash', async () => {
      const result = await verifyLog(store, {
        seals: await sink.readAll(),
        publicKey: key.publicKeyPem,
        from: 1,
        to: 2,
        workers: 0,
      });
      expect(result).toMatchObject({ events: 2, breaks: [], from: pos('member-1', 0), last: pos('job-2', 0) });
      expect(result.seals.checked).toBe(1);
    });

    it('refuses UPDATE, DELETE and TRUNCATE on the events table, even as a replica session', async () => {
      for (const sql of [
        `UPDATE eventstore.events SET data = '{"amount": 1}'`,
        `DELETE FROM eventstore.events WHERE stream_name = 'job-1'`,
        `DELETE FROM eventstore.events WHERE false`,
        `TRUNCATE eventstore.events`,
      ])
        await expect(admin.query(sql)).rejects.toMatchObject({
          code: 'WS003',
          message: expect.stringMatching(
            /^events are append-only: (UPDATE|DELETE|TRUNCATE) on eventstore\.events is refused$/,
          ),
        });
      await admin.query(`SET session_replication_role = replica`);
      await expect(admin.query(`DELETE FROM eventstore.events`)).rejects.toMatchObject({ code: 'WS003' });
      await admin.query(`SET session_replication_role = DEFAULT`);
      expect((await verify()).breaks).toEqual([]);
    });

    it('(a) names the changed event of a stream whose hashes were recomputed the store’s way', async () => {
      await asWriter(async () => {
        await admin.query(
          `UPDATE eventstore.events SET data = '{"amount": 3000, "note": "やった"}' WHERE event_id = $1`,
          [event('job-1', 2).id],
        );
        await rehash('job-1', 2);
      });
      // Every link of the stream holds: only the seals can tell.
      const result = await verify();
      expect(result.breaks).toContainEqual(
        expect.objectContaining({
          kind: 'changed',
          seal: 2,
          streamName: 'job-1',
          streamVersion: 2,
          fromVersion: 2,
          eventId: event('job-1', 2).id,
          position: pos('job-1', 2),
        }),
      );
      expect(result.breaks).toContainEqual(
        expect.objectContaining({ kind: 'changed', seal: 3, streamName: 'job-1', streamVersion: 3 }),
      );
      expect(result.breaks.filter((b) => b.kind !== 'changed')).toEqual([]);
      expect(result.breaks.some((b) => b.streamName === 'job-1' && b.seal === undefined)).toBe(false);
    });

    it('(b) names an event whose recorded-at was changed, with or without its hashes recomputed', async () => {
      await asWriter(() =>
        admin.query(`UPDATE eventstore.events SET recorded_at = recorded_at - interval '3 days' WHERE event_id = $1`, [
          event('job-1', 1).id,
        ]),
      );
      expect((await verify()).breaks).toContainEqual(
        expect.objectContaining({
          kind: 'changed',
          streamName: 'job-1',
          streamVersion: 1,
          eventId: event('job-1', 1).id,
          position: pos('job-1', 1),
          reason: 'content does not match its hash (changed after it was written)',
        }),
      );
      await asWriter(() => rehash('job-1', 1));
      const result = await verify();
      expect(result.breaks).toContainEqual(
        expect.objectContaining({
          kind: 'changed',
          seal: 1,
          streamName: 'job-1',
          streamVersion: 1,
          position: pos('job-1', 1),
        }),
      );
      expect(result.breaks.some((b) => b.seal === undefined)).toBe(false);
    });

    it('(c) names the deleted last event of a stream', async () => {
      await asWriter(() => admin.query(`DELETE FROM eventstore.events WHERE event_id = $1`, [event('job-1', 3).id]));
      const result = await verify();
      expect(result.breaks).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            kind: 'missing',
            seal: 3,
            streamName: 'job-1',
            streamVersion: 3,
            eventId: event('job-1', 3).id,
            position: pos('job-1', 3),
          }),
          expect.objectContaining({ kind: 'missing', seal: 3, reason: expect.stringContaining('1 missing') }),
        ]),
      );
    });

    it('(d) names an event deleted in the middle of a stream', async () => {
      await asWriter(() => admin.query(`DELETE FROM eventstore.events WHERE event_id = $1`, [event('job-1', 1).id]));
      const result = await verify();
      expect(result.breaks).toEqual(
        expect.arrayContaining([
          // The stream's chain: version 1 is missing before version 2.
          expect.objectContaining({
            kind: 'missing',
            streamName: 'job-1',
            streamVersion: 1,
            position: pos('job-1', 2),
          }),
          // Seal #1 ended the stream there: it names the event and where it was.
          expect.objectContaining({
            kind: 'missing',
            seal: 1,
            streamName: 'job-1',
            streamVersion: 1,
            eventId: event('job-1', 1).id,
            position: pos('job-1', 1),
          }),
        ]),
      );
    });

    it('(e) names every sealed stream tip after the table is truncated', async () => {
      await asWriter(() => admin.query(`TRUNCATE eventstore.events`));
      const result = await verify();
      expect(result.events).toBe(0);
      const missing = result.breaks.filter((b) => b.kind === 'missing' && b.streamName !== undefined);
      expect(missing.map((b) => [b.seal, b.streamName, b.streamVersion, b.position])).toEqual([
        [1, 'job-1', 1, pos('job-1', 1)],
        [1, 'member-1', 0, pos('member-1', 0)],
        [2, 'job-1', 2, pos('job-1', 2)],
        [2, 'job-2', 0, pos('job-2', 0)],
        [3, 'job-1', 3, pos('job-1', 3)],
        [3, 'member-1', 1, pos('member-1', 1)],
      ]);
      expect(result.breaks.filter((b) => b.streamName === undefined).map((b) => [b.kind, b.seal])).toEqual([
        ['missing', 1],
        ['missing', 2],
        ['missing', 3],
      ]);
    });

    it('(f) names a forged event inserted before a seal, and counts one appended after the last seal as unsealed', async () => {
      const [inside] = (
        await admin.query<{ tx: string; gp: string }>(
          `SELECT transaction_id::text AS tx, (global_position + 1000)::text AS gp FROM eventstore.events WHERE event_id = $1`,
          [event('job-1', 2).id],
        )
      ).rows;
      // A new stream, and one more event of job-2, both inside seal #2's range or #3's.
      const newStream = await forge('job-9', 0, GENESIS_HASH, {
        transactionId: inside!.tx,
        globalPosition: inside!.gp,
      });
      const [third] = (
        await admin.query<{ tx: string; gp: string }>(
          `SELECT transaction_id::text AS tx, (global_position + 1000)::text AS gp FROM eventstore.events WHERE event_id = $1`,
          [event('job-1', 3).id],
        )
      ).rows;
      const intoJob2 = await forge('job-2', 1, event('job-2', 0).hash, {
        transactionId: third!.tx,
        globalPosition: third!.gp,
      });
      const result = await verify();
      expect(result.breaks).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            kind: 'inserted',
            seal: 2,
            streamName: 'job-9',
            streamVersion: 0,
            eventId: newStream.id,
            position: newStream.position,
          }),
          expect.objectContaining({
            kind: 'inserted',
            seal: 3,
            streamName: 'job-2',
            streamVersion: 1,
            eventId: intoJob2.id,
            position: intoJob2.position,
          }),
          expect.objectContaining({ kind: 'inserted', seal: 2, reason: expect.stringContaining('1 inserted') }),
        ]),
      );
      expect(result.unsealed.events).toBe(0);
    });

    it('(f) reports an event forged after the last seal as unsealed: the window the next seal closes', async () => {
      await forge('job-1', 4, event('job-1', 3).hash);
      const result = await verify();
      expect(result.breaks).toEqual([]);
      expect(result.unsealed).toEqual({ events: 1, after: pos('member-1', 1) });
    });

    it('(g) reports a seal changed in its file, and one forged without the key', async () => {
      const path = join(dir, 'seals.jsonl');
      const lines = readFileSync(path, 'utf8').trim().split('\n');
      const second = JSON.parse(lines[1]!) as Seal;
      lines[1] = JSON.stringify({ ...second, events: second.events + 1 });
      const other = generateSealKey(join(dir, 'other-key.pem'));
      const third = JSON.parse(lines[2]!) as Seal;
      const { signature: _unused, keyId: _id, ...body } = { ...third, sequence: 4, events: 99 };
      const forged = signSeal(body, other);
      writeFileSync(path, `${[...lines, JSON.stringify(forged)].join('\n')}\n`);
      const result = await verify();
      expect(result.breaks).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            kind: 'seal',
            seal: 2,
            reason: expect.stringContaining('signature does not match'),
          }),
          expect.objectContaining({ kind: 'seal', seal: 3, reason: expect.stringContaining('does not chain') }),
          expect.objectContaining({ kind: 'seal', seal: 4, reason: expect.stringContaining('signed by another key') }),
        ]),
      );
      // The events themselves still check against the seals that do.
      expect(result.breaks.filter((b) => b.kind !== 'seal')).toEqual([]);
    });

    it('the CLI prints every break and exits 1, and 0 on an intact log', async () => {
      const publicKey = join(dir, 'seal-public.pem');
      writeFileSync(publicKey, key.publicKeyPem);
      const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
      const cli = (...args: string[]) =>
        spawnSync(
          process.execPath,
          [
            '--import',
            join(packageRoot, '..', 'bus', 'test', 'support', 'register-ts.mjs'),
            join(packageRoot, 'src', 'cli.ts'),
            ...args,
          ],
          { env: { ...process.env, EVENTSTORE_URL: url }, encoding: 'utf8', timeout: 90_000 },
        );
      const args = ['verify', '--seals', join(dir, 'seals.jsonl'), '--public-key', publicKey, '--workers', '1'];
      const intact = cli(...args);
      expect(intact.stderr).toBe('');
      expect(intact.status).toBe(0);
      expect(intact.stdout).toMatch(/7 events in 3 streams after 0\/0, 3 seals checked, in [\d.]+ s: intact/);
      expect(intact.stdout).toContain(`unsealed: 0 events after ${pos('member-1', 1)}`);
      await asWriter(() => admin.query(`DELETE FROM eventstore.events WHERE event_id = $1`, [event('job-1', 1).id]));
      const broken = cli(...args);
      expect(broken.status).toBe(1);
      expect(broken.stdout).toContain('BROKEN (');
      expect(broken.stdout).toContain(`MISSING job-1@1, position ${pos('job-1', 2)}:`);
      expect(broken.stdout).toContain(
        `MISSING job-1@1, position ${pos('job-1', 1)}, event ${event('job-1', 1).id}, seal #1:`,
      );
      expect(cli('verify', '--from', '1').status).toBe(64);
    }, 240_000);
  },
);
