// The time tracking service: members' time on the tasks they held (timer or spans entered
// afterwards), corrections and deletions with a reason, the receipt of their work (a task marked
// done), and a coordinator's approval of a member's Tokyo week: what settlement pays from.

// Composition: what the launcher, a service process and other services' tests call.
export {
  openTimeTrackingService,
  type OpenTimeTrackingOptions,
  type TimeTrackingRuntime,
} from './open-time-tracking.js';
export {
  startTimeTrackingGrpc,
  timeTrackingGrpcService,
  TIME_TRACKING_REQUEST_LIMITS,
  type StartTimeTrackingGrpcOptions,
} from './adapters/grpc/time-tracking-grpc.js';

// Application: the facade, its inputs and views, the read models.
export {
  TimeTrackingService,
  type TimeTrackingServiceOptions,
  type StartWorkInput,
  type RecordSpanInput,
  type CorrectEntryInput,
  type DeleteEntryInput,
  type ApproveWeekInput,
  type GetWeekQuery,
  type ApprovedTimeQuery,
  type ApprovalOutcome,
} from './application/time-tracking-service.js';
export type { EntryView, TimerView, WeekView, ApprovedTimeLine, ApprovedTimeView } from './application/week-view.js';
export {
  TaskHoldings,
  TASK_HOLDINGS_PROJECTION,
  projectSchedule,
  type JobHoldings,
  type HeldSpan,
} from './application/task-holdings.js';
export { MemberRegions, MEMBER_REGIONS_PROJECTION, type MemberRegion } from './application/member-regions.js';
export { Timesheets, TIMESHEETS_PROJECTION } from './application/timesheets.js';

// Domain: the decider, its commands, events and state (for other services' tests and understanding).
export * from './domain/timesheet.js';
export * from './domain/tokyo-days.js';

// The service's one definition (for runServiceProcess and the launcher).
export { timeTrackingDefinition } from './service.js';
