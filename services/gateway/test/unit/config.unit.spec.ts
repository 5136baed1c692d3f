import { ConfigError, readGatewayConfig } from '../../src/index.js';

describe('the gateway process configuration', () => {
  it('defaults: port 8080 on loopback, the services on their loopback ports, no NATS, 300 a minute, 64 KiB', () => {
    expect(readGatewayConfig({})).toEqual({
      port: 8080,
      host: '127.0.0.1',
      natsUrl: undefined,
      identityAddress: '127.0.0.1:50051',
      jobIntakeAddress: '127.0.0.1:50052',
      taskDecompositionAddress: '127.0.0.1:50053',
      teamSchedulingAddress: '127.0.0.1:50054',
      timeTrackingAddress: '127.0.0.1:50062',
      settlementAddress: '127.0.0.1:50063',
      auditAddress: '127.0.0.1:50064',
      rateLimitPerMinute: 300,
      bodyLimitBytes: 65_536,
      logLevel: 'info',
      shutdownGraceMs: 10_000,
    });
  });

  it('reads every variable', () => {
    const config = readGatewayConfig({
      PORT: '9090',
      HOST: '0.0.0.0',
      NATS_URL: 'nats://nats:4222',
      IDENTITY_ADDRESS: 'identity:50051',
      JOB_INTAKE_ADDRESS: 'job-intake.workshare.svc:50052',
      TASK_DECOMPOSITION_ADDRESS: '[::1]:50053',
      TEAM_SCHEDULING_ADDRESS: 'team-scheduling:50054',
      TIME_TRACKING_ADDRESS: 'time-tracking:50062',
      SETTLEMENT_ADDRESS: '10.0.0.7:50063,10.0.0.8:50063',
      AUDIT_ADDRESS: 'audit:50064',
      GATEWAY_RATE_LIMIT_PER_MINUTE: '1200',
      GATEWAY_BODY_LIMIT_BYTES: '131072',
      LOG_LEVEL: 'WARN',
      SHUTDOWN_GRACE_MS: '3000',
      GATEWAY_PUBLIC_URL: 'https://api.workshare.test',
    });
    expect(config).toMatchObject({
      port: 9090,
      host: '0.0.0.0',
      natsUrl: 'nats://nats:4222',
      identityAddress: 'identity:50051',
      taskDecompositionAddress: '[::1]:50053',
      teamSchedulingAddress: 'team-scheduling:50054',
      timeTrackingAddress: 'time-tracking:50062',
      settlementAddress: '10.0.0.7:50063,10.0.0.8:50063',
      auditAddress: 'audit:50064',
      rateLimitPerMinute: 1200,
      bodyLimitBytes: 131_072,
      logLevel: 'warn',
      publicUrl: 'https://api.workshare.test',
      shutdownGraceMs: 3000,
    });
  });

  it('reports every problem at once', () => {
    let error: unknown;
    try {
      readGatewayConfig({
        PORT: 'eighty',
        GATEWAY_RATE_LIMIT_PER_MINUTE: '0',
        GATEWAY_BODY_LIMIT_BYTES: '-1',
        JOB_INTAKE_ADDRESS: 'no-port',
        TEAM_SCHEDULING_ADDRESS: 'team scheduling:50054',
        SETTLEMENT_ADDRESS: 'settlement',
        LOG_LEVEL: 'loud',
        NATS_URL: 'http://nats',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toHaveLength(8);
    expect((error as ConfigError).problems).toContainEqual(
      expect.stringContaining('TEAM_SCHEDULING_ADDRESS must be host:port'),
    );
    expect((error as ConfigError).problems).toContainEqual(
      expect.stringContaining('SETTLEMENT_ADDRESS must be host:port'),
    );
  });
});
