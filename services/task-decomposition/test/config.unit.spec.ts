import { ConfigError, readServiceConfig } from '../src/config.js';
import { expectedVersionOf } from '../src/adapters/grpc/messages.js';

describe('service configuration', () => {
  it('defaults: embedded store, port 50053 on loopback, identity on 50051, the in-process bus, 120-minute tasks', () => {
    expect(readServiceConfig({})).toEqual({
      storeUrl: 'embedded:./.workshare/data',
      grpcPort: 50053,
      grpcHost: '127.0.0.1',
      identityAddress: '127.0.0.1:50051',
      natsUrl: undefined,
      maxTaskMinutes: 120,
      logLevel: 'info',
      shutdownGraceMs: 10_000,
      drainDelayMs: 0,
    });
  });

  it('reads every variable', () => {
    expect(
      readServiceConfig({
        EVENTSTORE_URL: 'postgres://postgres@db:5432/workshare',
        GRPC_PORT: '0',
        GRPC_HOST: '0.0.0.0',
        IDENTITY_ADDRESS: 'identity:50051',
        NATS_URL: 'nats://nats:4222',
        TASK_MAX_MINUTES: '45',
        LOG_LEVEL: 'DEBUG',
      }),
    ).toMatchObject({
      storeUrl: 'postgres://postgres@db:5432/workshare',
      grpcPort: 0,
      grpcHost: '0.0.0.0',
      identityAddress: 'identity:50051',
      natsUrl: 'nats://nats:4222',
      maxTaskMinutes: 45,
      logLevel: 'debug',
    });
  });

  it('refuses bad values, naming every problem', () => {
    let error: unknown;
    try {
      readServiceConfig({
        TASK_MAX_MINUTES: '14',
        GRPC_PORT: '70000',
        LOG_LEVEL: 'loud',
        IDENTITY_ADDRESS: 'no port',
        EVENTSTORE_URL: 'mysql://x',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.split(' ')[0])).toEqual([
      'EVENTSTORE_URL',
      'GRPC_PORT',
      'IDENTITY_ADDRESS',
      'LOG_LEVEL',
      'TASK_MAX_MINUTES',
    ]);
    expect(() => readServiceConfig({ TASK_MAX_MINUTES: '481' })).toThrow(ConfigError);
    expect(readServiceConfig({ TASK_MAX_MINUTES: '480' }).maxTaskMinutes).toBe(480);
  });
});

describe('expected_version at the edge', () => {
  it('a version read (0 or more), or -1 for no check', () => {
    expect(expectedVersionOf('0')).toBe(0);
    expect(expectedVersionOf('12')).toBe(12);
    expect(expectedVersionOf('-1')).toBeUndefined();
    for (const bad of ['-2', '', '1.5', '99999999999999999999'])
      expect(() => expectedVersionOf(bad)).toThrow(
        expect.objectContaining({ code: 'request.invalid_expected_version' }),
      );
  });
});
