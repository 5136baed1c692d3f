import { DEFAULT_EVENTSTORE_URL } from '@workshare/eventstore';
import { addressEntries, addressProblem } from '@workshare/grpc';

/** What a service's own process (a pod) reads from the environment. */
export interface ServiceConfig {
  /** EVENTSTORE_URL (default `embedded:./.workshare/data`). */
  readonly storeUrl: string;
  /**
   * PROJECTIONS_URL: where durable read models keep their state (`postgres://...` or
   * `embedded:<dir>`); unset, the store's own database (needed with a KurrentDB store).
   */
  readonly projectionsUrl: string | undefined;
  /** GRPC_PORT (the service's conventional port by default; 0 takes any free port). */
  readonly grpcPort: number;
  /** GRPC_HOST (default `127.0.0.1`, loopback only; `0.0.0.0` for every interface, as a pod sets it). */
  readonly grpcHost: string;
  /** IDENTITY_ADDRESS (default `127.0.0.1:50051`): identity's gRPC API, which verifies callers' tokens. */
  readonly identityAddress: string;
  /** NATS_URL: the bus (unset: the in-process bus over the store). */
  readonly natsUrl: string | undefined;
  /** LOG_LEVEL (default `info`). */
  readonly logLevel: LogLevel;
  /** SHUTDOWN_GRACE_MS (default 10,000): how long calls in flight may run on after SIGTERM. */
  readonly shutdownGraceMs: number;
  /** GRPC_DRAIN_DELAY_MS (default 0): how long health says NOT_SERVING before calls stop being taken. */
  readonly drainDelayMs: number;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export const DEFAULT_IDENTITY_ADDRESS = '127.0.0.1:50051';
/** Where a service's gRPC API listens unless GRPC_HOST says otherwise: loopback only. */
export const DEFAULT_GRPC_HOST = '127.0.0.1';
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/** Configuration that cannot work, with every problem found (not only the first). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`bad configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Reads settings from the environment, keeping every problem found (not only the first). */
export interface EnvReader {
  readonly env: Env;
  /** A set, trimmed value, or undefined. */
  text(name: string): string | undefined;
  /** A whole number within [min, max], or the fallback when unset. */
  whole(name: string, fallback: number, min: number, max: number, what: string): number;
  /**
   * A `host:port` (or `[v6]:port`), or the replicas of one service as a comma-separated list of
   * IP `host:port` (calls spread round-robin over them), each entry checked; the fallback when unset.
   */
  address(name: string, fallback: string): string;
  /** LOG_LEVEL (default `info`). */
  logLevel(): LogLevel;
  problem(message: string): void;
}

const set = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === '' ? undefined : value.trim();

/** An EnvReader over `env`, and `done()`, which throws a ConfigError naming every problem found, if any. */
export const envReader = (env: Env): EnvReader & { done(): void } => {
  const problems: string[] = [];
  return {
    env,
    text: (name) => set(env[name]),
    whole: (name, fallback, min, max, what) => {
      const raw = set(env[name]);
      if (raw === undefined) return fallback;
      if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
        problems.push(
          `${name} must be ${what} (a whole number from ${min} to ${max}), got ${JSON.stringify(env[name])}`,
        );
        return fallback;
      }
      return Number(raw);
    },
    address: (name, fallback) => {
      const value = set(env[name]) ?? fallback;
      const problem = addressProblem(value);
      if (problem !== undefined) problems.push(`${name} ${problem}`);
      return addressEntries(value).join(',');
    },
    logLevel: () => {
      const level = (set(env.LOG_LEVEL) ?? 'info').toLowerCase();
      if ((LOG_LEVELS as readonly string[]).includes(level)) return level as LogLevel;
      problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(env.LOG_LEVEL)}`);
      return 'info';
    },
    problem: (message) => void problems.push(message),
    done: () => {
      if (problems.length > 0) throw new ConfigError(problems);
    },
  };
};

/**
 * Reads and checks the environment before anything is opened: the settings every service has,
 * then the service's own (`extra`). Every problem is reported at once (ConfigError).
 */
export const readServiceConfig = <Extra extends object = Record<never, never>>(
  env: Env,
  options: { readonly defaultGrpcPort: number; readonly extra?: (read: EnvReader) => Extra },
): ServiceConfig & Extra => {
  const read = envReader(env);
  const storeUrl = read.text('EVENTSTORE_URL') ?? DEFAULT_EVENTSTORE_URL;
  if (!/^(embedded:.+|postgres(ql)?:\/\/.+|(kurrentdb|kurrent|esdb)(\+discover)?:\/\/.+)$/i.test(storeUrl)) {
    read.problem(
      `EVENTSTORE_URL must be embedded:<dir>, embedded:memory, postgres://... or kurrentdb://..., got ${JSON.stringify(storeUrl.replace(/\/\/[^@/]*@/, '//***@'))}`,
    );
  }
  const projectionsUrl = read.text('PROJECTIONS_URL');
  if (projectionsUrl !== undefined && !/^(embedded:.+|postgres(ql)?:\/\/.+)$/i.test(projectionsUrl))
    read.problem(
      `PROJECTIONS_URL must be postgres://... or embedded:<dir>, got ${JSON.stringify(projectionsUrl.replace(/\/\/[^@/]*@/, '//***@'))}`,
    );
  if (projectionsUrl === undefined && /^(kurrentdb|kurrent|esdb)/i.test(storeUrl))
    read.problem(
      'PROJECTIONS_URL must be set with a KurrentDB store: read models keep their state in PostgreSQL or the embedded store',
    );
  const grpcPort = read.whole('GRPC_PORT', options.defaultGrpcPort, 0, 65535, 'a port');
  const grpcHost = read.text('GRPC_HOST') ?? DEFAULT_GRPC_HOST;
  const identityAddress = read.address('IDENTITY_ADDRESS', DEFAULT_IDENTITY_ADDRESS);
  const natsUrl = read.text('NATS_URL');
  if (natsUrl !== undefined && !/^(nats|tls|wss?):\/\/.+/i.test(natsUrl))
    read.problem('NATS_URL must be nats://host:port');
  const shutdownGraceMs = read.whole('SHUTDOWN_GRACE_MS', DEFAULT_SHUTDOWN_GRACE_MS, 0, 600_000, 'a duration in ms');
  const drainDelayMs = read.whole('GRPC_DRAIN_DELAY_MS', 0, 0, 60_000, 'a duration in ms');
  const logLevel = read.logLevel();
  const extra = options.extra?.(read) ?? ({} as Extra);

  read.done();
  return {
    storeUrl,
    projectionsUrl,
    grpcPort,
    grpcHost,
    identityAddress,
    natsUrl,
    logLevel,
    shutdownGraceMs,
    drainDelayMs,
    ...extra,
  };
};
