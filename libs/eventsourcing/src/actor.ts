import { DomainError, ValidationError } from './errors.js';

/**
 * Who acts, one model for every service (DESIGN §2, Security):
 * - a `Caller` is who a verified token says is calling (the wire shape: identity's VerifyToken
 *   answers it, the gRPC host hands it to handlers);
 * - an `Actor` is who acts, in the deciders' words: an id and her roles, which a decider only
 *   reads. `actorOf(caller)` turns one into the other;
 * - a `system` actor is the platform acting on its own, one per purpose (`SYSTEM_ACTORS`): no
 *   token ever carries it.
 */

/** The roles a person may hold (DESIGN §2). `member` comes with a member's registration. */
export const ROLE_NAMES = ['member', 'coordinator', 'business', 'accountant', 'operator'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

/** A person's role: a coordinator runs one region; a business user acts for one business. */
export type PersonRole =
  | { readonly kind: 'operator' }
  | { readonly kind: 'accountant' }
  | { readonly kind: 'member' }
  | { readonly kind: 'coordinator'; readonly regionId: string }
  | { readonly kind: 'business'; readonly businessId: string };

/** A role as the deciders see it: a person's, or the platform's own (`system`). */
export type Role = PersonRole | { readonly kind: 'system' };

export interface Actor {
  readonly id: string;
  readonly roles: readonly Role[];
}

export const isRoleName = (value: unknown): value is RoleName =>
  typeof value === 'string' && (ROLE_NAMES as readonly string[]).includes(value);

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
export const holdsRole = (roles: readonly Role[], role: Role): boolean => roles.some((r) => sameRole(r, role));

export const isOperator = (actor: Actor): boolean => actor.roles.some((r) => r.kind === 'operator');
export const isAccountant = (actor: Actor): boolean => actor.roles.some((r) => r.kind === 'accountant');
export const isMember = (actor: Actor): boolean => actor.roles.some((r) => r.kind === 'member');
export const isSystem = (actor: Actor): boolean => actor.roles.some((r) => r.kind === 'system');
/** A coordinator of this region (a coordinator of another region is not). */
export const coordinates = (actor: Actor, regionId: string): boolean =>
  actor.roles.some((r) => r.kind === 'coordinator' && r.regionId === regionId);
/** Operators manage every region; a coordinator manages hers only. */
export const managesRegion = (actor: Actor, regionId: string): boolean =>
  isOperator(actor) || coordinates(actor, regionId);
/** A business user acting for this business. */
export const actsFor = (actor: Actor, businessId: string): boolean =>
  actor.roles.some((r) => r.kind === 'business' && r.businessId === businessId);
/** The regions an actor coordinates. */
export const coordinatedRegions = (actor: Actor): string[] =>
  actor.roles.flatMap((r) => (r.kind === 'coordinator' ? [r.regionId] : []));

/**
 * The platform acting on its own, one actor per purpose, each `system:<purpose>`:
 * - `processManager(service)`: a service's process managers, reacting to other services' events
 *   (role `system`: the deciders let it do what the process needs and nothing a person does);
 * - `bootstrap`: the one-time registration of the first operator on an empty store, which needs
 *   an operator's right before any operator exists (role `operator`, nothing else);
 * - `demoSeed`: the launcher deciding, once per store, that the demo may be seeded (no role: it
 *   only marks its own stream; the demo's people are registered by its operator and coordinator).
 */
export const SYSTEM_ACTORS = Object.freeze({
  processManager: (service: string): Actor =>
    Object.freeze({ id: `system:${service}`, roles: Object.freeze([{ kind: 'system' }]) as readonly Role[] }),
  bootstrap: Object.freeze({
    id: 'system:bootstrap',
    roles: Object.freeze([{ kind: 'operator' }]) as readonly Role[],
  }) as Actor,
  demoSeed: Object.freeze({ id: 'system:demo-seed', roles: Object.freeze([]) as readonly Role[] }) as Actor,
});

/** A service's process managers (`system:<service>`): SYSTEM_ACTORS.processManager. */
export const systemActor = (service: string): Actor => SYSTEM_ACTORS.processManager(service);

/**
 * Who is calling, as a verified token says (identity's VerifyToken, through the gRPC host): the
 * subject and her roles. A role name this model does not know gives no right.
 */
export interface CallerRole {
  readonly role: string;
  /** The region a coordinator runs. */
  readonly region?: string;
  /** The business a business user acts for. */
  readonly businessId?: string;
}

export interface Caller {
  /** The user id (a member's id for a member). */
  readonly subject: string;
  readonly roles: readonly CallerRole[];
}

/** A caller's role as the deciders see it; undefined for a role name this model does not know. */
export const roleOf = (role: CallerRole): PersonRole | undefined => {
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
      // Never `system`: no token carries it.
      return undefined;
  }
};

/** A role as a caller carries it (the wire shape of a token's roles). */
export const callerRoleOf = (role: PersonRole): CallerRole => {
  switch (role.kind) {
    case 'coordinator':
      return { role: 'coordinator', region: role.regionId };
    case 'business':
      return { role: 'business', businessId: role.businessId };
    default:
      return { role: role.kind };
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
  return {
    id: caller.subject,
    roles: (caller.roles ?? []).map(roleOf).filter((r): r is PersonRole => r !== undefined),
  };
};

/** Whether the caller holds `role`; with `scope`, only for that region or business. */
export const callerHasRole = (
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

/**
 * A person's role from untrusted input (gRPC, JSON): its shape is checked; its references
 * (region, business) are checked where they are used.
 */
export const parseRole = (input: unknown): PersonRole => {
  const invalid = (why: string) => new ValidationError('role.invalid', `not a role: ${why}`);
  if (typeof input !== 'object' || input === null) {
    throw invalid('expected an object such as {"kind": "coordinator", "regionId": "fujisato"}');
  }
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
      throw invalid(`unknown kind (one of ${ROLE_NAMES.join(', ')})`);
  }
};
