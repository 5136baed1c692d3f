/**
 * The SQL store's leases (`store.locks`) on a real PostgreSQL server, between stores that share
 * nothing but the database (each its own pool), as two processes do: one holder of a key at a
 * time; key sets asked for in any order never deadlock; another schema's store has leases of
 * its own; a lease whose connection is cut ends in LeaseLostError and the key goes to the next;
 * and a lease begins only once every append begun before it has ended, so that a read begun
 * inside it sees them.
 */
import pg from 'pg';
import type { EventStore } from '@workshare/eventsourcing';
import { openEventStore } from '../src/open.js';
import { LeaseLostError } from '../src/pg-driver.js';
import { LEASE_LOCK_KEY } from '../src/schema.js';
import { encodeAppendBatch, leaseIdOf } from '../src/sql-event-store.js';
import { prepareEvents } from '../src/validation.js';
import { withPostgres } from './postgres.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What `promise` settled with within `ms`, or 'pending'. */
const within = async <T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<'pending'>((resolve) => {
        timer = setTimeout(() => resolve('pending'), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
};

/** A promise and the function that settles it. */
const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
};

withPostgres('the SQL store’s leases on PostgreSQL', (url, schema) => {
  const otherSchema = `${schema}_other`;
  let a: EventStore;
  let b: EventStore;
  let admin: pg.Pool;

  beforeAll(async () => {
    a = await openEventStore(await url(), { schema, maxConnections: 3 });
    b = await openEventStore(await url(), { schema, maxConnections: 3 });
    admin = new pg.Pool({ connectionString: await url(), max: 3 });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await admin?.query(`DROP SCHEMA IF EXISTS ${otherSchema} CASCADE`);
    await admin?.end();
  });

  /** The backend holding the lease of `key` in `schema`'s store, if any. */
  const holderOf = async (key: string, of = schema): Promise<number | undefined> => {
    const { rows } = await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objid = $2 AND objsubid = 2 AND granted`,
      [LEASE_LOCK_KEY, leaseIdOf(of, key) >>> 0],
    );
    return rows[0]?.pid;
  };

  it('are the store’s, reaching every process', () => {
    expect(a.locks?.reach).toBe('store');
  });

  it('one holder of a key at a time across two stores, in turn, whatever they ask for', async () => {
    const holding = new Map<string, string>();
    let turns = 0;
    const holder = (store: EventStore, name: string, keys: string[]) =>
      store.locks!.withLocks(keys, async () => {
        for (const key of keys) {
          if (holding.has(key)) throw new Error(`${key} held by ${holding.get(key)} and ${name}`);
          holding.set(key, name);
        }
        await sleep(2);
        for (const key of keys) holding.delete(key);
        turns++;
      });
    const sets = [['r1'], ['r1', 'r2'], ['r2', 'r1'], ['r3', 'r2', 'r1'], ['r2'], ['r3']];
    await Promise.all(
      Array.from({ length: 48 }, (_, i) => holder(i % 2 === 0 ? a : b, `${i % 2 === 0 ? 'a' : 'b'}${i}`, sets[i % 6]!)),
    );
    expect(turns).toBe(48);
  });

  it('keeps a second store waiting while a key is held, and hands it over when the work ends', async () => {
    const release = gate();
    const entered = gate();
    const first = a.locks!.withLocks(['region-x'], async () => {
      entered.open();
      await release.opened;
      return 'first';
    });
    await entered.opened;
    expect(await holderOf('region-x')).toBeDefined();
    const second = b.locks!.withLocks(['region-x', 'region-y'], async () => 'second');
    expect(await within(second, 300)).toBe('pending');
    release.open();
    await expect(first).resolves.toBe('first');
    await expect(second).resolves.toBe('second');
    expect(await holderOf('region-x')).toBeUndefined();
  });

  it('lets go of the keys when the work fails', async () => {
    await expect(
      a.locks!.withLocks(['region-z'], async () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    await expect(
      within(
        b.locks!.withLocks(['region-z'], async () => 'next'),
        2_000,
      ),
    ).resolves.toBe('next');
  });

  it('are apart from another schema’s store on the same server', async () => {
    const other = await openEventStore(await url(), { schema: otherSchema, maxConnections: 2 });
    const release = gate();
    const entered = gate();
    try {
      const held = a.locks!.withLocks(['shared-name'], async () => {
        entered.open();
        await release.opened;
      });
      await entered.opened;
      await expect(
        within(
          other.locks!.withLocks(['shared-name'], async () => 'other ran'),
          2_000,
        ),
      ).resolves.toBe('other ran');
      release.open();
      await held;
    } finally {
      await other.close();
    }
  });

  it('refuses keys that are not names', async () => {
    await expect(a.locks!.withLocks([''], async () => undefined)).rejects.toMatchObject({
      code: 'eventstore.invalid_lease_keys',
    });
    await expect(a.locks!.withLocks(['x'.repeat(201)], async () => undefined)).rejects.toMatchObject({
      code: 'eventstore.invalid_lease_keys',
    });
    await expect(a.locks!.withLocks([], async () => 'no key, no lease')).resolves.toBe('no key, no lease');
  });

  it('ends in LeaseLostError when its connection is cut, and the key goes to the next holder', async () => {
    const release = gate();
    const entered = gate();
    const first = a.locks!.withLocks(['region-cut'], async () => {
      entered.open();
      await release.opened;
      return 'done';
    });
    await entered.opened;
    const next = b.locks!.withLocks(['region-cut'], async () => 'next held it');
    expect(await within(next, 200)).toBe('pending');
    const pid = await holderOf('region-cut');
    expect(pid).toBeDefined();
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await expect(within(next, 5_000)).resolves.toBe('next held it');
    release.open();
    await expect(first).rejects.toBeInstanceOf(LeaseLostError);
    // The store goes on: a new connection for the next lease.
    await expect(a.locks!.withLocks(['region-cut'], async () => 'again')).resolves.toBe('again');
  });

  it('begins once every append completed before it is visible, even behind an older append still running', async () => {
    const [older] = prepareEvents('fence-1', [{ type: 'Appended', data: { n: 1 } }]);
    const client = await admin.connect();
    try {
      // An append still running, its transaction id older than the one that completes next.
      await client.query('BEGIN');
      await client.query(`SELECT * FROM ${schema}.append_events($1, 'any', NULL, $2::jsonb)`, [
        'fence-1',
        encodeAppendBatch([older!]),
      ]);
      const completed = await a.append('fence-2', [{ type: 'Appended', data: { n: 2 } }]);
      const completedId = completed.events[0]!.id;
      // A plain read does not see the completed append yet: the older one holds the horizon back.
      expect((await b.readAll({ categories: ['fence'] })).map((e) => e.id)).toEqual([]);
      const seen = b.locks!.withLocks(['region-fence'], async () =>
        (await b.readAll({ categories: ['fence'] })).map((e) => e.id),
      );
      expect(await within(seen, 300)).toBe('pending');
      await client.query('COMMIT');
      await expect(seen).resolves.toEqual(expect.arrayContaining([older!.id, completedId]));
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  });

  it('begins at once when no append runs', async () => {
    const completed = await a.append('fence-3', [{ type: 'Appended', data: { n: 3 } }]);
    const seen = await within(
      b.locks!.withLocks(['region-fence'], async () => (await b.readAll({ categories: ['fence'] })).map((e) => e.id)),
      1_000,
    );
    expect(seen).toEqual(expect.arrayContaining([completed.events[0]!.id]));
  });
});
