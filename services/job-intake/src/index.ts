// The job intake service: a business's job from submission to closing, its quote, the order
// terms fixed on acceptance, inspection and rework, and the integration events other services
// react to (JobAccepted → task decomposition).

// Composition: what the launcher, a service process and other services' tests call.
export { openJobIntakeService, type OpenJobIntakeOptions, type JobIntakeRuntime } from './open-job-intake.js';
export {
  startJobIntakeGrpc,
  jobIntakeGrpcService,
  JOB_INTAKE_REQUEST_LIMITS,
  type StartJobIntakeGrpcOptions,
} from './adapters/grpc/job-intake-grpc.js';
export {
  startJobIntakeConsumers,
  TASKS_PLANNED_CONSUMER,
  PROCESS_MANAGER_ACTOR,
  type JobIntakeConsumersOptions,
} from './application/consumers.js';

// Application: the facade, its inputs and views.
export {
  JobIntakeService,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type JobIntakeServiceOptions,
  type SubmitJobInput,
  type QuoteInput,
  type ReasonInput,
  type DeliveryInput,
  type InspectionInput,
  type AcceptedQuote,
  type ListJobsQuery,
  type JobPage,
  type PlannedStart,
} from './application/job-intake-service.js';
export type { JobView } from './application/job-view.js';
export type { IdentityLookup, BusinessRecord } from './application/ports.js';
export { JobBoard, DEFAULT_MAX_STALENESS_MS } from './application/job-board.js';
export { IdentityGrpcLookup, DEFAULT_REGIONS_TTL_MS } from './adapters/identity/identity-lookup.js';

// Domain: the decider, its commands, events and state (for other services' tests and understanding).
export * from './domain/job.js';
export * from './domain/order-terms.js';

// The service's one definition (for runServiceProcess and the launcher).
export { jobIntakeDefinition } from './service.js';
