import {
  readServiceConfig as readCommonConfig,
  type Env,
  type ServiceConfig as CommonConfig,
} from '@workshare/service-host';

export { ConfigError, DEFAULT_IDENTITY_ADDRESS, type LogLevel } from '@workshare/service-host';

/**
 * The settlement service's own process (a pod): the settings every service has
 * (@workshare/service-host: EVENTSTORE_URL, PROJECTIONS_URL, GRPC_PORT, GRPC_HOST,
 * IDENTITY_ADDRESS, NATS_URL, LOG_LEVEL, SHUTDOWN_GRACE_MS, GRPC_DRAIN_DELAY_MS) and the PDFs' font.
 */
export type ServiceConfig = CommonConfig & {
  /** SETTLEMENT_FONT_PATH: the IPAexGothic TrueType file of the PDFs (default: Debian's fonts-ipaexfont-gothic). */
  readonly fontPath: string | undefined;
};

export const DEFAULT_GRPC_PORT = 50063;

/** Reads and checks the environment before anything is opened (ConfigError names every problem). */
export const readServiceConfig = (env: Env): ServiceConfig =>
  readCommonConfig(env, {
    defaultGrpcPort: DEFAULT_GRPC_PORT,
    extra: (read) => ({ fontPath: read.text('SETTLEMENT_FONT_PATH') }),
  });
