import { ConfigError, readServiceConfig } from '../src/config.js';

describe('service configuration', () => {
  it('has defaults for everything', () => {
    expect(readServiceConfig({})).toEqual({
      storeUrl: 'embedded:./.workshare/data',
      grpcPort: 50054,
      grpcHost: '0.0.0.0',
      identityAddress: '127.0.0.1:50051',
      natsUrl: undefined,
      relay: true,
      logLevel: 'info',
      shutdownGraceMs: 10_000,
      drainDelayMs: 0,
    });
  });

  it('reads the environment', () => {
    expect(
      readServiceConfig({
        EVENTSTORE_URL: 'postgres://postgres@db:5432/workshare',
        GRPC_PORT: '0',
        GRPC_HOST: '127.0.0.1',
        IDENTITY_ADDRESS: 'identity:50051',
        NATS_URL: 'nats://nats:4222',
        EVENTS_RELAY: 'off',
        LOG_LEVEL: 'DEBUG',
        SHUTDOWN_GRACE_MS: '500',
      }),
    ).toMatchObject({ grpcPort: 0, grpcHost: '127.0.0.1', identityAddress: 'identity:50051', natsUrl: 'nats://nats:4222', relay: false, logLevel: 'debug', shutdownGraceMs: 500 });
  });

  it('names every problem at once', () => {
    let error: unknown;
    try {
      readServiceConfig({ GRPC_PORT: '70000', LOG_LEVEL: 'chatty', EVENTS_RELAY: 'maybe', IDENTITY_ADDRESS: 'no port', EVENTSTORE_URL: 'mysql://x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toHaveLength(5);
  });
});
