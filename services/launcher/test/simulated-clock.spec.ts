/**
 * The whole platform at a simulated time: startEmbeddedPlatform on a SimulatedClock set a month
 * back. An operator signs in over the gateway's HTTP API, registers a business there and submits a
 * job over job intake's gRPC API with a deadline already past on the real time but still ahead on
 * the simulated one; every event recorded carries the simulated instant as its occurredAt (the
 * store's own recordedAt stays real), and the token issued then is accepted then, refused once
 * the simulated clock passes its expiry, and refreshed on the simulated clock.
 */
import { createClient } from '@workshare/grpc';
import { corporateRegistrationNumber } from '@workshare/identity';
import { jobIntakeV1, moneyFromYen } from '@workshare/proto';
import { startEmbeddedPlatform, SimulatedClock, type EmbeddedPlatform } from '../src/index.js';

const SIMULATED = new Date('2026-11-04T01:00:00.000Z');
const ANY_PORT = {
  IDENTITY_PORT: '0',
  JOB_INTAKE_PORT: '0',
  TASK_DECOMPOSITION_PORT: '0',
  TEAM_SCHEDULING_PORT: '0',
  TIME_TRACKING_PORT: '0',
  SETTLEMENT_PORT: '0',
  GATEWAY_PORT: '0',
  LOG_LEVEL: 'warn',
};
const OPERATOR = { name: 'Simulated Operator', email: 'operator@simulated.example', password: 'simulated-password' };

interface SignedIn {
  accessToken: string;
  expiresAt: string;
  refreshToken: string;
  refreshExpiresAt: string;
}

const clock = new SimulatedClock(SIMULATED);
let platform: EmbeddedPlatform;
let startedAt: number;

const http = async <T>(method: string, path: string, options: { token?: string; body?: unknown } = {}) => {
  const response = await fetch(`${platform.gatewayUrl}${path}`, {
    method,
    headers: {
      ...(options.token !== undefined ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as T };
};

beforeAll(async () => {
  startedAt = Date.now();
  platform = await startEmbeddedPlatform({ storeUrl: 'embedded:memory', env: ANY_PORT, demo: false, now: clock.now });
}, 60_000);
afterAll(async () => platform?.stop());

describe('the embedded platform on a simulated clock', () => {
  let signedIn: SignedIn;

  it('records what people do through the public APIs at the simulated instant, and accepts its tokens then', async () => {
    expect(SIMULATED.getTime() + 15 * 60_000).toBeLessThan(startedAt); // a token of then has expired on the real time
    await platform.identity.bootstrapOperator(OPERATOR);

    const login = await http<SignedIn>('POST', '/v1/auth/login', {
      body: { email: OPERATOR.email, password: OPERATOR.password },
    });
    expect(login.status).toBe(200);
    signedIn = login.body;
    expect(signedIn.expiresAt).toBe('2026-11-04T10:15:00.000+09:00');
    expect(signedIn.refreshExpiresAt).toBe('2026-11-11T10:00:00.000+09:00');
    const me = await http<{ subject: string }>('GET', '/v1/me', { token: signedIn.accessToken });
    expect(me.status).toBe(200);

    const business = await http<{ businessId: string }>('POST', '/v1/regions/fujisato/businesses', {
      token: signedIn.accessToken,
      body: { name: '白神ウッドワークス (simulated)', registrationNumber: corporateRegistrationNumber('961234567890') },
    });
    expect(business.status).toBe(201);

    const jobs = createClient(jobIntakeV1.JobIntakeServiceClient, platform.addresses['job-intake']!, {
      token: signedIn.accessToken,
    });
    try {
      const { jobId } = await jobs.submitJob({
        requestId: 'simulated-job',
        businessId: business.body.businessId,
        title: '顧客名簿のデータ入力 (simulated)',
        description: '紙の顧客カードを表計算シートに入力する。',
        workCategory: jobIntakeV1.WorkCategory.WORK_CATEGORY_DATA_ENTRY,
        pricing: { kind: jobIntakeV1.PricingKind.PRICING_KIND_FIXED_PRICE },
        amount: moneyFromYen(48_000),
        // Past on the real time, ahead on the simulated one: job intake's rule reads the simulated clock.
        deadline: new Date('2026-11-20T08:00:00.000Z'),
        regionId: 'fujisato',
        localOnlyTownId: '',
        skills: ['data entry'],
      });
      expect((await jobs.getJob({ jobId })).job?.status).toBe(jobIntakeV1.JobStatus.JOB_STATUS_SUBMITTED);
    } finally {
      jobs.close();
    }

    const events = await platform.store.readAll();
    const types = events.map((e) => e.type);
    for (const expected of ['UserRegistered', 'SessionStarted', 'BusinessRegistered', 'JobSubmitted'])
      expect(types).toContain(expected);
    for (const event of events) {
      expect({ type: event.type, occurredAt: event.occurredAt.toISOString() }).toEqual({
        type: event.type,
        occurredAt: SIMULATED.toISOString(),
      });
      expect(event.recordedAt.getTime()).toBeGreaterThanOrEqual(startedAt - 1_000);
    }
  });

  it('refuses the token once the simulated clock passes its expiry, and refreshes the session on that clock', async () => {
    clock.advance(15 * 60_000);
    const expired = await http<{ code: string }>('GET', '/v1/me', { token: signedIn.accessToken });
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe('auth.token_expired');

    const refreshed = await http<SignedIn>('POST', '/v1/auth/refresh', {
      body: { refreshToken: signedIn.refreshToken },
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.expiresAt).toBe('2026-11-04T10:30:00.000+09:00');
    expect(refreshed.body.refreshExpiresAt).toBe('2026-11-11T10:00:00.000+09:00');
    expect((await http('GET', '/v1/me', { token: refreshed.body.accessToken })).status).toBe(200);
    const refreshes = (await platform.store.readAll()).filter((e) => e.type === 'SessionRefreshed');
    expect(refreshes.map((e) => e.occurredAt.toISOString())).toEqual(['2026-11-04T01:15:00.000Z']);

    // A week of the simulated time later, the session's refresh tokens have expired too.
    clock.set(new Date('2026-11-11T01:00:00.000Z'));
    const late = await http<{ code: string }>('POST', '/v1/auth/refresh', {
      body: { refreshToken: refreshed.body.refreshToken },
    });
    expect(late.status).toBe(401);
    expect(late.body.code).toBe('auth.refresh_token_expired');
  });
});
