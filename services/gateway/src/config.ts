import { AUDIT_GRPC_PORT } from '@workshare/audit/contract';
import { envReader, type Env, type LogLevel } from '@workshare/service-host';

/** The gateway's own process (a pod): what it reads from the environment. */
export interface GatewayConfig {
  /** PORT (default 8080; 0 takes any free port). */
  readonly port: number;
  /** HOST (default 127.0.0.1, loopback only; a pod sets 0.0.0.0). */
  readonly host: string;
  /** NATS_URL: where the gateway hears identity's access revocations (unset: its token cache's TTL alone). */
  readonly natsUrl: string | undefined;
  /** IDENTITY_ADDRESS (default 127.0.0.1:50051). */
  readonly identityAddress: string;
  /** JOB_INTAKE_ADDRESS (default 127.0.0.1:50052). */
  readonly jobIntakeAddress: string;
  /** TASK_DECOMPOSITION_ADDRESS (default 127.0.0.1:50053). */
  readonly taskDecompositionAddress: string;
  /** TEAM_SCHEDULING_ADDRESS (default 127.0.0.1:50054). */
  readonly teamSchedulingAddress: string;
  /** TIME_TRACKING_ADDRESS (default 127.0.0.1:50062). */
  readonly timeTrackingAddress: string;
  /** SETTLEMENT_ADDRESS (default 127.0.0.1:50063). */
  readonly settlementAddress: string;
  /** AUDIT_ADDRESS (default 127.0.0.1:50064). */
  readonly auditAddress: string;
  /** GATEWAY_RATE_LIMIT_PER_MINUTE (default 300): requests per identity (or client address) per minute. */
  readonly rateLimitPerMinute: number;
  /** GATEWAY_BODY_LIMIT_BYTES (default 65,536). */
  readonly bodyLimitBytes: number;
  /** LOG_LEVEL (default `info`). */
  readonly logLevel: LogLevel;
  /** SHUTDOWN_GRACE_MS (default 10,000): how long requests in flight may run on after SIGTERM. */
  readonly shutdownGraceMs: number;
  /** GATEWAY_PUBLIC_URL (default http://localhost:8080): where clients reach the API, for the OpenAPI document's `servers`. */
  readonly publicUrl?: string;
}

export { ConfigError, type LogLevel } from '@workshare/service-host';

export const DEFAULT_PORT = 8080;
/** Where the gateway listens unless HOST says otherwise: loopback (a pod, the edge, sets HOST=0.0.0.0). */
export const DEFAULT_HOST = '127.0.0.1';

/** Reads and checks the environment, with every problem found (ConfigError). */
export const readGatewayConfig = (env: Env): GatewayConfig => {
  const read = envReader(env);
  const config: GatewayConfig = {
    port: read.whole('PORT', DEFAULT_PORT, 0, 65535, 'a port'),
    host: read.text('HOST') ?? DEFAULT_HOST,
    natsUrl: read.text('NATS_URL'),
    identityAddress: read.address('IDENTITY_ADDRESS', '127.0.0.1:50051'),
    jobIntakeAddress: read.address('JOB_INTAKE_ADDRESS', '127.0.0.1:50052'),
    taskDecompositionAddress: read.address('TASK_DECOMPOSITION_ADDRESS', '127.0.0.1:50053'),
    teamSchedulingAddress: read.address('TEAM_SCHEDULING_ADDRESS', '127.0.0.1:50054'),
    timeTrackingAddress: read.address('TIME_TRACKING_ADDRESS', '127.0.0.1:50062'),
    settlementAddress: read.address('SETTLEMENT_ADDRESS', '127.0.0.1:50063'),
    auditAddress: read.address('AUDIT_ADDRESS', `127.0.0.1:${AUDIT_GRPC_PORT}`),
    rateLimitPerMinute: read.whole('GATEWAY_RATE_LIMIT_PER_MINUTE', 300, 1, 10_000_000, 'a number of requests'),
    bodyLimitBytes: read.whole('GATEWAY_BODY_LIMIT_BYTES', 64 * 1024, 1, 100 * 1024 * 1024, 'a size in bytes'),
    shutdownGraceMs: read.whole('SHUTDOWN_GRACE_MS', 10_000, 0, 600_000, 'a duration in ms'),
    logLevel: read.logLevel(),
    publicUrl: read.text('GATEWAY_PUBLIC_URL'),
  };
  if (config.natsUrl !== undefined && !/^(nats|tls|wss?):\/\/.+/i.test(config.natsUrl))
    read.problem('NATS_URL must be nats://host:port');
  read.done();
  return config;
};
