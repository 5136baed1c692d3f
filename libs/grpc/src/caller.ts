import type { Metadata } from '@grpc/grpc-js';
import { DomainError } from '@workshare/eventsourcing';

/** The roles of DESIGN §2 (Security). */
export type RoleName = 'member' | 'coordinator' | 'business' | 'accountant' | 'operator';

export interface CallerRole {
  role: RoleName;
  /** The region a coordinator runs. */
  region?: string;
  /** The business a business user acts for. */
  businessId?: string;
}

/** Whom a call comes from, as the token verifier established it. */
export interface Caller {
  /** The user id (a member's id for a member). */
  subject: string;
  roles: readonly CallerRole[];
}

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
 * Whether the caller holds `role`; with `scope`, only for that region or business
 * (a coordinator of one region is not a coordinator of another).
 */
export const hasRole = (
  caller: Caller | undefined,
  role: RoleName,
  scope: { region?: string; businessId?: string } = {},
): boolean =>
  caller?.roles.some(
    (r) =>
      r.role === role &&
      (scope.region === undefined || r.region === scope.region) &&
      (scope.businessId === undefined || r.businessId === scope.businessId),
  ) ?? false;
