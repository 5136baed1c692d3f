import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { EventStore } from '@workshare/eventsourcing';
import { embeddedDriver, openEventStore } from '../src/index.js';
import type { BackendKind } from './config.js';

/** Plain SQL, for the baselines: node-pg's Pool.query, or PGlite's query. */
export interface PlainSql {
  query<Row>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

/** The store as services open it: openEventStore on `postgres://…` or `embedded:<dir>`. */
export const openStore = (
  kind: BackendKind,
  location: string,
  schema: string,
  maxConnections?: number,
): Promise<EventStore> =>
  openEventStore(kind === 'postgres' ? location : `embedded:${location}`, {
    schema,
    ...(maxConnections ? { maxConnections } : {}),
  });

const plainPostgres = (connectionString: string, max: number): PlainSql => {
  const pool = new pg.Pool({ connectionString, max, application_name: 'workshare-bench-plain' });
  pool.on('error', () => undefined);
  return {
    async query<Row>(sql: string, params?: readonly unknown[]) {
      const result = await pool.query(sql, params as unknown[] | undefined);
      return result.rows as Row[];
    },
    close: () => pool.end(),
  };
};

/**
 * One database under test: the store (opened on the dedicated schema) and a plain-SQL handle on
 * the same database for the baselines — a separate pg Pool of the same size on PostgreSQL, the
 * same PGlite instance for the embedded store (PGlite is one connection).
 */
export class BenchDatabase {
  private constructor(
    readonly kind: BackendKind,
    /** Connection string (postgres) or data folder (embedded). */
    readonly location: string,
    readonly schema: string,
    private readonly connections: number,
    readonly plain: PlainSql,
    public store: EventStore,
    private readonly temporaryDir: string | undefined,
  ) {}

  static async open(
    kind: BackendKind,
    databaseUrl: string,
    schema: string,
    connections: number,
  ): Promise<BenchDatabase> {
    if (kind === 'postgres') {
      const plain = plainPostgres(databaseUrl, connections);
      await plain.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      const store = await openStore(kind, databaseUrl, schema, connections);
      const db = new BenchDatabase(kind, databaseUrl, schema, connections, plain, store, undefined);
      await db.createPlainTables();
      return db;
    }
    const dir = mkdtempSync(join(tmpdir(), 'workshare-bench-'));
    const dataDir = join(dir, 'pgdata');
    const plain = embeddedDriver(dataDir);
    const store = await openStore(kind, dataDir, schema);
    const db = new BenchDatabase(kind, dataDir, schema, connections, plain, store, dir);
    await db.createPlainTables();
    return db;
  }

  /** An empty log again: drops the schema and recreates it (store tables and plain tables). */
  async reset(): Promise<void> {
    await this.store.close();
    await this.plain.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`);
    this.store = await openStore(this.kind, this.location, this.schema, this.connections);
    await this.createPlainTables();
  }

  /**
   * The baselines' tables. `plain_events`: the columns of an event (uuid, stream, version, type,
   * data, metadata, timestamp) keyed by the uuid, nothing else. `plain_log`: a copy of the
   * store's log with every column the store's global read returns, keyed for keyset paging.
   */
  private async createPlainTables(): Promise<void> {
    await this.plain.query(`CREATE TABLE ${this.schema}.plain_events (
      event_id    uuid        PRIMARY KEY,
      stream      text        NOT NULL,
      version     bigint      NOT NULL,
      type        text        NOT NULL,
      data        jsonb       NOT NULL,
      metadata    jsonb       NOT NULL,
      occurred_at timestamptz NOT NULL)`);
    await this.plain.query(`CREATE TABLE ${this.schema}.plain_log (
      id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      event_id       uuid        NOT NULL,
      stream_name    text        NOT NULL,
      stream_version bigint      NOT NULL,
      type           text        NOT NULL,
      schema_version integer     NOT NULL,
      data           jsonb       NOT NULL,
      metadata       jsonb       NOT NULL,
      occurred_at    timestamptz NOT NULL,
      recorded_at    timestamptz NOT NULL,
      prev_hash      text        NOT NULL,
      hash           text        NOT NULL)`);
  }

  /** Closes the store and the plain handle (the embedded data folder is then free for another process). */
  async release(): Promise<void> {
    await this.store.close();
    await this.plain.close();
  }

  /** Drops what the run wrote: the schema on PostgreSQL, the temporary folder of the embedded store. */
  async dispose(): Promise<void> {
    if (this.kind === 'postgres') {
      const plain = plainPostgres(this.location, 1);
      try {
        await plain.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`);
      } finally {
        await plain.close();
      }
    }
    if (this.temporaryDir) rmSync(this.temporaryDir, { recursive: true, force: true });
  }
}
