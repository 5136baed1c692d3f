import {
  readServiceConfig as readCommonConfig,
  type Env,
  type ServiceConfig as CommonConfig,
} from '@workshare/service-host';

export { ConfigError, type LogLevel } from '@workshare/service-host';

/** The relay's health port (grpc.health.v1 only: nobody calls the relay). */
export const DEFAULT_GRPC_PORT = 50060;
/** The lease's id (the second key of its advisory lock), by default. */
export const DEFAULT_LEASE_ID = 1;
/** How often a standby asks for the lease (and the holder checks it), by default, in ms. */
export const DEFAULT_LEASE_RETRY_MS = 250;

/** The relay's process (a pod, or a process of the launcher's process mode). */
export interface RelayConfig extends CommonConfig {
  /** NATS_URL: required, the relay publishes there. */
  readonly natsUrl: string;
  /** RELAY_LEASE_ID (default 1): the lease is the advisory lock (4250, id) in the store's database. */
  readonly leaseId: number;
  /** RELAY_LEASE_RETRY_MS (default 250): a standby asks for the lease this often; the holder checks it as often. */
  readonly leaseRetryMs: number;
}

/**
 * Reads and checks the environment before anything is opened: the settings every service has
 * (@workshare/service-host: EVENTSTORE_URL, NATS_URL, GRPC_PORT, GRPC_HOST, LOG_LEVEL, ...), and
 * the relay's own. The store must be PostgreSQL (the lease is one of its advisory locks) and NATS
 * must be set; every problem is named at once (ConfigError).
 */
export const readRelayConfig = (env: Env): RelayConfig => {
  const config = readCommonConfig(env, {
    defaultGrpcPort: DEFAULT_GRPC_PORT,
    extra: (read) => {
      const store = read.text('EVENTSTORE_URL');
      if (store === undefined || /^embedded:/i.test(store)) {
        read.problem(
          'EVENTSTORE_URL must be a PostgreSQL store (postgres://...): an embedded store belongs to one process, whose in-process bus needs no relay',
        );
      } else if (/^(kurrentdb|kurrent|esdb|kdb)(\+discover)?:/i.test(store)) {
        read.problem(
          'EVENTSTORE_URL must be a PostgreSQL store (postgres://...): the relay runs by a PostgreSQL advisory lock as its lease, and is not supported on KurrentDB',
        );
      }
      if (read.text('NATS_URL') === undefined)
        read.problem('NATS_URL must be set: the relay publishes to NATS JetStream');
      return {
        leaseId: read.whole('RELAY_LEASE_ID', DEFAULT_LEASE_ID, 0, 2_147_483_647, 'a lease id'),
        leaseRetryMs: read.whole('RELAY_LEASE_RETRY_MS', DEFAULT_LEASE_RETRY_MS, 10, 60_000, 'a duration in ms'),
      };
    },
  });
  // Set: an unset NATS_URL is a problem above, and readCommonConfig throws for every problem.
  return { ...config, natsUrl: config.natsUrl ?? '' };
};
