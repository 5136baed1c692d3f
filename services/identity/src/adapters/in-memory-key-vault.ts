import { DomainError } from '@workshare/eventsourcing';
import type { KeyVault, StoredKey } from '../application/ports.js';

/** The key vault in a Map. For tests only: keys die with the process, and so would the data. */
export class InMemoryKeyVault implements KeyVault {
  private readonly keys = new Map<string, StoredKey>();
  private readonly secrets = new Map<string, string>();

  async storeKey(ownerId: string, wrapped: string): Promise<void> {
    if (this.keys.has(ownerId))
      throw new DomainError('identity.data_key_exists', `${ownerId} has (or had) a data key already`, 'conflict');
    this.keys.set(ownerId, { state: 'active', wrapped });
  }

  async fetchKey(ownerId: string): Promise<StoredKey> {
    return this.keys.get(ownerId) ?? { state: 'absent' };
  }

  async destroyKey(ownerId: string): Promise<void> {
    const current = this.keys.get(ownerId);
    if (current?.state !== 'destroyed') this.keys.set(ownerId, { state: 'destroyed', destroyedAt: new Date() });
  }

  async storeSecretOnce(name: string, wrapped: string): Promise<string> {
    if (!this.secrets.has(name)) this.secrets.set(name, wrapped);
    return this.secrets.get(name)!;
  }

  /** How many keys are stored (active or destroyed): lets tests see that nothing was kept. */
  get size(): number {
    return this.keys.size;
  }

  async close(): Promise<void> {}
}
