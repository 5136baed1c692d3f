import type { Actor, JsonObject, PersonRole } from '@workshare/eventsourcing';
import type { AccountKind } from '../domain/account.js';

/**
 * Whom a token identity signs speaks for: the account (a member's or a user's) and the roles it
 * held when the token was issued, with what the claims carry besides (the regions she
 * coordinates, the business she acts for, a member's own region). Other services see it as the
 * gRPC host's Caller (VerifyToken's answer); the use cases see it as an Actor (`actor`).
 */
export interface TokenSubject {
  readonly id: string;
  readonly kind: AccountKind;
  readonly roles: readonly PersonRole[];
  readonly regions: readonly string[];
  readonly businessId?: string;
  readonly homeRegion?: string;
}

export const tokenSubject = (
  id: string,
  kind: AccountKind,
  roles: readonly PersonRole[],
  homeRegion?: string,
): TokenSubject => {
  const regions = roles.flatMap((r) => (r.kind === 'coordinator' ? [r.regionId] : []));
  const business = roles.find((r): r is Extract<PersonRole, { kind: 'business' }> => r.kind === 'business');
  return {
    id,
    kind,
    roles: [...roles],
    regions,
    ...(business ? { businessId: business.businessId } : {}),
    ...(homeRegion !== undefined ? { homeRegion } : {}),
  };
};

/** The deciders' actor a token subject is. */
export const actorOfSubject = (subject: TokenSubject): Actor => ({ id: subject.id, roles: subject.roles });

/**
 * Where each person's data key lives, wrapped (encrypted) by the master key. Destroying a key
 * leaves a tombstone, so that "forgotten" can be told apart from "never had a key".
 * Adapters: SQL (PostgreSQL or the embedded PGlite, schema `identity_keys`), in memory (tests).
 */
export type StoredKey =
  | { readonly state: 'active'; readonly wrapped: string }
  | { readonly state: 'destroyed'; readonly destroyedAt: Date }
  | { readonly state: 'absent' };

export interface KeyVault {
  /** Stores the wrapped data key of an owner; refuses (throws) if the owner has or had one. */
  storeKey(ownerId: string, wrapped: string): Promise<void>;
  fetchKey(ownerId: string): Promise<StoredKey>;
  /** Erases the key, keeping a tombstone. Idempotent. */
  destroyKey(ownerId: string): Promise<void>;
  /** Stores a named secret unless one is stored already; answers the one stored (the first writer wins). */
  storeSecretOnce(name: string, wrapped: string): Promise<string>;
  close(): Promise<void>;
}

/** A data key made in memory, not stored yet: seal with it, then persist it once the write may go ahead. */
export interface DataKeyDraft {
  seal(data: JsonObject): string;
  persist(): Promise<void>;
}

/** What an owner's sealed data reads as. */
export type Unsealed = { readonly status: 'readable'; readonly data: JsonObject } | { readonly status: 'shredded' };

/** What a sealed free text reads as: its text, nothing once its owner's key is destroyed, or nothing when it does not open. */
export type UnsealedText =
  | { readonly status: 'readable'; readonly text: string }
  | { readonly status: 'shredded' }
  | { readonly status: 'unreadable' };

/** Personal data encryption with one key per person (crypto-shredding). */
export interface PersonalDataProtector {
  newKey(ownerId: string): DataKeyDraft;
  open(ownerId: string, sealed: string): Promise<Unsealed>;
  /**
   * Seals a free text about the owner with her data key (other services' reasons and notes);
   * undefined when her key was destroyed.
   */
  sealText(ownerId: string, text: string): Promise<string | undefined>;
  /** Opens a text sealed by `sealText` for this owner. */
  openText(ownerId: string, sealed: string): Promise<UnsealedText>;
  /** Destroys the owner's key: everything sealed with it becomes unreadable for good. */
  shred(ownerId: string): Promise<void>;
}

/** Keyed digest of a normalised email: the index to find an account by email without storing the email. */
export interface EmailIndex {
  digest(normalisedEmail: string): string;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Constant-time comparison. With no hash (unknown account) it does the same work and answers false. */
  verify(password: string, hash: string | undefined): Promise<boolean>;
}

export interface IssuedToken {
  readonly token: string;
  readonly expiresAt: Date;
  /** The token's own id (its `jti`). */
  readonly tokenId: string;
}

/** Public keys to verify tokens with (RFC 7517 JSON Web Key Set). */
export interface Jwks {
  readonly keys: readonly JsonObject[];
}

/** What a verified token says: whom it speaks for, until when, and which session and token it is. */
export interface VerifiedToken {
  readonly caller: TokenSubject;
  readonly expiresAt: Date;
  /** The session it belongs to (claim `sid`); undefined for a token issued before sessions existed. */
  readonly sessionId?: string | undefined;
  /** Its id (claim `jti`). */
  readonly tokenId?: string | undefined;
}

export interface TokenService {
  /** A token for the subject, of the session it was issued in. */
  issue(subject: TokenSubject, session?: { readonly sessionId: string }): Promise<IssuedToken>;
  /**
   * The account and session a token of this issuer names, its signature checked but not its
   * expiry (a logout with an access token that has expired still names its session).
   */
  sessionOf(token: string): Promise<{ accountId: string; sessionId: string | undefined; tokenId: string | undefined }>;
  /** Whom a token speaks for; an `unauthenticated` DomainError for a bad, expired or foreign token. */
  verify(token: string): Promise<TokenSubject>;
  /** The same check, with the token's expiry. */
  inspect(token: string): Promise<VerifiedToken>;
  jwks(): Jwks;
}
