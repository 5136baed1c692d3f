/** The gateway's own process (a pod): what it reads from the environment. */
export interface GatewayConfig {
  /** PORT (default 8080; 0 takes any free port). */
  readonly port: number;
  /** HOST (default 0.0.0.0). */
  readonly host: string;
  /** IDENTITY_ADDRESS (default 127.0.0.1:50051). */
  readonly identityAddress: string;
  /** JOB_INTAKE_ADDRESS (default 127.0.0.1:50052). */
  readonly jobIntakeAddress: string;
  /** TASK_DECOMPOSITION_ADDRESS (default 127.0.0.1:50053). */
  readonly taskDecompositionAddress: string;
  /** TEAM_SCHEDULING_ADDRESS (default 127.0.0.1:50054). */
  readonly teamSchedulingAddress: string;
  /** GATEWAY_RATE_LIMIT_PER_MINUTE (default 300): requests per identity (or client address) per minute. */
  readonly rateLimitPerMinute: number;
  /** GATEWAY_BODY_LIMIT_BYTES (default 65,536). */
  readonly bodyLimitBytes: number;
  /** LOG_LEVEL (default `info`). */
  readonly logLevel: LogLevel;
  /** SHUTDOWN_GRACE_MS (default 10,000): how long requests in flight may run on after SIGTERM. */
  readonly shutdownGraceMs: number;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export const DEFAULT_PORT = 8080;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Configuration that cannot work, with every problem found (not only the first). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`bad configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const set = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value.trim());

/** Reads and checks the environment. */
export const readGatewayConfig = (env: Env): GatewayConfig => {
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
  const address = (name: string, fallback: string): string => {
    const value = set(env[name]) ?? fallback;
    if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(value)) problems.push(`${name} must be host:port, got ${JSON.stringify(env[name])}`);
    return value;
  };

  const port = whole('PORT', DEFAULT_PORT, 0, 65535, 'a port');
  const host = set(env.HOST) ?? '0.0.0.0';
  const identityAddress = address('IDENTITY_ADDRESS', '127.0.0.1:50051');
  const jobIntakeAddress = address('JOB_INTAKE_ADDRESS', '127.0.0.1:50052');
  const taskDecompositionAddress = address('TASK_DECOMPOSITION_ADDRESS', '127.0.0.1:50053');
  const teamSchedulingAddress = address('TEAM_SCHEDULING_ADDRESS', '127.0.0.1:50054');
  const rateLimitPerMinute = whole('GATEWAY_RATE_LIMIT_PER_MINUTE', 300, 1, 10_000_000, 'a number of requests');
  const bodyLimitBytes = whole('GATEWAY_BODY_LIMIT_BYTES', 64 * 1024, 1, 100 * 1024 * 1024, 'a size in bytes');
  const shutdownGraceMs = whole('SHUTDOWN_GRACE_MS', 10_000, 0, 600_000, 'a duration in ms');
  const level = (set(env.LOG_LEVEL) ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(env.LOG_LEVEL)}`);

  if (problems.length > 0) throw new ConfigError(problems);
  return { port, host, identityAddress, jobIntakeAddress, taskDecompositionAddress, teamSchedulingAddress, rateLimitPerMinute, bodyLimitBytes, logLevel: level as LogLevel, shutdownGraceMs };
};
