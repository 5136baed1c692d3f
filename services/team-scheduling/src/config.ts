import { DEFAULT_EVENTSTORE_URL } from '@workshare/eventstore';

/** The team scheduling service's own process (a pod): what it reads from the environment. */
export interface ServiceConfig {
  /** EVENTSTORE_URL (default `embedded:./.workshare/data`). */
  readonly storeUrl: string;
  /** GRPC_PORT (default 50054; 0 takes any free port). */
  readonly grpcPort: number;
  /** GRPC_HOST (default `0.0.0.0`, as a pod's). */
  readonly grpcHost: string;
  /** IDENTITY_ADDRESS (default `127.0.0.1:50051`): identity's gRPC API (VerifyToken). */
  readonly identityAddress: string;
  /** NATS_URL: the bus (unset: the embedded bus over the store). */
  readonly natsUrl: string | undefined;
  /** EVENTS_RELAY (default on): `off` leaves relaying the store's log to NATS to another process. */
  readonly relay: boolean;
  /** LOG_LEVEL (default `info`). */
  readonly logLevel: LogLevel;
  /** SHUTDOWN_GRACE_MS (default 10,000): how long calls in flight may run on after SIGTERM. */
  readonly shutdownGraceMs: number;
  /** GRPC_DRAIN_DELAY_MS (default 0): how long health says NOT_SERVING before calls stop being taken. */
  readonly drainDelayMs: number;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export const DEFAULT_GRPC_PORT = 50054;
export const DEFAULT_IDENTITY_ADDRESS = '127.0.0.1:50051';
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
  const grpcHost = set(env.GRPC_HOST) ?? '0.0.0.0';
  const identityAddress = set(env.IDENTITY_ADDRESS) ?? DEFAULT_IDENTITY_ADDRESS;
  if (!/^[^\s:]+:\d{1,5}$|^\[[0-9a-f:]+\]:\d{1,5}$/i.test(identityAddress)) problems.push(`IDENTITY_ADDRESS must be host:port, got ${JSON.stringify(identityAddress)}`);
  const relaySetting = (set(env.EVENTS_RELAY) ?? 'on').toLowerCase();
  if (relaySetting !== 'on' && relaySetting !== 'off') problems.push(`EVENTS_RELAY must be on or off, got ${JSON.stringify(env.EVENTS_RELAY)}`);
  const level = (set(env.LOG_LEVEL) ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(env.LOG_LEVEL)}`);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    storeUrl,
    grpcPort,
    grpcHost,
    identityAddress,
    natsUrl: set(env.NATS_URL),
    relay: relaySetting !== 'off',
    logLevel: level as LogLevel,
    shutdownGraceMs,
    drainDelayMs,
  };
};
