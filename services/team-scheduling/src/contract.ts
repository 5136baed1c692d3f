/**
 * The team scheduling service's published contract for other packages (the gateway's schemas):
 * its enums and limits, pure values with no I/O, each written once in the domain.
 *   import { LIMITS, TEAM_SCHEDULING_REQUEST_LIMITS } from '@workshare/team-scheduling/contract';
 */
export { LIMITS } from './domain/text.js';
export { TEAM_SCHEDULING_REQUEST_LIMITS } from './adapters/grpc/request-limits.js';
export { HISTORY_KINDS, TASK_STATUSES, type HistoryKind, type TaskStatus } from './domain/job-schedule.js';
export { SUCCESSOR_KINDS, type SuccessorKind } from './domain/team.js';
export { WEEKDAYS } from './domain/scheduler/windows.js';
export type { Weekday, WeeklyWindow } from './domain/scheduler/model.js';
export { REASON as UNASSIGNABLE_REASONS } from './domain/scheduler/prepared-problem.js';
