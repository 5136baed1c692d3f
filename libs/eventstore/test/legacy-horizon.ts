/**
 * The global reader as it was before the horizon's fix (horizon first, then the read below it),
 * for the tests that show what the fix changes: it trusted the `transactionid` rows of pg_locks
 * alone, and so passed an append caught between getting its transaction id and locking it.
 */
import type pg from 'pg';
import { START, type GlobalPosition, type RecordedEvent } from '@workshare/eventsourcing';
import { APPENDER_LOCK_KEY } from '../src/schema.js';

/** The horizon before the fix: only holders with a `transactionid` row in pg_locks held reads back. */
export const legacyHorizonSql = (schema: string): string => `
SELECT coalesce(
  (SELECT min(x) FROM pg_snapshot_xip(pg_current_snapshot()) AS x
    WHERE x::xid IN (
      SELECT t.transactionid FROM pg_locks a JOIN pg_locks t ON t.virtualtransaction = a.virtualtransaction
       WHERE a.locktype = 'advisory' AND a.classid = ${APPENDER_LOCK_KEY} AND a.objsubid = 2
         AND a.objid = (hashtext('${schema}')::bigint & 4294967295)::oid
         AND t.locktype = 'transactionid')),
  pg_snapshot_xmax(pg_current_snapshot()))::text AS horizon`;

/** A global reader like the store's (horizon first, then the read below it), with the old horizon. */
export const legacyReader = (pool: pg.Pool, schema: string) => {
  const checkpoints = new Map<string, GlobalPosition>();
  return {
    async readAll(options: { after?: GlobalPosition; limit?: number } = {}): Promise<RecordedEvent[]> {
      const after = options.after ?? START;
      const [{ horizon }] = (await pool.query(legacyHorizonSql(schema))).rows as [{ horizon: string }];
      const rows = (
        await pool.query(
          `SELECT event_id, transaction_id::text AS commit, global_position::text AS prepare, stream_name, stream_version::int AS version
             FROM ${schema}.events WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint) AND transaction_id < $3::text::xid8
            ORDER BY transaction_id, global_position LIMIT $4`,
          [after.commit.toString(), after.prepare.toString(), horizon, options.limit ?? 1000],
        )
      ).rows as { event_id: string; commit: string; prepare: string; stream_name: string; version: number }[];
      return rows.map(
        (r) =>
          ({
            id: r.event_id,
            position: { commit: BigInt(r.commit), prepare: BigInt(r.prepare) },
            streamName: r.stream_name,
            streamVersion: r.version,
          }) as RecordedEvent,
      );
    },
    async headPosition(): Promise<GlobalPosition> {
      return START;
    },
    async readCheckpoint(id: string) {
      return checkpoints.get(id);
    },
    async storeCheckpoint(id: string, position: GlobalPosition) {
      checkpoints.set(id, position);
    },
  };
};
