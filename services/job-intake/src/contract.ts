/**
 * The job intake service's published contract for other packages (the gateway's schemas, other
 * services): its enums and limits, pure values with no I/O, written once in the domain.
 *   import { LIMITS, WORK_CATEGORIES } from '@workshare/job-intake/contract';
 */
export {
  JOB_STATUSES,
  LIMITS,
  PRICING_KINDS,
  WORK_CATEGORIES,
  isWorkCategory,
  type JobStatus,
  type PricingKind,
  type WorkCategory,
} from './domain/job.js';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './application/paging.js';

// The events other services may consume, each at its schema versions (@workshare/contracts):
// only these; every other event of job intake is its own.
export {
  JOB_INTAKE_PUBLISHED_EVENTS as PUBLISHED_EVENTS,
  JobAcceptedV1,
  JobAcceptedV2,
  JobCancelledV1,
  JobInspectedV1,
} from '@workshare/contracts';
