// The launcher as a library: the whole platform in one process (what `npm start` runs on the
// embedded store, and what e2e/ drives through the gateway), and the service plan.
export {
  startEmbeddedPlatform,
  DEMO_PASSWORD_DEFAULT,
  type EmbeddedPlatform,
  type EmbeddedPlatformOptions,
} from './platform.js';
// The platform's clock, for whoever runs the platform at a simulated time.
export { SimulatedClock, systemClock, type Clock } from '@workshare/time';
export { seedDemoJobs, type DemoJob, type DemoJobsOptions } from './demo-jobs.js';
// The demo's two past months (recorded on a simulated clock on a fresh store: the earlier closed) and what is printed of them.
export {
  seedDemoMonth,
  demoMonthOf,
  demoMonthsOf,
  demoMonthLines,
  demoClosedMonthLines,
  DEMO_MONTH_WORK,
  DEMO_EARLIER_MONTH_WORK,
  DEMO_NEWCOMER,
  DEMO_CORRECTION_REASON,
  DEMO_REGION,
  DEMO_SETTLEMENT,
  DEMO_PAYEE_REGISTRATION_NUMBER,
  type DemoMonth,
  type DemoMonthJob,
  type DemoMonthMember,
  type DemoMonthOptions,
  type DemoMonthPeriod,
  type DemoMonthWork,
} from './demo-month.js';
export { PlatformClock, recordDemoHistory, recordDemoHistoryApart, type DemoHistory } from './demo-history.js';
export {
  seedDemoOnce,
  demoSeedStateOf,
  demoNotSeeded,
  demoSeedDecider,
  DEMO_SEED_STREAM,
  type DemoSeedResult,
  type DemoSeedCommand,
  type DemoSeedEvent,
  type DemoSeedState,
  type SeedDemoOptions,
} from './demo-seed.js';
export {
  SERVICES,
  RELAY,
  RELAY_REPLICAS,
  planServices,
  planRelays,
  planReplicas,
  teamSchedulingReplicas,
  TEAM_SCHEDULING,
  DEFAULT_TEAM_SCHEDULING_REPLICAS,
  MAX_TEAM_SCHEDULING_REPLICAS,
  addressOf,
  processEnvironment,
  processName,
  addressVariable,
  DEFINITIONS,
  type ServiceSpec,
  type ServicePlan,
} from './plan.js';
