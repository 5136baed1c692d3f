/**
 * Who may do what with a plan (DESIGN §2, Security): a coordinator runs her own region's
 * plans only; a business reads its own jobs' plans; the accountant and operators read every
 * plan. Decided from the roles the identity service verified for this call.
 */

export type ActorRole =
  | { readonly role: 'coordinator'; readonly region: string }
  | { readonly role: 'business'; readonly businessId: string }
  | { readonly role: 'accountant' }
  | { readonly role: 'operator' }
  | { readonly role: 'member' };

export interface Actor {
  /** The user's (or member's) id. */
  readonly id: string;
  readonly roles: readonly ActorRole[];
}

/** What access is decided on: where the job is and whose it is. */
export interface PlanScope {
  readonly regionId: string;
  readonly businessId: string;
}

export const coordinates = (actor: Actor, regionId: string): boolean =>
  actor.roles.some((r) => r.role === 'coordinator' && r.region === regionId);

/** Revise and confirm: a coordinator of the job's region. */
export const mayPlan = (actor: Actor, scope: PlanScope): boolean => coordinates(actor, scope.regionId);

/** Read: a coordinator of the job's region, the job's business, the accountant, operators. */
export const mayReadPlan = (actor: Actor, scope: PlanScope): boolean =>
  actor.roles.some(
    (r) =>
      (r.role === 'coordinator' && r.region === scope.regionId) ||
      (r.role === 'business' && r.businessId === scope.businessId) ||
      r.role === 'accountant' ||
      r.role === 'operator',
  );

/** Whether the actor could read some plan at all (a member alone cannot): refused before any plan is looked up. */
export const mayReadSomePlan = (actor: Actor): boolean => actor.roles.some((r) => r.role !== 'member');
