import { loadSealKey, SEAL_KEY_ENV, type SealKey } from '@workshare/eventstore';
import {
  readServiceConfig as readCommonConfig,
  type Env,
  type ServiceConfig as CommonConfig,
} from '@workshare/service-host';
import { AUDIT_GRPC_PORT } from './contract.js';

export { ConfigError, DEFAULT_IDENTITY_ADDRESS, type LogLevel } from '@workshare/service-host';

/** The env variable naming the append-only file the seals are kept in. */
export const SEAL_LOG_ENV = 'WORKSHARE_SEAL_LOG';

export const DEFAULT_GRPC_PORT = AUDIT_GRPC_PORT;
/** Seal new events at most this often (one minute): the longest an event stays unsealed, but for a month's close (sealed at once). */
export const DEFAULT_SEAL_INTERVAL_MS = 60_000;
/** Verify the whole log in the background this often (one hour). */
export const DEFAULT_VERIFY_INTERVAL_MS = 60 * 60_000;

/**
 * The audit service's own process (a pod): the settings every service has (@workshare/service-host:
 * EVENTSTORE_URL, PROJECTIONS_URL, GRPC_PORT, GRPC_HOST, IDENTITY_ADDRESS, NATS_URL, LOG_LEVEL,
 * SHUTDOWN_GRACE_MS, GRPC_DRAIN_DELAY_MS) and its tamper evidence's:
 * - WORKSHARE_SEAL_KEY: the Ed25519 private key seals are signed with (PKCS#8 PEM, or the path of
 *   a PEM file); never in the database. Unset: nothing is sealed, verification checks the chains only.
 * - WORKSHARE_SEAL_LOG: the append-only file seals are kept in (required with a seal key).
 * - AUDIT_SEAL_INTERVAL_MS (default 60,000): how often new events are sealed.
 * - AUDIT_VERIFY_INTERVAL_MS (default 3,600,000; 0: never in the background): how often the
 *   whole log is verified.
 */
export type ServiceConfig = CommonConfig & {
  readonly sealKey: SealKey | undefined;
  readonly sealLogPath: string | undefined;
  readonly sealIntervalMs: number;
  readonly verifyIntervalMs: number;
};

/** Reads and checks the environment before anything is opened (ConfigError names every problem). */
export const readServiceConfig = (env: Env): ServiceConfig =>
  readCommonConfig(env, {
    defaultGrpcPort: DEFAULT_GRPC_PORT,
    extra: (read) => {
      let sealKey: SealKey | undefined;
      if (read.text(SEAL_KEY_ENV) !== undefined) {
        try {
          sealKey = loadSealKey(env);
        } catch (error) {
          read.problem(error instanceof Error ? error.message : String(error));
        }
      }
      const sealLogPath = read.text(SEAL_LOG_ENV);
      if (sealKey !== undefined && sealLogPath === undefined)
        read.problem(`${SEAL_LOG_ENV} must name the seal log file when ${SEAL_KEY_ENV} is set`);
      return {
        sealKey,
        sealLogPath,
        sealIntervalMs: read.whole(
          'AUDIT_SEAL_INTERVAL_MS',
          DEFAULT_SEAL_INTERVAL_MS,
          100,
          86_400_000,
          'a duration in ms',
        ),
        verifyIntervalMs: read.whole(
          'AUDIT_VERIFY_INTERVAL_MS',
          DEFAULT_VERIFY_INTERVAL_MS,
          0,
          86_400_000 * 7,
          'a duration in ms',
        ),
      };
    },
  });
