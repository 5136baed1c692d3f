import { callerHasRole as hasRole, ForbiddenError } from '@workshare/eventsourcing';
import type { Caller, RoleName } from '@workshare/grpc';

/**
 * Who may call a route, as the gateway checks it before anything reaches a service: `public`
 * (no token), `authenticated` (any verified caller), or the roles of which the caller must hold
 * at least one. This is the coarse check at the edge; the services authorise again by region
 * and business on every call (DESIGN §2, Security).
 */
export type Access = 'public' | 'authenticated' | readonly RoleName[];

/** Refuses a caller who holds none of the roles a route needs (403 `auth.forbidden_role`). */
export const requireAccess = (caller: Caller, access: Exclude<Access, 'public'>): void => {
  if (access === 'authenticated') return;
  if (access.some((role) => hasRole(caller, role))) return;
  throw new ForbiddenError('auth.forbidden_role', `this needs one of the roles: ${access.join(', ')}`, {
    roles: [...access],
  });
};

/**
 * Whether the caller may bring a job for `businessId` in `regionId`: a business user only for a
 * business she acts for, a coordinator only in a region she runs. The job intake service checks
 * it again (the business's own region included); checking here keeps a refused submission from
 * travelling further than the edge.
 */
export const requireSubmitter = (caller: Caller, businessId: string, regionId: string): void => {
  if (hasRole(caller, 'business', { businessId }) || hasRole(caller, 'coordinator', { region: regionId })) return;
  if (hasRole(caller, 'business')) {
    throw new ForbiddenError('auth.forbidden_business', 'you do not act for this business', { businessId });
  }
  throw new ForbiddenError('auth.forbidden_region', 'you do not coordinate this region', { regionId });
};

/**
 * Whether the caller may act on `memberId`'s schedule (read it, declare her unavailable, set her
 * wished hours): the member herself, or a coordinator. Which region the member belongs to only
 * team scheduling knows, so it checks the coordinator's region again; a member asking for
 * another member is refused here and travels no further.
 */
export const requireSelfOrCoordinator = (caller: Caller, memberId: string): void => {
  if (caller.subject === memberId || hasRole(caller, 'coordinator')) return;
  throw new ForbiddenError('auth.forbidden_member', 'a member may do this for herself only', { memberId });
};

/**
 * Whether the caller may act on a region's people (register its members and businesses, list
 * its members): operators and the accountant for every region, a coordinator only for a region
 * she runs. Identity checks it again; a coordinator of another region travels no further.
 */
export const requireRegionStaff = (caller: Caller, regionId: string): void => {
  if (hasRole(caller, 'operator') || hasRole(caller, 'accountant')) return;
  if (hasRole(caller, 'coordinator', { region: regionId })) return;
  throw new ForbiddenError('auth.forbidden_region', 'you do not coordinate this region', { regionId });
};

/**
 * Whether the caller reads a job's team as its business does: a business user who holds no
 * role of the cooperative (member, coordinator, accountant, operator). She sees who holds her
 * tasks and their status, never the members' reasons, progress notes or weekly hours.
 */
export const readsAsBusiness = (caller: Caller): boolean =>
  hasRole(caller, 'business') &&
  !(['member', 'coordinator', 'accountant', 'operator'] as const).some((role) => hasRole(caller, role));

/**
 * Whether the caller may act on or read what is `memberId`'s own (her week, her payment
 * statement): the member herself, or a holder of one of `roles` (a coordinator for her week, the
 * accountant and operators...). The service checks again (a coordinator's region, say); a member
 * naming another member is refused here and travels no further.
 */
export const requireSelfOrAnyOf = (caller: Caller, memberId: string, roles: readonly RoleName[]): void => {
  if (caller.subject === memberId || roles.some((role) => hasRole(caller, role))) return;
  throw new ForbiddenError('auth.forbidden_member', 'a member may do this for herself only', { memberId });
};

/**
 * Whether the caller may read what is addressed to `businessId` (its invoice): a business user
 * acting for it, or a holder of one of `roles` (the accountant, operators). Settlement checks again.
 */
export const requireOwnBusinessOrAnyOf = (caller: Caller, businessId: string, roles: readonly RoleName[]): void => {
  if (hasRole(caller, 'business', { businessId }) || roles.some((role) => hasRole(caller, role))) return;
  throw new ForbiddenError('auth.forbidden_business', 'you do not act for this business', { businessId });
};
