import {
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
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type Subscription,
  type SubscriptionOptions,
} from '@workshare/eventsourcing';
import { CatchUpSubscription } from './catch-up-subscription.js';
import { assertSchemaName, MIGRATIONS, sqlFor } from './schema.js';
import { isSqlError, type SqlDriver } from './sql-driver.js';
import { assertExpectedVersion, assertStreamName, prepareEvents, type PreparedEvent } from './validation.js';
import { assertLimit, assertPosition, readAllPages } from './reading.js';

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

interface AppendRow {
  event_id: string;
  stream_version: string | number | bigint;
  commit_position: string;
  global_position: string | number | bigint;
  recorded_at_ms: number;
  prev_hash: string;
  hash: string;
  idempotent: boolean;
}

const EVENT_COLUMNS = `event_id, type, schema_version, stream_name, stream_version, transaction_id::text AS commit_position,
  global_position, data, metadata, floor(extract(epoch FROM occurred_at) * 1000)::float8 AS occurred_at_ms,
  floor(extract(epoch FROM recorded_at) * 1000)::float8 AS recorded_at_ms, prev_hash, hash`;

/** The `p_events` argument of append_events. */
export const encodeAppendBatch = (prepared: readonly PreparedEvent[]): string =>
  JSON.stringify(prepared.map((e) => ({ ...e, occurredAt: e.occurredAt.toISOString() })));

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
 * Appends are one call of `append_events` (one round trip, all or nothing). Global reads only
 * see transactions older than the oldest one still running (pg_snapshot_xmin), in
 * (transaction id, sequence) order, so a reader never steps past an event that commits later.
 */
export class SqlEventStore implements EventStore {
  readonly kind: string;
  private readonly s: string;
  private readonly listeners = new Set<() => void>();
  private readonly subscriptions = new Set<CatchUpSubscription>();

  private constructor(private readonly db: SqlDriver, schema: string) {
    this.kind = db.kind;
    this.s = schema;
  }

  /** Opens the store and applies pending migrations. */
  static async open(db: SqlDriver, options: SqlEventStoreOptions = {}): Promise<SqlEventStore> {
    const schema = assertSchemaName(options.schema ?? 'eventstore');
    await migrate(db, schema);
    return new SqlEventStore(db, schema);
  }

  async append<E extends DomainEvent>(stream: string, events: readonly NewEvent<E>[], options: AppendOptions = {}): Promise<AppendResult> {
    assertStreamName(stream);
    const expected = assertExpectedVersion(options.expectedVersion ?? 'any');
    const prepared = prepareEvents(stream, events);
    const payload = encodeAppendBatch(prepared);
    let rows: AppendRow[];
    try {
      rows = await this.db.query<AppendRow>(`SELECT * FROM ${this.s}.append_events($1, $2, $3::jsonb)`, [stream, String(expected), payload]);
    } catch (error) {
      if (isSqlError(error) && error.code === 'WS001') {
        throw new WrongExpectedVersionError(stream, String(expected), error.detail ? Number(error.detail) : undefined);
      }
      if (isSqlError(error) && error.code === 'WS002') {
        throw new EventIdConflictError(error.detail ?? prepared[0]!.id, 'already stored as part of another append');
      }
      if (isSqlError(error) && error.code === '23505' && /event_id/.test(error.message + (error.detail ?? ''))) {
        throw new EventIdConflictError(prepared[0]!.id, 'stored concurrently by another append');
      }
      throw error;
    }
    const byId = new Map(prepared.map((e) => [e.id, e]));
    const recorded = rows.map((row): RecordedEvent => {
      const e = byId.get(row.event_id)!;
      return {
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
      };
    });
    const last = recorded[recorded.length - 1]!;
    const idempotent = rows.every((r) => r.idempotent);
    if (!idempotent) for (const wake of this.listeners) wake();
    return { nextExpectedVersion: last.streamVersion, position: last.position, events: recorded, idempotent };
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    assertStreamName(stream);
    const backwards = options.direction === 'backwards';
    if (options.direction !== undefined && options.direction !== 'forwards' && !backwards) {
      throw new ValidationError('eventstore.invalid_read', `direction must be 'forwards' or 'backwards'`);
    }
    const from = options.fromVersion;
    if (from !== undefined && (!Number.isSafeInteger(from) || from < 0)) {
      throw new ValidationError('eventstore.invalid_read', `fromVersion ${String(from)} is not a version number ≥ 0`);
    }
    const limit = options.limit === undefined ? null : assertLimit(options.limit, Number.MAX_SAFE_INTEGER);
    const rows = await this.db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ${this.s}.events WHERE stream_name = $1 AND stream_version ${backwards ? '<=' : '>='} $2
        ORDER BY stream_version ${backwards ? 'DESC' : 'ASC'} LIMIT $3`,
      [stream, from ?? (backwards ? Number.MAX_SAFE_INTEGER : 0), limit],
    );
    return rows.map(toRecorded);
  }

  async streamVersion(stream: string): Promise<number | undefined> {
    assertStreamName(stream);
    const rows = await this.db.query<{ version: string | number | bigint }>(`SELECT version FROM ${this.s}.streams WHERE stream_name = $1`, [stream]);
    return rows[0] === undefined ? undefined : Number(rows[0].version);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = assertPosition(options.after ?? START);
    const limit = assertLimit(options.limit ?? 1000, 10_000);
    const rows = await this.db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ${this.s}.events
        WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
          AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY transaction_id, global_position LIMIT $3`,
      [after.commit.toString(), after.prepare.toString(), limit],
    );
    return rows.map(toRecorded);
  }

  streamAll(options: ReadAllOptions & { pageSize?: number } = {}): AsyncIterable<RecordedEvent> {
    return readAllPages(this, options);
  }

  async headPosition(): Promise<GlobalPosition> {
    const rows = await this.db.query<{ commit_position: string; global_position: string | number | bigint }>(
      `SELECT transaction_id::text AS commit_position, global_position FROM ${this.s}.events
        WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
    );
    const row = rows[0];
    return row ? { commit: BigInt(row.commit_position), prepare: BigInt(row.global_position) } : START;
  }

  subscribe(options: SubscriptionOptions): Subscription {
    const subscription = new CatchUpSubscription(this, options, (wake) => {
      this.listeners.add(wake);
      return () => this.listeners.delete(wake);
    });
    this.subscriptions.add(subscription);
    subscription.done.catch(() => undefined).finally(() => this.subscriptions.delete(subscription));
    return subscription;
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

  async close(): Promise<void> {
    await Promise.allSettled([...this.subscriptions].map((s) => s.stop()));
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
      await query(`INSERT INTO ${schema}.migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
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
