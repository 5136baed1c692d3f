import { openEventStore } from '@workshare/eventstore';
import { InMemoryKeyVault } from '../../src/adapters/in-memory-key-vault.js';
import { MasterKey } from '../../src/adapters/master-key.js';
import { openIdentityService } from '../../src/open-identity.js';
import { describeIdentityTextInput } from './text-input.suite.js';

describeIdentityTextInput('embedded store in memory, in-memory key vault', async () => {
  const store = await openEventStore('embedded:memory');
  const vault = new InMemoryKeyVault();
  const runtime = await openIdentityService({
    env: { IDENTITY_MASTER_KEY: MasterKey.generate().toBase64() },
    storeUrl: 'embedded:memory',
    store,
    keyVault: vault,
    scryptCost: { N: 1024, r: 8, p: 1 },
  });
  return {
    service: runtime.service,
    store,
    keyCount: async () => vault.size,
    close: async () => {
      await runtime.close();
      await store.close();
    },
  };
});
