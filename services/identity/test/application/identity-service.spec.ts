import { openEventStore } from '@workshare/eventstore';
import { InMemoryKeyVault } from '../../src/adapters/in-memory-key-vault.js';
import { MasterKey } from '../../src/adapters/master-key.js';
import { openIdentityService } from '../../src/open-identity.js';
import { describeIdentityService } from './identity-service.suite.js';

describeIdentityService('embedded store, in-memory key vault', async () => {
  const store = await openEventStore('embedded:memory');
  const vault = new InMemoryKeyVault();
  let offset = 0;
  const runtime = await openIdentityService({
    env: { IDENTITY_MASTER_KEY: MasterKey.generate().toBase64() },
    storeUrl: 'embedded:memory',
    store,
    keyVault: vault,
    scryptCost: { N: 1024, r: 8, p: 1 },
    now: () => new Date(Date.now() + offset),
  });
  return {
    service: runtime.service,
    store,
    vault,
    keyCount: async () => vault.size,
    advanceClock: (ms) => {
      offset += ms;
    },
    close: async () => {
      await runtime.close();
      await store.close();
    },
  };
});
