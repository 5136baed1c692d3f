import { postgresDriver } from './pg-driver.js';
import { assertSchemaName } from './schema.js';

/**
 * Drops stores kept in PostgreSQL schemas (their events and checkpoints, their services'
 * projections, everything), for
 * tests and benches that work in schemas of their own. Names are checked as the store checks
 * them: plain lower-case identifiers.
 */
export const dropPostgresSchemas = async (url: string, schemas: readonly string[]): Promise<void> => {
  const names = schemas.map(assertSchemaName);
  const driver = postgresDriver({ connectionString: url, maxConnections: 1 });
  try {
    for (const schema of names) {
      // With the store, its services' projections (`<schema>_<service>`, see projectionSchemaOf).
      const projections = await driver.query<{ nspname: string }>(
        `SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)`,
        [`${schema}_`],
      );
      for (const { nspname } of projections)
        await driver.query(`DROP SCHEMA IF EXISTS ${assertSchemaName(nspname)} CASCADE`);
      await driver.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    }
  } finally {
    await driver.close();
  }
};

/** A schema name no other run uses: `<prefix>_<label>_<pid>_<time>`. */
export const uniqueSchemaName = (prefix: string, label: string): string =>
  assertSchemaName(`${prefix}_${label}_${process.pid}_${Date.now().toString(36)}`);

/** `url` naming another database of the same server (`postgres://host/test` → `postgres://host/<database>`). */
export const postgresDatabaseUrl = (url: string, database: string): string => {
  const parsed = new URL(url);
  parsed.pathname = `/${assertSchemaName(database)}`;
  return parsed.toString();
};

const onServer = async (url: string, sql: string): Promise<void> => {
  const driver = postgresDriver({ connectionString: url, maxConnections: 1 });
  try {
    await driver.query(sql);
  } finally {
    await driver.close();
  }
};

/**
 * A database of its own on the server of `url`, for tests and benches that run whole processes
 * (whose stores use the default schema): created afresh (one a former run left is dropped
 * first); answers its URL. Drop it with dropPostgresDatabase.
 */
export const createPostgresDatabase = async (url: string, database: string): Promise<string> => {
  await dropPostgresDatabase(url, database);
  await onServer(url, `CREATE DATABASE ${assertSchemaName(database)}`);
  return postgresDatabaseUrl(url, database);
};

/** Drops a database made by createPostgresDatabase, closing the connections still open to it. */
export const dropPostgresDatabase = (url: string, database: string): Promise<void> =>
  onServer(url, `DROP DATABASE IF EXISTS ${assertSchemaName(database)} WITH (FORCE)`);
