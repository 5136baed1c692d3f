import type { PersonRole, RoleName } from '@workshare/eventsourcing';

/**
 * Identity's own rule on roles (the roles themselves, actors and their checks are
 * @workshare/eventsourcing's, one model for every service): `member` comes with a member's
 * registration and is neither granted nor revoked; the others are granted and revoked by
 * operators, each grant an event with its actor and reason.
 */
export const GRANTABLE_ROLE_NAMES = [
  'coordinator',
  'business',
  'accountant',
  'operator',
] as const satisfies readonly RoleName[];
export type GrantableRoleName = (typeof GRANTABLE_ROLE_NAMES)[number];

/** Whether an operator may grant (and revoke) this role. */
export const isGrantable = (role: PersonRole): boolean =>
  (GRANTABLE_ROLE_NAMES as readonly string[]).includes(role.kind);
