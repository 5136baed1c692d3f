// The task decomposition service: the plans that cut accepted jobs into tasks of one window.

// Composition: what the launcher and a service process call.
export {
  openTaskDecompositionService,
  type OpenTaskDecompositionOptions,
  type TaskDecompositionRuntime,
} from './open-task-decomposition.js';
export {
  startTaskDecompositionGrpc,
  taskDecompositionGrpcService,
  TASK_DECOMPOSITION_REQUEST_LIMITS,
  type StartTaskDecompositionGrpcOptions,
} from './adapters/grpc/task-decomposition-grpc.js';
export {
  startTaskDecompositionConsumers,
  reactToJobEvent,
  JOBS_CONSUMER,
  PROCESS_MANAGER_ACTOR,
  type TaskDecompositionConsumersOptions,
} from './application/process-manager.js';
export {
  readServiceConfig,
  ConfigError,
  DEFAULT_GRPC_PORT,
  DEFAULT_IDENTITY_ADDRESS,
  type ServiceConfig,
} from './config.js';

// Application: the facade, its inputs and views.
export {
  TaskDecompositionService,
  type TaskDecompositionServiceOptions,
  type RevisePlanInput,
  type ConfirmPlanInput,
  type PlanReasonInput,
} from './application/task-decomposition-service.js';
export { viewOf, type PlanView, type TaskView } from './application/views.js';
export {
  acceptedJobOf,
  inspectionOf,
  cancellationOf,
  jobEventOf,
  JOB_EVENT_TYPES,
  type JobInspection,
  type JobCancellation,
  type PublishedJobEvent,
} from './application/job-events.js';

// Domain: the rules, the templates, the decider and its events (for other services' tests).
export {
  validatePlan,
  MAX_TASKS_PER_ROUND,
  MAX_TITLE_LENGTH,
  MAX_TASK_KEY_LENGTH,
  TASK_KEY_PATTERN,
  DEFAULT_MAX_TASK_MINUTES,
  MIN_TASK_MAX_MINUTES,
  MAX_TASK_MAX_MINUTES,
  PLAN_LIMITS,
  type TaskDraft,
  type PlanConstraints,
  type PlanViolation,
  type PlanViolationCode,
} from './domain/plan-rules.js';
export {
  proposeTasks,
  TEMPLATES,
  CATEGORY_SKILL,
  WORK_CATEGORIES,
  isWorkCategory,
  type WorkCategory,
  type JobToPlan,
} from './domain/templates.js';
export { mayPlan, mayReadPlan, mayReadSomePlan, type PlanScope } from './domain/access.js';
export * from './domain/plan.js';

// The service's one definition (for runServiceProcess and the launcher).
export { taskDecompositionDefinition } from './service.js';
