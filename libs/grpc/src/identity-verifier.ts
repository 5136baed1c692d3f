import { DomainError } from '@workshare/eventsourcing';
import { systemClock, type Clock } from '@workshare/time';
import { LRUCache } from 'lru-cache';
import { identityV1 } from '@workshare/proto';
import {
  unauthenticated,
  type AccessRevocation,
  type AccessRevocationListener,
  type Caller,
  type CallerRole,
  type TokenVerifier,
} from './caller.js';
import { createClient, type CreateClientOptions, type ServiceClient } from './client.js';

export interface IdentityTokenVerifierOptions {
  /** host:port of the identity service. */
  readonly identityAddress: string;
  /**
   * How long a verified token is trusted before identity is asked again (default 30 s; 0: every
   * call asks). Identity's revocations heard on the bus (`revoke`) end a token's access at once;
   * this is the bound when the bus is not heard (no bus, or an outage). Never longer than the
   * token lives.
   */
  readonly cacheTtlMs?: number;
  /**
   * After a revocation, answers about the same account, session or token are trusted only this
   * long past it (default 250 ms), then asked again: an answer in flight when the revocation was
   * heard, or given by an identity replica whose read model had not caught up yet, does not
   * outlive it.
   */
  readonly revocationSettleMs?: number;
  /** How many verified tokens are remembered (default 10,000; the least recently used are dropped first). */
  readonly maxEntries?: number;
  /**
   * The platform's clock, which a token's expiry is read against (default systemClock; the
   * platform run at a simulated time passes its own, the one identity signs and checks with): an
   * answer is never used once its token has expired by it.
   */
  readonly clock?: Clock;
  /** The real time in ms, which the memory's own timing is counted on (`cacheTtlMs`, the settling); tests pass their own. */
  readonly now?: () => number;
  /** Client settings for the calls to identity (deadline, retries). */
  readonly client?: Omit<CreateClientOptions, 'token'>;
}

export const DEFAULT_VERIFIED_TTL_MS = 30_000;
export const DEFAULT_REVOCATION_SETTLE_MS = 250;
const DEFAULT_MAX_ENTRIES = 10_000;
const DEADLINE_MS = 3_000;

type IdentityClient = ServiceClient<typeof identityV1.IdentityServiceService>;

/** A role as identity's contract gives it, in the gRPC host's terms; an unknown kind is dropped. */
const callerRoleOf = (role: identityV1.Role): CallerRole | undefined => {
  switch (role.kind) {
    case identityV1.RoleKind.ROLE_KIND_MEMBER:
      return { role: 'member' };
    case identityV1.RoleKind.ROLE_KIND_COORDINATOR:
      return role.region ? { role: 'coordinator', region: role.region } : undefined;
    case identityV1.RoleKind.ROLE_KIND_BUSINESS:
      return role.businessId ? { role: 'business', businessId: role.businessId } : undefined;
    case identityV1.RoleKind.ROLE_KIND_ACCOUNTANT:
      return { role: 'accountant' };
    case identityV1.RoleKind.ROLE_KIND_OPERATOR:
      return { role: 'operator' };
    default:
      return undefined;
  }
};

/** What identity said of a token: whom it speaks for, and the session and token it is. */
interface Verified {
  readonly caller: Caller;
  readonly sessionId: string | undefined;
  readonly tokenId: string | undefined;
  /** When it expires (ms since the epoch, by the platform's clock). */
  readonly expiresAt: number;
}

const SUBJECT = 's:';
const SESSION = 'x:';
const TOKEN = 't:';

/** Adds `token` to the set of `key` in an index. */
const indexAdd = (index: Map<string, Set<string>>, key: string, token: string): void => {
  let tokens = index.get(key);
  if (tokens === undefined) index.set(key, (tokens = new Set()));
  tokens.add(token);
};

const indexDelete = (index: Map<string, Set<string>>, key: string, token: string): void => {
  const tokens = index.get(key);
  if (tokens === undefined) return;
  tokens.delete(token);
  if (tokens.size === 0) index.delete(key);
};

/**
 * The token verifier of every service but identity: it asks identity's `VerifyToken`
 * (signature, issuer, expiry, the account not forgotten, the session not ended, her current
 * roles) and remembers the answer, so a steady caller costs one map lookup per call. Concurrent
 * first calls with one token make one request. A refused token is refused as identity said
 * (UNAUTHENTICATED with its code); identity being unreachable is an outage (UNAVAILABLE), never
 * a refusal.
 *
 * What it remembers is forgotten when identity revokes access (`revoke`, from identity's
 * published events on the bus: service-host's `listenForAccessRevocations`): every token of an
 * account whose role was revoked or that was forgotten, of a session that ended, or a token by
 * its id, is asked about again on its next call.
 */
export class IdentityTokenVerifierClient implements TokenVerifier, AccessRevocationListener {
  private readonly client: IdentityClient;
  private readonly ttlMs: number;
  private readonly settleMs: number;
  private readonly now: () => number;
  private readonly clock: Clock;
  /**
   * Verified tokens, each kept until the earlier of its expiry and `cacheTtlMs` from its check,
   * the least recently used dropped beyond `maxEntries`. A refusal or an outage is not kept.
   */
  private readonly verified: LRUCache<string, Verified>;
  /** The tokens remembered, by account, by session and by token id: what a revocation forgets. */
  private readonly bySubject = new Map<string, Set<string>>();
  private readonly bySession = new Map<string, Set<string>>();
  private readonly byTokenId = new Map<string, Set<string>>();
  /** Requests to identity in flight, by token: concurrent first calls share one. */
  private readonly inFlight = new Map<string, Promise<Verified>>();
  /** When each account, session and token was last revoked, for the answers that come after. */
  private readonly revokedAt: LRUCache<string, number>;
  private everythingRevokedAt = Number.NEGATIVE_INFINITY;

  constructor(options: IdentityTokenVerifierOptions) {
    this.client = createClient(identityV1.IdentityServiceClient, options.identityAddress, {
      deadlineMs: DEADLINE_MS,
      ...options.client,
    });
    this.ttlMs = options.cacheTtlMs ?? DEFAULT_VERIFIED_TTL_MS;
    this.settleMs = options.revocationSettleMs ?? DEFAULT_REVOCATION_SETTLE_MS;
    this.now = options.now ?? Date.now;
    this.clock = options.clock ?? systemClock;
    const now = this.now;
    this.verified = new LRUCache<string, Verified>({
      max: options.maxEntries ?? DEFAULT_MAX_ENTRIES,
      ttl: Math.max(1, this.ttlMs),
      perf: { now },
      ttlResolution: 0,
      dispose: (entry, token) => this.unindex(token, entry),
    });
    // An answer is asked for at most a deadline (and its retries) before it comes: a revocation
    // older than that and the settling time cannot concern it.
    const deadline = options.client?.deadlineMs ?? DEADLINE_MS;
    this.revokedAt = new LRUCache<string, number>({
      max: 100_000,
      ttl: this.settleMs + deadline * 4 + 1_000,
      perf: { now },
      ttlResolution: 0,
    });
  }

  async verify(token: string): Promise<Caller> {
    const known = this.verified.get(token);
    if (known !== undefined) {
      if (known.expiresAt > this.clock().getTime()) return known.caller;
      this.verified.delete(token); // expired by the platform's clock (one that jumped ahead)
    }
    let pending = this.inFlight.get(token);
    if (pending === undefined) {
      const asking = this.fetch(token);
      pending = asking;
      this.inFlight.set(token, asking);
      void asking.then(
        () => this.settle(token, asking),
        () => this.settle(token, asking),
      );
    }
    return (await pending).caller;
  }

  private settle(token: string, asking: Promise<Verified>): void {
    if (this.inFlight.get(token) === asking) this.inFlight.delete(token);
  }

  /** Asks identity, and remembers the answer for as long as it may be trusted. */
  private async fetch(token: string): Promise<Verified> {
    const askedAt = this.now();
    const answer = await this.ask(token);
    const now = this.now();
    // The token's remaining life by the platform's clock, trusted at most `cacheTtlMs` of real time.
    let until = now + Math.min(answer.expiresAt - this.clock().getTime(), this.ttlMs);
    const revoked = this.lastRevocationOf(answer);
    // Revoked while this was asked, or just before (identity's replicas may lag a moment): the
    // answer stands only until the revocation has settled, then identity is asked again.
    if (revoked >= askedAt - this.settleMs) until = Math.min(until, revoked + this.settleMs);
    if (until > now) {
      this.verified.delete(token);
      this.verified.set(token, answer, { ttl: until - now });
      this.index(token, answer);
    }
    return answer;
  }

  private async ask(token: string): Promise<Verified> {
    const response = await this.client.verifyToken({ token }, { token });
    const subject = response.caller?.subject;
    if (!subject) throw unauthenticated('auth.invalid_token', 'identity did not recognise the token');
    const caller: Caller = {
      subject,
      roles: (response.caller?.roles ?? []).map(callerRoleOf).filter((role): role is CallerRole => role !== undefined),
    };
    return {
      caller,
      sessionId: response.sessionId || undefined,
      tokenId: response.tokenId || undefined,
      expiresAt: response.expiresAt?.getTime() ?? this.clock().getTime(),
    };
  }

  private lastRevocationOf(answer: Verified): number {
    const at = [
      this.everythingRevokedAt,
      this.revokedAt.get(SUBJECT + answer.caller.subject),
      answer.sessionId === undefined ? undefined : this.revokedAt.get(SESSION + answer.sessionId),
      answer.tokenId === undefined ? undefined : this.revokedAt.get(TOKEN + answer.tokenId),
    ];
    return Math.max(...at.map((t) => t ?? Number.NEGATIVE_INFINITY));
  }

  private index(token: string, entry: Verified): void {
    indexAdd(this.bySubject, entry.caller.subject, token);
    if (entry.sessionId !== undefined) indexAdd(this.bySession, entry.sessionId, token);
    if (entry.tokenId !== undefined) indexAdd(this.byTokenId, entry.tokenId, token);
  }

  private unindex(token: string, entry: Verified): void {
    indexDelete(this.bySubject, entry.caller.subject, token);
    if (entry.sessionId !== undefined) indexDelete(this.bySession, entry.sessionId, token);
    if (entry.tokenId !== undefined) indexDelete(this.byTokenId, entry.tokenId, token);
  }

  /**
   * Forgets every token of the revoked accounts and sessions and the revoked tokens: their next
   * call asks identity again. Calls asking identity at this moment do not join the requests in
   * flight (those may answer what held before).
   */
  revoke(revocation: AccessRevocation): void {
    const now = this.now();
    const forget = (index: Map<string, Set<string>>, prefix: string, keys: readonly string[] | undefined) => {
      for (const key of keys ?? []) {
        this.revokedAt.set(prefix + key, now);
        for (const token of [...(index.get(key) ?? [])]) this.verified.delete(token);
      }
    };
    forget(this.bySubject, SUBJECT, revocation.subjects);
    forget(this.bySession, SESSION, revocation.sessions);
    forget(this.byTokenId, TOKEN, revocation.tokenIds);
    this.inFlight.clear();
  }

  /** Forgets every verified token (revocations may have been missed). */
  revokeAll(): void {
    this.everythingRevokedAt = this.now();
    this.clear();
  }

  /** Forgets every verified token (a test, or a revocation heard on the bus). */
  clear(): void {
    this.verified.clear();
    this.inFlight.clear();
  }

  /** How many verified tokens are remembered now. */
  get size(): number {
    return this.verified.size;
  }

  close(): void {
    this.client.close();
  }
}

/** Whether an error means the caller is not who she claims (as opposed to an outage). */
export const isUnauthenticated = (error: unknown): boolean =>
  error instanceof DomainError && error.kind === 'unauthenticated';
