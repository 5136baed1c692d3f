/**
 * Signing in, refreshing and signing out through the gateway, against the real identity; the
 * gateway's token checks hearing identity's access revocations (as a process's do, over the
 * embedded bus here): a logout, a reused refresh token, a revoked role end access at the edge
 * within a second. Sign-in limits per
 * account and per address, the gateway's own and identity's passed through, as 429
 * `auth.too_many_attempts` with Retry-After.
 */
import { randomUUID } from 'node:crypto';
import { buildGateway } from '../../src/index.js';
import { expectProblem, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({}, { revocations: true });
});
afterAll(async () => h?.close());

const TOKYO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+09:00$/;
const PASSWORD = 'a password of the lockout tests';

interface SignedIn {
  accessToken: string;
  expiresAt: string;
  refreshToken: string;
  refreshExpiresAt: string;
  caller: { subject: string };
}

const signIn = async (email: string, password = h.coop.password): Promise<SignedIn> => {
  const response = await h.call('POST', '/v1/auth/login', { body: { email, password } });
  expect(response.statusCode).toBe(200);
  return response.json() as SignedIn;
};

/** Polls `check` every 10 ms until it holds; how long that took, failing past `withinMs`. */
const within = async (withinMs: number, check: () => Promise<boolean>): Promise<number> => {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > withinMs) throw new Error(`not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

const operator = () => ({
  actor: { id: h.coop.operator.id, roles: [{ kind: 'operator' as const }] },
  requestId: randomUUID(),
});

/** A user of her own (the lockouts must not lock anyone else's account). */
const newUser = async (): Promise<string> => {
  const email = `lockout.${randomUUID().slice(0, 8)}@test.example`;
  await h.coop.service.registerUser(operator(), { name: 'Lockout Test', email, password: PASSWORD });
  return email;
};

describe('sessions at the edge', () => {
  it('POST /v1/auth/login answers a refresh token; POST /v1/auth/refresh rotates it', async () => {
    const first = await signIn(h.coop.member.email);
    expect(first.refreshToken).toMatch(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
    expect(first.refreshExpiresAt).toMatch(TOKYO_TIME);
    expect(new Date(first.refreshExpiresAt).getTime()).toBeGreaterThan(new Date(first.expiresAt).getTime());
    const refreshed = await h.call('POST', '/v1/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expect(refreshed.statusCode).toBe(200);
    const second = refreshed.json() as SignedIn;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.caller.subject).toBe(h.coop.member.id);
    expect((await h.call('GET', '/v1/me', { as: second.accessToken })).statusCode).toBe(200);
    expectProblem(
      await h.call('POST', '/v1/auth/refresh', { body: { refreshToken: 'not-one' } }),
      401,
      'auth.invalid_refresh_token',
    );
    expectProblem(await h.call('POST', '/v1/auth/refresh', { body: {} }), 400, 'request.invalid');
  });

  it('a reused refresh token ends its session: 401 auth.refresh_token_reused, and its access tokens refused within a second', async () => {
    const first = await signIn(h.coop.member.email);
    const second = (
      await h.call('POST', '/v1/auth/refresh', { body: { refreshToken: first.refreshToken } })
    ).json() as SignedIn;
    // Both verified once, and remembered by the gateway.
    for (const token of [first.accessToken, second.accessToken])
      expect((await h.call('GET', '/v1/me', { as: token })).statusCode).toBe(200);
    expectProblem(
      await h.call('POST', '/v1/auth/refresh', { body: { refreshToken: first.refreshToken } }),
      401,
      'auth.refresh_token_reused',
    );
    await within(1_000, async () => (await h.call('GET', '/v1/me', { as: second.accessToken })).statusCode === 401);
    expectProblem(await h.call('GET', '/v1/me', { as: first.accessToken }), 401, 'auth.session_revoked');
  });

  it('POST /v1/auth/logout with the refresh token, or with the access token alone: 204, and the session refused within a second', async () => {
    const byRefresh = await signIn(h.coop.member.email);
    expect((await h.call('GET', '/v1/me', { as: byRefresh.accessToken })).statusCode).toBe(200);
    const out = await h.call('POST', '/v1/auth/logout', { body: { refreshToken: byRefresh.refreshToken } });
    expect(out.statusCode).toBe(204);
    const tookMs = await within(
      1_000,
      async () => (await h.call('GET', '/v1/me', { as: byRefresh.accessToken })).statusCode === 401,
    );
    expect(tookMs).toBeLessThan(1_000);
    expectProblem(
      await h.call('POST', '/v1/auth/refresh', { body: { refreshToken: byRefresh.refreshToken } }),
      401,
      'auth.session_revoked',
    );
    expect(
      (await h.call('POST', '/v1/auth/logout', { body: { refreshToken: byRefresh.refreshToken } })).statusCode,
    ).toBe(204);

    const byAccess = await signIn(h.coop.member.email);
    expect((await h.call('GET', '/v1/me', { as: byAccess.accessToken })).statusCode).toBe(200);
    expect((await h.call('POST', '/v1/auth/logout', { as: byAccess.accessToken })).statusCode).toBe(204);
    await within(1_000, async () => (await h.call('GET', '/v1/me', { as: byAccess.accessToken })).statusCode === 401);
    expectProblem(await h.call('GET', '/v1/me', { as: byAccess.accessToken }), 401, 'auth.session_revoked');
  });

  it('POST /v1/auth/logout with nothing to name the session is 400; a malformed Authorization 401', async () => {
    expectProblem(await h.call('POST', '/v1/auth/logout'), 400, 'auth.missing_token');
    expectProblem(
      await h.call('POST', '/v1/auth/logout', { headers: { authorization: 'Basic eDp5' } }),
      401,
      'auth.malformed_authorization',
    );
    expectProblem(
      await h.call('POST', '/v1/auth/logout', { body: { refreshToken: 'x', extra: 1 } }),
      400,
      'request.invalid',
    );
  });

  it('a revoked role is refused at the edge within a second', async () => {
    const member = await h.coop.service.registerMember(operator(), {
      name: 'Revocation Test',
      address: 'fujisato/fujikoto 1',
      email: `revoked.${randomUUID().slice(0, 8)}@test.example`,
      password: PASSWORD,
      bankAccount: {
        bankCode: '9999',
        branchCode: '001',
        type: 'ordinary',
        number: '0012345',
        holder: 'テスト メンバー',
      },
      townId: 'fujisato/fujikoto',
      contractType: 'contractor',
      skills: ['coordination'],
      availability: [{ day: 'mon', start: '13:00', end: '13:40' }],
    });
    const role = { kind: 'coordinator', regionId: 'fujisato' } as const;
    await h.coop.service.grantRole(operator(), { accountId: member.memberId, role, reason: 'runs Fujisato' });
    const profile = await h.coop.service.getMember(operator(), member.memberId);
    if (profile.personalData.status !== 'readable' || profile.personalData.email === undefined)
      throw new Error('no email to sign in with');
    const { accessToken } = await signIn(profile.personalData.email, PASSWORD);
    expect((await h.call('GET', '/v1/jobs?regionId=fujisato', { as: accessToken })).statusCode).toBe(200);
    await h.coop.service.revokeRole(operator(), { accountId: member.memberId, role, reason: 'moved away' });
    await within(1_000, async () => {
      const response = await h.call('GET', '/v1/jobs?regionId=fujisato', { as: accessToken });
      return response.statusCode === 403;
    });
    expectProblem(await h.call('GET', '/v1/jobs?regionId=fujisato', { as: accessToken }), 403, 'auth.forbidden_role');
  });
});

describe('sign-in limits', () => {
  it('the gateway refuses an account after its failed sign-ins, the right password too, 429 with Retry-After', async () => {
    const app = await buildGateway({
      ...h.options,
      verifier: undefined,
      loginLimits: { perAccount: { max: 3, windowMs: 60_000 }, perAddress: { max: 100, windowMs: 60_000 } },
    });
    try {
      const email = await newUser();
      const attempt = (password: string) =>
        app.inject({
          method: 'POST',
          url: '/v1/auth/login',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ email, password }),
        });
      for (let i = 0; i < 3; i++) expectProblem(await attempt(`wrong ${i}`), 401, 'auth.invalid_credentials');
      const refused = await attempt(PASSWORD);
      const problem = expectProblem(refused, 429, 'auth.too_many_attempts');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(50);
      expect(problem.details).toEqual({ retryAfterSeconds: Number(refused.headers['retry-after']) });
    } finally {
      await app.close();
    }
  });

  it('identity’s own limit comes through as 429 auth.too_many_attempts with Retry-After', async () => {
    const app = await buildGateway({
      ...h.options,
      verifier: undefined,
      loginLimits: { perAccount: { max: 1_000, windowMs: 60_000 }, perAddress: { max: 1_000, windowMs: 60_000 } },
    });
    try {
      const email = await newUser();
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        const response = await app.inject({
          method: 'POST',
          url: '/v1/auth/login',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ email, password: i < 11 ? `wrong ${i}` : PASSWORD }),
        });
        statuses.push(response.statusCode);
        if (i === 11) {
          expectProblem(response, 429, 'auth.too_many_attempts');
          expect(Number(response.headers['retry-after'])).toBeGreaterThan(800);
        }
      }
      expect(statuses).toEqual([...Array<number>(10).fill(401), 429, 429]);
    } finally {
      await app.close();
    }
  });
});
