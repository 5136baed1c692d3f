import { actsFor, coordinates, isAccountant, isOperator, type Actor } from '@workshare/eventsourcing';

/**
 * Who may read a job: its business, coordinators of its region, the accountant (read-only,
 * for the books) and operators. A coordinator of another region or another business may not.
 */
export const mayView = (actor: Actor, job: { readonly businessId: string; readonly regionId: string }): boolean =>
  isOperator(actor) || isAccountant(actor) || actsFor(actor, job.businessId) || coordinates(actor, job.regionId);

/** Whether the caller sees every job (no scoping of lists). */
export const seesAllJobs = (actor: Actor): boolean => isOperator(actor) || isAccountant(actor);
