/**
 * The proof that a subscriber never misses an event when transactions commit out of order
 * (DESIGN §2). Writers hold their append transactions open for random times, some roll back,
 * while a durable subscription reads the log; it must see every committed event exactly once,
 * in an order consistent with every stream.
 */
import pg from 'pg';
import { categoryOf, comparePositions, START, type EventStore, type RecordedEvent } from '@workshare/eventsourcing';
import { openEventStore } from '../src/open.js';
import { encodeAppendBatch } from '../src/sql-event-store.js';
import { appendOneSql } from '../src/schema.js';
import { prepareEvents } from '../src/validation.js';
import { withPostgres } from './postgres.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

withPostgres('PostgreSQL concurrency proof', (url, schema) => {
  let store: EventStore;
  let pool: pg.Pool;

  beforeAll(async () => {
    store = await openEventStore(await url(), { schema });
    pool = new pg.Pool({ connectionString: await url(), max: 20 });
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
  });

  /**
   * One append in a transaction the test controls, through the same SQL the store uses (the
   * single-event statement or the batch function), committed or rolled back after `holdMs`.
   * Like the store, a lost race for a stream version (unique violation) is retried afresh.
   */
  const appendHeldOpen = async (stream: string, count: number, holdMs: number, commit: boolean): Promise<string[]> => {
    const prepared = prepareEvents(
      stream,
      Array.from({ length: count }, (_, i) => ({ type: 'Worked', data: { i } })),
    );
    for (;;) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        if (count === 1) {
          const e = prepared[0]!;
          await client.query(appendOneSql(schema), [
            stream,
            'any',
            null,
            e.id,
            e.type,
            e.schemaVersion,
            e.dataJson,
            e.metadataJson,
            e.occurredAt.toISOString(),
            e.digest,
          ]);
        } else {
          await client.query(`SELECT * FROM ${schema}.append_events($1, 'any', NULL, $2::jsonb)`, [
            stream,
            encodeAppendBatch(prepared),
          ]);
        }
        await sleep(holdMs);
        await client.query(commit ? 'COMMIT' : 'ROLLBACK');
        return commit ? prepared.map((e) => e.id) : [];
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        if ((error as { code?: string }).code !== '23505') throw error;
      } finally {
        client.release();
      }
    }
  };

  it('16 writers committing out of order with random delays: the subscriber sees every committed event exactly once, in stream order', async () => {
    const streams = Array.from({ length: 6 }, (_, i) => `task-race${i}`);
    const seen: RecordedEvent[] = [];
    const subscription = store.subscribe({
      subscriptionId: 'concurrency-proof',
      handle: (e) => void seen.push(e),
      batchSize: 7,
      pollIntervalMs: 1,
    });

    const writer = async (w: number): Promise<string[]> => {
      const committed: string[] = [];
      for (let round = 0; round < 30; round++) {
        const stream = Math.random() < 0.5 ? streams[(w + round) % streams.length]! : `member-w${w}`;
        const rollback = Math.random() < 0.1;
        committed.push(
          ...(await appendHeldOpen(stream, 1 + Math.floor(Math.random() * 3), Math.random() * 25, !rollback)),
        );
      }
      return committed;
    };
    const committed = (await Promise.all(Array.from({ length: 16 }, (_, w) => writer(w)))).flat();
    await subscription.caughtUp();
    await subscription.stop();

    expect(committed.length).toBeGreaterThan(500);
    const ids = seen.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length); // exactly once
    expect(new Set(ids)).toEqual(new Set(committed)); // every committed event, no rolled-back one
    for (let i = 1; i < seen.length; i++)
      expect(comparePositions(seen[i - 1]!.position, seen[i]!.position)).toBeLessThan(0);
    const byStream = new Map<string, number[]>();
    for (const e of seen) byStream.set(e.streamName, [...(byStream.get(e.streamName) ?? []), e.streamVersion]);
    for (const [, versions] of byStream) expect(versions).toEqual(versions.map((_, i) => i)); // in order, no gap
  });

  it('16 writers to 8 categories committing out of order: filtered subscriptions and a filtered reader see every committed event of their categories exactly once, in stream order', async () => {
    const categories = Array.from({ length: 8 }, (_, i) => `cat${i}`);
    const chosen = { pair: ['cat1', 'cat5'], one: ['cat7'] } as const;
    const seen: Record<'pair' | 'one' | 'reader', RecordedEvent[]> = { pair: [], one: [], reader: [] };
    const pair = store.subscribe({
      subscriptionId: 'by-category-pair',
      handle: (e) => void seen.pair.push(e),
      categories: chosen.pair,
      batchSize: 5,
      pollIntervalMs: 1,
    });
    const one = store.subscribe({
      subscriptionId: 'by-category-one',
      handle: (e) => void seen.one.push(e),
      categories: chosen.one,
      batchSize: 3,
      pollIntervalMs: 1,
    });
    let readerStop = false;
    const reader = (async () => {
      let after = START;
      while (!readerStop) {
        const page = await store.readAll({ after, limit: 4, categories: chosen.pair });
        seen.reader.push(...page);
        if (page.length > 0) after = page[page.length - 1]!.position;
        else await sleep(1);
      }
    })();

    const writer = async (w: number): Promise<{ stream: string; ids: string[] }[]> => {
      const committed: { stream: string; ids: string[] }[] = [];
      for (let round = 0; round < 30; round++) {
        const category = categories[Math.floor(Math.random() * categories.length)]!;
        const stream = `${category}-${Math.random() < 0.5 ? 'shared' : `w${w}`}`;
        const ids = await appendHeldOpen(
          stream,
          1 + Math.floor(Math.random() * 3),
          Math.random() * 25,
          Math.random() >= 0.1,
        );
        committed.push({ stream, ids });
      }
      return committed;
    };
    const committed = (await Promise.all(Array.from({ length: 16 }, (_, w) => writer(w)))).flat();
    await pair.caughtUp();
    await one.caughtUp();
    const head = await store.headPosition();
    await pair.stop();
    await one.stop();
    // The reader has read everything of its categories once it reads nothing more after the head.
    for (;;) {
      const rest = await store.readAll({ after: seen.reader.at(-1)?.position ?? START, categories: chosen.pair });
      if (rest.length === 0) break;
      await sleep(5);
    }
    readerStop = true;
    await reader;

    const committedOf = (names: readonly string[]) =>
      new Set(committed.filter((c) => names.includes(categoryOf(c.stream))).flatMap((c) => c.ids));
    expect(committedOf(chosen.one).size).toBeGreaterThan(0);
    for (const [name, names] of [
      ['pair', chosen.pair],
      ['one', chosen.one],
      ['reader', chosen.pair],
    ] as const) {
      const events = seen[name];
      const ids = events.map((e) => e.id);
      expect({ name, repeated: ids.length - new Set(ids).size }).toEqual({ name, repeated: 0 });
      expect(new Set(ids)).toEqual(committedOf(names));
      for (let i = 1; i < events.length; i++)
        expect(comparePositions(events[i - 1]!.position, events[i]!.position)).toBeLessThan(0);
      const byStream = new Map<string, number[]>();
      for (const e of events) byStream.set(e.streamName, [...(byStream.get(e.streamName) ?? []), e.streamVersion]);
      for (const [stream, versions] of byStream)
        expect({ stream, versions }).toEqual({ stream, versions: versions.map((_, i) => i) });
    }
    // Their checkpoints moved past the other categories' events, to the head.
    for (const id of ['by-category-pair', 'by-category-one'])
      expect(comparePositions((await store.readCheckpoint(id))!, head)).toBeGreaterThanOrEqual(0);
  });

  it('an append held open in one category holds a filtered subscription back, while later events of other categories commit', async () => {
    const seen: RecordedEvent[] = [];
    const subscription = store.subscribe({
      subscriptionId: 'held-category',
      handle: (e) => void seen.push(e),
      categories: ['heldcat'],
      pollIntervalMs: 1,
    });
    await subscription.caughtUp();
    const held = appendHeldOpen('heldcat-1', 2, 300, true);
    await sleep(50); // the held append has written and is still open
    const others: string[] = [];
    for (let i = 0; i < 5; i++)
      others.push((await store.append(`othercat-${i}`, [{ type: 'Other', data: { i } }])).events[0]!.id);
    await sleep(100); // the subscription polls meanwhile: nothing to deliver, and it must not move past the held append
    expect(seen).toEqual([]);
    const heldIds = await held;
    await subscription.caughtUp();
    await subscription.stop();
    expect(seen.map((e) => e.id)).toEqual(heldIds);
  });

  it('an earlier transaction committing last is not skipped (where reading by sequence number alone would skip it)', async () => {
    const head = await store.headPosition();
    const slow = await pool.connect();
    try {
      await slow.query('BEGIN');
      const slowEvents = prepareEvents('task-slow', [
        { type: 'Slow', data: {} },
        { type: 'Slower', data: {} },
      ]);
      const [slowRow] = (
        await slow.query(`SELECT * FROM ${schema}.append_events('task-slow', 'any', NULL, $1::jsonb)`, [
          encodeAppendBatch(slowEvents),
        ])
      ).rows as { global_positions: string[] }[];
      const fast = await store.append('task-fast', [{ type: 'Fast', data: {} }]);
      // The later sequence number is committed and the earlier one is not yet.
      expect(BigInt(slowRow!.global_positions[0]!)).toBeLessThan(fast.position.prepare);

      // A naive reader, ordering by sequence number, sees the fast event and moves past the slow one.
      const naive = await pool.query(
        `SELECT global_position FROM ${schema}.events WHERE global_position > $1 ORDER BY global_position`,
        [head.prepare.toString()],
      );
      expect(naive.rows.map((r: { global_position: string }) => BigInt(r.global_position))).toEqual([
        fast.position.prepare,
      ]);

      // The store holds the fast event back while the slow transaction is open...
      expect((await store.readAll({ after: head })).map((e) => e.type)).toEqual([]);
      await slow.query('COMMIT');
      // ...and then hands out both, the slow one first (it began writing first).
      expect((await store.readAll({ after: head })).map((e) => e.type)).toEqual(['Slow', 'Slower', 'Fast']);
    } finally {
      slow.release();
    }
  });

  it('a transaction that does not append, held open, does not hold global reads back', async () => {
    const other = await pool.connect();
    try {
      // A long write elsewhere on the server (a report, another database's migration): it has a
      // transaction id older than the append below, and stays open across the reads.
      await other.query('BEGIN');
      await other.query('CREATE TEMPORARY TABLE report_draft (line text) ON COMMIT DROP');
      await other.query(`INSERT INTO report_draft VALUES ('open')`);
      const head = await store.headPosition();
      const appended = await store.append('task-beside-a-report', [{ type: 'Worked', data: {} }]);
      expect((await store.readAll({ after: head })).map((e) => e.id)).toEqual([appended.events[0]!.id]);
      expect(await store.headPosition()).toEqual(appended.position);
      await other.query('COMMIT');
    } finally {
      other.release();
    }
  });

  it('an append in a transaction held open holds global reads back, the head included, until it ends', async () => {
    const head = await store.headPosition();
    const slow = await pool.connect();
    try {
      await slow.query('BEGIN');
      const [e] = prepareEvents('task-held', [{ type: 'Held', data: {} }]);
      await slow.query(appendOneSql(schema), [
        'task-held',
        'any',
        null,
        e!.id,
        e!.type,
        e!.schemaVersion,
        e!.dataJson,
        e!.metadataJson,
        e!.occurredAt.toISOString(),
        e!.digest,
      ]);
      await store.append('task-after-held', [{ type: 'After', data: {} }]);
      expect(await store.readAll({ after: head })).toEqual([]);
      expect(await store.headPosition()).toEqual(head);
      await slow.query('ROLLBACK');
      expect((await store.readAll({ after: head })).map((x) => x.type)).toEqual(['After']);
    } finally {
      slow.release();
    }
  });

  it('an append in a transaction that already has an id is refused, single event or batch, and stores nothing', async () => {
    const client = await pool.connect();
    try {
      for (const count of [1, 3]) {
        await client.query('BEGIN');
        await client.query('SELECT pg_current_xact_id()'); // the transaction has an id before the append
        const prepared = prepareEvents(
          'task-late-lock',
          Array.from({ length: count }, (_, i) => ({ type: 'Late', data: { i } })),
        );
        if (count === 1) {
          const e = prepared[0]!;
          const { rows } = await client.query(appendOneSql(schema), [
            'task-late-lock',
            'any',
            null,
            e.id,
            e.type,
            e.schemaVersion,
            e.dataJson,
            e.metadataJson,
            e.occurredAt.toISOString(),
            e.digest,
          ]);
          expect(rows).toEqual([expect.objectContaining({ refused: null, event_id: null })]);
        } else {
          await expect(
            client.query(`SELECT * FROM ${schema}.append_events('task-late-lock', 'any', NULL, $1::jsonb)`, [
              encodeAppendBatch(prepared),
            ]),
          ).rejects.toMatchObject({ code: 'WS002' });
        }
        await client.query('ROLLBACK');
      }
      expect(await store.readStream('task-late-lock')).toEqual([]);
    } finally {
      client.release();
    }
  });
});
