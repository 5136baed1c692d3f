import { DomainError } from '@workshare/eventsourcing';
import { LRUCache } from 'lru-cache';
import { identityV1 } from '@workshare/proto';
import { unauthenticated, type Caller, type CallerRole, type TokenVerifier } from './caller.js';
import { createClient, type CreateClientOptions, type ServiceClient } from './client.js';

export interface IdentityTokenVerifierOptions {
  /** host:port of the identity service. */
  readonly identityAddress: string;
  /**
   * How long a verified token is trusted before identity is asked again (default 30 s): a role
   * revoked or a member forgotten reaches this service within that time, not at the token's
   * expiry. Never longer than the token lives.
   */
  readonly cacheTtlMs?: number;
  /** How many verified tokens are remembered (default 10,000; the oldest are dropped first). */
  readonly maxEntries?: number;
  readonly now?: () => number;
  /** Client settings for the calls to identity (deadline, retries). */
  readonly client?: Omit<CreateClientOptions, 'token'>;
}

export const DEFAULT_VERIFIED_TTL_MS = 30_000;
const DEFAULT_MAX_ENTRIES = 10_000;

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

/**
 * The token verifier of every service but identity: it asks identity's `VerifyToken`
 * (signature, issuer, expiry, the user not forgotten, her current roles) and remembers the
 * answer for a short while, so a steady caller costs one map lookup per call. Concurrent
 * first calls with one token make one request. A refused token is refused as identity said
 * (UNAUTHENTICATED with its code); identity being unreachable is an outage (UNAVAILABLE), never
 * a refusal.
 */
export class IdentityTokenVerifierClient implements TokenVerifier {
  private readonly client: IdentityClient;
  private readonly ttlMs: number;
  private readonly now: () => number;
  /**
   * Verified tokens, each kept until the earlier of its expiry and `cacheTtlMs` from its check,
   * the oldest dropped first beyond `maxEntries`; concurrent first calls with one token share
   * one request (lru-cache's fetch). A refusal or an outage is not kept.
   */
  private readonly verified: LRUCache<string, Caller>;

  constructor(options: IdentityTokenVerifierOptions) {
    this.client = createClient(identityV1.IdentityServiceClient, options.identityAddress, {
      deadlineMs: 3_000,
      ...options.client,
    });
    this.ttlMs = options.cacheTtlMs ?? DEFAULT_VERIFIED_TTL_MS;
    this.now = options.now ?? Date.now;
    const now = this.now;
    this.verified = new LRUCache<string, Caller>({
      max: options.maxEntries ?? DEFAULT_MAX_ENTRIES,
      ttl: this.ttlMs,
      perf: { now },
      ttlResolution: 0,
      fetchMethod: async (token, _stale, { options: entry }) => {
        const { caller, until } = await this.ask(token);
        entry.ttl = Math.max(1, until - now());
        return caller;
      },
    });
  }

  async verify(token: string): Promise<Caller> {
    const caller = await this.verified.fetch(token);
    if (caller === undefined) throw unauthenticated('auth.invalid_token', 'identity did not recognise the token');
    return caller;
  }

  private async ask(token: string): Promise<{ caller: Caller; until: number }> {
    const response = await this.client.verifyToken({ token }, { token });
    const subject = response.caller?.subject;
    if (!subject) throw unauthenticated('auth.invalid_token', 'identity did not recognise the token');
    const caller: Caller = {
      subject,
      roles: (response.caller?.roles ?? []).map(callerRoleOf).filter((role): role is CallerRole => role !== undefined),
    };
    const expiresAt = response.expiresAt?.getTime() ?? this.now();
    return { caller, until: Math.min(expiresAt, this.now() + this.ttlMs) };
  }

  /** Forgets every verified token (a test, or a revocation heard on the bus). */
  clear(): void {
    this.verified.clear();
  }

  close(): void {
    this.client.close();
  }
}

/** Whether an error means the caller is not who she claims (as opposed to an outage). */
export const isUnauthenticated = (error: unknown): boolean =>
  error instanceof DomainError && error.kind === 'unauthenticated';
