/**
 * Leases for decisions that read more than the stream they append to. An append checks the
 * version of its own stream only: two writers deciding from the same picture of *other*
 * streams (who is busy when, over every job) both go through. A lease held across such a
 * decision and its appends makes the writers that need the same keys take turns.
 */
export interface KeyedLocks {
  /**
   * Who the leases keep apart: `store`, every process working on the same store (PostgreSQL
   * advisory locks, say); `process`, the callers in this process only (enough where one process
   * alone writes those streams: the embedded store, or one replica).
   */
  readonly reach: 'store' | 'process';
  /**
   * Runs `work` holding the lease of every key (duplicates count once), let go when `work`
   * settles, whatever its outcome. The keys are taken one by one in a fixed order, so that two
   * callers wanting overlapping keys never wait for each other in a circle. Without keys, `work`
   * runs at once. Not reentrant: `work` must not ask for a lease itself.
   *
   * When `work` starts, every append that completed before the lease was granted (by any writer
   * the leases reach) is visible to the store's global reads (`readAll`): a read model caught up
   * by a pass begun inside the lease knows every decision taken under the lease before.
   */
  withLocks<T>(keys: readonly string[], work: () => Promise<T>): Promise<T>;
}

/**
 * Leases within this process: one queue per key, keys taken in sorted order. The leases of a
 * store that no other process writes to (the embedded store), or of a store whose adapter has
 * none of its own (KurrentDB) where the service runs as one replica.
 */
export class InProcessLocks implements KeyedLocks {
  readonly reach = 'process' as const;
  private readonly tails = new Map<string, Promise<void>>();

  async withLocks<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    const releases: (() => void)[] = [];
    try {
      for (const key of sorted) releases.push(await this.acquire(key));
      return await work();
    } finally {
      for (const release of releases.reverse()) release();
    }
  }

  /** How many keys are held or waited for now (a key let go by everyone is forgotten). */
  get size(): number {
    return this.tails.size;
  }

  private async acquire(key: string): Promise<() => void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let letGo!: () => void;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    const tail = previous.then(() => held);
    this.tails.set(key, tail);
    await previous;
    return () => {
      letGo();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }
}
