import {
  breathe,
  comparePositions,
  LogFollower,
  parsePosition,
  ReadModelRebuilds,
  readsWholeLog,
  START,
  type ColumnSpec,
  type GlobalPosition,
  type LogFollowerOptions,
  type OperatedReadModel,
  type ProjectedEvent,
  type ProjectionDefinition,
  type ProjectionStore,
  type ReadAllOptions,
  type ReadModelSource,
  type ReadModelStatus,
  type RebuildProgress,
  type TableProjection,
  type TableReads,
  type TableRows,
  type TableSpec,
} from '@workshare/eventsourcing';
import { assertSchemaName, horizonSql } from './schema.js';
import type { SqlDriver } from './sql-driver.js';

/**
 * The runner of table projections (TableProjection of @workshare/eventsourcing) over SQL:
 * PostgreSQL, or the embedded store. Its tables live in the service's projection schema (the
 * one its ProjectionStore opened, e.g. `audit`), its checkpoint in that schema's
 * `projection_checkpoints` beside the document read models' (so the read-models CLI lists it).
 *
 * A pass reads the log after the checkpoint a page at a time (a lean read of the events table
 * when the store is SQL: no hash chain, positions and timestamps as numbers; the next page is
 * read while the last is written), and writes each page in one transaction: the projection's
 * rows, each table with one multi-row statement per column set (`unnest` of one array per
 * column, ON CONFLICT on the table's key), then the checkpoint, under the checkpoint's row lock
 * and refused when another rebuild made a new generation meanwhile. A crash anywhere resumes
 * from the last page committed; a page written twice changes nothing (its rows are keyed).
 * A rebuild empties the tables and folds from zero, reporting progress; a new code version
 * (the definition's version) drops and recreates the tables and rebuilds at the first use.
 */

export interface SqlTableProjectionOptions extends LogFollowerOptions {
  /** Events per page, each page one transaction (default 5,000; at most 50,000). */
  readonly pageSize?: number;
  /** Rows per INSERT statement (default 20,000). */
  readonly rowsPerStatement?: number;
}

/** Where a table projection's tables are: a SqlProjectionStore (its `sql` accessor). */
interface SqlHome {
  readonly sql: { readonly driver: SqlDriver; readonly schema: string };
}

const hasSql = (value: unknown): value is SqlHome => {
  const sql = (value as { sql?: unknown } | null)?.sql;
  return typeof sql === 'object' && sql !== null && 'driver' in sql && 'schema' in sql;
};

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const assertIdentifier = (name: string, what: string): string => {
  if (!IDENTIFIER.test(name))
    throw new TypeError(`${what} ${JSON.stringify(name)} is not a plain lower-case identifier`);
  return name;
};

/** The SQL array type of a column's parameter, and how a value is sent and read back. */
const PARAMETER_TYPES: Record<ColumnSpec['type'], { array: string; select: (p: string) => string }> = {
  text: { array: 'text[]', select: (p) => p },
  integer: { array: 'integer[]', select: (p) => p },
  bigint: { array: 'bigint[]', select: (p) => p },
  numeric: { array: 'numeric[]', select: (p) => p },
  boolean: { array: 'boolean[]', select: (p) => p },
  // Milliseconds since the epoch as float8: cheaper to send than text, exact to the millisecond.
  timestamptz: { array: 'float8[]', select: (p) => `to_timestamp(${p} / 1000.0)` },
  jsonb: { array: 'jsonb[]', select: (p) => p },
};

const sendValue = (type: ColumnSpec['type'], value: unknown): unknown => {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'timestamptz':
      if (value instanceof Date) return value.getTime();
      if (typeof value === 'number') return value;
      return new Date(String(value)).getTime();
    case 'jsonb':
      return JSON.stringify(value);
    case 'bigint':
    case 'numeric':
      return typeof value === 'bigint' ? value.toString() : value;
    default:
      return value;
  }
};

interface LeanRow {
  c: string;
  g: string | number;
  event_id: string;
  type: string;
  schema_version: number;
  stream_name: string;
  stream_version: string | number;
  data: ProjectedEvent['data'];
  metadata: ProjectedEvent['metadata'];
  o: number;
  r: number;
}

interface CheckpointRow {
  commit_position: string | null;
  prepare_position: string | null;
  generation: number;
  code_version: number;
}

interface Page {
  /** Where the read began (the checkpoint it follows; undefined: the log's start). */
  readonly after: GlobalPosition | undefined;
  /** The most events it could hold: a page that holds fewer reached the end of the log. */
  readonly limit: number;
  readonly events: readonly ProjectedEvent[];
  readonly end: GlobalPosition | undefined;
}

const positionOf = (row: CheckpointRow): GlobalPosition | undefined =>
  row.commit_position === null || row.prepare_position === null
    ? undefined
    : parsePosition(`${row.commit_position}/${row.prepare_position}`);

/** The SQL statement creating a table of a projection (its primary key included), in `schema`. */
export const tableDdl = (schema: string, table: TableSpec): string => {
  const s = assertSchemaName(schema);
  const name = assertIdentifier(table.name, 'table name');
  const columns = table.columns.map(
    (c) => `${assertIdentifier(c.name, 'column name')} ${c.type}${c.nullable === true ? '' : ' NOT NULL'}`,
  );
  return `CREATE TABLE IF NOT EXISTS ${s}.${name} (${columns.join(', ')}, PRIMARY KEY (${table.key.join(', ')}))`;
};

/** The statements creating a table's secondary indexes (built after a rebuild's bulk load). */
export const indexDdl = (schema: string, table: TableSpec): { name: string; sql: string }[] =>
  (table.indexes ?? []).map((index) => ({
    name: assertIdentifier(index.name, 'index name'),
    sql: `CREATE ${index.unique === true ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${index.name} ON ${assertSchemaName(schema)}.${assertIdentifier(table.name, 'table name')} ${index.on}`,
  }));

/** One INSERT of a table's rows: one array parameter per column, the conflict rule of its spec. */
export const insertSql = (schema: string, table: TableSpec): string => {
  const s = assertSchemaName(schema);
  const columns = table.columns.map((c) => c.name);
  const selected = table.columns.map((c, i) => PARAMETER_TYPES[c.type].select(`u.c${i}`));
  const unnested = table.columns.map((c, i) => `$${i + 1}::${PARAMETER_TYPES[c.type].array}`);
  const conflict = table.onConflict ?? { kind: 'ignore' };
  const onConflict =
    conflict.kind === 'ignore'
      ? 'DO NOTHING'
      : `DO UPDATE SET ${conflict.columns.map((c) => `${c} = excluded.${c}`).join(', ')} WHERE t.${conflict.versionColumn} <= excluded.${conflict.versionColumn}`;
  const insert = `INSERT INTO ${s}.${table.name} AS t (${columns.join(', ')})
  SELECT ${selected.join(', ')} FROM unnest(${unnested.join(', ')}) AS u(${table.columns.map((_, i) => `c${i}`).join(', ')})
  ON CONFLICT (${table.key.join(', ')}) ${onConflict}`;
  // A row of a fact is written once (the checkpoint's compare-and-set): every row sent is new. An
  // upsert tells which rows it added (xmax 0) from those it changed.
  return conflict.kind === 'ignore'
    ? insert
    : `WITH written AS (${insert} RETURNING (t.xmax = 0) AS added) SELECT count(*) FILTER (WHERE added)::int AS n FROM written`;
};

export class SqlTableProjection implements OperatedReadModel {
  readonly definition: ProjectionDefinition;
  private readonly follower: LogFollower;
  private readonly pageSize: number;
  private readonly rowsPerStatement: number;
  private readonly inserts = new Map<string, string>();
  private readonly specs = new Map<string, TableSpec>();
  private readonly counts = new Map<string, number>();
  private loading: Promise<void> | undefined;
  private loaded = false;
  private after: GlobalPosition | undefined;
  private generation = 0;
  private readonly rebuilds: ReadModelRebuilds;
  private home: SqlHome['sql'] | undefined;
  private indexesPending = false;

  constructor(
    private readonly source: ReadModelSource & Partial<SqlHome>,
    private readonly projections: ProjectionStore,
    private readonly projection: TableProjection,
    options: SqlTableProjectionOptions = {},
  ) {
    this.definition = projection.definition;
    this.pageSize = options.pageSize ?? 5_000;
    this.rowsPerStatement = options.rowsPerStatement ?? 20_000;
    if (!Number.isSafeInteger(this.pageSize) || this.pageSize < 1 || this.pageSize > 50_000)
      throw new RangeError(`pageSize ${this.pageSize} is not between 1 and 50,000`);
    if (!Number.isSafeInteger(this.rowsPerStatement) || this.rowsPerStatement < 1)
      throw new RangeError(`rowsPerStatement ${this.rowsPerStatement} is not a whole number above 0`);
    for (const table of projection.tables) {
      assertIdentifier(table.name, 'table name');
      if (this.specs.has(table.name))
        throw new Error(`table projection ${this.definition.name} has two tables ${table.name}`);
      this.specs.set(table.name, table);
      this.counts.set(table.name, 0);
    }
    this.follower = new LogFollower(() => this.pass(), options);
    this.rebuilds = new ReadModelRebuilds(
      this.definition.name,
      () => this.ready(),
      () => this.follower.catchUp(),
    );
  }

  /** The database and schema of the tables (a SQL projection store), or a clear refusal. */
  private get sql(): SqlHome['sql'] {
    if (this.home !== undefined) return this.home;
    if (!hasSql(this.projections))
      throw new TypeError(
        `table projection ${this.definition.name} needs a SQL projection store (PostgreSQL or embedded), not ${this.projections.kind}`,
      );
    this.home = this.projections.sql;
    return this.home;
  }

  /** The qualified name of one of its tables, for queries. */
  table(name: string): string {
    if (!this.specs.has(name)) throw new Error(`table projection ${this.definition.name} has no table ${name}`);
    return `${this.sql.schema}.${name}`;
  }

  /** A read of its tables (after `ensureFresh` for an answer as fresh as the bound). */
  async query<Row>(sql: string, params?: readonly unknown[], name?: string): Promise<Row[]> {
    await this.ready();
    return this.sql.driver.query<Row>(sql, params, name);
  }

  /** Creates its tables and loads its checkpoint once (rebuilding when another code version wrote them). */
  ready(): Promise<void> {
    this.loading ??= this.load().catch((error: unknown) => {
      this.loading = undefined;
      throw error;
    });
    return this.loading;
  }

  private async load(): Promise<void> {
    const { driver, schema } = this.sql;
    const { name, version } = this.definition;
    const row = await driver.transaction(async (query) => {
      // One process creates a schema's tables at a time (apart from the projection store's 4246 lock).
      await query(`SELECT pg_advisory_xact_lock(4247, hashtext($1))`, [`${schema}.${name}`]);
      await query(
        `INSERT INTO ${schema}.projection_checkpoints (name, code_version) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
        [name, version],
      );
      const [stored] = await query<CheckpointRow>(
        `SELECT commit_position::text AS commit_position, prepare_position::text AS prepare_position, generation, code_version
           FROM ${schema}.projection_checkpoints WHERE name = $1 FOR UPDATE`,
        [name],
      );
      if (Number(stored!.code_version) !== version) {
        // Another version of the code wrote the tables: their shape may differ. Drop, recreate, start over.
        for (const table of this.specs.values()) await query(`DROP TABLE IF EXISTS ${schema}.${table.name}`);
        for (const table of this.specs.values()) await query(tableDdl(schema, table));
        const [reset] = await query<CheckpointRow>(
          `UPDATE ${schema}.projection_checkpoints SET commit_position = NULL, prepare_position = NULL, code_version = $2,
             generation = generation + 1, updated_at = now() WHERE name = $1
           RETURNING commit_position::text AS commit_position, prepare_position::text AS prepare_position, generation, code_version`,
          [name, version],
        );
        return reset!;
      }
      for (const table of this.specs.values()) await query(tableDdl(schema, table));
      return stored!;
    });
    this.after = positionOf(row);
    this.generation = Number(row.generation);
    // Secondary indexes are built after a bulk load (a rebuild, the first fold of a long log, a
    // fold a crash interrupted): until the pass that catches up ends, those missing stay missing.
    const existing = new Set(
      (
        await driver.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE schemaname = $1`, [schema])
      ).map((r) => r.indexname),
    );
    this.indexesPending = this.secondaryIndexes().some((index) => !existing.has(index.name));
    if (this.after === undefined && !this.indexesPending) await this.dropSecondaryIndexes();
    for (const table of this.specs.keys()) {
      const [count] = await driver.query<{ n: string | number }>(`SELECT count(*) AS n FROM ${schema}.${table}`);
      this.counts.set(table, Number(count?.n ?? 0));
    }
    for (const table of this.specs.values()) this.inserts.set(table.name, insertSql(schema, table));
    this.loaded = true;
  }

  async ensureFresh(): Promise<void> {
    if (this.loaded && this.rebuilds.done === undefined) return this.follower.ensureFresh();
    await this.ready();
    if (this.rebuilds.done !== undefined) await this.rebuilds.done;
    return this.follower.ensureFresh();
  }

  async catchUp(): Promise<void> {
    await this.ready();
    return this.follower.catchUp();
  }

  /** Every page is committed as it is written: nothing waits to be flushed but a pass running. */
  async flush(): Promise<void> {
    if (this.loading === undefined) return;
    await this.loading;
    await this.follower.catchUp();
  }

  rebuild(report: (progress: RebuildProgress) => void = () => undefined): Promise<RebuildProgress> {
    return this.rebuilds.rebuild(report);
  }

  status(): ReadModelStatus {
    return {
      projection: this.definition.name,
      codeVersion: this.definition.version,
      generation: this.generation,
      position: this.after,
      rebuilding: this.rebuilds.done !== undefined,
      rebuild: this.rebuilds.progress,
      documents: Object.fromEntries(this.counts),
    };
  }

  /** Empties the tables and starts a new generation. */
  private async reset(): Promise<void> {
    const { driver, schema } = this.sql;
    const row = await driver.transaction(async (query) => {
      const [stored] = await query<CheckpointRow>(
        `UPDATE ${schema}.projection_checkpoints SET commit_position = NULL, prepare_position = NULL, code_version = $2,
           generation = generation + 1, updated_at = now() WHERE name = $1
         RETURNING commit_position::text AS commit_position, prepare_position::text AS prepare_position, generation, code_version`,
        [this.definition.name, this.definition.version],
      );
      const tables = [...this.specs.keys()].map((t) => `${schema}.${t}`);
      if (tables.length > 0) await query(`TRUNCATE ${tables.join(', ')}`);
      for (const index of this.secondaryIndexes()) await query(`DROP INDEX IF EXISTS ${schema}.${index.name}`);
      return stored!;
    });
    this.after = undefined;
    this.generation = Number(row.generation);
    this.indexesPending = this.secondaryIndexes().length > 0;
    for (const table of this.specs.keys()) this.counts.set(table, 0);
  }

  private secondaryIndexes(): { name: string; sql: string }[] {
    return [...this.specs.values()].flatMap((table) => indexDdl(this.sql.schema, table));
  }

  private async dropSecondaryIndexes(): Promise<void> {
    const { driver, schema } = this.sql;
    await driver.transaction(async (query) => {
      for (const index of this.secondaryIndexes()) await query(`DROP INDEX IF EXISTS ${schema}.${index.name}`);
    });
    this.indexesPending = this.secondaryIndexes().length > 0;
  }

  /** Builds the secondary indexes missing (in bulk, with room to sort: far cheaper than row by row). */
  private async createSecondaryIndexes(): Promise<void> {
    const { driver } = this.sql;
    await driver.transaction(async (query) => {
      if (driver.kind === 'postgres') await query(`SET LOCAL maintenance_work_mem = '256MB'`);
      for (const index of this.secondaryIndexes()) await query(index.sql);
    });
    this.indexesPending = false;
  }

  private async pass(): Promise<void> {
    const rebuild = this.rebuilds.pass();
    let head: GlobalPosition = this.after ?? START;
    if (rebuild !== undefined) {
      head = await this.source.headPosition();
      await this.reset();
    }
    const progress = (done: boolean): void => rebuild?.report(this.after, head, done);
    progress(false);
    let next = this.read(this.after);
    for (;;) {
      const page = await next;
      const full = page.events.length >= page.limit;
      const moved = page.end !== undefined && (this.after === undefined || comparePositions(page.end, this.after) > 0);
      // The next page is read while this one is written.
      if (full && page.end !== undefined) next = this.read(page.end);
      if (moved) {
        const outcome = await this.write(page);
        if (outcome === 'stale') {
          if (full) await next.catch(() => undefined);
          await this.reload();
          return this.pass();
        }
      }
      if (rebuild !== undefined) rebuild.events += page.events.length;
      if (!full) break;
      progress(false);
      await breathe();
    }
    if (this.indexesPending) await this.createSecondaryIndexes();
    progress(true);
  }

  /** After another process's rebuild: its generation and checkpoint. */
  private async reload(): Promise<void> {
    const { driver, schema } = this.sql;
    const [row] = await driver.query<CheckpointRow>(
      `SELECT commit_position::text AS commit_position, prepare_position::text AS prepare_position, generation, code_version
         FROM ${schema}.projection_checkpoints WHERE name = $1`,
      [this.definition.name],
    );
    this.after = row === undefined ? undefined : positionOf(row);
    this.generation = row === undefined ? 0 : Number(row.generation);
  }

  /** Writes one page's rows and its end as the checkpoint, in one transaction. */
  private async write(page: Page): Promise<'committed' | 'stale'> {
    const { driver, schema } = this.sql;
    const written = new Map<string, number>();
    const outcome = await driver.transaction(async (query) => {
      // Compare and set: the page follows the checkpoint as stored, in this generation, or nothing
      // is written (another process wrote it, or rebuilt): every page is written exactly once.
      const [row] = await query<CheckpointRow>(
        `SELECT commit_position::text AS commit_position, prepare_position::text AS prepare_position, generation, code_version
           FROM ${schema}.projection_checkpoints WHERE name = $1 FOR UPDATE`,
        [this.definition.name],
      );
      if (row === undefined || Number(row.generation) !== this.generation) return 'stale' as const;
      const stored = positionOf(row);
      if (
        (stored === undefined) !== (page.after === undefined) ||
        (stored !== undefined && comparePositions(stored, page.after!) !== 0)
      )
        return 'stale' as const;
      if (page.events.length > 0) {
        const reads: TableReads = { query: (sql, params) => query(sql, params), table: (name) => this.table(name) };
        await this.insert(query, await this.projection.project(page.events, reads), written);
      }
      const end = page.end!;
      await query(
        `UPDATE ${schema}.projection_checkpoints SET commit_position = $2::numeric, prepare_position = $3::numeric, updated_at = now()
          WHERE name = $1`,
        [this.definition.name, end.commit.toString(), end.prepare.toString()],
      );
      return 'committed' as const;
    });
    if (outcome === 'committed') {
      this.after = page.end;
      for (const [table, n] of written) this.counts.set(table, (this.counts.get(table) ?? 0) + n);
    }
    return outcome;
  }

  private async insert(query: SqlDriver['query'], rows: TableRows, written: Map<string, number>): Promise<void> {
    for (const [name, tableRows] of rows) {
      const spec = this.specs.get(name);
      if (spec === undefined)
        throw new Error(`table projection ${this.definition.name} wrote rows of no table ${name}`);
      if (tableRows.length === 0) continue;
      const sql = this.inserts.get(name)!;
      const width = spec.columns.length;
      for (let start = 0; start < tableRows.length; start += this.rowsPerStatement) {
        const slice = tableRows.slice(start, start + this.rowsPerStatement);
        const columns: unknown[][] = spec.columns.map(() => new Array<unknown>(slice.length));
        for (let r = 0; r < slice.length; r++) {
          const row = slice[r]!;
          if (row.length !== width)
            throw new Error(`a row of ${spec.name} has ${row.length} values for ${width} columns`);
          for (let c = 0; c < width; c++) columns[c]![r] = sendValue(spec.columns[c]!.type, row[c]);
        }
        const [result] = await query<{ n: number }>(sql, columns);
        const added = (spec.onConflict ?? { kind: 'ignore' }).kind === 'ignore' ? slice.length : Number(result?.n ?? 0);
        written.set(name, (written.get(name) ?? 0) + added);
      }
    }
  }

  /** One page of the log after `after`: the lean read when the store is SQL, else the store's own. */
  private async read(after: GlobalPosition | undefined): Promise<Page> {
    const from = after ?? START;
    const store = this.source.sql;
    if (readsWholeLog(this.definition) && store !== undefined)
      return { after, limit: this.pageSize, ...(await this.leanRead(store, from)) };
    const limit = Math.min(this.pageSize, 10_000);
    const options: ReadAllOptions = {
      after: from,
      limit,
      ...(readsWholeLog(this.definition) ? {} : { categories: this.definition.categories }),
    };
    if (this.source.readPage !== undefined) {
      const { events, end } = await this.source.readPage(options);
      return { after, limit, events, end };
    }
    const events = await this.source.readAll(options);
    return { after, limit, events, end: events[events.length - 1]?.position ?? after };
  }

  private leanSql: { text: string; rest: string; embedded: boolean } | undefined;

  private async leanRead(
    store: SqlHome['sql'],
    after: GlobalPosition,
  ): Promise<{ events: ProjectedEvent[]; end: GlobalPosition | undefined }> {
    const { driver, schema } = store;
    const embedded = driver.kind === 'embedded';
    const bound = embedded ? 'pg_snapshot_xmin(pg_current_snapshot())' : '$4::text::xid8';
    const columns = `transaction_id::text AS c, global_position AS g, event_id, type, schema_version, stream_name, stream_version,
        data, metadata, floor(extract(epoch FROM occurred_at) * 1000)::float8 AS o,
        floor(extract(epoch FROM recorded_at) * 1000)::float8 AS r`;
    const table = `${assertSchemaName(schema)}.events`;
    this.leanSql ??= {
      embedded,
      text: `SELECT ${columns} FROM ${table}
  WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint) AND transaction_id < ${bound}
  ORDER BY transaction_id, global_position LIMIT $3`,
      rest: `SELECT ${columns} FROM ${table}
  WHERE transaction_id = $1::text::xid8 AND global_position > $2::bigint ORDER BY global_position`,
    };
    const params: unknown[] = [after.commit.toString(), after.prepare.toString(), this.pageSize];
    if (!embedded) {
      const [row] = await driver.query<{ horizon: string }>(horizonSql(schema), [], 'horizon');
      params.push(row!.horizon);
    }
    // In log order by the log's primary key, whatever the planner's statistics say (a bitmap
    // scan and a sort of everything after the position would cost more the longer the log).
    // A full page goes on to the end of its last append (its transaction): one decision's
    // events are never split between pages.
    const rows = await driver.transaction(async (query) => {
      await query('SET LOCAL enable_bitmapscan = off');
      await query('SET LOCAL enable_sort = off');
      const page = await query<LeanRow>(this.leanSql!.text, params);
      const last = page[page.length - 1];
      if (page.length < this.pageSize || last === undefined) return page;
      const rest = await query<LeanRow>(this.leanSql!.rest, [last.c, String(last.g)]);
      return rest.length === 0 ? page : page.concat(rest);
    });
    const events: ProjectedEvent[] = new Array<ProjectedEvent>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      events[i] = {
        id: row.event_id,
        type: row.type,
        schemaVersion: Number(row.schema_version),
        streamName: row.stream_name,
        streamVersion: Number(row.stream_version),
        position: { commit: BigInt(row.c), prepare: BigInt(row.g) },
        data: row.data,
        metadata: row.metadata,
        occurredAt: new Date(row.o),
        recordedAt: new Date(row.r),
      };
    }
    return { events, end: events[events.length - 1]?.position ?? after };
  }
}
