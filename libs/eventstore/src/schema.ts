/**
 * The one SQL schema, shared by the PostgreSQL adapter (pg) and the embedded one (PGlite).
 * Migrations are numbered, applied in order, each once, in a transaction, under an advisory
 * lock so that several processes starting together do not race. `%s` is the schema name.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The append functions. The appender lock comes first, before the transaction has an id (an
 * append in a transaction that has already written is refused: WS002), see `horizonSql`.
 */
const APPEND_FUNCTIONS = `
-- Appends a batch of events to one stream, all or nothing (single events take a plain
-- statement, see sql-event-store.ts; both follow the same rules).
-- p_mode: 'any' | 'no_stream' | 'stream_exists' | 'exact' (then p_expected is the version).
-- p_events: [{id, type, schemaVersion, data, metadata, occurredAt, digest}], digest being the
-- writer's SHA-256 of the event's canonical content; the hash chain is extended here, where
-- the stream's last hash is known (hash scheme 2 of @workshare/eventsourcing: previous hash,
-- version, digest and recorded-at in ms). A refused expected version raises WS001 with the actual
-- version (empty when the stream has none) as DETAIL. A concurrent append to the same stream
-- makes one of the two fail on events_stream_version_unique; the store retries or reports it.
CREATE OR REPLACE FUNCTION %s.append_events(p_stream text, p_mode text, p_expected bigint, p_events jsonb)
RETURNS TABLE (first_version bigint, commit_position text, global_positions bigint[], recorded_at_ms float8,
               first_prev_hash text, hashes text[])
LANGUAGE plpgsql AS $fn$
#variable_conflict use_column
DECLARE
  v_count   int := jsonb_array_length(p_events);
  v_current bigint;
  v_hash    text;
  v_prevs   text[] := '{}';
  v_hashes  text[] := '{}';
  -- Hash scheme 2: the recorded-at, in whole milliseconds (as stored and as read back), is hashed too.
  v_recorded timestamptz := date_trunc('milliseconds', statement_timestamp());
  v_recorded_ms text := (extract(epoch FROM v_recorded) * 1000)::bigint::text;
BEGIN
  PERFORM %APPENDER_LOCK%;
  IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RAISE EXCEPTION 'an append must be the first write of its transaction' USING ERRCODE = 'WS002';
  END IF;
  SELECT ev.stream_version, ev.hash INTO v_current, v_hash
    FROM %s.events ev WHERE ev.stream_name = p_stream ORDER BY ev.stream_version DESC LIMIT 1;
  IF (p_mode = 'no_stream' AND v_current IS NOT NULL)
     OR (p_mode = 'stream_exists' AND v_current IS NULL)
     OR (p_mode = 'exact' AND v_current IS DISTINCT FROM p_expected) THEN
    RAISE EXCEPTION 'wrong expected version' USING ERRCODE = 'WS001', DETAIL = coalesce(v_current::text, '');
  END IF;

  v_current := coalesce(v_current, -1);
  v_hash := coalesce(v_hash, repeat('0', 64));
  FOR i IN 0 .. v_count - 1 LOOP
    v_prevs := v_prevs || v_hash;
    v_hash := encode(sha256(convert_to(v_hash || ':' || (v_current + 1 + i)::text || ':' || (p_events -> i ->> 'digest')
                                       || ':' || v_recorded_ms, 'UTF8')), 'hex');
    v_hashes := v_hashes || v_hash;
  END LOOP;

  -- One row back, not one per event: the caller has the rest.
  RETURN QUERY
    WITH inserted AS (
      INSERT INTO %s.events AS ev (event_id, stream_name, stream_version, type, schema_version, data, metadata, occurred_at,
                                   recorded_at, prev_hash, hash)
      SELECT (e ->> 'id')::uuid, p_stream, v_current + n, e ->> 'type', (e ->> 'schemaVersion')::int,
             e -> 'data', e -> 'metadata', (e ->> 'occurredAt')::timestamptz, v_recorded, v_prevs[n::int], v_hashes[n::int]
        FROM jsonb_array_elements(p_events) WITH ORDINALITY AS t(e, n)
      RETURNING ev.stream_version, ev.transaction_id, ev.global_position, ev.recorded_at
    )
    SELECT v_current + 1, min(i.transaction_id)::text, array_agg(i.global_position ORDER BY i.stream_version),
           floor(extract(epoch FROM min(i.recorded_at)) * 1000)::float8, v_prevs[1], v_hashes
      FROM inserted i;
END
$fn$;

-- The single-event statement (APPEND_ONE below) as a function, for PGlite: there, planning
-- runs in WebAssembly and costs more than the append, and a PL/pgSQL function keeps its plan.
CREATE OR REPLACE FUNCTION %s.append_event(text, text, bigint, uuid, text, integer, text, text, text, text)
RETURNS TABLE (event_id uuid, stream_version bigint, commit_position text, global_position bigint,
               recorded_at_ms float8, prev_hash text, hash text, refused boolean, actual bigint)
LANGUAGE plpgsql AS $fn$
#variable_conflict use_column
BEGIN
  RETURN QUERY %APPEND_ONE%;
END
$fn$;
`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events, checkpoints',
    sql: `
CREATE TABLE %s.events (
  global_position bigint GENERATED ALWAYS AS IDENTITY,
  -- The writing transaction's id: readers order the log by (transaction_id, global_position)
  -- and only read below the oldest running append (horizonSql), so no commit can land behind them.
  transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
  event_id        uuid        NOT NULL,
  stream_name     text        NOT NULL,
  stream_version  bigint      NOT NULL,
  type            text        NOT NULL,
  schema_version  integer     NOT NULL,
  data            jsonb       NOT NULL,
  metadata        jsonb       NOT NULL,
  occurred_at     timestamptz NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT statement_timestamp(),
  prev_hash       text        NOT NULL,
  hash            text        NOT NULL,
  CONSTRAINT events_log_order PRIMARY KEY (transaction_id, global_position),
  CONSTRAINT events_event_id_unique UNIQUE (event_id),
  -- Optimistic concurrency: of two appends racing for a stream version, one fails here.
  CONSTRAINT events_stream_version_unique UNIQUE (stream_name, stream_version)
);

CREATE TABLE %s.checkpoints (
  subscription_id  text PRIMARY KEY,
  commit_position  numeric(20, 0) NOT NULL,
  prepare_position bigint NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now()
);
`,
  },
  {
    version: 2,
    name: "append functions that hold the store's appender lock",
    sql: APPEND_FUNCTIONS,
  },
  {
    // The same functions as they are today (a fresh store runs 2, 3 and 5): an append refuses
    // to run in a transaction that already has an id, which the horizon's proof relies on.
    version: 3,
    name: 'appends take the appender lock before their transaction has an id',
    sql: APPEND_FUNCTIONS,
  },
  {
    // Reads by category: the part of the stream name before its first dash (categoryOf of
    // @workshare/eventsourcing), kept by the database itself, so no append has to name it, and an
    // index in log order within each category. Adding the column rewrites the table once.
    version: 4,
    name: 'stream category column, indexed in log order',
    sql: `
ALTER TABLE %s.events ADD COLUMN category text GENERATED ALWAYS AS (split_part(stream_name, '-', 1)) STORED;
CREATE INDEX events_category_log_order ON %s.events (category, transaction_id, global_position);
`,
  },
  {
    // Hash scheme 2: the hash covers the recorded-at, which is kept in whole milliseconds so that
    // what is read back is what was hashed. Rows written before keep scheme 1 (verification tells
    // them apart; the seals cover their recorded-at).
    version: 5,
    name: 'hashes cover the recorded-at, kept in milliseconds',
    sql: `
ALTER TABLE %s.events ALTER COLUMN recorded_at SET DEFAULT date_trunc('milliseconds', statement_timestamp());
${APPEND_FUNCTIONS}`,
  },
  {
    // The events table is append-only: every UPDATE, DELETE or TRUNCATE statement is refused, for
    // every session (ENABLE ALWAYS: also under session_replication_role = replica). Its owner can
    // still disable the trigger; the seals are what stands against that (README, "Tamper evidence").
    version: 6,
    name: 'events are append-only: UPDATE, DELETE and TRUNCATE refused',
    sql: `
CREATE OR REPLACE FUNCTION %s.refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION USING
    ERRCODE = 'WS003',
    MESSAGE = 'events are append-only: ' || TG_OP || ' on ' || TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME || ' is refused',
    HINT = 'a correction is a new event appended to the stream';
END
$fn$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON %s.events
  FOR EACH STATEMENT EXECUTE FUNCTION %s.refuse_event_change();
ALTER TABLE %s.events ENABLE ALWAYS TRIGGER events_append_only;
`,
  },
];

/** The trigger of migration 6 that refuses UPDATE, DELETE and TRUNCATE on the events table. */
export const APPEND_ONLY_TRIGGER = 'events_append_only';

/**
 * Appends one event (the common case) in a single plain statement: no function call, one plan
 * cached per connection. Same rules as append_events (hash scheme 2, recorded-at in ms); a refused expected version returns one
 * row with only `actual` set (NULL when the stream has no event) instead of raising, and an
 * append in a transaction that already has an id returns one row with `refused` NULL.
 * $1 stream, $2 mode, $3 expected version, $4 id, $5 type, $6 schema version, $7 data,
 * $8 metadata, $9 occurred-at, $10 digest.
 */
export const appendOneSql = (schema: string): string => `
WITH appender AS (
  SELECT ${appenderLockSql(schema)} AS locked, pg_current_xact_id_if_assigned() IS NULL AS first_write
), last AS (
  SELECT stream_version AS v, hash AS h FROM ${schema}.events WHERE stream_name = $1 ORDER BY stream_version DESC LIMIT 1
), head AS (
  SELECT (SELECT v FROM last) AS v, coalesce((SELECT h FROM last), repeat('0', 64)) AS h, first_write,
         date_trunc('milliseconds', statement_timestamp()) AS at FROM appender
), checked AS (
  SELECT coalesce(head.v, -1) AS v, head.v AS actual, head.h, head.first_write, head.at,
         head.first_write AND CASE $2::text WHEN 'any' THEN true
                       WHEN 'no_stream' THEN head.v IS NULL
                       WHEN 'stream_exists' THEN head.v IS NOT NULL
                       ELSE head.v IS NOT DISTINCT FROM $3::bigint END AS ok
    FROM head
), inserted AS (
  INSERT INTO ${schema}.events (event_id, stream_name, stream_version, type, schema_version, data, metadata, occurred_at,
                                recorded_at, prev_hash, hash)
  SELECT $4::uuid, $1, c.v + 1, $5, $6::int, $7::jsonb, $8::jsonb, $9::timestamptz, c.at, c.h,
         encode(sha256(convert_to(c.h || ':' || (c.v + 1)::text || ':' || $10::text || ':'
                                  || (extract(epoch FROM c.at) * 1000)::bigint::text, 'UTF8')), 'hex')
    FROM checked c WHERE c.ok
  RETURNING event_id, stream_version, transaction_id, global_position, recorded_at, prev_hash, hash
)
SELECT i.event_id, i.stream_version, i.transaction_id::text AS commit_position, i.global_position,
       floor(extract(epoch FROM i.recorded_at) * 1000)::float8 AS recorded_at_ms, i.prev_hash, i.hash,
       false AS refused, NULL::bigint AS actual
  FROM inserted i
UNION ALL
SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, CASE WHEN c.first_write THEN true END, c.actual FROM checked c WHERE NOT c.ok`;

export const sqlFor = (migration: Migration, schema: string): string =>
  migration.sql
    .replaceAll('%APPEND_ONE%', appendOneSql('%s'))
    .replaceAll('%APPENDER_LOCK%', appenderLockSql('%s'))
    .replaceAll('%s', schema);

/**
 * The store's appender lock. Every append takes it, shared, before its transaction gets an id,
 * and holds it to the end: so the transactions that may still add events to the log are
 * exactly those holding it, and a global read waits for those alone, not for every
 * transaction running on the server (see `horizonSql`). Two keys, apart from the migrations'
 * lock (4242).
 */
export const APPENDER_LOCK_KEY = 4243;
export const appenderLockSql = (schema: string): string =>
  `pg_advisory_xact_lock_shared(${APPENDER_LOCK_KEY}, hashtext('${schema}'))`;

/**
 * The class of the store's leases (SqlEventStore.locks): two-key advisory locks
 * (LEASE_LOCK_KEY, lease id), apart from the migrations' lock (4242) and the appender lock.
 */
export const LEASE_LOCK_KEY = 4244;

/**
 * Where a global read may go up to (exclusive), as a transaction id. Run it as a statement of
 * its own, before the read (which then takes a later snapshot). From this statement's snapshot
 * S and one reading of `pg_locks`, it answers the oldest transaction running at S that
 * - holds the store's appender lock (found by its `transactionid` row in `pg_locks`), or
 * - has no `transactionid` row at all: PostgreSQL gives a transaction its id (from then on every
 *   snapshot sees it running) a moment *before* it takes the lock on that id, so an append caught
 *   in between shows up so, and so does any transaction in the same instant, or one that ended
 *   after S (holding the read back a moment is harmless),
 * else S's `xmax`. Why this cannot pass a running append: README, "Positions".
 */
export const horizonSql = (schema: string): string => `
WITH locks AS MATERIALIZED (
  SELECT locktype, virtualtransaction, transactionid, classid, objid, objsubid FROM pg_locks
   WHERE locktype IN ('advisory', 'transactionid')
), holders AS (
  SELECT virtualtransaction FROM locks
   WHERE locktype = 'advisory' AND classid = ${APPENDER_LOCK_KEY} AND objsubid = 2
     AND objid = (hashtext('${schema}')::bigint & 4294967295)::oid
), locked AS (
  SELECT transactionid, virtualtransaction FROM locks WHERE locktype = 'transactionid'
)
SELECT coalesce(
  (SELECT min(x) FROM pg_snapshot_xip(pg_current_snapshot()) AS x
    WHERE x::xid IN (SELECT l.transactionid FROM locked l WHERE l.virtualtransaction IN (SELECT virtualtransaction FROM holders))
       OR x::xid NOT IN (SELECT l.transactionid FROM locked l)),
  pg_snapshot_xmax(pg_current_snapshot()))::text AS horizon`;

/** Schema names are interpolated into SQL: keep them to plain identifiers. */
export const assertSchemaName = (schema: string): string => {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    throw new TypeError(`schema name ${JSON.stringify(schema)} is not a plain lower-case identifier`);
  return schema;
};
