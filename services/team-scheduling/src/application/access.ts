import { actsFor, coordinates, isAccountant, isOperator, type Actor } from '@workshare/eventsourcing';
import { teamRegionsOf, type JobSchedule } from '../domain/job-schedule.js';

/**
 * Who may read a job's schedule and its tasks' histories: coordinators of the regions whose
 * teams work on it (its own, and partners' once shared), its business, the accountant
 * (read-only, for the books) and operators.
 */
export const mayReadJob = (actor: Actor, job: JobSchedule): boolean =>
  isOperator(actor) || isAccountant(actor) || actsFor(actor, job.businessId) || managesTeamOf(actor, job);

/** Operators, the accountant and coordinators of the job's teams: they see what members told and their hours. */
const managesTeamOf = (actor: Actor, job: JobSchedule): boolean =>
  teamRegionsOf(job).some((region) => coordinates(actor, region));

/**
 * What a reader of a job sees of its members: everything for coordinators of its teams, the
 * accountant, operators and anyone who held or shadowed the task (`participant`); the job's
 * business sees who holds each task and its status only, never the members' reasons, progress
 * notes or hours (`holders`).
 */
export type JobReading = 'everything' | 'holders';

export const jobReadingOf = (actor: Actor, job: JobSchedule, participant = false): JobReading =>
  isOperator(actor) || isAccountant(actor) || managesTeamOf(actor, job) || participant ? 'everything' : 'holders';

/** A member's schedule: hers, and her region's coordinators' (a business never: it is her time). */
export const mayReadMember = (
  actor: Actor,
  member: { readonly memberId: string; readonly regionId: string },
): boolean => actor.id === member.memberId || coordinates(actor, member.regionId);
