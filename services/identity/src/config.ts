import {
  readServiceConfig as readCommonConfig,
  type Env,
  type ServiceConfig as CommonServiceConfig,
} from '@workshare/service-host';
import { parseSigningKey } from './adapters/jwt-tokens.js';
import { MasterKey } from './adapters/master-key.js';
import { DEFAULT_MAX_STALENESS_MS } from './application/directory.js';

export { ConfigError, DEFAULT_SHUTDOWN_GRACE_MS, type LogLevel } from '@workshare/service-host';

/**
 * The identity service's own process (a pod): the settings every service reads (store, gRPC,
 * NATS and relay, log level, stop; see @workshare/service-host), and its own.
 */
export interface ServiceConfig extends CommonServiceConfig {
  /** IDENTITY_READ_STALENESS_MS (default 100): how stale queries may be for other pods' writes. */
  readonly readStalenessMs: number;
}

export const DEFAULT_GRPC_PORT = 50051;

/** Reads and checks the environment; IDENTITY_MASTER_KEY and IDENTITY_SIGNING_KEY are checked for form here, before any store is opened. */
export const readServiceConfig = (env: Env): ServiceConfig =>
  readCommonConfig(env, {
    defaultGrpcPort: DEFAULT_GRPC_PORT,
    extra: (read) => {
      const readStalenessMs = read.whole(
        'IDENTITY_READ_STALENESS_MS',
        DEFAULT_MAX_STALENESS_MS,
        0,
        60_000,
        'a duration in ms',
      );
      const masterKey = read.text('IDENTITY_MASTER_KEY');
      if (masterKey !== undefined) {
        try {
          MasterKey.fromBase64(masterKey);
        } catch {
          read.problem('IDENTITY_MASTER_KEY must be the base64 encoding of exactly 32 bytes (openssl rand -base64 32)');
        }
      } else if (!(read.text('EVENTSTORE_URL') ?? 'embedded:').startsWith('embedded:')) {
        read.problem(
          'IDENTITY_MASTER_KEY is required with a PostgreSQL or KurrentDB store (base64 of 32 bytes: openssl rand -base64 32)',
        );
      }
      const signingKey = read.text('IDENTITY_SIGNING_KEY');
      if (signingKey !== undefined) {
        try {
          parseSigningKey(signingKey);
        } catch (error) {
          read.problem(
            error instanceof Error ? error.message : 'IDENTITY_SIGNING_KEY is not a private Ed25519 or P-256 JWK',
          );
        }
      }
      return { readStalenessMs };
    },
  });
