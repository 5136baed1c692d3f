/**
 * Who may do what with a plan (DESIGN §2, Security): a coordinator runs her own region's
 * plans only; a business reads its own jobs' plans; the accountant and operators read every
 * plan; this service's process manager (a system actor) proposes, reopens and closes plans.
 * Decided from the actor's roles (the one caller model of @workshare/eventsourcing: the roles
 * identity verified for the call, or a system actor's).
 */
import { actsFor, coordinates, isAccountant, isOperator, type Actor } from '@workshare/eventsourcing';

/** What access is decided on: where the job is and whose it is. */
export interface PlanScope {
  readonly regionId: string;
  readonly businessId: string;
}

/** Revise and confirm: a coordinator of the job's region. */
export const mayPlan = (actor: Actor, scope: PlanScope): boolean => coordinates(actor, scope.regionId);

/** Read: a coordinator of the job's region, the job's business, the accountant, operators. */
export const mayReadPlan = (actor: Actor, scope: PlanScope): boolean =>
  coordinates(actor, scope.regionId) || actsFor(actor, scope.businessId) || isAccountant(actor) || isOperator(actor);

/** Whether the actor could read some plan at all (a member alone cannot): refused before any plan is looked up. */
export const mayReadSomePlan = (actor: Actor): boolean =>
  actor.roles.some(
    (r) => r.kind === 'coordinator' || r.kind === 'business' || r.kind === 'accountant' || r.kind === 'operator',
  );
