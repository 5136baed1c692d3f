import { createHash, randomBytes } from 'node:crypto';
import { CommandHandler, DomainError, isUuid, uuidv7, type EventStore } from '@workshare/eventsourcing';
import type { Clock } from '@workshare/time';
import { LRUCache } from 'lru-cache';
import type { AccountKind } from '../domain/account.js';
import {
  invalidRefreshToken,
  sessionDecider,
  sessionStream,
  type SessionCommand,
  type SessionEndReason,
  type SessionEvent,
  type SessionState,
} from '../domain/session.js';

/** How long a session's refresh tokens work after its login (default 7 days); a refresh does not extend it. */
export const DEFAULT_REFRESH_TTL_SECONDS = 7 * 24 * 60 * 60;
/** How long this process trusts what it read of a session still going (default 30 s; other pods' logouts also come over the bus). */
export const DEFAULT_SESSION_CACHE_MS = 30_000;

/** A refresh token: `<session id>.<43 characters of base64url>` (256 random bits); opaque to clients. */
const REFRESH_TOKEN = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/;

/** The digest a refresh token is stored as (SHA-256, hex): the token itself is never stored. */
export const refreshTokenDigest = (token: string): string => createHash('sha256').update(token).digest('hex');

/** The session a refresh token names, if it has the form of one. */
export const sessionOfRefreshToken = (token: unknown): string | undefined => {
  if (typeof token !== 'string') return undefined;
  const match = REFRESH_TOKEN.exec(token);
  return match && isUuid(match[1]!) ? match[1] : undefined;
};

/** How long an ended session is remembered as ended before its stream is read again (it stays ended). */
const ENDED_TTL_MS = 60 * 60_000;

const newRefreshToken = (sessionId: string): string => `${sessionId}.${randomBytes(32).toString('base64url')}`;

export interface IssuedRefreshToken {
  readonly sessionId: string;
  readonly refreshToken: string;
  readonly refreshExpiresAt: Date;
}

export interface SessionOptions {
  readonly store: EventStore;
  /** The platform's clock: a session's expiry, a refresh's moment, the events' occurred-at. */
  readonly now: Clock;
  readonly refreshTtlSeconds?: number;
  readonly cacheMs?: number;
}

/**
 * Sessions, event-sourced on `session-<id>` (see the session domain), and what this process
 * knows of which have ended: every token check asks `hasEnded`, answered from memory (an LRU of
 * 100,000 sessions) after one read of the session's stream. An ended session is remembered as
 * such for an hour (it never comes back); one still going is trusted for `cacheMs`, and known
 * as ended at once when its end is heard (`ended`: a SessionRevoked of another process, from the
 * bus) or made here (write-through).
 */
export class Sessions {
  private readonly handler: CommandHandler<SessionCommand, SessionEvent, SessionState>;
  private readonly refreshTtlMs: number;
  private readonly known: LRUCache<string, { ended: boolean }>;
  private readonly reading = new Map<string, Promise<boolean>>();

  constructor(private readonly options: SessionOptions) {
    this.handler = new CommandHandler({ store: options.store, decider: sessionDecider, now: options.now });
    this.refreshTtlMs = (options.refreshTtlSeconds ?? DEFAULT_REFRESH_TTL_SECONDS) * 1000;
    const cacheMs = options.cacheMs ?? DEFAULT_SESSION_CACHE_MS;
    this.known = new LRUCache({ max: 100_000, ttl: Math.max(1, cacheMs), ttlResolution: 0 });
  }

  /** Starts a session for an account that just signed in: its first refresh token. */
  async start(account: { id: string; kind: AccountKind }): Promise<IssuedRefreshToken> {
    const sessionId = uuidv7();
    const refreshToken = newRefreshToken(sessionId);
    const refreshExpiresAt = new Date(this.options.now().getTime() + this.refreshTtlMs);
    await this.handler.handle(
      sessionStream(sessionId),
      {
        type: 'StartSession',
        sessionId,
        accountId: account.id,
        accountKind: account.kind,
        refreshTokenDigest: refreshTokenDigest(refreshToken),
        expiresAt: refreshExpiresAt,
      },
      { assumeNewStream: true, metadata: { actor: account.id }, now: this.options.now },
    );
    this.known.set(sessionId, { ended: false });
    return { sessionId, refreshToken, refreshExpiresAt };
  }

  /**
   * Spends a refresh token for the next one. Refused (`auth.invalid_refresh_token`,
   * `auth.refresh_token_expired`, `auth.session_revoked`) when it is not the one in force; a
   * token spent before ends the session and is refused `auth.refresh_token_reused`. `mayGoOn`
   * checks the account before the refresh is recorded (and may end the session itself).
   */
  async refresh(
    token: string,
    mayGoOn: (session: { accountId: string; accountKind: AccountKind }) => Promise<void>,
  ): Promise<IssuedRefreshToken & { accountId: string; accountKind: AccountKind }> {
    const sessionId = sessionOfRefreshToken(token);
    if (sessionId === undefined) throw invalidRefreshToken();
    const stream = sessionStream(sessionId);
    const { state } = await this.handler.load(stream);
    if (state.status === 'active') await mayGoOn({ accountId: state.accountId, accountKind: state.accountKind });
    const next = newRefreshToken(sessionId);
    const result = await this.handler.handle(
      stream,
      {
        type: 'RefreshSession',
        presented: refreshTokenDigest(token),
        next: refreshTokenDigest(next),
        now: this.options.now(),
      },
      { metadata: state.status === 'none' ? {} : { actor: state.accountId }, now: this.options.now },
    );
    const after = result.state;
    if (after.status === 'ended') {
      this.known.set(sessionId, { ended: true }, { ttl: ENDED_TTL_MS });
      throw refreshTokenReused();
    }
    if (after.status !== 'active') throw invalidRefreshToken();
    return {
      sessionId,
      refreshToken: next,
      refreshExpiresAt: after.expiresAt,
      accountId: after.accountId,
      accountKind: after.accountKind,
    };
  }

  /** Ends a session (idempotent); answers whose it was. */
  async end(sessionId: string, reason: SessionEndReason): Promise<{ accountId: string }> {
    const result = await this.handler.handle(
      sessionStream(sessionId),
      { type: 'EndSession', reason },
      { metadata: {}, now: this.options.now },
    );
    this.known.set(sessionId, { ended: true }, { ttl: ENDED_TTL_MS });
    const state = result.state;
    if (state.status === 'none') throw invalidRefreshToken();
    return { accountId: state.accountId };
  }

  /** What this process knows now of whether a session has ended, without reading: undefined when it must read. */
  knownEnded(sessionId: string): boolean | undefined {
    return this.known.get(sessionId)?.ended;
  }

  /** Whether a session has ended (a session this store never had counts as ended). */
  async hasEnded(sessionId: string): Promise<boolean> {
    const known = this.known.get(sessionId);
    if (known !== undefined) return known.ended;
    let pending = this.reading.get(sessionId);
    if (pending === undefined) {
      const read = this.handler.load(sessionStream(sessionId)).then(({ state }) => {
        const ended = state.status !== 'active';
        if (this.reading.get(sessionId) === read)
          this.known.set(sessionId, { ended }, ended ? { ttl: ENDED_TTL_MS } : {});
        return ended;
      });
      pending = read;
      this.reading.set(sessionId, read);
      void read.then(
        () => this.reading.get(sessionId) === read && this.reading.delete(sessionId),
        () => this.reading.get(sessionId) === read && this.reading.delete(sessionId),
      );
    }
    return pending;
  }

  /** Sessions another process ended (heard on the bus): remembered as ended at once. */
  ended(sessionIds: readonly string[]): void {
    for (const sessionId of sessionIds) {
      this.reading.delete(sessionId);
      this.known.set(sessionId, { ended: true }, { ttl: ENDED_TTL_MS });
    }
  }

  /** Forgets what this process knew of sessions going on (ends heard before stay): each is read again. */
  forgetGoingOn(): void {
    this.reading.clear();
    for (const [sessionId, { ended }] of this.known.entries()) if (!ended) this.known.delete(sessionId);
  }
}

/** A refresh token spent before was presented again: its session has ended (every token of it is refused). */
export const refreshTokenReused = (): DomainError =>
  new DomainError(
    'auth.refresh_token_reused',
    'this refresh token was used before: its session has ended (sign in again)',
    'unauthenticated',
  );
