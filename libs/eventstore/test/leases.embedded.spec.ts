/**
 * The embedded store's leases: one process opens a folder, so its leases live in that process,
 * shared by every store opened on the folder (they keep those stores apart as PostgreSQL's keep
 * processes apart); another folder's stores have leases of their own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore } from '@workshare/eventsourcing';
import { openEventStore } from '../src/open.js';

const settledWithin = async <T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> => {
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

describe('the embedded store’s leases', () => {
  const dirs: string[] = [];
  const stores: EventStore[] = [];
  const open = async (dir: string) => {
    const store = await openEventStore(`embedded:${dir}`);
    stores.push(store);
    return store;
  };
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'workshare-leases-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    for (const store of stores) await store.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('keep apart every store on one folder, and not a store of another database', async () => {
    const dir = folder();
    const a = await open(dir);
    const b = await open(dir);
    const elsewhere = await open('memory');
    expect(a.locks?.reach).toBe('store');

    let release!: () => void;
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const held = a.locks!.withLocks(['region-a'], async () => {
      entered();
      await new Promise<void>((resolve) => (release = resolve));
      return 'a';
    });
    await inside;
    const waiting = b.locks!.withLocks(['region-b', 'region-a'], async () => 'b');
    expect(await settledWithin(waiting, 200)).toBe('pending');
    await expect(
      settledWithin(
        elsewhere.locks!.withLocks(['region-a'], async () => 'elsewhere'),
        1_000,
      ),
    ).resolves.toBe('elsewhere');
    release();
    await expect(held).resolves.toBe('a');
    await expect(waiting).resolves.toBe('b');
  });

  it('let appends and reads go on inside a lease (the one connection is not held)', async () => {
    const [store] = stores;
    if (store === undefined) throw new Error('the first test opens the stores');
    const events = await store.locks!.withLocks(['region-a'], async () => {
      await store.append('leased-1', [{ type: 'Appended', data: {} }]);
      return store.readAll({ categories: ['leased'] });
    });
    expect(events.map((e) => e.type)).toEqual(['Appended']);
  });
});
