import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { PasswordHasher } from '../application/ports.js';

/**
 * Passwords hashed with scrypt and a per-user random salt, as `scrypt$<N>$<r>$<p>$<salt>$<hash>`
 * (base64url), so that the cost can be raised later without breaking older hashes. Compared
 * in constant time. The default cost (N = 2^15, r = 8, p = 1: 32 MiB, tens of ms) follows
 * OWASP's advice; tests pass a lower one.
 */
export interface ScryptCost {
  /** CPU/memory cost, a power of two. */
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

export const DEFAULT_SCRYPT_COST: ScryptCost = Object.freeze({ N: 2 ** 15, r: 8, p: 1 });

const KEY_LENGTH = 32;

const derive = (password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });

const PATTERN = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

export class ScryptPasswordHasher implements PasswordHasher {
  private readonly dummy: Promise<string>;

  constructor(private readonly cost: ScryptCost = DEFAULT_SCRYPT_COST) {
    if (!Number.isInteger(Math.log2(cost.N)) || cost.N < 2) throw new TypeError('scrypt N must be a power of two');
    // Compared against when there is no account, so that an unknown email costs as much time as a known one.
    this.dummy = this.hash(randomBytes(18).toString('base64url'));
    this.dummy.catch(() => undefined);
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await derive(password, salt, this.cost);
    const { N, r, p } = this.cost;
    return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
  }

  async verify(password: string, hash: string | undefined): Promise<boolean> {
    const stored = hash ?? (await this.dummy);
    const m = PATTERN.exec(stored);
    if (!m) return false;
    const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const salt = Buffer.from(m[4]!, 'base64url');
    const expected = Buffer.from(m[5]!, 'base64url');
    const actual = await derive(typeof password === 'string' ? password : '', salt, { N, r, p });
    const same = actual.length === expected.length && timingSafeEqual(actual, expected);
    return same && hash !== undefined;
  }
}
