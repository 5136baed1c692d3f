import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { breathe, DomainError, InProcessLocks } from '@workshare/eventsourcing';
import type { SqlDriver } from './sql-driver.js';

/**
 * PGlite runs each query synchronously, in WebAssembly on this thread: after a query, once the
 * thread has been busy a few milliseconds, the event loop gets a turn (`breathe`), so that a
 * long catch-up or a run of appends lets timers, HTTP and gRPC go on between queries.
 *
 * PGlite takes seconds to boot, and one data folder must not be opened twice: one instance per
 * folder per process, shared by every store opened on it, closed with the last of them. Across
 * processes, a folder is held by a lock file beside it (`<folder>.lock`, the holder's pid): a
 * second process (`npx workshare-store`, `npx workshare read-models` while `npm start` runs) is
 * refused with `eventstore.embedded_in_use` rather than writing to the same files; a lock left by
 * a process that died is taken over.
 */
const instances = new Map<string, { db: Promise<PGlite>; users: number; leases: InProcessLocks }>();

const MEMORY = 'memory';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const lockPathOf = (folder: string): string => `${folder}.lock`;

/** Takes the folder's lock file for this process, or refuses when a live process holds it. */
const lockFolder = (folder: string): void => {
  const path = lockPathOf(folder);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder = Number.NaN;
    try {
      holder = Number(readFileSync(path, 'utf8').trim());
    } catch {
      // removed meanwhile: try again
    }
    if (holder === process.pid) return;
    if (Number.isSafeInteger(holder) && holder > 0 && alive(holder))
      throw new DomainError(
        'eventstore.embedded_in_use',
        `the embedded store in ${folder} is open in process ${holder} (the platform, npm start?): stop it first; ` +
          `if no such process runs Workshare, delete ${path}`,
        'conflict',
      );
    if (attempt >= 2)
      throw new DomainError('eventstore.embedded_in_use', `cannot take the lock file ${path}`, 'conflict');
    rmSync(path, { force: true }); // left by a process that died
  }
};

const unlockFolder = (folder: string): void => {
  const path = lockPathOf(folder);
  try {
    if (Number(readFileSync(path, 'utf8').trim()) === process.pid) rmSync(path, { force: true });
  } catch {
    // gone already
  }
};

export const embeddedDriver = (dataDir: string): SqlDriver => {
  const key = dataDir === MEMORY ? `${MEMORY}:${Math.random()}` : resolve(dataDir);
  let entry = instances.get(key);
  if (!entry) {
    if (dataDir !== MEMORY) {
      mkdirSync(key, { recursive: true });
      lockFolder(key);
    }
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
        try {
          await (await shared.db).close();
        } finally {
          if (dataDir !== MEMORY) unlockFolder(key);
        }
      }
    },
  };
};
