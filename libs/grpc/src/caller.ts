import type { Metadata } from '@grpc/grpc-js';
import { DomainError, type Caller } from '@workshare/eventsourcing';

/** Whom a call comes from, as the token verifier established it: the one caller model of @workshare/eventsourcing. */
export type { Caller, CallerRole, RoleName } from '@workshare/eventsourcing';

/**
 * Turns a bearer token into the caller it identifies. A token that is missing its signature,
 * expired, of another issuer... must be refused with a DomainError of kind `unauthenticated`
 * (see `unauthenticated`); any other error is taken for an outage and reported as INTERNAL.
 */
export interface TokenVerifier {
  verify(token: string): Promise<Caller>;
}

export const unauthenticated = (code: string, message: string, details: Record<string, unknown> = {}): DomainError =>
  new DomainError(code, message, 'unauthenticated', details);

export const AUTHORIZATION_KEY = 'authorization';

/**
 * The token of `authorization: Bearer <token>` in the metadata; undefined when there is no
 * such header. A header of another scheme, or without a token, is refused.
 */
export const bearerToken = (metadata: Metadata): string | undefined => {
  const value = metadata.get(AUTHORIZATION_KEY)[0];
  if (value === undefined) return undefined;
  const match = typeof value === 'string' ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(value) : null;
  if (!match?.[1])
    throw unauthenticated('auth.malformed_authorization', 'the authorization metadata is not "Bearer <token>"');
  return match[1];
};

/**
 * What identity's revocations end (its published RoleRevoked, MemberForgotten, UserForgotten and
 * SessionRevoked, heard on the bus): every token of these accounts must be checked again, every
 * token of these sessions and these tokens is refused.
 */
export interface AccessRevocation {
  /** Accounts (a member's or a user's id, the token's subject): a role revoked, the account forgotten. */
  readonly subjects?: readonly string[];
  /** Sessions (a login and the tokens refreshed from it) that ended: a logout, a refresh token reused. */
  readonly sessions?: readonly string[];
  /** Single tokens, by their id (`jti`). */
  readonly tokenIds?: readonly string[];
}

/** Something that remembers what tokens said (a token cache) and must forget it when access is revoked. */
export interface AccessRevocationListener {
  revoke(revocation: AccessRevocation): void;
  /** Forgets everything: revocations may have been missed (the bus listener started again). */
  revokeAll(): void;
}
