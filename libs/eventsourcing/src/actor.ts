import { DomainError } from './errors.js';

/**
 * Who acts, in the deciders' words: an id and the roles identity verified for it (a token),
 * which a decider only reads. `system` is a service acting on its own (a process manager): no
 * token ever carries it. Shared by the services whose deciders decide by role.
 */
export type Role =
  | { readonly kind: 'operator' }
  | { readonly kind: 'accountant' }
  | { readonly kind: 'member' }
  | { readonly kind: 'coordinator'; readonly regionId: string }
  | { readonly kind: 'business'; readonly businessId: string }
  | { readonly kind: 'system' };

export interface Actor {
  readonly id: string;
  readonly roles: readonly Role[];
}

/** A service acting on its own (its process managers), as `system:<service>`. */
export const systemActor = (service: string): Actor =>
  Object.freeze({ id: `system:${service}`, roles: Object.freeze([{ kind: 'system' }]) as readonly Role[] });

export const isOperator = (actor: Actor): boolean => actor.roles.some((r) => r.kind === 'operator');
export const isAccountant = (actor: Actor): boolean => actor.roles.some((r) => r.kind === 'accountant');
export const isMember = (actor: Actor): boolean => actor.roles.some((r) => r.kind === 'member');
export const isSystem = (actor: Actor): boolean => actor.roles.some((r) => r.kind === 'system');
/** A coordinator of this region (a coordinator of another region is not). */
export const coordinates = (actor: Actor, regionId: string): boolean =>
  actor.roles.some((r) => r.kind === 'coordinator' && r.regionId === regionId);
/** A business user acting for this business. */
export const actsFor = (actor: Actor, businessId: string): boolean =>
  actor.roles.some((r) => r.kind === 'business' && r.businessId === businessId);

/**
 * Who is calling, as a verified token says (identity's VerifyToken, through the gRPC host):
 * the subject and her roles. The same shape as the gRPC host's caller, kept here so that
 * applications do not depend on a transport.
 */
export interface Caller {
  readonly subject: string;
  readonly roles: readonly { readonly role: string; readonly region?: string; readonly businessId?: string }[];
}

const roleOf = (role: Caller['roles'][number]): Role | undefined => {
  switch (role.role) {
    case 'operator':
    case 'accountant':
    case 'member':
      return { kind: role.role };
    case 'coordinator':
      return role.region ? { kind: 'coordinator', regionId: role.region } : undefined;
    case 'business':
      return role.businessId ? { kind: 'business', businessId: role.businessId } : undefined;
    default:
      // A role the deciders do not know gives no right (never `system`: no token carries it).
      return undefined;
  }
};

/** The deciders' actor for a caller; a caller without a subject is not signed in. */
export const actorOf = (caller: Caller): Actor => {
  if (
    typeof caller !== 'object' ||
    caller === null ||
    typeof caller.subject !== 'string' ||
    caller.subject.trim() === ''
  ) {
    throw new DomainError('auth.unauthenticated', 'sign in first', 'unauthenticated');
  }
  return { id: caller.subject, roles: (caller.roles ?? []).map(roleOf).filter((r): r is Role => r !== undefined) };
};
