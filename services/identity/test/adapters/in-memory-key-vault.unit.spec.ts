import { InMemoryKeyVault } from '../../src/adapters/in-memory-key-vault.js';
import { describeKeyVaultContract } from './key-vault.contract.js';

describeKeyVaultContract('in memory', async () => new InMemoryKeyVault());
