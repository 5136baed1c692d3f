import { randomBytes } from 'node:crypto';
import { embeddedDriver, type SqlDriver } from '@workshare/eventstore';
import { SqlKeyVault } from '../../src/adapters/sql-key-vault.js';
import { foundInRelationFiles, readRelationFiles, type RowQuery } from '../../src/testing.js';
import { describeKeyVaultContract } from './key-vault.contract.js';

describeKeyVaultContract('SQL on the embedded PGlite', () => SqlKeyVault.open(embeddedDriver('memory')));

describe('SQL key vault schema', () => {
  it('opens twice on one database (migrations are idempotent) and shares what was stored', async () => {
    const driver = embeddedDriver('memory');
    const first = await SqlKeyVault.open(driver, { schema: 'keys_twice' });
    await first.storeKey('member-1', 'wrapped');
    const second = await SqlKeyVault.open(driver, { schema: 'keys_twice' });
    await expect(second.fetchKey('member-1')).resolves.toEqual({ state: 'active', wrapped: 'wrapped' });
    await driver.close();
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    const driver = embeddedDriver('memory');
    await expect(SqlKeyVault.open(driver, { schema: 'keys; DROP TABLE x' })).rejects.toThrow(TypeError);
    await driver.close();
  });
});

describe('SQL key vault on the embedded PGlite: forgetting is complete', () => {
  // One database for the three (PGlite is slow to start): each works on owners of its own.
  let driver: SqlDriver;
  let vault: SqlKeyVault;
  beforeAll(async () => {
    driver = embeddedDriver('memory');
    vault = await SqlKeyVault.open(driver);
  }, 120_000);
  afterAll(async () => {
    await driver?.close();
  });
  const doomed = () => `v1.${randomBytes(12).toString('base64url')}.${randomBytes(32).toString('base64url')}.tag`;
  const query: RowQuery = (sql, params) => driver.query(sql, params);
  /** Which needles which relations hold, from one read of every file of the database. */
  const holders = async (needles: Record<string, string>) =>
    foundInRelationFiles(await readRelationFiles(query), needles).map((f) => `${f.needle}: ${f.relation}`);

  it('leaves no copy of a destroyed key in any file of the database, dead row versions included', async () => {
    const kept = doomed();
    const wrapped = doomed();
    await vault.storeKey('member-kept', kept);
    await vault.storeKey('member-forgotten', wrapped);
    // The pages do hold a stored key (so that finding none below means something).
    expect(await holders({ wrapped })).toEqual(['wrapped: identity_keys.data_keys']);

    await vault.destroyKey('member-forgotten');

    expect(await holders({ wrapped, kept })).toEqual(['kept: identity_keys.data_keys']);
    expect(await vault.compactionDue()).toBe(false);
    await expect(vault.fetchKey('member-forgotten')).resolves.toMatchObject({ state: 'destroyed' });
    // The others' keys stay as they were.
    await expect(vault.fetchKey('member-kept')).resolves.toEqual({ state: 'active', wrapped: kept });
  }, 180_000);

  it('an update alone would leave the old row version behind: what the compaction is for', async () => {
    const wrapped = doomed();
    await driver.query(`INSERT INTO identity_keys.data_keys (owner_id, wrapped_key) VALUES ('member-x', $1)`, [
      wrapped,
    ]);
    await driver.query(
      `UPDATE identity_keys.data_keys SET wrapped_key = NULL, destroyed_at = now() WHERE owner_id = 'member-x'`,
    );
    expect(await holders({ wrapped })).toEqual(['wrapped: identity_keys.data_keys']);
    // What a crash between the destroy and its compaction leaves: the next open finishes it.
    await driver.query(
      `INSERT INTO identity_keys.compaction_due (relation) VALUES ('data_keys') ON CONFLICT DO NOTHING`,
    );

    const reopened = await SqlKeyVault.open(driver);

    expect(await reopened.compactionDue()).toBe(false);
    expect(await holders({ wrapped })).toEqual([]);
  }, 180_000);
});
