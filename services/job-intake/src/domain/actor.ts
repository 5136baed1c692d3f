/**
 * Who acts on a job, in the domain's words (the shared model of @workshare/eventsourcing).
 * `system` is this service itself: the process manager that starts a job once its tasks are
 * planned.
 */
import { systemActor, type Actor, type Role } from '@workshare/eventsourcing';

export { actsFor, coordinates, isAccountant, isOperator, isSystem, type Actor } from '@workshare/eventsourcing';
export type JobRole = Role;

/** The process manager of this service (TasksPlanned → StartJob). */
export const SYSTEM_ACTOR: Actor = systemActor('job-intake');
