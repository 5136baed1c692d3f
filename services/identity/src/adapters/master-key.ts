import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DomainError } from '@workshare/eventsourcing';
import { open, seal } from './aes-gcm.js';
import type { EmailIndex } from '../application/ports.js';

/**
 * The master key (IDENTITY_MASTER_KEY, base64 of 32 bytes) wraps every person's data key and
 * the token signing key, and keys the email index. It never leaves the process.
 */
export class MasterKey {
  private constructor(private readonly key: Buffer) {}

  static fromBase64(text: string): MasterKey {
    const trimmed = typeof text === 'string' ? text.trim() : '';
    const key = Buffer.from(trimmed, 'base64');
    if (!/^[A-Za-z0-9+/]{43}=?$/.test(trimmed) || key.length !== 32) {
      throw new DomainError(
        'identity.invalid_master_key',
        'IDENTITY_MASTER_KEY must be the base64 encoding of exactly 32 bytes (openssl rand -base64 32)',
        'invalid',
      );
    }
    return new MasterKey(key);
  }

  static generate(): MasterKey {
    return new MasterKey(randomBytes(32));
  }

  toBase64(): string {
    return this.key.toString('base64');
  }

  /** Encrypts a key or secret, bound to what it is for (`data-key:<owner>`, `secret:<name>`). */
  wrap(material: Uint8Array, purpose: string): string {
    return seal(this.key, material, `workshare-identity/${purpose}`);
  }

  unwrap(wrapped: string, purpose: string): Buffer {
    return open(this.key, wrapped, `workshare-identity/${purpose}`);
  }

  /** A sub-key for one use, so that no two uses share key material (HKDF-SHA256). */
  derive(info: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.key, Buffer.alloc(0), `workshare-identity/${info}`, 32));
  }
}

/**
 * HMAC-SHA256 of the normalised email under a key derived from the master key: the same email
 * always gives the same digest (so it can name the reservation stream and find the account at
 * login), but without the master key nobody can test guessed emails against the store.
 */
export const hmacEmailIndex = (master: MasterKey): EmailIndex => {
  const key = master.derive('email-index');
  return { digest: (email) => createHmac('sha256', key).update(email, 'utf8').digest('hex') };
};

export const MASTER_KEY_FILE = 'identity-master.key';

/**
 * The master key to use: IDENTITY_MASTER_KEY when set; for the embedded store in a folder, a
 * key generated once and kept in that folder (mode 0600) beside the data it protects (the
 * laptop default: fine for a demo, not for production); for `embedded:memory`, a throw-away
 * key. Any other store (PostgreSQL, KurrentDB) needs IDENTITY_MASTER_KEY.
 */
export const resolveMasterKey = (env: Readonly<Record<string, string | undefined>>, storeUrl: string): MasterKey => {
  const configured = env.IDENTITY_MASTER_KEY;
  if (configured !== undefined && configured.trim() !== '') return MasterKey.fromBase64(configured);
  if (storeUrl === 'embedded:memory') return MasterKey.generate();
  if (storeUrl.startsWith('embedded:')) {
    const file = join(resolve(storeUrl.slice('embedded:'.length)), MASTER_KEY_FILE);
    try {
      return MasterKey.fromBase64(readFileSync(file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    mkdirSync(dirname(file), { recursive: true });
    const generated = MasterKey.generate();
    try {
      writeFileSync(file, `${generated.toBase64()}\n`, { mode: 0o600, flag: 'wx' });
      return generated;
    } catch (error) {
      // Another process of this folder wrote it first: use theirs.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return MasterKey.fromBase64(readFileSync(file, 'utf8'));
      throw error;
    }
  }
  throw new DomainError(
    'identity.master_key_missing',
    'IDENTITY_MASTER_KEY is not set: a store other than the embedded one needs it (base64 of 32 bytes: openssl rand -base64 32)',
    'invalid',
  );
};
