/**
 * Who acts on a team's schedule, in the domain's words (the shared model of
 * @workshare/eventsourcing). `system` is this service itself: its process managers
 * (TasksPlanned → schedule, UnavailabilityDeclared → hand-offs).
 */
import { systemActor, type Actor, type Role } from '@workshare/eventsourcing';

export {
  actsFor,
  coordinates,
  isAccountant,
  isMember,
  isOperator,
  isSystem,
  type Actor,
} from '@workshare/eventsourcing';
export type ScheduleRole = Role;

/** This service acting on its own (process managers). */
export const SYSTEM_ACTOR: Actor = systemActor('team-scheduling');
