import { actsFor, coordinates, isAccountant, isOperator, type Actor } from '../domain/actor.js';
import { teamRegionsOf, type JobSchedule } from '../domain/job-schedule.js';

/**
 * Who may read a job's schedule and its tasks' histories: coordinators of the regions whose
 * teams work on it (its own, and partners' once shared), its business, the accountant
 * (read-only, for the books) and operators.
 */
export const mayReadJob = (actor: Actor, job: JobSchedule): boolean =>
  isOperator(actor) ||
  isAccountant(actor) ||
  actsFor(actor, job.businessId) ||
  teamRegionsOf(job).some((region) => coordinates(actor, region));

/** A member's schedule: hers, and her region's coordinators'. */
export const mayReadMember = (
  actor: Actor,
  member: { readonly memberId: string; readonly regionId: string },
): boolean => actor.id === member.memberId || coordinates(actor, member.regionId);
