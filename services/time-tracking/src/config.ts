import {
  readServiceConfig as readCommonConfig,
  type Env,
  type ServiceConfig as CommonConfig,
} from '@workshare/service-host';

export { ConfigError, DEFAULT_IDENTITY_ADDRESS, type LogLevel } from '@workshare/service-host';

/** The time tracking service's own process (a pod): the settings every service has (@workshare/service-host). */
export type ServiceConfig = CommonConfig;

export const DEFAULT_GRPC_PORT = 50062;

/** Reads and checks the environment before anything is opened (ConfigError names every problem). */
export const readServiceConfig = (env: Env): ServiceConfig =>
  readCommonConfig(env, { defaultGrpcPort: DEFAULT_GRPC_PORT });
