import { ConfigError, readServiceConfig } from '../src/config.js';

describe('a service process’s configuration', () => {
  it('has defaults for everything, the gRPC port being the service’s own', () => {
    expect(readServiceConfig({}, { defaultGrpcPort: 50052 })).toEqual({
      storeUrl: 'embedded:./.workshare/data',
      grpcPort: 50052,
      grpcHost: '0.0.0.0',
      identityAddress: '127.0.0.1:50051',
      natsUrl: undefined,
      relayEvents: true,
      logLevel: 'info',
      shutdownGraceMs: 10_000,
      drainDelayMs: 0,
    });
  });

  it('reads the environment', () => {
    expect(
      readServiceConfig(
        {
          EVENTSTORE_URL: 'postgres://postgres@db:5432/workshare',
          GRPC_PORT: '0',
          GRPC_HOST: '127.0.0.1',
          IDENTITY_ADDRESS: 'identity:50051',
          NATS_URL: 'nats://nats:4222',
          EVENTS_RELAY: 'off',
          LOG_LEVEL: 'DEBUG',
          SHUTDOWN_GRACE_MS: '500',
          GRPC_DRAIN_DELAY_MS: '250',
        },
        { defaultGrpcPort: 50052 },
      ),
    ).toEqual({
      storeUrl: 'postgres://postgres@db:5432/workshare',
      grpcPort: 0,
      grpcHost: '127.0.0.1',
      identityAddress: 'identity:50051',
      natsUrl: 'nats://nats:4222',
      relayEvents: false,
      logLevel: 'debug',
      shutdownGraceMs: 500,
      drainDelayMs: 250,
    });
  });

  it('names every problem at once, the service’s own among them', () => {
    let error: unknown;
    try {
      readServiceConfig(
        {
          GRPC_PORT: '70000',
          LOG_LEVEL: 'chatty',
          EVENTS_RELAY: 'maybe',
          IDENTITY_ADDRESS: 'no port',
          EVENTSTORE_URL: 'mysql://x',
          NATS_URL: 'http://x',
          TASK_MAX_MINUTES: '9',
        },
        {
          defaultGrpcPort: 50053,
          extra: (read) => ({ maxTaskMinutes: read.whole('TASK_MAX_MINUTES', 120, 15, 480, 'minutes') }),
        },
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.split(' ')[0])).toEqual([
      'EVENTSTORE_URL',
      'GRPC_PORT',
      'IDENTITY_ADDRESS',
      'NATS_URL',
      'EVENTS_RELAY',
      'LOG_LEVEL',
      'TASK_MAX_MINUTES',
    ]);
    expect((error as ConfigError).message).toContain('GRPC_PORT must be a port');
  });

  it('adds the service’s own settings', () => {
    const config = readServiceConfig(
      { TASK_MAX_MINUTES: '45' },
      {
        defaultGrpcPort: 50053,
        extra: (read) => ({ maxTaskMinutes: read.whole('TASK_MAX_MINUTES', 120, 15, 480, 'minutes') }),
      },
    );
    expect(config.maxTaskMinutes).toBe(45);
    expect(config.grpcPort).toBe(50053);
  });
});
