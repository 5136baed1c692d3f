import { openEventStore, postgresDriver } from '@workshare/eventstore';
import { MasterKey } from '../../src/adapters/master-key.js';
import { SqlKeyVault } from '../../src/adapters/sql-key-vault.js';
import { openIdentityService } from '../../src/open-identity.js';
import { dropSchemas, uniqueSchema, withPostgres } from '../postgres.js';
import { describeIdentityTextInput } from './text-input.suite.js';

withPostgres('what the gRPC host refuses, on PostgreSQL', (url) => {
  const storeSchema = uniqueSchema('text_store');
  const keySchema = uniqueSchema('text_keys');
  afterAll(async () => {
    await dropSchemas(url, [storeSchema, keySchema]);
  });

  describeIdentityTextInput('PostgreSQL store and SQL key vault, schemas of their own', async () => {
    const store = await openEventStore(url, { schema: storeSchema });
    const driver = postgresDriver({ connectionString: url, maxConnections: 4 });
    const vault = await SqlKeyVault.open(driver, { schema: keySchema });
    const runtime = await openIdentityService({
      env: { IDENTITY_MASTER_KEY: MasterKey.generate().toBase64() },
      storeUrl: url,
      store,
      keyVault: vault,
      scryptCost: { N: 1024, r: 8, p: 1 },
    });
    return {
      service: runtime.service,
      store,
      keyCount: async () =>
        Number((await driver.query<{ n: string }>(`SELECT count(*) AS n FROM ${keySchema}.data_keys`))[0]!.n),
      close: async () => {
        await runtime.close();
        await vault.close();
        await store.close();
      },
    };
  });
});
