import { ValidationError } from '@workshare/eventsourcing';

/**
 * What a person may do. `member` comes with a member's registration and cannot be granted or
 * revoked; the others are granted and revoked by operators, each grant an event with its actor
 * and reason. A coordinator runs one region; a business user acts for one business.
 */
export type Role =
  | { readonly kind: 'member' }
  | { readonly kind: 'coordinator'; readonly regionId: string }
  | { readonly kind: 'business'; readonly businessId: string }
  | { readonly kind: 'accountant' }
  | { readonly kind: 'operator' };

export type RoleName = Role['kind'];

export const ROLE_NAMES: readonly RoleName[] = ['member', 'coordinator', 'business', 'accountant', 'operator'];

export const isRoleName = (value: unknown): value is RoleName =>
  typeof value === 'string' && (ROLE_NAMES as readonly string[]).includes(value);

/** Who is acting, as the deciders see it: an account id and the roles it holds right now. */
export type Actor = { readonly id: string; readonly roles: readonly Role[] };

/** One text per role, for equality and display: `coordinator:fujisato`, `business:<id>`, `operator`. */
export const roleKey = (role: Role): string => {
  switch (role.kind) {
    case 'coordinator':
      return `coordinator:${role.regionId}`;
    case 'business':
      return `business:${role.businessId}`;
    default:
      return role.kind;
  }
};

export const sameRole = (a: Role, b: Role): boolean => roleKey(a) === roleKey(b);

export const holds = (roles: readonly Role[], role: Role): boolean => roles.some((r) => sameRole(r, role));

export const isOperator = (actor: Actor): boolean => actor.roles.some((r) => r.kind === 'operator');

export const isAccountant = (actor: Actor): boolean => actor.roles.some((r) => r.kind === 'accountant');

export const coordinates = (actor: Actor, regionId: string): boolean =>
  actor.roles.some((r) => r.kind === 'coordinator' && r.regionId === regionId);

/** Operators manage every region; a coordinator manages hers only. */
export const managesRegion = (actor: Actor, regionId: string): boolean =>
  isOperator(actor) || coordinates(actor, regionId);

/**
 * A role from untrusted input (gRPC, JSON): its shape is checked, its references (region,
 * business) are checked where they are used.
 */
export const parseRole = (input: unknown): Role => {
  const invalid = (why: string) => new ValidationError('role.invalid', `not a role: ${why}`);
  if (typeof input !== 'object' || input === null)
    throw invalid('expected an object such as {"kind": "coordinator", "regionId": "fujisato"}');
  const { kind, regionId, businessId } = input as Record<string, unknown>;
  switch (kind) {
    case 'member':
    case 'accountant':
    case 'operator':
      return { kind };
    case 'coordinator':
      if (typeof regionId !== 'string' || regionId.trim() === '') throw invalid('a coordinator role needs a regionId');
      return { kind, regionId };
    case 'business':
      if (typeof businessId !== 'string' || businessId.trim() === '')
        throw invalid('a business role needs a businessId');
      return { kind, businessId };
    default:
      throw invalid(`unknown kind ${JSON.stringify(kind)} (one of ${ROLE_NAMES.join(', ')})`);
  }
};
