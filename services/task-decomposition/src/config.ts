import {
  readServiceConfig as readCommonConfig,
  type Env,
  type ServiceConfig as CommonConfig,
} from '@workshare/service-host';
import { DEFAULT_MAX_TASK_MINUTES, MAX_TASK_MAX_MINUTES, MIN_TASK_MAX_MINUTES } from './domain/plan-rules.js';

export { ConfigError, DEFAULT_IDENTITY_ADDRESS, type LogLevel } from '@workshare/service-host';

/** The task decomposition service's own process (a pod): the settings every service has, and its own. */
export interface ServiceConfig extends CommonConfig {
  /** TASK_MAX_MINUTES (default 120, 15 to 480): the longest a task may be. */
  readonly maxTaskMinutes: number;
}

export const DEFAULT_GRPC_PORT = 50053;

/** Reads and checks the environment before anything is opened (ConfigError names every problem). */
export const readServiceConfig = (env: Env): ServiceConfig =>
  readCommonConfig(env, {
    defaultGrpcPort: DEFAULT_GRPC_PORT,
    extra: (read) => ({
      maxTaskMinutes: read.whole(
        'TASK_MAX_MINUTES',
        DEFAULT_MAX_TASK_MINUTES,
        MIN_TASK_MAX_MINUTES,
        MAX_TASK_MAX_MINUTES,
        'the longest a task may be, in minutes',
      ),
    }),
  });
