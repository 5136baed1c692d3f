// The team scheduling service: each region's team, the assignment of planned tasks to its
// members' availability windows, hand-offs, overrides, sharing between regions, shadowing and
// skill grants, every change of hands an event with its actor and reason.

// Composition: what the launcher, a service process and other services' tests call.
export {
  openTeamSchedulingService,
  type OpenTeamSchedulingOptions,
  type TeamSchedulingRuntime,
} from './open-team-scheduling.js';
export {
  startTeamSchedulingGrpc,
  teamSchedulingGrpcService,
  TEAM_SCHEDULING_REQUEST_LIMITS,
  type StartTeamSchedulingGrpcOptions,
} from './adapters/grpc/team-scheduling-grpc.js';
export {
  startTeamSchedulingConsumers,
  IDENTITY_CONSUMER,
  PLANS_CONSUMER,
  JOBS_CONSUMER,
  UNAVAILABILITY_CONSUMER,
  type TeamSchedulingConsumersOptions,
} from './application/consumers.js';
export {
  readServiceConfig,
  ConfigError,
  DEFAULT_GRPC_PORT,
  DEFAULT_IDENTITY_ADDRESS,
  type ServiceConfig,
} from './config.js';

// Application: the facade, its views and the read model.
export {
  TeamSchedulingService,
  type TeamSchedulingServiceOptions,
  type HandOffInput,
  type OverrideInput,
  type UnavailabilityInput,
  type JobOutcomeInput,
  type ShareJobInput,
  type GrantSkillInput,
  type PairingInput,
  type WishedHoursInput,
  type MemberScheduleQuery,
  type TaskHolderQuery,
} from './application/team-scheduling-service.js';
export type { TaskView, JobScheduleView, MemberLoad, TaskHistoryEntry } from './application/views.js';
export { Roster } from './application/roster.js';

// Domain: the deciders, their events, and the scheduler core.
export * from './domain/job-schedule.js';
export {
  crewDecider,
  crewStream,
  CREW_EVENT_TYPES,
  skillsOf,
  wishedMinutes,
  weeklyWindowMinutes,
  type CrewCommand,
  type CrewEvent,
  type CrewMember,
  type CrewState,
  type UnavailabilityDeclared,
} from './domain/crew.js';
export {
  DEFAULT_SCHEDULER,
  ScheduleInvariantError,
  SUCCESSOR_KINDS,
  type Scheduler,
  type Successor,
  type SuccessorKind,
  type TeamSnapshot,
} from './domain/team.js';
export * as scheduler from './domain/scheduler/index.js';

// The service's one definition (for runServiceProcess and the launcher).
export { teamSchedulingDefinition } from './service.js';
