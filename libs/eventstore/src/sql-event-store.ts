import { createHash } from 'node:crypto';
import {
  comparePositions,
  EventIdConflictError,
  START,
  ValidationError,
  WrongExpectedVersionError,
  type AppendOptions,
  type AppendResult,
  type DomainEvent,
  type EventMetadata,
  type EventStore,
  type GlobalPosition,
  type JsonObject,
  type KeyedLocks,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type Subscription,
  type SubscriptionOptions,
} from '@workshare/eventsourcing';
import { LocalSubscriptions } from './catch-up-subscription.js';
import { projectionSchemaOf, SqlProjectionStore } from './sql-projection-store.js';
import { traced } from './tracing.js';
import { appendOneSql, assertSchemaName, horizonSql, MIGRATIONS, sqlFor } from './schema.js';
import type { LogRow } from './log-hashing.js';
import { isSqlError, type SqlDriver, type SqlError } from './sql-driver.js';
import {
  assertCategories,
  assertExpectedVersion,
  assertSameContent,
  assertStreamName,
  prepareEvents,
  type PreparedEvent,
} from './validation.js';
import {
  assertLimit,
  assertPosition,
  assertReadStreamOptions,
  readAllPages,
  type LogPage,
  type PagedLog,
} from './reading.js';

interface EventRow {
  event_id: string;
  type: string;
  schema_version: number;
  stream_name: string;
  stream_version: string | number | bigint;
  commit_position: string;
  global_position: string | number | bigint;
  data: JsonObject;
  metadata: EventMetadata;
  occurred_at_ms: number;
  recorded_at_ms: number;
  prev_hash: string;
  hash: string;
}

/** What append_events answers: one row for the whole batch. */
interface BatchRow {
  first_version: string | number | bigint;
  commit_position: string;
  global_positions: (string | number | bigint)[];
  recorded_at_ms: number;
  first_prev_hash: string;
  hashes: string[];
}

interface AppendRow {
  event_id: string;
  stream_version: string | number | bigint;
  commit_position: string;
  global_position: string | number | bigint;
  recorded_at_ms: number;
  prev_hash: string;
  hash: string;
}

const EVENT_COLUMNS = `event_id, type, schema_version, stream_name, stream_version, transaction_id::text AS commit_position,
  global_position, data, metadata, floor(extract(epoch FROM occurred_at) * 1000)::float8 AS occurred_at_ms,
  floor(extract(epoch FROM recorded_at) * 1000)::float8 AS recorded_at_ms, prev_hash, hash`;

/** The columns of a LogRow: what verification reads of each event, and nothing else. */
const LOG_ROW_COLUMNS = `transaction_id::text AS c, global_position::text AS p, event_id::text AS id, stream_name AS s,
  stream_version::float8 AS v, type AS t, schema_version AS sv, data::text AS d, metadata::text AS m,
  (extract(epoch FROM occurred_at) * 1000000)::float8 AS o, (extract(epoch FROM recorded_at) * 1000000)::float8 AS r,
  prev_hash AS ph, hash AS h`;

/** The most rows one scanLog answers. */
export const MAX_SCAN_PAGE = 100_000;

/** A store that answers the lean rows verification reads (the SQL store). */
export interface LogScanner {
  /** The log after `after` (from the start when omitted), at most `limit` rows, in log order, below the horizon. */
  scanLog(options?: { after?: GlobalPosition; limit?: number }): Promise<LogRow[]>;
}

/**
 * A read of `count` categories below `bound`: $1, $2 the position after which to read, $3 the
 * limit, the categories from $`first`. One branch per category, each walking the index on
 * (category, transaction_id, global_position) from the position for at most the limit, merged
 * in log order: at most `count` × limit rows, however many other events the log holds. The same
 * statement answers the last position of any category below the same bound (the row with `part`
 * 1): where a page that is not full ends (LogPage.end).
 */
export const categoryReadSql = (schema: string, bound: string, count: number, first: number): string => {
  const branches = Array.from(
    { length: count },
    (_, i) => `(SELECT * FROM ${schema}.events WHERE category = $${first + i}::text
        AND (transaction_id, global_position) > ($1::text::xid8, $2::bigint) AND transaction_id < ${bound}
        ORDER BY transaction_id, global_position LIMIT $3)`,
  );
  return `WITH page AS (
  SELECT ${EVENT_COLUMNS}, transaction_id AS tx, 0 AS part
    FROM (${branches.join('\n      UNION ALL ')}) e
   ORDER BY transaction_id, global_position LIMIT $3
), head AS (
  SELECT transaction_id, global_position FROM ${schema}.events WHERE transaction_id < ${bound}
   ORDER BY transaction_id DESC, global_position DESC LIMIT 1
)
SELECT * FROM page
UNION ALL
SELECT NULL, NULL, NULL, NULL, NULL, transaction_id::text, global_position, NULL, NULL, NULL, NULL, NULL, NULL, transaction_id, 1
  FROM head
ORDER BY part, tx, global_position`;
};

/**
 * An append ran in a transaction that had already written: it must take the store's appender
 * lock before its transaction has an id, or global reads could pass it (see `horizonSql`).
 * Only code that opens its own transactions around appends can meet this.
 */
export class AppendNotFirstWriteError extends Error {
  override readonly name = 'AppendNotFirstWriteError';
  constructor() {
    super(
      'an append must be the first write of its transaction (it takes the appender lock before the transaction has an id)',
    );
  }
}

/** The longest lease key, in characters. */
const MAX_LEASE_KEY_LENGTH = 200;

/**
 * A lease key of a schema's store as the 32-bit id of its advisory lock: the first four bytes of
 * SHA-256 of `<schema>:<key>`. Two keys that meet on one id share one lock (they take turns
 * when they need not; nothing else), and locks are taken by id, so the order stays fixed.
 */
export const leaseIdOf = (schema: string, key: string): number =>
  createHash('sha256').update(`${schema}:${key}`).digest().readInt32BE(0);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How often an 'any' / 'stream_exists' append retries after losing a race for a version. */
const MAX_RACE_RETRIES = 20;

/** The `p_events` argument of append_events, built from the JSON strings already made. */
export const encodeAppendBatch = (prepared: readonly PreparedEvent[]): string =>
  `[${prepared
    .map(
      (e) =>
        `{"id":"${e.id}","type":${JSON.stringify(e.type)},"schemaVersion":${e.schemaVersion},"data":${e.dataJson},` +
        `"metadata":${e.metadataJson},"occurredAt":"${e.occurredAt.toISOString()}","digest":"${e.digest}"}`,
    )
    .join(',')}]`;

const mentions = (error: SqlError, constraint: string): boolean =>
  (error as SqlError & { constraint?: string }).constraint === constraint ||
  `${error.message} ${error.detail ?? ''}`.includes(constraint);

const recordedFrom = (stream: string, e: PreparedEvent, row: AppendRow): RecordedEvent => ({
  id: row.event_id,
  type: e.type,
  schemaVersion: e.schemaVersion,
  streamName: stream,
  streamVersion: Number(row.stream_version),
  position: { commit: BigInt(row.commit_position), prepare: BigInt(row.global_position) },
  data: e.data,
  metadata: e.metadata,
  occurredAt: e.occurredAt,
  recordedAt: new Date(row.recorded_at_ms),
  hash: row.hash,
  previousHash: row.prev_hash,
});

const toRecorded = (row: EventRow): RecordedEvent => ({
  id: row.event_id,
  type: row.type,
  schemaVersion: row.schema_version,
  streamName: row.stream_name,
  streamVersion: Number(row.stream_version),
  position: { commit: BigInt(row.commit_position), prepare: BigInt(row.global_position) },
  data: row.data,
  metadata: row.metadata,
  occurredAt: new Date(row.occurred_at_ms),
  recordedAt: new Date(row.recorded_at_ms),
  hash: row.hash,
  previousHash: row.prev_hash,
});

export interface SqlEventStoreOptions {
  /** PostgreSQL schema holding the tables (default `eventstore`). */
  schema?: string;
}

/**
 * The event store over SQL: one implementation for both PostgreSQL and PGlite.
 * Appends are one statement (one round trip, all or nothing), holding the store's appender
 * lock. Global reads only see transactions older than the oldest append still running
 * (`horizonSql`), in (transaction id, sequence) order, so a reader never steps past an event
 * that commits later, and no other transaction on the server holds it back.
 */
export class SqlEventStore implements EventStore, PagedLog, LogScanner {
  readonly kind: string;
  private readonly s: string;
  private readonly subscriptions = new LocalSubscriptions();
  /**
   * The store's leases (`withLocks`). PostgreSQL: advisory locks of this schema's store, held by
   * a transaction on a connection of their own (SqlDriver.lease), so they keep apart every
   * process on the schema; once granted, the lease waits until the global reads' horizon has
   * passed every append completed before (an older append still running holds it back a
   * moment), so that a read model's pass begun inside the lease sees every append made under
   * it before. Should that connection fail while
   * the work runs (the server restarted, the connection cut), the work is not stopped and the
   * lease ends in `LeaseLostError` (another process may have held it meanwhile). Embedded: in
   * process, shared by every store on the folder (one process opens a folder).
   */
  readonly locks: KeyedLocks;

  private readonly appendOne: string;
  private readonly horizonQuery: string;

  private constructor(
    private readonly db: SqlDriver,
    schema: string,
  ) {
    this.kind = db.kind;
    this.s = schema;
    this.appendOne = appendOneSql(schema);
    this.horizonQuery = horizonSql(schema);
    this.locks = { reach: 'store', withLocks: (keys, work) => this.withLocks(keys, work) };
  }

  private async withLocks<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    if (!Array.isArray(keys))
      throw new ValidationError('eventstore.invalid_lease_keys', 'lease keys are a list of names', { field: 'keys' });
    for (const key of keys)
      if (typeof key !== 'string' || key.length === 0 || key.length > MAX_LEASE_KEY_LENGTH)
        throw new ValidationError(
          'eventstore.invalid_lease_keys',
          `a lease key is a name of 1 to ${MAX_LEASE_KEY_LENGTH} characters`,
          { field: 'keys' },
        );
    const unique = [...new Set(keys)];
    if (unique.length === 0) return work();
    return traced('eventstore.lease', { 'workshare.lease_keys': unique.length, 'db.system': this.kind }, () =>
      this.db.lease(
        unique.map((key) => leaseIdOf(this.s, key)),
        async () => {
          if (this.db.kind === 'postgres') await this.completedAppendsVisible();
          return work();
        },
      ),
    );
  }

  /**
   * Resolves once the global reads' horizon is at or past the `xmax` of a snapshot taken now:
   * every append that had completed by then has a lower transaction id, and no append with a
   * lower id is running any more (README, "Positions"), so reads begun after it see every append
   * completed before the call. At once, unless an append that got its id earlier still runs.
   */
  private async completedAppendsVisible(): Promise<void> {
    const [fence] = await this.db.query<{ xmax: string }>(
      `SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xmax`,
    );
    const until = BigInt(fence!.xmax);
    for (let wait = 1; ; wait = Math.min(wait * 2, 20)) {
      const [row] = await this.db.query<{ horizon: string }>(this.horizonQuery, [], 'horizon');
      if (BigInt(row!.horizon) >= until) return;
      await sleep(wait);
    }
  }

  /**
   * The database this store lives in, for what reads the log in bulk beside it (the lean page
   * reads of table projections, sql-table-projection.ts): its driver and the events' schema.
   */
  get sql(): { readonly driver: SqlDriver; readonly schema: string } {
    return { driver: this.db, schema: this.s };
  }

  /** Opens the store and applies pending migrations. */
  static async open(db: SqlDriver, options: SqlEventStoreOptions = {}): Promise<SqlEventStore> {
    const schema = assertSchemaName(options.schema ?? 'eventstore');
    await migrate(db, schema);
    return new SqlEventStore(db, schema);
  }

  append<E extends DomainEvent>(
    stream: string,
    events: readonly NewEvent<E>[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    return traced(
      'eventstore.append',
      {
        'workshare.stream': stream,
        'workshare.events': Array.isArray(events) ? events.length : 0,
        'db.system': this.kind,
      },
      () => this.appendUntraced(stream, events, options),
    );
  }

  private async appendUntraced<E extends DomainEvent>(
    stream: string,
    events: readonly NewEvent<E>[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    assertStreamName(stream);
    const expected = assertExpectedVersion(options.expectedVersion ?? 'any');
    const prepared = prepareEvents(stream, events);
    const mode = typeof expected === 'number' ? 'exact' : expected;
    const version = typeof expected === 'number' ? expected : null;
    // 'any' and 'stream_exists' do not care which version they land on: a lost race is retried.
    const attempts = mode === 'any' || mode === 'stream_exists' ? MAX_RACE_RETRIES + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      let outcome: AppendRow[] | { refused: number | undefined };
      try {
        outcome = await this.tryAppend(stream, mode, version, prepared);
      } catch (error) {
        if (!isSqlError(error)) throw error;
        if (error.code === '23505' && mentions(error, 'events_event_id_unique')) {
          return this.answerRetry(
            stream,
            prepared,
            () => new EventIdConflictError(prepared[0]!.id, 'already stored as part of another append'),
          );
        }
        if (error.code === '23505' && mentions(error, 'events_stream_version_unique')) {
          if (attempt < attempts) continue; // another writer took the version: read again and retry
          outcome = { refused: await this.streamVersion(stream) };
        } else {
          throw error;
        }
      }
      if (!Array.isArray(outcome)) {
        const actual = outcome.refused;
        return this.answerRetry(
          stream,
          prepared,
          () => new WrongExpectedVersionError(stream, String(expected), actual),
        );
      }
      const recorded = outcome.map((row, i) => recordedFrom(stream, prepared[i]!, row));
      this.subscriptions.appended();
      const last = recorded[recorded.length - 1]!;
      return { nextExpectedVersion: last.streamVersion, position: last.position, events: recorded, idempotent: false };
    }
  }

  /** One attempt: a plain statement for one event, the append_events function for a batch. */
  private async tryAppend(
    stream: string,
    mode: string,
    version: number | null,
    prepared: PreparedEvent[],
  ): Promise<AppendRow[] | { refused: number | undefined }> {
    if (prepared.length === 1) {
      const e = prepared[0]!;
      const rows = await this.db.query<
        AppendRow & { refused: boolean | null; actual: string | number | bigint | null }
      >(
        this.db.kind === 'embedded'
          ? `SELECT * FROM ${this.s}.append_event($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`
          : this.appendOne,
        [
          stream,
          mode,
          version,
          e.id,
          e.type,
          e.schemaVersion,
          e.dataJson,
          e.metadataJson,
          e.occurredAt.toISOString(),
          e.digest,
        ],
        'append-one',
      );
      const row = rows[0]!;
      if (row.refused === null) throw new AppendNotFirstWriteError();
      return row.refused ? { refused: row.actual === null ? undefined : Number(row.actual) } : rows;
    }
    try {
      const [batch] = await this.db.query<BatchRow>(`SELECT * FROM ${this.s}.append_events($1, $2, $3, $4::jsonb)`, [
        stream,
        mode,
        version,
        encodeAppendBatch(prepared),
      ]);
      const { first_version, commit_position, global_positions, recorded_at_ms, first_prev_hash, hashes } = batch!;
      return prepared.map((_, i) => ({
        event_id: prepared[i]!.id,
        stream_version: Number(first_version) + i,
        commit_position,
        global_position: global_positions[i]!,
        recorded_at_ms,
        prev_hash: i === 0 ? first_prev_hash : hashes[i - 1]!,
        hash: hashes[i]!,
      }));
    } catch (error) {
      if (isSqlError(error) && error.code === 'WS001')
        return { refused: error.detail ? Number(error.detail) : undefined };
      if (isSqlError(error) && error.code === 'WS002') throw new AppendNotFirstWriteError();
      throw error;
    }
  }

  /**
   * An append was refused (an id already stored, or a version that moved on). If it is a retry
   * of an append that went through (same ids, same stream, same order, same content), answer
   * what was stored then; the same ids with other content are a content conflict; if some of its
   * ids were stored otherwise, that is an id conflict; else the refusal.
   */
  private async answerRetry(stream: string, prepared: PreparedEvent[], refusal: () => Error): Promise<AppendResult> {
    const rows = await this.db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ${this.s}.events WHERE event_id = ANY ($1::uuid[]) ORDER BY stream_name, stream_version`,
      [prepared.map((e) => e.id)],
    );
    if (rows.length === 0) throw refusal();
    const stored = rows.map(toRecorded);
    const same =
      stored.length === prepared.length &&
      stored.every(
        (e, i) =>
          e.streamName === stream && e.id === prepared[i]!.id && e.streamVersion === stored[0]!.streamVersion + i,
      );
    if (!same) throw new EventIdConflictError(stored[0]!.id, 'already stored as part of another append');
    assertSameContent(prepared, stored);
    const last = stored[stored.length - 1]!;
    return { nextExpectedVersion: last.streamVersion, position: last.position, events: stored, idempotent: true };
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    assertStreamName(stream);
    const { backwards, from, limit: given } = assertReadStreamOptions(options);
    const limit = given ?? null;
    const rows = await this.db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ${this.s}.events WHERE stream_name = $1 AND stream_version ${backwards ? '<=' : '>='} $2
        ORDER BY stream_version ${backwards ? 'DESC' : 'ASC'} LIMIT $3`,
      [stream, from ?? (backwards ? Number.MAX_SAFE_INTEGER : 0), limit],
      'read-stream',
    );
    return rows.map(toRecorded);
  }

  async streamVersion(stream: string): Promise<number | undefined> {
    assertStreamName(stream);
    const rows = await this.db.query<{ version: string | number | bigint | null }>(
      `SELECT max(stream_version) AS version FROM ${this.s}.events WHERE stream_name = $1`,
      [stream],
    );
    const version = rows[0]?.version;
    return version === null || version === undefined ? undefined : Number(version);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return (await this.readPage(options)).events;
  }

  /**
   * readAll, and where the next read goes on from (LogPage.end): what subscriptions read. A
   * filtered page and its end come from one statement under one horizon, so the end never passes
   * an event of those categories that commits later.
   */
  async readPage(options: ReadAllOptions = {}): Promise<LogPage> {
    const after = assertPosition(options.after ?? START);
    const limit = assertLimit(options.limit ?? 1000, 10_000);
    const categories = assertCategories(options.categories);
    const { bound, params } = await this.horizon(4);
    const values = [after.commit.toString(), after.prepare.toString(), limit, ...params];
    if (categories === undefined) {
      const rows = await this.db.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM ${this.s}.events
        WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
          AND transaction_id < ${bound}
        ORDER BY transaction_id, global_position LIMIT $3`,
        values,
        'read-all',
      );
      const events = rows.map(toRecorded);
      return { events, end: events[events.length - 1]?.position ?? after };
    }
    const rows = await this.db.query<EventRow & { part: number }>(
      categoryReadSql(this.s, bound, categories.length, values.length + 1),
      [...values, ...categories],
      'read-categories',
    );
    const events: RecordedEvent[] = [];
    let head: GlobalPosition | undefined;
    for (const row of rows) {
      if (Number(row.part) === 1) head = { commit: BigInt(row.commit_position), prepare: BigInt(row.global_position) };
      else events.push(toRecorded(row));
    }
    let end = events[events.length - 1]?.position ?? after;
    if (events.length < limit && head !== undefined && comparePositions(head, end) > 0) end = head;
    return { events, end };
  }

  /**
   * How far global reads may go (a transaction id, exclusive), as SQL for the read's WHERE and
   * its parameters (numbered from `next`). On PostgreSQL, a statement of its own, before the
   * read: below the oldest append still running, whatever else runs on the server (a long
   * report, a migration of another database). Embedded, the one connection runs one statement
   * at a time: below the oldest transaction running at all, in the read itself.
   */
  private async horizon(next: number): Promise<{ bound: string; params: string[] }> {
    if (this.db.kind === 'embedded') return { bound: 'pg_snapshot_xmin(pg_current_snapshot())', params: [] };
    const [row] = await this.db.query<{ horizon: string }>(this.horizonQuery, [], 'horizon');
    return { bound: `$${next}::text::xid8`, params: [row!.horizon] };
  }

  /**
   * The log as verification reads it: only the stored columns (data and metadata as JSON text,
   * parsed by whoever checks them), in log order below the same horizon as readAll, in pages of up
   * to MAX_SCAN_PAGE rows.
   */
  async scanLog(options: { after?: GlobalPosition; limit?: number } = {}): Promise<LogRow[]> {
    const after = assertPosition(options.after ?? START);
    const limit = assertLimit(options.limit ?? 10_000, MAX_SCAN_PAGE);
    const { bound, params } = await this.horizon(4);
    return this.db.query<LogRow>(
      `SELECT ${LOG_ROW_COLUMNS} FROM ${this.s}.events
        WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint) AND transaction_id < ${bound}
        ORDER BY transaction_id, global_position LIMIT $3`,
      [after.commit.toString(), after.prepare.toString(), limit, ...params],
      'scan-log',
    );
  }

  streamAll(options: ReadAllOptions & { pageSize?: number } = {}): AsyncIterable<RecordedEvent> {
    return readAllPages(this, options);
  }

  async headPosition(): Promise<GlobalPosition> {
    const { bound, params } = await this.horizon(1);
    const rows = await this.db.query<{ commit_position: string; global_position: string | number | bigint }>(
      `SELECT transaction_id::text AS commit_position, global_position FROM ${this.s}.events
        WHERE transaction_id < ${bound}
        ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
      params,
    );
    const row = rows[0];
    return row ? { commit: BigInt(row.commit_position), prepare: BigInt(row.global_position) } : START;
  }

  subscribe(options: SubscriptionOptions): Subscription {
    return this.subscriptions.start(this, options);
  }

  async readCheckpoint(subscriptionId: string): Promise<GlobalPosition | undefined> {
    const rows = await this.db.query<{ commit_position: string; prepare_position: string | number | bigint }>(
      `SELECT commit_position::text AS commit_position, prepare_position FROM ${this.s}.checkpoints WHERE subscription_id = $1`,
      [subscriptionId],
    );
    const row = rows[0];
    return row ? { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) } : undefined;
  }

  async storeCheckpoint(subscriptionId: string, position: GlobalPosition): Promise<void> {
    assertPosition(position);
    await this.db.query(
      `INSERT INTO ${this.s}.checkpoints (subscription_id, commit_position, prepare_position) VALUES ($1, $2::numeric, $3::bigint)
        ON CONFLICT (subscription_id) DO UPDATE SET commit_position = excluded.commit_position,
          prepare_position = excluded.prepare_position, updated_at = now()`,
      [subscriptionId, position.commit.toString(), position.prepare.toString()],
    );
  }

  /**
   * The projection store of a service's durable read models, kept on this store's own database
   * in the service's own schema (see projectionSchemaOf): it shares the store's connections and
   * closes with it.
   */
  projectionStore(service: string): Promise<SqlProjectionStore> {
    return SqlProjectionStore.open(this.db, projectionSchemaOf(this.s, service), false);
  }

  async close(): Promise<void> {
    await this.subscriptions.stopAll();
    await this.db.close();
  }
}

const migrate = async (db: SqlDriver, schema: string): Promise<void> => {
  await db.transaction(async (query) => {
    // Two-key advisory locks live apart from the one-key stream locks of append_events.
    await query(`SELECT pg_advisory_xact_lock(4242, hashtext($1))`, [schema]);
    await query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await query(`CREATE TABLE IF NOT EXISTS ${schema}.migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const applied = new Set(
      (await query<{ version: number }>(`SELECT version FROM ${schema}.migrations`)).map((r) => r.version),
    );
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      for (const statement of splitStatements(sqlFor(migration, schema))) await query(statement);
      await query(`INSERT INTO ${schema}.migrations (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
    }
  });
};

/** Splits a migration at top-level semicolons (keeping $fn$ bodies whole): drivers run one statement per prepared query. */
export const splitStatements = (sql: string): string[] => {
  const statements: string[] = [];
  let current = '';
  let inBody = false;
  for (const line of sql.split('\n')) {
    if (/\$fn\$/.test(line)) inBody = (line.match(/\$fn\$/g)!.length % 2 === 1) !== inBody;
    current += `${line}\n`;
    if (!inBody && /;\s*$/.test(line)) {
      statements.push(current.trim());
      current = '';
    }
  }
  if (current.trim()) statements.push(current.trim());
  return statements.filter((s) => s.replace(/--.*$/gm, '').trim().length > 0);
};
