export {
  categoriesOf,
  CONTRACT_CODES,
  isPublished,
  jsonSchemaOf,
  parsePublished,
  publishedEntry,
  publishedEvent,
  publishedTypes,
  type Catalogue,
  type ConsumedEvent,
  type ConsumedOf,
  type ContractCode,
  type ContractViolation,
  type ParseResult,
  type PublishedEvent,
} from './published.js';
export * from './identity.js';
export * from './job-intake.js';
export * from './settlement.js';
export * from './task-decomposition.js';
export * from './team-scheduling.js';
export * from './time-tracking.js';

import { IDENTITY_PUBLISHED_EVENTS } from './identity.js';
import { JOB_INTAKE_PUBLISHED_EVENTS } from './job-intake.js';
import { SETTLEMENT_PUBLISHED_EVENTS } from './settlement.js';
import { TASK_DECOMPOSITION_PUBLISHED_EVENTS } from './task-decomposition.js';
import { TEAM_SCHEDULING_PUBLISHED_EVENTS } from './team-scheduling.js';
import { TIME_TRACKING_PUBLISHED_EVENTS } from './time-tracking.js';

/** Every producer's catalogue, by producer (for the schema snapshots and the docs). */
export const PUBLISHED_CATALOGUES = Object.freeze({
  identity: IDENTITY_PUBLISHED_EVENTS,
  'job-intake': JOB_INTAKE_PUBLISHED_EVENTS,
  settlement: SETTLEMENT_PUBLISHED_EVENTS,
  'task-decomposition': TASK_DECOMPOSITION_PUBLISHED_EVENTS,
  'team-scheduling': TEAM_SCHEDULING_PUBLISHED_EVENTS,
  'time-tracking': TIME_TRACKING_PUBLISHED_EVENTS,
});
