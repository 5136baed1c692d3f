/**
 * The SQL key vault on a real PostgreSQL (a throw-away database of its own, read as its
 * superuser): a destroyed key leaves no copy in any file of the database, and an older snapshot
 * that could still see it keeps the compaction due until it ends.
 */
import { randomBytes } from 'node:crypto';
import { createPostgresDatabase, dropPostgresDatabase, postgresDriver, type SqlDriver } from '@workshare/eventstore';
import { describeNeeding } from '../../../../libs/bus/test/support/nats.js';
import { SqlKeyVault } from '../../src/adapters/sql-key-vault.js';
import { foundInRelationFiles, readRelationFiles, type RowQuery } from '../../src/testing.js';
import { uniqueSchema } from '../postgres.js';

describeNeeding(
  'SQL key vault on PostgreSQL: forgetting is complete',
  { DATABASE_URL: process.env.DATABASE_URL },
  ({ DATABASE_URL }) => {
    const database = uniqueSchema('vaultdb');
    let url: string;
    let driver: SqlDriver;
    let vault: SqlKeyVault;
    const doomed = () => `v1.${randomBytes(12).toString('base64url')}.${randomBytes(32).toString('base64url')}.tag`;
    const query: RowQuery = (sql, params) => driver.query(sql, params);
    const holders = async (wrapped: string) =>
      foundInRelationFiles(await readRelationFiles(query), { wrapped }).map((f) => f.relation);

    beforeAll(async () => {
      url = await createPostgresDatabase(DATABASE_URL, database);
      driver = postgresDriver({ connectionString: url, maxConnections: 4 });
      vault = await SqlKeyVault.open(driver, { horizonWaitMs: 500 });
    });
    afterAll(async () => {
      await vault?.close();
      await dropPostgresDatabase(DATABASE_URL, database);
    });

    it('leaves no copy of a destroyed key in any file of the database (heap, TOAST, indexes), dead row versions included', async () => {
      const kept = doomed();
      const wrapped = doomed();
      await vault.storeKey('member-kept', kept);
      await vault.storeKey('member-forgotten', wrapped);
      expect(await holders(wrapped)).toEqual(['identity_keys.data_keys']);

      await vault.destroyKey('member-forgotten');

      expect(await holders(wrapped)).toEqual([]);
      expect(await vault.compactionDue()).toBe(false);
      await expect(vault.fetchKey('member-kept')).resolves.toEqual({ state: 'active', wrapped: kept });
      await expect(vault.fetchKey('member-forgotten')).resolves.toMatchObject({ state: 'destroyed' });
    });

    it('keeps the compaction due while an older snapshot could still see the key, and finishes it after', async () => {
      const wrapped = doomed();
      await vault.storeKey('member-seen', wrapped);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let begun!: () => void;
      const snapshotTaken = new Promise<void>((resolve) => (begun = resolve));
      // Another session's repeatable-read transaction, its snapshot taken before the destroy.
      const reader = driver.transaction(async (q) => {
        await q('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
        await q(`SELECT count(*) FROM identity_keys.data_keys`);
        begun();
        await held;
      });
      await snapshotTaken;

      await vault.destroyKey('member-seen');

      // VACUUM must keep what that snapshot may read: the key is still in the file, and the vault knows it.
      expect(await vault.compactionDue()).toBe(true);
      expect(await holders(wrapped)).toEqual(['identity_keys.data_keys']);
      release();
      await reader;

      await expect(vault.compact()).resolves.toBe(true);
      expect(await vault.compactionDue()).toBe(false);
      expect(await holders(wrapped)).toEqual([]);
    });

    it('finishes a compaction left due when another process opens the vault', async () => {
      const wrapped = doomed();
      await vault.storeKey('member-crash', wrapped);
      await driver.transaction(async (q) => {
        await q(
          `UPDATE identity_keys.data_keys SET wrapped_key = NULL, destroyed_at = now() WHERE owner_id = 'member-crash'`,
        );
        await q(`INSERT INTO identity_keys.compaction_due (relation) VALUES ('data_keys') ON CONFLICT DO NOTHING`);
      });
      expect(await holders(wrapped)).toEqual(['identity_keys.data_keys']);
      // Another process (a pool of its own) starting on the same database.
      const again = await SqlKeyVault.open(postgresDriver({ connectionString: url, maxConnections: 1 }), {
        horizonWaitMs: 500,
      });
      expect(await again.compactionDue()).toBe(false);
      expect(await holders(wrapped)).toEqual([]);
      await again.close();
    });
  },
);
