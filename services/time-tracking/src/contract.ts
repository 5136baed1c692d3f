/**
 * The time tracking service's published contract for other packages (the gateway's schemas, other
 * services): its limits, codes and enums, pure values with no I/O, written once in the domain.
 *   import { LIMITS, TIME_CODES } from '@workshare/time-tracking/contract';
 */
export {
  ENTRY_SOURCES,
  LIMITS,
  TIME_CODES,
  WEEK_APPROVALS,
  type EntrySource,
  type TimeCode,
  type WeekApproval,
} from './domain/timesheet.js';
export { TIME_TRACKING_REQUEST_LIMITS } from './adapters/grpc/request-limits.js';
/** A week as the API names it: its Monday (Asia/Tokyo), `YYYY-MM-DD` (a JSON schema `pattern`; the Monday is the service's to check). */
export { PUBLISHED_WEEK_START_PATTERN as WEEK_START_PATTERN } from '@workshare/contracts';

// The events other services may consume, each at its schema versions (@workshare/contracts):
// only these; TimerStarted and TimerDiscarded are time tracking's own.
export {
  TIME_TRACKING_PUBLISHED_EVENTS as PUBLISHED_EVENTS,
  TaskMarkedDoneV1,
  TimeEntryCorrectedV1,
  TimeEntryCorrectedV2,
  TimeEntryDeletedV1,
  TimeEntryDeletedV2,
  TimeEntryRecordedV1,
  WeekApprovedV1,
  WeekReopenedV1,
} from '@workshare/contracts';
