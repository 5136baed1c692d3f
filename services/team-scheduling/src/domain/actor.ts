/**
 * Who acts on a team's schedule, in the domain's words. The roles come from identity (a
 * verified token); the domain only reads them. `system` is this service itself (its process
 * managers: TasksPlanned → schedule, UnavailabilityDeclared → hand-offs): no token carries it.
 */
export type ScheduleRole =
  | { readonly kind: 'operator' }
  | { readonly kind: 'accountant' }
  | { readonly kind: 'member' }
  | { readonly kind: 'coordinator'; readonly regionId: string }
  | { readonly kind: 'business'; readonly businessId: string }
  | { readonly kind: 'system' };

export interface Actor {
  readonly id: string;
  readonly roles: readonly ScheduleRole[];
}

/** This service acting on its own (process managers). */
export const SYSTEM_ACTOR: Actor = Object.freeze({ id: 'system:team-scheduling', roles: Object.freeze([{ kind: 'system' }]) as readonly ScheduleRole[] });

export const isOperator = (actor: Actor): boolean => actor.roles.some((r) => r.kind === 'operator');
export const isAccountant = (actor: Actor): boolean => actor.roles.some((r) => r.kind === 'accountant');
export const isSystem = (actor: Actor): boolean => actor.roles.some((r) => r.kind === 'system');
export const isMember = (actor: Actor): boolean => actor.roles.some((r) => r.kind === 'member');
/** A coordinator of this region (a coordinator of another region is not). */
export const coordinates = (actor: Actor, regionId: string): boolean => actor.roles.some((r) => r.kind === 'coordinator' && r.regionId === regionId);
/** A business user acting for this business. */
export const actsFor = (actor: Actor, businessId: string): boolean => actor.roles.some((r) => r.kind === 'business' && r.businessId === businessId);
