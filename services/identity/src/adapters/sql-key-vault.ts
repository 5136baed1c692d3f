import { DomainError } from '@workshare/eventsourcing';
import type { SqlDriver } from '@workshare/eventstore';
import type { KeyVault, StoredKey } from '../application/ports.js';

export const DEFAULT_KEY_VAULT_SCHEMA = 'identity_keys';

/**
 * The key vault in SQL: PostgreSQL through `pg`, or the embedded PGlite of the event store's
 * folder (the same database as the store, its own schema). A destroyed key's row keeps only a
 * tombstone (owner and time). PostgreSQL drops the old row version at the next VACUUM; WAL
 * and backups keep it until they expire, so their retention bounds how long a forgotten
 * member's key may linger there (still wrapped by the master key).
 */
export class SqlKeyVault implements KeyVault {
  private constructor(
    private readonly db: SqlDriver,
    private readonly s: string,
  ) {}

  static async open(db: SqlDriver, options: { schema?: string } = {}): Promise<SqlKeyVault> {
    const schema = options.schema ?? DEFAULT_KEY_VAULT_SCHEMA;
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
      throw new TypeError(`schema name ${JSON.stringify(schema)} is not a plain lower-case identifier`);
    await db.transaction(async (query) => {
      // Several processes may start together: one creates, the others wait and find it made.
      await query(`SELECT pg_advisory_xact_lock(4243, hashtext($1))`, [schema]);
      await query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await query(`CREATE TABLE IF NOT EXISTS ${schema}.data_keys (
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
    });
    return new SqlKeyVault(db, schema);
  }

  async storeKey(ownerId: string, wrapped: string): Promise<void> {
    const rows = await this.db.query<{ owner_id: string }>(
      `INSERT INTO ${this.s}.data_keys (owner_id, wrapped_key) VALUES ($1, $2) ON CONFLICT (owner_id) DO NOTHING RETURNING owner_id`,
      [ownerId, wrapped],
    );
    if (rows.length === 0)
      throw new DomainError('identity.data_key_exists', `${ownerId} has (or had) a data key already`, 'conflict');
  }

  async fetchKey(ownerId: string): Promise<StoredKey> {
    const rows = await this.db.query<{ wrapped_key: string | null; destroyed_ms: number | null }>(
      `SELECT wrapped_key, floor(extract(epoch FROM destroyed_at) * 1000)::float8 AS destroyed_ms FROM ${this.s}.data_keys WHERE owner_id = $1`,
      [ownerId],
    );
    const row = rows[0];
    if (!row) return { state: 'absent' };
    if (row.wrapped_key === null) return { state: 'destroyed', destroyedAt: new Date(row.destroyed_ms ?? 0) };
    return { state: 'active', wrapped: row.wrapped_key };
  }

  async destroyKey(ownerId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO ${this.s}.data_keys AS k (owner_id, wrapped_key, destroyed_at) VALUES ($1, NULL, now())
        ON CONFLICT (owner_id) DO UPDATE SET wrapped_key = NULL, destroyed_at = coalesce(k.destroyed_at, now())`,
      [ownerId],
    );
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

  close(): Promise<void> {
    return this.db.close();
  }
}
