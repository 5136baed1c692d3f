import { DomainError } from '@workshare/eventsourcing';
import type { SqlDriver } from '@workshare/eventstore';
import type { KeyVault, StoredKey } from '../application/ports.js';

export const DEFAULT_KEY_VAULT_SCHEMA = 'identity_keys';

/** How long a compaction waits for older snapshots to end before it rewrites the key table anyway (and stays due). */
export const DEFAULT_HORIZON_WAIT_MS = 3_000;

export interface SqlKeyVaultOptions {
  readonly schema?: string;
  /** See DEFAULT_HORIZON_WAIT_MS. */
  readonly horizonWaitMs?: number;
}

/** The one table whose rewrite a destroyed key calls for. */
const KEY_TABLE = 'data_keys';

/**
 * The key vault in SQL: PostgreSQL through `pg`, or the embedded PGlite of the event store's
 * folder (the same database as the store, its own schema). A destroyed key's row keeps only a
 * tombstone (owner and time).
 *
 * Destroying is complete in the database: the UPDATE that erases a key leaves its old row
 * version (the wrapped key) in the table's file until it is vacuumed, and a plain VACUUM only
 * marks that space free without overwriting it. So the destroy also records, in the same
 * transaction, that the key table is due for compaction (`compaction_due`), and then compacts
 * it: it waits (at most `horizonWaitMs`) until no transaction of the database still holds a
 * snapshot older than the destroy (one could still see the old version, and VACUUM keeps what
 * someone may see) nor a lock on the key table, then runs `VACUUM FULL` on the key table, which
 * writes its live rows into a new file and drops the old one, and removes the record. Should
 * the process die in between, or an old transaction hold on past the wait, the compaction stays
 * due and the next open of the vault (a start) or the next destroy finishes it. `compactionDue()` tells whether one is due. WAL and backups are outside the
 * database's files: see the README (what remains after a forget).
 */
export class SqlKeyVault implements KeyVault {
  private compacting: Promise<boolean> | undefined;
  private again = false;

  private constructor(
    private readonly db: SqlDriver,
    private readonly s: string,
    private readonly horizonWaitMs: number,
  ) {}

  static async open(db: SqlDriver, options: SqlKeyVaultOptions = {}): Promise<SqlKeyVault> {
    const schema = options.schema ?? DEFAULT_KEY_VAULT_SCHEMA;
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
      throw new TypeError(`schema name ${JSON.stringify(schema)} is not a plain lower-case identifier`);
    await db.transaction(async (query) => {
      // Several processes may start together: one creates, the others wait and find it made.
      await query(`SELECT pg_advisory_xact_lock(4243, hashtext($1))`, [schema]);
      await query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await query(`CREATE TABLE IF NOT EXISTS ${schema}.${KEY_TABLE} (
        owner_id     text PRIMARY KEY,
        wrapped_key  text,
        created_at   timestamptz NOT NULL DEFAULT now(),
        destroyed_at timestamptz,
        CHECK ((wrapped_key IS NULL) = (destroyed_at IS NOT NULL))
      )`);
      await query(`CREATE TABLE IF NOT EXISTS ${schema}.secrets (
        name       text PRIMARY KEY,
        wrapped    text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
      // A key table with destroyed keys' old row versions possibly still in its file.
      await query(`CREATE TABLE IF NOT EXISTS ${schema}.compaction_due (
        relation     text PRIMARY KEY,
        since        timestamptz NOT NULL DEFAULT now(),
        destroyed_by xid8 NOT NULL DEFAULT pg_current_xact_id()
      )`);
    });
    const vault = new SqlKeyVault(db, schema, options.horizonWaitMs ?? DEFAULT_HORIZON_WAIT_MS);
    // A destroy whose compaction did not finish (the process died, an old snapshot held on): finish it now.
    if (await vault.compactionDue()) await vault.compact();
    return vault;
  }

  async storeKey(ownerId: string, wrapped: string): Promise<void> {
    const rows = await this.db.query<{ owner_id: string }>(
      `INSERT INTO ${this.s}.${KEY_TABLE} (owner_id, wrapped_key) VALUES ($1, $2) ON CONFLICT (owner_id) DO NOTHING RETURNING owner_id`,
      [ownerId, wrapped],
    );
    if (rows.length === 0)
      throw new DomainError('identity.data_key_exists', `${ownerId} has (or had) a data key already`, 'conflict');
  }

  async fetchKey(ownerId: string): Promise<StoredKey> {
    const rows = await this.db.query<{ wrapped_key: string | null; destroyed_ms: number | null }>(
      `SELECT wrapped_key, floor(extract(epoch FROM destroyed_at) * 1000)::float8 AS destroyed_ms FROM ${this.s}.${KEY_TABLE} WHERE owner_id = $1`,
      [ownerId],
    );
    const row = rows[0];
    if (!row) return { state: 'absent' };
    if (row.wrapped_key === null) return { state: 'destroyed', destroyedAt: new Date(row.destroyed_ms ?? 0) };
    return { state: 'active', wrapped: row.wrapped_key };
  }

  /** Erases the key (a tombstone stays) and compacts the key table, so that no old version of the row remains in it. */
  async destroyKey(ownerId: string): Promise<void> {
    await this.db.transaction(async (query) => {
      await query(
        `INSERT INTO ${this.s}.${KEY_TABLE} AS k (owner_id, wrapped_key, destroyed_at) VALUES ($1, NULL, now())
          ON CONFLICT (owner_id) DO UPDATE SET wrapped_key = NULL, destroyed_at = coalesce(k.destroyed_at, now())`,
        [ownerId],
      );
      // Marked in the same transaction (which it names): a crash before the compaction leaves it due.
      await query(
        `INSERT INTO ${this.s}.compaction_due (relation) VALUES ($1)
          ON CONFLICT (relation) DO UPDATE SET since = now(), destroyed_by = pg_current_xact_id()`,
        [KEY_TABLE],
      );
    });
    await this.compact();
  }

  /** Whether a destroyed key's old row version may still be in the key table's file (a compaction is due). */
  async compactionDue(): Promise<boolean> {
    const rows = await this.db.query<{ relation: string }>(
      `SELECT relation FROM ${this.s}.compaction_due WHERE relation = $1`,
      [KEY_TABLE],
    );
    return rows.length > 0;
  }

  /**
   * Rewrites the key table if a compaction is due (see the class): true when none is due any
   * more. Calls made while one runs are served by one more run after it (a destroy made
   * meanwhile is covered).
   */
  compact(): Promise<boolean> {
    if (this.compacting !== undefined) {
      this.again = true;
      return this.compacting;
    }
    const run = async (): Promise<boolean> => {
      let done: boolean;
      do {
        this.again = false;
        done = await this.compactOnce();
      } while (this.again);
      return done;
    };
    const running = run().finally(() => {
      this.compacting = undefined;
    });
    this.compacting = running;
    return running;
  }

  private async compactOnce(): Promise<boolean> {
    const due = await this.db.query<{ xid: string; xid8: string }>(
      `SELECT xmin::text AS xid, destroyed_by::text AS xid8 FROM ${this.s}.compaction_due WHERE relation = $1`,
      [KEY_TABLE],
    );
    const marker = due[0];
    if (marker === undefined) return true;
    // Until then VACUUM would keep the old row version (or wait behind a lock, and every key read behind it).
    if (!(await this.waitUntilCompactable(marker))) return false;
    // VACUUM runs outside any transaction (each driver's query is a statement of its own).
    await this.db.query(`VACUUM FULL ${this.s}.${KEY_TABLE}`);
    // Only the destroy this compaction covered: a later one has marked it again.
    await this.db.query(`DELETE FROM ${this.s}.compaction_due WHERE relation = $1 AND destroyed_by = $2::xid8`, [
      KEY_TABLE,
      marker.xid8,
    ]);
    return !(await this.compactionDue());
  }

  /**
   * Waits until nothing could keep the destroyed key's old row version alive through a VACUUM
   * FULL, nor hold it up: no transaction still running that began before the destroy committed
   * (the current snapshot's xmin is past it), no other session holding a snapshot from before it
   * (`pg_stat_activity.backend_xmin`: seen for sessions of the same role, or all with
   * pg_read_all_stats), and no other session holding a lock on the key table (an open
   * transaction that read it). False when `horizonWaitMs` passed first.
   */
  private async waitUntilCompactable(marker: { xid: string; xid8: string }): Promise<boolean> {
    const deadline = Date.now() + this.horizonWaitMs;
    for (;;) {
      const rows = await this.db.query<{ blockers: number }>(
        `SELECT (SELECT count(*) FROM pg_stat_activity
                  WHERE datname = current_database() AND pid <> pg_backend_pid()
                    AND ((backend_xmin IS NOT NULL AND age(backend_xmin) >= age($1::xid))
                      OR (backend_xid IS NOT NULL AND age(backend_xid) >= age($1::xid))))::int
              + (CASE WHEN pg_snapshot_xmin(pg_current_snapshot()) > $2::xid8 THEN 0 ELSE 1 END)
              + (SELECT count(*) FROM pg_locks
                  WHERE locktype = 'relation' AND pid <> pg_backend_pid()
                    AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                    AND relation = '${this.s}.${KEY_TABLE}'::regclass)::int AS blockers`,
        [marker.xid, marker.xid8],
      );
      if ((rows[0]?.blockers ?? 0) === 0) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async storeSecretOnce(name: string, wrapped: string): Promise<string> {
    await this.db.query(`INSERT INTO ${this.s}.secrets (name, wrapped) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [
      name,
      wrapped,
    ]);
    const rows = await this.db.query<{ wrapped: string }>(`SELECT wrapped FROM ${this.s}.secrets WHERE name = $1`, [
      name,
    ]);
    return rows[0]!.wrapped;
  }

  async close(): Promise<void> {
    await this.compacting?.catch(() => undefined);
    await this.db.close();
  }
}
