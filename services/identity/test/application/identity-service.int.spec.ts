import { openEventStore, postgresDriver } from '@workshare/eventstore';
import { SqlKeyVault } from '../../src/adapters/sql-key-vault.js';
import { MasterKey } from '../../src/adapters/master-key.js';
import { openIdentityService } from '../../src/open-identity.js';
import { describeKeyVaultContract } from '../adapters/key-vault.contract.js';
import { dropSchemas, uniqueSchema, withPostgres } from '../postgres.js';
import { describeIdentityService } from './identity-service.suite.js';

withPostgres('identity on PostgreSQL', (url) => {
  const storeSchema = uniqueSchema('store');
  const keySchema = uniqueSchema('keys');
  const contractSchema = uniqueSchema('vault');
  afterAll(async () => {
    await dropSchemas(url, [storeSchema, keySchema, contractSchema]);
  });

  describeKeyVaultContract('SQL on PostgreSQL', () =>
    SqlKeyVault.open(postgresDriver({ connectionString: url, maxConnections: 4 }), { schema: contractSchema }),
  );

  describeIdentityService('PostgreSQL store, SQL key vault', async () => {
    const store = await openEventStore(url, { schema: storeSchema });
    const driver = postgresDriver({ connectionString: url, maxConnections: 4 });
    const vault = await SqlKeyVault.open(driver, { schema: keySchema });
    let offset = 0;
    const runtime = await openIdentityService({
      env: { IDENTITY_MASTER_KEY: MasterKey.generate().toBase64() },
      storeUrl: url,
      store,
      keyVault: vault,
      scryptCost: { N: 1024, r: 8, p: 1 },
      now: () => new Date(Date.now() + offset),
    });
    return {
      service: runtime.service,
      store,
      vault,
      keyCount: async () =>
        Number((await driver.query<{ n: string }>(`SELECT count(*) AS n FROM ${keySchema}.data_keys`))[0]!.n),
      advanceClock: (ms) => {
        offset += ms;
      },
      close: async () => {
        await runtime.close();
        await vault.close();
        await store.close();
      },
    };
  });
});
