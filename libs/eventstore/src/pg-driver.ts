import pg from 'pg';
import { InProcessLocks } from '@workshare/eventsourcing';
import { LEASE_LOCK_KEY } from './schema.js';
import type { SqlDriver } from './sql-driver.js';

export interface PostgresDriverOptions {
  connectionString: string;
  /** Pool size (default 10). */
  maxConnections?: number;
  /** Connections for leases (`lease`), apart from the pool's, opened when first needed (default 4). */
  maxLeaseConnections?: number;
}

/** The connection holding a lease was lost before the lease's work ended: another process may have taken it meanwhile. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  constructor(cause: unknown) {
    super(`the lease's connection failed before its work ended (${(cause as Error)?.message ?? String(cause)})`, {
      cause,
    });
  }
}

/** pg refuses one name for two texts on a connection: make the name follow the text. */
const names = new Map<string, string>();
const statementName = (name: string, sql: string): string => {
  let full = names.get(sql);
  if (!full) {
    full = `ws-${name}-${names.size}`;
    names.set(sql, full);
  }
  return full;
};

export const postgresDriver = (options: PostgresDriverOptions): SqlDriver => {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    application_name: 'workshare-eventstore',
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const local = new InProcessLocks();
  let leases: pg.Pool | undefined;
  const leasePool = (): pg.Pool => {
    if (leases === undefined) {
      leases = new pg.Pool({
        connectionString: options.connectionString,
        max: options.maxLeaseConnections ?? 4,
        application_name: 'workshare-eventstore-lease',
      });
      leases.on('error', () => undefined);
    }
    return leases;
  };
  return {
    kind: 'postgres',
    async query<Row>(sql: string, params?: readonly unknown[], name?: string) {
      const values = params as unknown[] | undefined;
      const result = name
        ? await pool.query({ name: statementName(name, sql), text: sql, values })
        : await pool.query(sql, values);
      return result.rows as Row[];
    },
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(async <Row>(sql: string, params?: readonly unknown[]) => {
          const r = await client.query(sql, params as unknown[] | undefined);
          return r.rows as Row[];
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async lease(ids, work) {
      if (ids.length === 0) return work();
      const sorted = [...new Set(ids)].sort((a, b) => a - b);
      // One queue per id in this process first: a waiter holds no connection until its turn here.
      return local.withLocks(sorted.map(String), async () => {
        const client = await leasePool().connect();
        let broken: Error | undefined;
        let open = true;
        // The connection may fail while the work runs (the server gone): noted, never thrown at the process.
        const onError = (failure: Error) => (broken ??= failure);
        client.on('error', onError);
        try {
          await client.query('BEGIN');
          for (const id of sorted)
            await client.query('SELECT pg_advisory_xact_lock($1::int, $2::int)', [LEASE_LOCK_KEY, id]);
          const result = await work();
          open = false;
          try {
            await client.query('COMMIT');
          } catch (failure) {
            broken = failure instanceof Error ? failure : new Error(String(failure));
            throw new LeaseLostError(failure);
          }
          return result;
        } catch (error) {
          if (open)
            await client.query('ROLLBACK').catch((failure: unknown) => {
              broken = failure instanceof Error ? failure : new Error(String(failure));
            });
          throw error;
        } finally {
          client.removeListener('error', onError);
          // A connection that failed is not given back to the pool: it goes, and its locks with it.
          client.release(broken);
        }
      });
    },
    close: async () => {
      await pool.end();
      if (leases !== undefined) await leases.end();
    },
  };
};
