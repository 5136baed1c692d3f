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
