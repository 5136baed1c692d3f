import { embeddedDriver } from '@workshare/eventstore';
import { SqlKeyVault } from '../../src/adapters/sql-key-vault.js';
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
