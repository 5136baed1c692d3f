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

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events, streams, checkpoints, append function',
    sql: `
CREATE TABLE %s.streams (
  stream_name text PRIMARY KEY,
  version     bigint NOT NULL,
  last_hash   text   NOT NULL
);

CREATE TABLE %s.events (
  global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The writing transaction's id: readers order the log by (transaction_id, global_position)
  -- and only read below the oldest running transaction, so no commit can land behind them.
  transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
  event_id        uuid        NOT NULL UNIQUE,
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
  UNIQUE (stream_name, stream_version)
);
CREATE INDEX events_log_order ON %s.events (transaction_id, global_position);

CREATE TABLE %s.checkpoints (
  subscription_id text PRIMARY KEY,
  commit_position numeric(20, 0) NOT NULL,
  prepare_position bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Appends a batch to one stream in one round trip, all or nothing.
-- p_expected: 'any' | 'no_stream' | 'stream_exists' | '<version>'.
-- p_events: [{id, type, schemaVersion, data, metadata, occurredAt, digest}], digest being the
-- writer's SHA-256 of the event's canonical content; the hash chain is extended here, where
-- the stream's last hash is known.
CREATE FUNCTION %s.append_events(p_stream text, p_expected text, p_events jsonb)
RETURNS TABLE (event_id uuid, stream_version bigint, commit_position text, global_position bigint,
               recorded_at_ms float8, prev_hash text, hash text, idempotent boolean)
LANGUAGE plpgsql AS $fn$
#variable_conflict use_column
DECLARE
  v_count   int := jsonb_array_length(p_events);
  v_ids     uuid[];
  v_found   int;
  v_current bigint;
  v_hash    text;
  v_prevs   text[] := '{}';
  v_hashes  text[] := '{}';
  v_same    boolean;
BEGIN
  -- Writers of one stream queue here before their transaction takes an id (an advisory lock
  -- needs none), so of two appends to a stream the later one always has the larger
  -- transaction id: log order agrees with stream order. Must be the transaction's first write.
  PERFORM pg_advisory_xact_lock(hashtextextended(p_stream, 0));

  SELECT array_agg((e ->> 'id')::uuid ORDER BY n) INTO v_ids
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS t(e, n);

  SELECT count(*) INTO v_found FROM %s.events ev WHERE ev.event_id = ANY (v_ids);
  IF v_found > 0 THEN
    -- The same append again (a retry after a lost answer): answer what was stored then.
    SELECT v_found = v_count AND bool_and(ev.stream_name = p_stream)
           AND array_agg(ev.event_id ORDER BY ev.stream_version) = v_ids
           AND max(ev.stream_version) - min(ev.stream_version) = v_count - 1
      INTO v_same FROM %s.events ev WHERE ev.event_id = ANY (v_ids);
    IF NOT coalesce(v_same, false) THEN
      RAISE EXCEPTION 'an event id of this append is already stored, as part of another append'
        USING ERRCODE = 'WS002',
              DETAIL = (SELECT ev.event_id::text FROM %s.events ev WHERE ev.event_id = ANY (v_ids) LIMIT 1);
    END IF;
    RETURN QUERY
      SELECT ev.event_id, ev.stream_version, ev.transaction_id::text, ev.global_position,
             floor(extract(epoch FROM ev.recorded_at) * 1000)::float8, ev.prev_hash, ev.hash, true
        FROM %s.events ev WHERE ev.event_id = ANY (v_ids) ORDER BY ev.stream_version;
    RETURN;
  END IF;

  SELECT s.version, s.last_hash INTO v_current, v_hash FROM %s.streams s WHERE s.stream_name = p_stream;
  IF (p_expected = 'no_stream' AND v_current IS NOT NULL)
     OR (p_expected = 'stream_exists' AND v_current IS NULL)
     OR (p_expected NOT IN ('any', 'no_stream', 'stream_exists') AND v_current IS DISTINCT FROM p_expected::bigint) THEN
    RAISE EXCEPTION 'wrong expected version' USING ERRCODE = 'WS001', DETAIL = coalesce(v_current::text, '');
  END IF;

  v_current := coalesce(v_current, -1);
  v_hash := coalesce(v_hash, repeat('0', 64));
  FOR i IN 0 .. v_count - 1 LOOP
    v_prevs := v_prevs || v_hash;
    v_hash := encode(sha256(convert_to(v_hash || ':' || (v_current + 1 + i)::text || ':' || (p_events -> i ->> 'digest'), 'UTF8')), 'hex');
    v_hashes := v_hashes || v_hash;
  END LOOP;

  INSERT INTO %s.streams AS s (stream_name, version, last_hash) VALUES (p_stream, v_current + v_count, v_hash)
    ON CONFLICT (stream_name) DO UPDATE SET version = excluded.version, last_hash = excluded.last_hash;

  RETURN QUERY
    WITH inserted AS (
      INSERT INTO %s.events AS ev (event_id, stream_name, stream_version, type, schema_version, data, metadata, occurred_at, prev_hash, hash)
      SELECT (e ->> 'id')::uuid, p_stream, v_current + n, e ->> 'type', (e ->> 'schemaVersion')::int,
             e -> 'data', e -> 'metadata', (e ->> 'occurredAt')::timestamptz, v_prevs[n::int], v_hashes[n::int]
        FROM jsonb_array_elements(p_events) WITH ORDINALITY AS t(e, n)
      RETURNING ev.event_id, ev.stream_version, ev.transaction_id, ev.global_position, ev.recorded_at, ev.prev_hash, ev.hash
    )
    SELECT i.event_id, i.stream_version, i.transaction_id::text, i.global_position,
           floor(extract(epoch FROM i.recorded_at) * 1000)::float8, i.prev_hash, i.hash, false
      FROM inserted i ORDER BY i.stream_version;
END
$fn$;
`,
  },
];

export const sqlFor = (migration: Migration, schema: string): string => migration.sql.replaceAll('%s', schema);

/** Schema names are interpolated into SQL: keep them to plain identifiers. */
export const assertSchemaName = (schema: string): string => {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new TypeError(`schema name ${JSON.stringify(schema)} is not a plain lower-case identifier`);
  return schema;
};
