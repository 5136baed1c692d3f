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
export {
  seedDemoOnce,
  demoSeedDecider,
  DEMO_SEED_STREAM,
  type DemoSeedResult,
  type DemoSeedCommand,
  type DemoSeedEvent,
  type DemoSeedState,
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
  type ServiceSpec,
  type ServicePlan,
} from './plan.js';
