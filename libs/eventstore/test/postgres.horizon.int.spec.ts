/**
 * The horizon cannot pass a running append, even in the instant when PostgreSQL has given the
 * append's transaction its id (every snapshot sees it running) but has not yet taken the lock on
 * that id (so `pg_locks` shows no `transactionid` row for it). The test freezes one appending
 * backend exactly there, with gdb, lets other appends commit, and reads meanwhile: through the
 * store (readAll, headPosition, a catch-up subscription) and through a reader that uses the
 * horizon as it was before (the `transactionid` rows of `pg_locks` alone), which skips the
 * frozen append for good. That second reader shows that the test reaches the window.
 */
import pg from 'pg';
import { comparePositions, type EventStore, type RecordedEvent } from '@workshare/eventsourcing';
import { CatchUpSubscription } from '../src/catch-up-subscription.js';
import { openEventStore } from '../src/open.js';
import { appendOneSql, APPENDER_LOCK_KEY } from '../src/schema.js';
import { legacyReader } from './legacy-horizon.js';
import { prepareEvents } from '../src/validation.js';
import { freezeAt, isLocalBackend, whyNoFreezing, type Freeze } from './freeze.js';
import { withPostgres } from './postgres.js';

type Seen = Pick<RecordedEvent, 'id' | 'position' | 'streamName' | 'streamVersion'>;

const noFreezing = whyNoFreezing();

withPostgres('PostgreSQL horizon: an append frozen between its transaction id and its lock', (url, schema) => {
  let store: EventStore;
  let pool: pg.Pool;

  beforeAll(async () => {
    store = await openEventStore(await url(), { schema });
    pool = new pg.Pool({ connectionString: await url(), max: 8 });
  });
  afterAll(async () => {
    await store?.close();
    await pool?.end();
  });

  const test = noFreezing && !process.env.CI ? it.skip : it;
  if (noFreezing) console.log(`horizon freeze test ${process.env.CI ? 'fails' : 'skipped'}: ${noFreezing}`);

  test('no reader and no subscription passes it, while a reader with the old horizon skips it for good', async () => {
    if (noFreezing) throw new Error(`this test needs gdb in CI: ${noFreezing}`);
    const frozen = new pg.Client({ connectionString: await url() });
    await frozen.connect();
    const [{ pid }] = (await frozen.query('SELECT pg_backend_pid() AS pid')).rows as [{ pid: number }];
    if (!isLocalBackend(pid)) {
      await frozen.end();
      if (process.env.CI)
        throw new Error(`backend ${pid} is not a process of this machine: the freeze test needs a local server`);
      console.log(`horizon freeze test skipped: backend ${pid} of ${await url()} is not a process of this machine`);
      return;
    }

    const head = await store.headPosition();
    // Subscriptions over the store (one of them to the frozen append's category alone) and over
    // the old horizon, each counting its reads.
    const reads = { store: 0, category: 0, legacy: 0 };
    const counted = <S extends object>(s: S, key: keyof typeof reads): S =>
      new Proxy(s, {
        get: (target, prop, receiver) => {
          const value = Reflect.get(target, prop, receiver) as unknown;
          if ((prop !== 'readAll' && prop !== 'readPage') || typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            reads[key]++;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
    const seenByStore: Seen[] = [];
    const seenByCategory: Seen[] = [];
    const seenByLegacy: Seen[] = [];
    const subscriptionOptions = (id: string, into: Seen[]) => ({
      subscriptionId: id,
      handle: (e: RecordedEvent) => void into.push(e),
      batchSize: 3,
      pollIntervalMs: 2,
    });
    await store.storeCheckpoint('freeze-store', head);
    await store.storeCheckpoint('freeze-category', head);
    const legacy = legacyReader(pool, schema);
    await legacy.storeCheckpoint('freeze-legacy', head);
    const storeSubscription = new CatchUpSubscription(
      counted(store, 'store'),
      subscriptionOptions('freeze-store', seenByStore),
      () => () => undefined,
    );
    const categorySubscription = new CatchUpSubscription(
      counted(store, 'category'),
      { ...subscriptionOptions('freeze-category', seenByCategory), categories: ['task'] },
      () => () => undefined,
    );
    const legacySubscription = new CatchUpSubscription(
      counted(legacy, 'legacy'),
      subscriptionOptions('freeze-legacy', seenByLegacy),
      () => () => undefined,
    );

    let freeze: Freeze | undefined;
    let frozenAppend: Promise<unknown> | undefined;
    /** Appends of the frozen connection that went through before one stopped in the window. */
    const before: string[] = [];
    let frozenId = '';
    try {
      freeze = await freezeAt(pid, 'XactLockTableInsert');
      for (let attempt = 0; ; attempt++) {
        // The store's own single-event statement, in its own transaction: it takes the appender
        // lock, reads the stream, then gets its transaction id and stops before locking it.
        const [e] = prepareEvents('task-frozen', [{ type: 'Frozen', data: { attempt } }]);
        frozenId = e!.id;
        frozenAppend = frozen.query(appendOneSql(schema), [
          'task-frozen',
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
        frozenAppend.catch(() => undefined);
        const backtrace = await freeze.stopped();
        // When the identity sequence has to log its next values, the transaction gets its id
        // inside nextval, holding the sequence's page: every other append then waits for it, and
        // there is no window to show. Let that one go and try again (the next values are logged).
        if (!backtrace.includes('nextval_internal')) break;
        if (attempt === 5)
          throw new Error(`the append got its transaction id inside nextval ${attempt + 1} times:\n${backtrace}`);
        freeze.resume();
        await frozenAppend;
        before.push(frozenId);
      }

      // In the window: the frozen backend has its transaction id and the appender lock, and no
      // lock on its transaction id yet.
      const [state] = (
        await pool.query(
          `SELECT a.backend_xid::text AS xid,
                  EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'advisory' AND l.classid = $2) AS appender,
                  EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'transactionid') AS xid_locked
             FROM pg_stat_activity a WHERE a.pid = $1`,
          [pid, APPENDER_LOCK_KEY],
        )
      ).rows as [{ xid: string | null; appender: boolean; xid_locked: boolean }];
      expect(state).toEqual({ xid: expect.stringMatching(/^\d+$/), appender: true, xid_locked: false });

      // Later appends (of another category) commit meanwhile, with larger transaction ids.
      const later: string[] = [];
      for (let i = 0; i < 5; i++)
        later.push((await store.append(`later-${i}`, [{ type: 'Later', data: { i } }])).events[0]!.id);

      // The store holds everything back, the head included.
      expect((await store.readAll({ after: head })).map((x) => x.id)).toEqual(before);
      expect(await store.headPosition()).toEqual(
        before.length === 0 ? head : (await store.readAll({ after: head })).at(-1)!.position,
      );
      // The old horizon hands out the later commits: its readers move past the frozen append.
      expect((await legacy.readAll({ after: head })).map((x) => x.id)).toEqual([...before, ...later]);
      // Both subscriptions poll a few times in the window.
      const polled = { ...reads };
      while (reads.store < polled.store + 3 || reads.category < polled.category + 3 || reads.legacy < polled.legacy + 3)
        await new Promise((resolve) => setTimeout(resolve, 2));
      expect(seenByStore.map((x) => x.id)).toEqual(before);
      // The filtered subscription finds nothing of its category past `before`, and does not move
      // past the frozen append either.
      expect(seenByCategory.map((x) => x.id)).toEqual(before);
      const categoryCheckpoint = (await store.readCheckpoint('freeze-category'))!;
      expect(seenByLegacy.map((x) => x.id)).toEqual([...before, ...later]);

      await freeze.release();
      await frozenAppend;

      // The frozen append is committed, before the later ones in log order.
      const all = await store.readAll({ after: head });
      expect(all.map((x) => x.id)).toEqual([...before, frozenId, ...later]);
      await storeSubscription.caughtUp().catch(() => undefined);
      while (seenByStore.length < all.length) await new Promise((resolve) => setTimeout(resolve, 2));
      expect(seenByStore.map((x) => x.id)).toEqual([...before, frozenId, ...later]);
      for (let i = 1; i < seenByStore.length; i++)
        expect(comparePositions(seenByStore[i - 1]!.position, seenByStore[i]!.position)).toBeLessThan(0);
      // Its checkpoint in the window was below the frozen append, and it gets it now.
      expect(comparePositions(categoryCheckpoint, all[before.length]!.position)).toBeLessThan(0);
      await categorySubscription.caughtUp().catch(() => undefined);
      expect(seenByCategory.map((x) => x.id)).toEqual([...before, frozenId]);
      // The old horizon's subscription never gets it: it is behind its position.
      const pollsAfter = reads.legacy;
      while (reads.legacy < pollsAfter + 3) await new Promise((resolve) => setTimeout(resolve, 2));
      expect(seenByLegacy.map((x) => x.id)).toEqual([...before, ...later]);
      expect(
        comparePositions(all[before.length]!.position, seenByLegacy[seenByLegacy.length - 1]!.position),
      ).toBeLessThan(0);
    } finally {
      await freeze?.release();
      await frozenAppend?.catch(() => undefined);
      await storeSubscription.stop();
      await categorySubscription.stop();
      await legacySubscription.stop();
      await frozen.end();
    }
  });
});
