import { ConfigError, envReader, readServiceConfig } from '../src/config.js';

describe('a service process’s configuration', () => {
  it('has defaults for everything, the gRPC port being the service’s own', () => {
    expect(readServiceConfig({}, { defaultGrpcPort: 50052 })).toEqual({
      storeUrl: 'embedded:./.workshare/data',
      grpcPort: 50052,
      grpcHost: '127.0.0.1',
      identityAddress: '127.0.0.1:50051',
      natsUrl: undefined,
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
          GRPC_HOST: '0.0.0.0',
          IDENTITY_ADDRESS: 'identity:50051',
          NATS_URL: 'nats://nats:4222',
          LOG_LEVEL: 'DEBUG',
          SHUTDOWN_GRACE_MS: '500',
          GRPC_DRAIN_DELAY_MS: '250',
        },
        { defaultGrpcPort: 50052 },
      ),
    ).toEqual({
      storeUrl: 'postgres://postgres@db:5432/workshare',
      grpcPort: 0,
      grpcHost: '0.0.0.0',
      identityAddress: 'identity:50051',
      natsUrl: 'nats://nats:4222',
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
      'LOG_LEVEL',
      'TASK_MAX_MINUTES',
    ]);
    expect((error as ConfigError).message).toContain('GRPC_PORT must be a port');
  });

  it('has no relay setting: no service relays the store’s log (the relay service does)', () => {
    const config = readServiceConfig({ EVENTS_RELAY: 'maybe' }, { defaultGrpcPort: 50052 });
    expect(Object.keys(config).filter((key) => /relay/i.test(key))).toEqual([]);
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

describe('a service address read from the environment', () => {
  const read = (value: string | undefined) => {
    const reader = envReader({ TEAM_SCHEDULING_ADDRESS: value });
    const address = reader.address('TEAM_SCHEDULING_ADDRESS', '127.0.0.1:50054');
    let problems: readonly string[] = [];
    try {
      reader.done();
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    return { address, problems };
  };

  it('is one host:port, or the fallback when unset', () => {
    expect(read(undefined)).toEqual({ address: '127.0.0.1:50054', problems: [] });
    expect(read(' team-scheduling:50054 ')).toEqual({ address: 'team-scheduling:50054', problems: [] });
    expect(read('[::1]:50054')).toEqual({ address: '[::1]:50054', problems: [] });
  });

  it('is the replicas of one service as a comma-separated list of IP host:port, each entry checked', () => {
    expect(read('127.0.0.1:50054, 127.0.0.1:50055')).toEqual({
      address: '127.0.0.1:50054,127.0.0.1:50055',
      problems: [],
    });
  });

  it.each([
    ['team scheduling:50054', 'TEAM_SCHEDULING_ADDRESS must be host:port (or a comma-separated list'],
    ['127.0.0.1:50054,127.0.0.1', 'entry 2 of 2, "127.0.0.1", is not host:port'],
    ['127.0.0.1:50054,,127.0.0.1:50055', 'entry 2 of 3 is empty'],
    ['team-scheduling:50054,127.0.0.1:50055', 'entry 1 of 2, "team-scheduling:50054", is not an IP address'],
    ['127.0.0.1:50054,127.0.0.1:50054', 'repeats entry 1'],
  ])('refuses %s with the variable and the entry at fault', (value, why) => {
    const { problems } = read(value);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^TEAM_SCHEDULING_ADDRESS must be host:port/);
    expect(problems[0]).toContain(why);
  });

  it('is refused with every other problem of a service’s configuration', () => {
    expect(() =>
      readServiceConfig({ IDENTITY_ADDRESS: '127.0.0.1:50051,identity:50051' }, { defaultGrpcPort: 50052 }),
    ).toThrow(
      /IDENTITY_ADDRESS must be host:port or a comma-separated list of IP host:port \(one per replica\), got "127\.0\.0\.1:50051,identity:50051": entry 2 of 2/,
    );
    expect(
      readServiceConfig({ IDENTITY_ADDRESS: '127.0.0.1:50051,127.0.0.1:50061' }, { defaultGrpcPort: 50052 })
        .identityAddress,
    ).toBe('127.0.0.1:50051,127.0.0.1:50061');
  });
});
