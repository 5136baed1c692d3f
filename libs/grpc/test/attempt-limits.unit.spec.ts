import { DomainError } from '@workshare/eventsourcing';
import {
  AttemptCounter,
  DEFAULT_LOGIN_ATTEMPT_LIMITS,
  LoginAttemptLimiter,
  TOO_MANY_ATTEMPTS,
  clientAddressOf,
  peerHost,
} from '../src/index.js';
import { Metadata } from '@grpc/grpc-js';

const wrong = () => new DomainError('auth.invalid_credentials', 'email or password is wrong', 'unauthenticated');
const isWrong = (error: unknown) => error instanceof DomainError && error.code === 'auth.invalid_credentials';

describe('AttemptCounter', () => {
  it('blocks a key at its limit until the window that opened with its first attempt closes', () => {
    let now = 0;
    const counter = new AttemptCounter({ max: 3, windowMs: 1_000 }, { now: () => new Date(now) });
    for (let i = 0; i < 3; i++) {
      expect(counter.blockedForMs('a')).toBe(0);
      counter.count('a');
      now += 100;
    }
    expect(counter.blockedForMs('a')).toBe(700);
    expect(counter.blockedForMs('b')).toBe(0);
    now = 1_000;
    expect(counter.blockedForMs('a')).toBe(0);
    counter.count('a');
    expect(counter.blockedForMs('a')).toBe(0);
    counter.reset('a');
    expect(() => new AttemptCounter({ max: 0, windowMs: 1 })).toThrow(TypeError);
  });
});

describe('LoginAttemptLimiter', () => {
  it('refuses an account after its failures, the right password too, with a stable code and when to come back', async () => {
    let now = 0;
    const limiter = new LoginAttemptLimiter(DEFAULT_LOGIN_ATTEMPT_LIMITS, { now: () => new Date(now) });
    const attempt = { email: 'Yoko@Fujisato.example', address: '203.0.113.9' };
    const outcomes: string[] = [];
    for (let i = 0; i < 200; i++) {
      await limiter
        .attempt(attempt, () => Promise.reject(wrong()), isWrong)
        .catch((error: DomainError) => outcomes.push(error.code));
    }
    expect(outcomes.slice(0, 10).every((c) => c === 'auth.invalid_credentials')).toBe(true);
    expect(outcomes.slice(10).every((c) => c === TOO_MANY_ATTEMPTS)).toBe(true);
    const right = await limiter
      .attempt({ ...attempt, email: ' yoko@fujisato.EXAMPLE ' }, async () => 'token', isWrong)
      .catch((e: unknown) => e);
    expect(right).toMatchObject({ code: TOO_MANY_ATTEMPTS, kind: 'exhausted', details: { retryAfterSeconds: 900 } });
    now += 15 * 60_000;
    await expect(limiter.attempt(attempt, async () => 'token', isWrong)).resolves.toBe('token');
  });

  it('refuses an address after its failures over many accounts; another address goes on', async () => {
    const limiter = new LoginAttemptLimiter({
      perAccount: { max: 5, windowMs: 60_000 },
      perAddress: { max: 20, windowMs: 60_000 },
    });
    for (let i = 0; i < 20; i++) limiter.failed({ email: `m${i}@example`, address: '198.51.100.1' });
    expect(() => limiter.check({ email: 'fresh@example', address: '198.51.100.1' })).toThrow(
      expect.objectContaining({ code: TOO_MANY_ATTEMPTS }),
    );
    expect(() => limiter.check({ email: 'fresh@example', address: '198.51.100.2' })).not.toThrow();
  });

  it('forgets an account’s failures once it signs in, and counts no outage as a failure', async () => {
    const limiter = new LoginAttemptLimiter({
      perAccount: { max: 3, windowMs: 60_000 },
      perAddress: { max: 100, windowMs: 60_000 },
    });
    const attempt = { email: 'a@example', address: undefined };
    for (let i = 0; i < 2; i++) limiter.failed(attempt);
    await limiter.attempt(attempt, async () => 'ok', isWrong);
    for (let i = 0; i < 2; i++) limiter.failed(attempt);
    for (let i = 0; i < 5; i++)
      await limiter.attempt(attempt, () => Promise.reject(new Error('identity is down')), isWrong).catch(() => 0);
    expect(() => limiter.check(attempt)).not.toThrow();
  });
});

describe('the client address of a call', () => {
  it('is the peer’s host, with the address the gateway sent after it', () => {
    expect(peerHost('ipv4:10.0.0.7:51234')).toBe('10.0.0.7');
    expect(peerHost('ipv6:[::1]:51234')).toBe('::1');
    const metadata = new Metadata();
    expect(clientAddressOf({ peer: 'ipv4:10.0.0.7:5', metadata })).toBe('10.0.0.7');
    metadata.set('x-client-address', '203.0.113.9');
    expect(clientAddressOf({ peer: 'ipv4:10.0.0.7:5', metadata })).toBe('10.0.0.7 for 203.0.113.9');
    metadata.set('x-client-address', 'x'.repeat(65));
    expect(clientAddressOf({ peer: 'ipv4:10.0.0.7:5', metadata })).toBe('10.0.0.7');
  });
});
