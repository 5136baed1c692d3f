import { ConfigError, readRelayConfig } from '../src/config.js';

const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    readRelayConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

const base = { EVENTSTORE_URL: 'postgres://relay@db:5432/workshare', NATS_URL: 'nats://nats:4222' };

describe('the relay’s configuration', () => {
  it('needs a PostgreSQL store and NATS; its health on port 50060, lease id 1, asked for every 250 ms', () => {
    expect(readRelayConfig(base)).toMatchObject({
      storeUrl: 'postgres://relay@db:5432/workshare',
      natsUrl: 'nats://nats:4222',
      grpcPort: 50060,
      leaseId: 1,
      leaseRetryMs: 250,
      logLevel: 'info',
      shutdownGraceMs: 10_000,
    });
  });

  it('reads the lease id, the retry interval and the port', () => {
    expect(
      readRelayConfig({
        ...base,
        RELAY_LEASE_ID: '2147483647',
        RELAY_LEASE_RETRY_MS: '500',
        GRPC_PORT: '0',
        LOG_LEVEL: 'warn',
      }),
    ).toMatchObject({ leaseId: 2_147_483_647, leaseRetryMs: 500, grpcPort: 0, logLevel: 'warn' });
    expect(readRelayConfig({ ...base, RELAY_LEASE_ID: '0', RELAY_LEASE_RETRY_MS: '10' })).toMatchObject({
      leaseId: 0,
      leaseRetryMs: 10,
    });
  });

  it('refuses an embedded store (the default too): its one process has the in-process bus, no relay', () => {
    for (const env of [{ NATS_URL: base.NATS_URL }, { ...base, EVENTSTORE_URL: 'embedded:./.workshare/data' }]) {
      expect(problemsOf(env).filter((p) => p.startsWith('EVENTSTORE_URL'))).toEqual([
        expect.stringMatching(/^EVENTSTORE_URL must be a PostgreSQL store .*embedded store belongs to one process/),
      ]);
    }
  });

  it.each(['kurrentdb://kdb:2113?tls=false', 'esdb://kdb:2113', 'kurrentdb+discover://kdb:2113'])(
    'refuses a KurrentDB store (%s): its lease is a PostgreSQL advisory lock',
    (url) => {
      expect(problemsOf({ ...base, EVENTSTORE_URL: url }).filter((p) => p.startsWith('EVENTSTORE_URL'))).toEqual([
        expect.stringMatching(/^EVENTSTORE_URL .*not supported on KurrentDB/),
      ]);
    },
  );

  it('names every problem at once: no NATS, a bad lease id, an interval out of range, a bad port', () => {
    const problems = problemsOf({
      EVENTSTORE_URL: base.EVENTSTORE_URL,
      RELAY_LEASE_ID: '-1',
      RELAY_LEASE_RETRY_MS: '5',
      GRPC_PORT: '70000',
    });
    expect(problems.map((p) => p.split(' ')[0])).toEqual([
      'GRPC_PORT',
      'NATS_URL',
      'RELAY_LEASE_ID',
      'RELAY_LEASE_RETRY_MS',
    ]);
    expect(problems.join('\n')).toContain('NATS_URL must be set');
    expect(problemsOf({ ...base, RELAY_LEASE_ID: '2147483648', RELAY_LEASE_RETRY_MS: '60001' })).toHaveLength(2);
    expect(problemsOf({ ...base, RELAY_LEASE_ID: 'one' })).toEqual([expect.stringContaining('RELAY_LEASE_ID')]);
  });
});
