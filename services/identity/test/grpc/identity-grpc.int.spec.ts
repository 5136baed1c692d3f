import { openEventStore, postgresDriver } from '@workshare/eventstore';
import { MasterKey } from '../../src/adapters/master-key.js';
import { SqlKeyVault } from '../../src/adapters/sql-key-vault.js';
import { openIdentityService } from '../../src/open-identity.js';
import { dropSchemas, uniqueSchema, withPostgres } from '../postgres.js';
import { describeIdentityGrpc } from './identity-grpc.suite.js';

withPostgres('identity over gRPC on PostgreSQL', (url) => {
  const storeSchema = uniqueSchema('grpc_store');
  const keySchema = uniqueSchema('grpc_keys');
  afterAll(async () => {
    await dropSchemas(url, [storeSchema, keySchema]);
  });

  describeIdentityGrpc('PostgreSQL store and SQL key vault, schemas of their own', async () => {
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
