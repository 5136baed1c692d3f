import { randomBytes } from 'node:crypto';
import { DomainError, type JsonObject } from '@workshare/eventsourcing';
import { open, seal, SealError } from './aes-gcm.js';
import type { MasterKey } from './master-key.js';
import type { DataKeyDraft, KeyVault, PersonalDataProtector, Unsealed, UnsealedText } from '../application/ports.js';

/** How many unwrapped data keys are kept in memory (the first fetched goes first when full). */
export const DEFAULT_KEY_CACHE_SIZE = 10_000;

/**
 * Envelope encryption: each person's data is sealed (AES-256-GCM) with her own random data key;
 * the data key is stored in the key vault wrapped by the master key. Shredding destroys the
 * data key: the sealed data in the events stays as it is, and can never be opened again.
 *
 * Data keys in use are kept unwrapped in memory (bounded: the first fetched goes first), so that
 * reading a member costs no key vault query; shredding drops the key here before it is
 * destroyed in the vault. Another process's shredding is seen through the member's
 * `MemberForgotten`, which the service checks before it opens anything.
 */
export class EnvelopeEncryption implements PersonalDataProtector {
  private readonly keys = new Map<string, Buffer>();

  constructor(
    private readonly vault: KeyVault,
    private readonly master: MasterKey,
    private readonly cacheSize: number = DEFAULT_KEY_CACHE_SIZE,
  ) {}

  newKey(ownerId: string): DataKeyDraft {
    const key = randomBytes(32);
    return {
      seal: (data) => seal(key, Buffer.from(JSON.stringify(data), 'utf8'), dataPurpose(ownerId)),
      persist: () => this.vault.storeKey(ownerId, this.master.wrap(key, keyPurpose(ownerId))),
    };
  }

  async open(ownerId: string, sealed: string): Promise<Unsealed> {
    const key = this.keys.get(ownerId) ?? (await this.fetch(ownerId));
    if (key === undefined) return { status: 'shredded' };
    const data: unknown = JSON.parse(open(key, sealed, dataPurpose(ownerId)).toString('utf8'));
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new DomainError(
        'identity.personal_data_unreadable',
        `personal data of ${ownerId} is not an object`,
        'rule',
      );
    }
    return { status: 'readable', data: data as JsonObject };
  }

  async sealText(ownerId: string, text: string): Promise<string | undefined> {
    const key = this.keys.get(ownerId) ?? (await this.fetch(ownerId));
    if (key === undefined) return undefined;
    return seal(key, Buffer.from(text, 'utf8'), textPurpose(ownerId));
  }

  async openText(ownerId: string, sealed: string): Promise<UnsealedText> {
    const key = this.keys.get(ownerId) ?? (await this.fetch(ownerId));
    if (key === undefined) return { status: 'shredded' };
    try {
      return { status: 'readable', text: open(key, sealed, textPurpose(ownerId)).toString('utf8') };
    } catch (error) {
      if (error instanceof SealError) return { status: 'unreadable' };
      throw error;
    }
  }

  shred(ownerId: string): Promise<void> {
    this.keys.delete(ownerId);
    return this.vault.destroyKey(ownerId);
  }

  /** The owner's data key from the vault, unwrapped and remembered; undefined when it was destroyed. */
  private async fetch(ownerId: string): Promise<Buffer | undefined> {
    const stored = await this.vault.fetchKey(ownerId);
    if (stored.state === 'destroyed') return undefined;
    if (stored.state === 'absent') {
      // Not forgotten, yet no key: the vault is not the one these events were written with.
      throw new DomainError(
        'identity.data_key_missing',
        `no data key for ${ownerId} in the key vault (is it the vault of this store?)`,
        'rule',
      );
    }
    const key = this.master.unwrap(stored.wrapped, keyPurpose(ownerId));
    if (this.cacheSize > 0) {
      if (this.keys.size >= this.cacheSize) {
        const oldest = this.keys.keys().next();
        if (!oldest.done) this.keys.delete(oldest.value);
      }
      this.keys.set(ownerId, key);
    }
    return key;
  }
}

const keyPurpose = (ownerId: string) => `data-key:${ownerId}`;
const dataPurpose = (ownerId: string) => `personal-data:${ownerId}`;
/** Free texts about the owner (other services' reasons and notes): the same key, bound to another purpose. */
const textPurpose = (ownerId: string) => `personal-text:${ownerId}`;
