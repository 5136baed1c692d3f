import { createHash } from 'node:crypto';
import { DomainError } from '@workshare/eventsourcing';
import { systemClock, type Clock } from '@workshare/time';
import { LRUCache } from 'lru-cache';

/** At most `max` attempts per key within `windowMs`. */
export interface AttemptWindow {
  readonly max: number;
  readonly windowMs: number;
}

export interface AttemptCounterOptions {
  /** How many keys are followed at once (default 100,000; the least recently used are dropped). */
  readonly maxKeys?: number;
  /**
   * The platform's clock, which the windows are counted on (default systemClock; the platform
   * run at a simulated time passes its own, tests too).
   */
  readonly now?: Clock;
}

interface Count {
  count: number;
  /** When the window that opened with the key's first counted attempt closes. */
  readonly resetAt: number;
}

/**
 * Attempts per key in a fixed window that opens with the key's first counted attempt and closes
 * `windowMs` later (then the key starts afresh). In memory, one per process, bounded by `maxKeys`.
 */
export class AttemptCounter {
  private readonly counts: LRUCache<string, Count>;
  private readonly clock: Clock;

  constructor(
    readonly window: AttemptWindow,
    options: AttemptCounterOptions = {},
  ) {
    if (!Number.isSafeInteger(window.max) || window.max < 1)
      throw new TypeError(`max ${window.max} is not a whole number ≥ 1`);
    if (!Number.isFinite(window.windowMs) || window.windowMs <= 0)
      throw new TypeError(`windowMs ${window.windowMs} is not a duration > 0`);
    this.clock = options.now ?? systemClock;
    this.counts = new LRUCache({ max: options.maxKeys ?? 100_000 });
  }

  private now(): number {
    return this.clock().getTime();
  }

  private current(key: string): Count | undefined {
    const count = this.counts.get(key);
    if (count !== undefined && count.resetAt <= this.now()) {
      this.counts.delete(key);
      return undefined;
    }
    return count;
  }

  /** How long the key must wait before its next attempt, in ms: 0 while it has attempts left. */
  blockedForMs(key: string): number {
    const count = this.current(key);
    return count !== undefined && count.count >= this.window.max ? count.resetAt - this.now() : 0;
  }

  /** Counts one attempt of the key. */
  count(key: string): void {
    const count = this.current(key);
    if (count === undefined) this.counts.set(key, { count: 1, resetAt: this.now() + this.window.windowMs });
    else count.count++;
  }

  /** Forgets the key's attempts. */
  reset(key: string): void {
    this.counts.delete(key);
  }
}

/** The code of a sign-in refused for too many failed attempts (kind `exhausted`: RESOURCE_EXHAUSTED, 429). */
export const TOO_MANY_ATTEMPTS = 'auth.too_many_attempts';

export interface LoginAttemptLimits {
  /** Failed sign-ins per account (its email) before it is refused, right password or not. */
  readonly perAccount: AttemptWindow;
  /** Failed sign-ins per client address before it is refused, whatever the account. */
  readonly perAddress: AttemptWindow;
}

/** 10 failures per account and 100 per address within 15 minutes. */
export const DEFAULT_LOGIN_ATTEMPT_LIMITS: LoginAttemptLimits = Object.freeze({
  perAccount: Object.freeze({ max: 10, windowMs: 15 * 60_000 }),
  perAddress: Object.freeze({ max: 100, windowMs: 15 * 60_000 }),
});

/** One sign-in attempt: the email it names (as typed) and where it comes from, if known. */
export interface LoginAttempt {
  readonly email: string;
  readonly address: string | undefined;
}

/** The key of an account: a digest of its email, trimmed, NFKC and lower-cased (no email is kept in memory). */
const accountKey = (email: string): string => {
  let normal = typeof email === 'string' ? email.trim() : '';
  try {
    normal = normal.normalize('NFKC').toLowerCase();
  } catch {
    // text that cannot be normalised (a lone surrogate) is counted as sent
  }
  return createHash('sha256').update(normal).digest('base64url');
};

/**
 * The one limit of sign-in attempts, for identity's Login RPC and the gateway's
 * `POST /v1/auth/login` alike: failed attempts are counted per account and per client address;
 * once either is over its limit, every attempt is refused before any password is checked (the
 * right one too) with `auth.too_many_attempts` (DomainError of kind `exhausted`, details
 * `retryAfterSeconds`) until its window has passed. A success forgets the account's failures.
 * In memory, per process (each replica counts for itself).
 */
export class LoginAttemptLimiter {
  private readonly accounts: AttemptCounter;
  private readonly addresses: AttemptCounter;

  constructor(limits: LoginAttemptLimits = DEFAULT_LOGIN_ATTEMPT_LIMITS, options: AttemptCounterOptions = {}) {
    this.accounts = new AttemptCounter(limits.perAccount, options);
    this.addresses = new AttemptCounter(limits.perAddress, options);
  }

  /** Throws `auth.too_many_attempts` while the attempt's account or address is over its limit. */
  check(attempt: LoginAttempt): void {
    const waitMs = Math.max(
      this.accounts.blockedForMs(accountKey(attempt.email)),
      attempt.address === undefined ? 0 : this.addresses.blockedForMs(attempt.address),
    );
    if (waitMs > 0) {
      const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
      throw new DomainError(
        TOO_MANY_ATTEMPTS,
        `too many failed sign-ins: try again in ${retryAfterSeconds} s`,
        'exhausted',
        { retryAfterSeconds },
      );
    }
  }

  failed(attempt: LoginAttempt): void {
    this.accounts.count(accountKey(attempt.email));
    if (attempt.address !== undefined) this.addresses.count(attempt.address);
  }

  succeeded(attempt: LoginAttempt): void {
    this.accounts.reset(accountKey(attempt.email));
  }

  /**
   * Checks the attempt, signs in, and counts the outcome: an error `isFailure` says is a wrong
   * email or password counts as a failure (anything else, an outage, counts as nothing).
   */
  async attempt<T>(
    attempt: LoginAttempt,
    signIn: () => Promise<T>,
    isFailure: (error: unknown) => boolean,
  ): Promise<T> {
    this.check(attempt);
    try {
      const result = await signIn();
      this.succeeded(attempt);
      return result;
    } catch (error) {
      if (isFailure(error)) this.failed(attempt);
      throw error;
    }
  }
}
