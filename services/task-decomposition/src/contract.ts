/**
 * The task decomposition service's published contract for other packages (the gateway's
 * schemas): its enums and limits, pure values with no I/O, written once in the domain.
 *   import { PLAN_LIMITS, PLAN_STATUSES } from '@workshare/task-decomposition/contract';
 */
export {
  MAX_TASKS_PER_ROUND,
  MAX_TITLE_LENGTH,
  MAX_TASK_KEY_LENGTH,
  TASK_KEY_PATTERN,
  DEFAULT_MAX_TASK_MINUTES,
  MIN_TASK_MAX_MINUTES,
  MAX_TASK_MAX_MINUTES,
  PLAN_LIMITS,
} from './domain/plan-rules.js';
export { PLAN_STATUSES, type PlanStatus } from './domain/plan.js';

// The events other services may consume, each at its schema versions (@workshare/contracts):
// only these; every other event of task decomposition is its own.
export { TASK_DECOMPOSITION_PUBLISHED_EVENTS as PUBLISHED_EVENTS, TasksPlannedV1 } from '@workshare/contracts';
