import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { breathe, InProcessLocks } from '@workshare/eventsourcing';
import type { SqlDriver } from './sql-driver.js';

/**
 * PGlite runs each query synchronously, in WebAssembly on this thread: after a query, once the
 * thread has been busy a few milliseconds, the event loop gets a turn (`breathe`), so that a
 * long catch-up or a run of appends lets timers, HTTP and gRPC go on between queries.
 *
 * PGlite takes seconds to boot, and one data folder must not be opened twice: one instance per
 * folder per process, shared by every store opened on it, closed with the last of them.
 */
const instances = new Map<string, { db: Promise<PGlite>; users: number; leases: InProcessLocks }>();

const MEMORY = 'memory';

export const embeddedDriver = (dataDir: string): SqlDriver => {
  const key = dataDir === MEMORY ? `${MEMORY}:${Math.random()}` : resolve(dataDir);
  let entry = instances.get(key);
  if (!entry) {
    if (dataDir !== MEMORY) mkdirSync(key, { recursive: true });
    entry = { db: PGlite.create(dataDir === MEMORY ? undefined : key), users: 0, leases: new InProcessLocks() };
    instances.set(key, entry);
  }
  entry.users++;
  const shared = entry;
  let closed = false;
  return {
    kind: 'embedded',
    async query<Row>(sql: string, params?: readonly unknown[]) {
      const db = await shared.db;
      const result = await db.query<Row>(sql, params as unknown[] | undefined);
      await breathe();
      return result.rows;
    },
    async transaction(work) {
      const db = await shared.db;
      return db.transaction(async (tx) =>
        work(async <Row>(sql: string, params?: readonly unknown[]) => {
          const result = await tx.query<Row>(sql, params as unknown[] | undefined);
          await breathe();
          return result.rows;
        }),
      );
    },
    // One process opens the folder: leases in process, shared by every driver on it, reach every writer.
    lease: (ids, work) => shared.leases.withLocks(ids.map(String), work),
    async close() {
      if (closed) return;
      closed = true;
      shared.users--;
      if (shared.users === 0) {
        instances.delete(key);
        await (await shared.db).close();
      }
    },
  };
};
