import {
  parsePosition,
  ValidationError,
  type JsonValue,
  type ProjectionCheckpoint,
  type ProjectionCommit,
  type ProjectionDocument,
  type ProjectionStore,
} from '@workshare/eventsourcing';
import { embeddedDriver } from './pglite-driver.js';
import { postgresDriver } from './pg-driver.js';
import { assertSchemaName } from './schema.js';
import type { SqlDriver } from './sql-driver.js';

/**
 * Durable read models' state in PostgreSQL or the embedded store, in a service's own schema:
 * `projection_checkpoints` (one row per projection: position, generation, code version) and
 * `projection_documents` (its documents, by collection and key, each with its version). A
 * commit writes the documents and moves the checkpoint in one transaction, under the row lock of
 * the checkpoint, refusing a commit of an older generation.
 */
interface CheckpointRow {
  name: string;
  commit_position: string | null;
  prepare_position: string | null;
  generation: number;
  code_version: number;
  updated_at_ms: number | null;
}

interface DocumentRow {
  collection: string;
  key: string;
  version: string | number;
  doc: JsonValue;
}

const MIGRATIONS: readonly { version: number; sql: (schema: string) => string[] }[] = [
  {
    version: 1,
    sql: (s) => [
      `CREATE TABLE IF NOT EXISTS ${s}.projection_checkpoints (
        name text PRIMARY KEY,
        commit_position numeric(20, 0),
        prepare_position numeric(20, 0),
        generation integer NOT NULL DEFAULT 1,
        code_version integer NOT NULL,
        updated_at timestamptz)`,
      `CREATE TABLE IF NOT EXISTS ${s}.projection_documents (
        projection text NOT NULL,
        collection text NOT NULL,
        key text NOT NULL,
        version bigint NOT NULL,
        doc jsonb NOT NULL,
        PRIMARY KEY (projection, collection, key))`,
    ],
  },
];

/** At most this many documents per INSERT statement (the parameters of one statement are limited). */
const DOCUMENTS_PER_STATEMENT = 1_000;

const checkpointOf = (row: CheckpointRow): ProjectionCheckpoint => ({
  position:
    row.commit_position === null || row.prepare_position === null
      ? undefined
      : parsePosition(`${row.commit_position}/${row.prepare_position}`),
  generation: Number(row.generation),
  codeVersion: Number(row.code_version),
  updatedAt: row.updated_at_ms === null ? undefined : new Date(Number(row.updated_at_ms)),
});

const CHECKPOINT_COLUMNS = `name, commit_position::text AS commit_position, prepare_position::text AS prepare_position,
  generation, code_version, floor(extract(epoch FROM updated_at) * 1000)::float8 AS updated_at_ms`;

export class SqlProjectionStore implements ProjectionStore {
  readonly kind: string;

  private constructor(
    private readonly db: SqlDriver,
    private readonly s: string,
    private readonly ownsDriver: boolean,
  ) {
    this.kind = db.kind;
  }

  /** The database and schema of these projections, for query tables kept beside them (sql-table-projection.ts). */
  get sql(): { readonly driver: SqlDriver; readonly schema: string } {
    return { driver: this.db, schema: this.s };
  }

  /**
   * Opens the projections of one schema on a driver (creating the tables when missing).
   * `ownsDriver`: close the driver with the store (false when it is shared with an event store).
   */
  static async open(db: SqlDriver, schema: string, ownsDriver: boolean): Promise<SqlProjectionStore> {
    const s = assertSchemaName(schema);
    await db.transaction(async (query) => {
      await query(`SELECT pg_advisory_xact_lock(4246, hashtext($1))`, [s]); // apart from the store's locks (4242-4244)
      await query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
      await query(`CREATE TABLE IF NOT EXISTS ${s}.projection_migrations (
        version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
      const applied = new Set(
        (await query<{ version: number }>(`SELECT version FROM ${s}.projection_migrations`)).map((r) => r.version),
      );
      for (const migration of MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        for (const statement of migration.sql(s)) await query(statement);
        await query(`INSERT INTO ${s}.projection_migrations (version) VALUES ($1)`, [migration.version]);
      }
    });
    return new SqlProjectionStore(db, s, ownsDriver);
  }

  async load(
    projection: string,
    codeVersion: number,
  ): Promise<{ checkpoint: ProjectionCheckpoint; documents: ProjectionDocument[] }> {
    return this.db.transaction(async (query) => {
      await query(
        `INSERT INTO ${this.s}.projection_checkpoints (name, code_version) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
        [projection, codeVersion],
      );
      const [row] = await query<CheckpointRow>(
        `SELECT ${CHECKPOINT_COLUMNS} FROM ${this.s}.projection_checkpoints WHERE name = $1`,
        [projection],
      );
      const rows = await query<DocumentRow>(
        `SELECT collection, key, version, doc FROM ${this.s}.projection_documents WHERE projection = $1`,
        [projection],
      );
      return {
        checkpoint: checkpointOf(row!),
        documents: rows.map((r) => ({ collection: r.collection, key: r.key, version: Number(r.version), doc: r.doc })),
      };
    });
  }

  async commit(projection: string, commit: ProjectionCommit): Promise<'committed' | 'stale'> {
    return this.db.transaction(async (query) => {
      const [row] = await query<{ generation: number }>(
        `SELECT generation FROM ${this.s}.projection_checkpoints WHERE name = $1 FOR UPDATE`,
        [projection],
      );
      if (row === undefined || Number(row.generation) !== commit.generation) return 'stale';
      for (let i = 0; i < commit.documents.length; i += DOCUMENTS_PER_STATEMENT) {
        const slice = commit.documents.slice(i, i + DOCUMENTS_PER_STATEMENT);
        await query(
          `INSERT INTO ${this.s}.projection_documents AS d (projection, collection, key, version, doc)
           SELECT $1, c, k, v, j FROM unnest($2::text[], $3::text[], $4::bigint[], $5::jsonb[]) AS t(c, k, v, j)
           ON CONFLICT (projection, collection, key) DO UPDATE SET version = excluded.version, doc = excluded.doc
           WHERE d.version <= excluded.version`,
          [
            projection,
            slice.map((d) => d.collection),
            slice.map((d) => d.key),
            slice.map((d) => d.version),
            slice.map((d) => JSON.stringify(d.doc)),
          ],
        );
      }
      if (commit.position !== undefined) {
        await query(
          `UPDATE ${this.s}.projection_checkpoints
              SET commit_position = $2::numeric, prepare_position = $3::numeric, updated_at = now()
            WHERE name = $1 AND (commit_position IS NULL
               OR (commit_position, prepare_position) < ($2::numeric, $3::numeric))`,
          [projection, commit.position.commit.toString(), commit.position.prepare.toString()],
        );
      }
      return 'committed';
    });
  }

  async reset(projection: string, codeVersion: number): Promise<ProjectionCheckpoint> {
    return this.db.transaction(async (query) => {
      await query(`DELETE FROM ${this.s}.projection_documents WHERE projection = $1`, [projection]);
      const [row] = await query<CheckpointRow>(
        `INSERT INTO ${this.s}.projection_checkpoints (name, code_version, updated_at) VALUES ($1, $2, now())
         ON CONFLICT (name) DO UPDATE SET commit_position = NULL, prepare_position = NULL, code_version = $2,
           generation = ${this.s}.projection_checkpoints.generation + 1, updated_at = now()
         RETURNING ${CHECKPOINT_COLUMNS}`,
        [projection, codeVersion],
      );
      return checkpointOf(row!);
    });
  }

  async checkpoints(): Promise<Map<string, ProjectionCheckpoint>> {
    const rows = await this.db.query<CheckpointRow>(
      `SELECT ${CHECKPOINT_COLUMNS} FROM ${this.s}.projection_checkpoints ORDER BY name`,
    );
    return new Map(rows.map((row) => [row.name, checkpointOf(row)]));
  }

  async close(): Promise<void> {
    if (this.ownsDriver) await this.db.close();
  }
}

/**
 * The schema a service's read models live in: the service's name (`job-intake` → `job_intake`)
 * beside the store's default schema, or `<store schema>_<service>` beside a store of another
 * schema (tests and benches keep stores in schemas of their own, each with its projections).
 */
export const projectionSchemaOf = (storeSchema: string, service: string): string => {
  const name = service.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  return assertSchemaName(storeSchema === 'eventstore' ? name : `${storeSchema}_${name}`);
};

/**
 * The projection store of a service's read models: at PROJECTIONS_URL (`url`) when set, else on
 * the event store's own database (a SQL store: PostgreSQL or embedded). With KurrentDB as the
 * event store, `url` is needed (ValidationError `projections.store_required`).
 */
export const openServiceProjections = async (
  store: object,
  service: string,
  url?: string | undefined,
): Promise<ProjectionStore> => {
  if (url !== undefined && url.trim() !== '')
    return openProjectionStore({ schema: projectionSchemaOf('eventstore', service), url });
  const own = (store as { projectionStore?: (service: string) => Promise<ProjectionStore> }).projectionStore;
  if (typeof own === 'function') return own.call(store, service);
  return openProjectionStore({ schema: projectionSchemaOf('eventstore', service) });
};

/**
 * Opens the projection store a service's read models keep their state in, in its `schema`:
 * at `url` (PROJECTIONS_URL: `postgres://...` or `embedded:<dir>`) when given, else on the event
 * store's own database (PostgreSQL or embedded). With KurrentDB as the event store a url is needed.
 */
export const openProjectionStore = async (options: {
  readonly schema: string;
  readonly url?: string | undefined;
  /** The event store's own driver, when it is a SQL store (see SqlEventStore.projectionStore). */
  readonly shared?: SqlDriver | undefined;
  readonly maxConnections?: number;
}): Promise<SqlProjectionStore> => {
  const { url } = options;
  if (url === undefined || url.trim() === '') {
    if (options.shared === undefined)
      throw new ValidationError(
        'projections.store_required',
        'read models keep their state in PostgreSQL or the embedded store: set PROJECTIONS_URL (postgres://... or embedded:<dir>) when the event store is KurrentDB',
      );
    return SqlProjectionStore.open(options.shared, options.schema, false);
  }
  const scheme = /^([a-z0-9+]+):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql')
    return SqlProjectionStore.open(
      postgresDriver({ connectionString: url, maxConnections: options.maxConnections ?? 4 }),
      options.schema,
      true,
    );
  if (scheme === 'embedded' && url.length > 'embedded:'.length)
    return SqlProjectionStore.open(embeddedDriver(url.slice('embedded:'.length)), options.schema, true);
  throw new ValidationError(
    'projections.invalid_url',
    `PROJECTIONS_URL ${JSON.stringify(url.replace(/\/\/[^@/]*@/, '//***@'))} names no projection store: use postgres://... or embedded:<dir>`,
  );
};
