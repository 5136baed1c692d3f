import { generateSigningKey } from '../src/adapters/jwt-tokens.js';
import { MasterKey } from '../src/adapters/master-key.js';
import { ConfigError, readServiceConfig } from '../src/config.js';

const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    readServiceConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('the service process configuration', () => {
  it('defaults to the embedded store, port 50051 on loopback, no NATS, info logs', () => {
    expect(readServiceConfig({})).toEqual({
      storeUrl: 'embedded:./.workshare/data',
      grpcPort: 50051,
      grpcHost: '127.0.0.1',
      identityAddress: '127.0.0.1:50051',
      natsUrl: undefined,
      logLevel: 'info',
      shutdownGraceMs: 10_000,
      drainDelayMs: 0,
      readStalenessMs: 100,
    });
  });

  it('reads every variable', () => {
    const env = {
      EVENTSTORE_URL: 'postgres://identity@db:5432/workshare',
      GRPC_PORT: '0',
      GRPC_HOST: '0.0.0.0',
      LOG_LEVEL: 'WARN',
      SHUTDOWN_GRACE_MS: '5000',
      GRPC_DRAIN_DELAY_MS: '2000',
      NATS_URL: 'nats://nats:4222',
      IDENTITY_READ_STALENESS_MS: '0',
      IDENTITY_MASTER_KEY: MasterKey.generate().toBase64(),
      IDENTITY_SIGNING_KEY: JSON.stringify(generateSigningKey()),
    };
    expect(readServiceConfig(env)).toEqual({
      storeUrl: env.EVENTSTORE_URL,
      grpcPort: 0,
      grpcHost: '0.0.0.0',
      identityAddress: '127.0.0.1:50051',
      natsUrl: 'nats://nats:4222',
      logLevel: 'warn',
      shutdownGraceMs: 5000,
      drainDelayMs: 2000,
      readStalenessMs: 0,
    });
  });

  it('lists every problem at once, in words that name the variable', () => {
    const problems = problemsOf({
      EVENTSTORE_URL: 'mysql://x',
      GRPC_PORT: '70000',
      LOG_LEVEL: 'loud',
      SHUTDOWN_GRACE_MS: '-1',
      IDENTITY_MASTER_KEY: 'c2hvcnQ=',
      IDENTITY_SIGNING_KEY: '{"kty":"RSA"}',
    });
    expect(problems).toHaveLength(6);
    for (const name of [
      'EVENTSTORE_URL',
      'GRPC_PORT',
      'LOG_LEVEL',
      'SHUTDOWN_GRACE_MS',
      'IDENTITY_MASTER_KEY',
      'IDENTITY_SIGNING_KEY',
    ]) {
      expect(problems.some((p) => p.includes(name))).toBe(true);
    }
  });

  it('asks for IDENTITY_MASTER_KEY with a store other than the embedded one, and hides a URL’s password', () => {
    const problems = problemsOf({ EVENTSTORE_URL: 'postgres://identity:s3cret@db/workshare' });
    expect(problems).toEqual([expect.stringContaining('IDENTITY_MASTER_KEY is required')]);
    expect(problemsOf({ EVENTSTORE_URL: 'ftp://identity:s3cret@db/x' }).join(' ')).not.toContain('s3cret');
  });
});
