import pg from 'pg';
import type { SqlDriver } from './sql-driver.js';

export interface PostgresDriverOptions {
  connectionString: string;
  /** Pool size (default 10). */
  maxConnections?: number;
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
    close: () => pool.end(),
  };
};
