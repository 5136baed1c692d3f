import { DEFAULT_EVENTSTORE_URL } from '@workshare/eventstore';
import { parseSigningKey } from './adapters/jwt-tokens.js';
import { MasterKey } from './adapters/master-key.js';
import { DEFAULT_MAX_STALENESS_MS } from './application/directory.js';

/** The identity service's own process (a pod): what it reads from the environment. */
export interface ServiceConfig {
  /** EVENTSTORE_URL (default `embedded:./.workshare/data`). */
  readonly storeUrl: string;
  /** GRPC_PORT (default 50051; 0 takes any free port). */
  readonly grpcPort: number;
  /** The gRPC server binds every interface, as a pod's does. */
  readonly grpcHost: '0.0.0.0';
  /** LOG_LEVEL (default `info`). */
  readonly logLevel: LogLevel;
  /** SHUTDOWN_GRACE_MS (default 10,000): how long calls in flight may run on after SIGTERM. */
  readonly shutdownGraceMs: number;
  /** GRPC_DRAIN_DELAY_MS (default 0): how long health says NOT_SERVING before calls stop being taken. */
  readonly drainDelayMs: number;
  /** IDENTITY_READ_STALENESS_MS (default 100): how stale queries may be for other pods' writes. */
  readonly readStalenessMs: number;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export const DEFAULT_GRPC_PORT = 50051;
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/** Configuration that cannot work, with every problem found (not only the first). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`bad configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const set = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value.trim());

/** Reads and checks the environment; IDENTITY_MASTER_KEY and IDENTITY_SIGNING_KEY are checked for form here, before any store is opened. */
export const readServiceConfig = (env: Env): ServiceConfig => {
  const problems: string[] = [];

  const whole = (name: string, fallback: number, min: number, max: number, what: string): number => {
    const raw = set(env[name]);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name} must be ${what} (a whole number from ${min} to ${max}), got ${JSON.stringify(env[name])}`);
      return fallback;
    }
    return Number(raw);
  };

  const storeUrl = set(env.EVENTSTORE_URL) ?? DEFAULT_EVENTSTORE_URL;
  if (!/^(embedded:.+|postgres(ql)?:\/\/.+|(kurrentdb|kurrent|esdb)(\+discover)?:\/\/.+)$/i.test(storeUrl)) {
    problems.push(`EVENTSTORE_URL must be embedded:<dir>, embedded:memory, postgres://... or kurrentdb://..., got ${JSON.stringify(storeUrl.replace(/\/\/[^@/]*@/, '//***@'))}`);
  }
  const grpcPort = whole('GRPC_PORT', DEFAULT_GRPC_PORT, 0, 65535, 'a port');
  const shutdownGraceMs = whole('SHUTDOWN_GRACE_MS', DEFAULT_SHUTDOWN_GRACE_MS, 0, 600_000, 'a duration in ms');
  const drainDelayMs = whole('GRPC_DRAIN_DELAY_MS', 0, 0, 60_000, 'a duration in ms');
  const readStalenessMs = whole('IDENTITY_READ_STALENESS_MS', DEFAULT_MAX_STALENESS_MS, 0, 60_000, 'a duration in ms');

  const level = (set(env.LOG_LEVEL) ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(env.LOG_LEVEL)}`);

  const masterKey = set(env.IDENTITY_MASTER_KEY);
  if (masterKey !== undefined) {
    try {
      MasterKey.fromBase64(masterKey);
    } catch {
      problems.push('IDENTITY_MASTER_KEY must be the base64 encoding of exactly 32 bytes (openssl rand -base64 32)');
    }
  } else if (!storeUrl.startsWith('embedded:')) {
    problems.push('IDENTITY_MASTER_KEY is required with a PostgreSQL or KurrentDB store (base64 of 32 bytes: openssl rand -base64 32)');
  }
  const signingKey = set(env.IDENTITY_SIGNING_KEY);
  if (signingKey !== undefined) {
    try {
      parseSigningKey(signingKey);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : 'IDENTITY_SIGNING_KEY is not a private Ed25519 or P-256 JWK');
    }
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return { storeUrl, grpcPort, grpcHost: '0.0.0.0', logLevel: level as LogLevel, shutdownGraceMs, drainDelayMs, readStalenessMs };
};
