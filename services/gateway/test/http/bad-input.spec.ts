/**
 * The bad-input matrix on every route: missing fields, wrong types, negative or fractional yen,
 * unknown ids, another region or business, oversized bodies, malformed JSON, wrong media
 * types, expired, forged or missing tokens. Each answers 4xx problem+json, and nothing is
 * stored: the services behind hold exactly what they held before (and, when the gateway itself
 * refuses, were not even called). Then the error classes the services and the network cause:
 * their DomainErrors by kind, an upstream down (503), too slow (504) or failing (500).
 */
import { randomUUID } from 'node:crypto';
import {
  defineService,
  IdentityTokenVerifierClient,
  jsonLogger,
  startGrpcServer,
  type AsyncService,
  type GrpcServer,
} from '@workshare/grpc';
import { jobIntakeV1 } from '@workshare/proto';
import { createLogger } from '@workshare/telemetry';
import type { FastifyInstance } from 'fastify';
import { buildGateway } from '../../src/index.js';
import { expectProblem, jobBody, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let jobId: string;

beforeAll(async () => {
  h = await startHarness({ bodyLimitBytes: 4 * 1024 });
  jobId = await h.submitJob();
  h.doubles.taskDecomposition.propose({
    jobId,
    businessId: h.coop.businesses.fujisato,
    regionId: 'fujisato',
    estimatedMinutes: 240,
    deadline: new Date(Date.now() + 20 * 86_400_000),
  });
});
afterAll(async () => h?.close());

type Who = 'business' | 'coordinator' | 'setagayaCoordinator' | 'otherBusiness' | 'member' | 'accountant';

interface RouteCase {
  readonly method: 'GET' | 'POST' | 'PUT';
  /** With `{job}` for the job id. */
  readonly path: string;
  /** Who may call it (undefined: public). */
  readonly as?: Who;
  /** A role the gateway refuses (auth.forbidden_role). */
  readonly wrongRole?: Who;
  /** A caller of the right role for another region or business: the service refuses her. */
  readonly outsider?: { readonly who: Who; readonly code: string };
  /** A valid body, for routes that take one. */
  readonly body?: Record<string, unknown>;
  /** Bodies the schema refuses, by what is wrong with them. */
  readonly badBodies?: Record<string, unknown>;
  /** The code an unknown (well-formed) job id gets from the service. */
  readonly unknownCode?: string;
}

const later = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const task = (overrides: Record<string, unknown> = {}) => ({
  key: 'sort',
  title: 'Sort',
  estimatedMinutes: 60,
  skills: ['data entry'],
  dependsOn: [],
  deadline: later(10),
  ...overrides,
});

const ROUTES: readonly RouteCase[] = [
  {
    method: 'POST',
    path: '/v1/auth/login',
    body: { email: 'someone@test.example', password: 'secret' },
    badBodies: {
      'missing password': { email: 'someone@test.example' },
      'password not a string': { email: 'a@b.c', password: 12345678 },
      'unknown field': { email: 'a@b.c', password: 'x', remember: true },
    },
  },
  { method: 'GET', path: '/v1/regions' },
  { method: 'GET', path: '/v1/me', as: 'member' },
  {
    method: 'POST',
    path: '/v1/jobs',
    as: 'business',
    wrongRole: 'member',
    outsider: { who: 'otherBusiness', code: 'auth.forbidden_business' },
    body: {},
    badBodies: {
      'missing title': { title: undefined },
      'amountYen as a string': { amountYen: '120000' },
      'negative amountYen': { amountYen: -1 },
      'fractional amountYen': { amountYen: 1200.5 },
      'amountYen beyond a safe integer': { amountYen: 2 ** 60 },
      'hourly without a rate': { pricing: { kind: 'hourly' } },
      'fixed price with a rate': { pricing: { kind: 'fixed_price', hourlyRateYen: 1000 } },
      'fractional hourly rate': { pricing: { kind: 'hourly', hourlyRateYen: 999.99 } },
      'deadline without an offset': { deadline: '2027-03-31T17:00:00' },
      'deadline not a date': { deadline: 'next Friday' },
      'unknown work category': { workCategory: 'gardening' },
      'skills not a list': { skills: 'data entry' },
      'town not <region>/<town>': { localOnlyTownId: 'fujikoto' },
      'unknown field': { priority: 'high' },
    },
  },
  { method: 'GET', path: '/v1/jobs?status=submitted', as: 'business', wrongRole: 'member' },
  {
    method: 'GET',
    path: '/v1/jobs/{job}',
    as: 'business',
    wrongRole: 'member',
    outsider: { who: 'setagayaCoordinator', code: 'job.forbidden' },
    unknownCode: 'job.not_found',
  },
  {
    method: 'POST',
    path: '/v1/jobs/{job}/quote',
    as: 'coordinator',
    wrongRole: 'business',
    outsider: { who: 'setagayaCoordinator', code: 'job.forbidden' },
    unknownCode: 'job.not_found',
    body: { amountYen: 100_000, estimatedMinutes: 240, deliveryDate: later(15) },
    badBodies: {
      'missing deliveryDate': { deliveryDate: undefined },
      'negative amountYen': { amountYen: -100 },
      'fractional amountYen': { amountYen: 0.5 },
      'amountYen as a string': { amountYen: '100000' },
      'zero minutes': { estimatedMinutes: 0 },
      'minutes as a string': { estimatedMinutes: '240' },
      'deliveryDate not a date': { deliveryDate: 'soon' },
      'note not a string': { note: 7 },
      'unknown field': { discount: 10 },
    },
  },
  {
    method: 'POST',
    path: '/v1/jobs/{job}/accept',
    as: 'business',
    wrongRole: 'coordinator',
    outsider: { who: 'otherBusiness', code: 'job.forbidden' },
    unknownCode: 'job.not_found',
  },
  {
    method: 'POST',
    path: '/v1/jobs/{job}/decline',
    as: 'business',
    wrongRole: 'coordinator',
    outsider: { who: 'otherBusiness', code: 'job.forbidden' },
    unknownCode: 'job.not_found',
    body: { reason: 'too dear' },
    badBodies: {
      'missing reason': { reason: undefined },
      'empty reason': { reason: '' },
      'reason not a string': { reason: 42 },
      'unknown field': { mood: 'sad' },
    },
  },
  {
    method: 'POST',
    path: '/v1/jobs/{job}/start',
    as: 'coordinator',
    wrongRole: 'business',
    outsider: { who: 'setagayaCoordinator', code: 'job.forbidden' },
    unknownCode: 'job.not_found',
  },
  {
    method: 'POST',
    path: '/v1/jobs/{job}/deliver',
    as: 'coordinator',
    wrongRole: 'business',
    outsider: { who: 'setagayaCoordinator', code: 'job.forbidden' },
    unknownCode: 'job.not_found',
    body: { note: 'done' },
    badBodies: { 'note not a string': { note: ['done'] }, 'unknown field': { files: 3 } },
  },
  {
    method: 'POST',
    path: '/v1/jobs/{job}/inspection',
    as: 'business',
    wrongRole: 'coordinator',
    outsider: { who: 'otherBusiness', code: 'job.forbidden' },
    unknownCode: 'job.not_found',
    body: { accepted: true },
    badBodies: {
      'missing accepted': { accepted: undefined, reason: 'x' },
      'accepted as a string': { accepted: 'yes' },
      'unknown field': { stars: 5 },
    },
  },
  {
    method: 'POST',
    path: '/v1/jobs/{job}/close',
    as: 'coordinator',
    wrongRole: 'business',
    outsider: { who: 'setagayaCoordinator', code: 'job.forbidden' },
    unknownCode: 'job.not_found',
  },
  {
    method: 'POST',
    path: '/v1/jobs/{job}/cancel',
    as: 'business',
    wrongRole: 'member',
    outsider: { who: 'setagayaCoordinator', code: 'job.forbidden' },
    unknownCode: 'job.not_found',
    body: { reason: 'not needed' },
    badBodies: {
      'missing reason': { reason: undefined },
      'reason not a string': { reason: false },
      'unknown field': { refund: true },
    },
  },
  {
    method: 'GET',
    path: '/v1/jobs/{job}/plan',
    as: 'coordinator',
    wrongRole: 'member',
    outsider: { who: 'setagayaCoordinator', code: 'plan.forbidden' },
    unknownCode: 'plan.not_found',
  },
  {
    method: 'PUT',
    path: '/v1/jobs/{job}/plan',
    as: 'coordinator',
    wrongRole: 'business',
    outsider: { who: 'setagayaCoordinator', code: 'plan.forbidden' },
    unknownCode: 'plan.not_found',
    body: {
      expectedVersion: 5,
      tasks: [task({ estimatedMinutes: 120 }), task({ key: 'enter', estimatedMinutes: 120, dependsOn: ['sort'] })],
    },
    badBodies: {
      'missing tasks': { tasks: undefined },
      'negative version': { expectedVersion: -1 },
      'version as a string': { expectedVersion: '5' },
      'fractional minutes': { tasks: [task({ estimatedMinutes: 60.5 })] },
      'key with spaces': { tasks: [task({ key: 'sort it' })] },
      'task without a deadline': { tasks: [task({ deadline: undefined })] },
      'dependsOn not a list': { tasks: [task({ dependsOn: 'sort' })] },
      'unknown task field': { tasks: [task({ assignee: 'hanako' })] },
    },
  },
  {
    method: 'POST',
    path: '/v1/jobs/{job}/plan/confirm',
    as: 'coordinator',
    wrongRole: 'business',
    outsider: { who: 'setagayaCoordinator', code: 'plan.forbidden' },
    unknownCode: 'plan.not_found',
    body: { expectedVersion: 5 },
    badBodies: {
      'missing version': { expectedVersion: undefined },
      'version as a string': { expectedVersion: '5' },
      'fractional version': { expectedVersion: 1.5 },
    },
  },
];

const actor = (who: Who) => h.coop[who];
const pathOf = (route: RouteCase, id = jobId) => route.path.replace('{job}', id);
const validBody = (route: RouteCase): Record<string, unknown> | undefined =>
  route.path === '/v1/jobs' ? jobBody(h.coop) : route.body;
const hasBody = (route: RouteCase) => route.method !== 'GET';

/** What the services behind hold, and how many calls reached them. */
const observe = () => ({
  stored: h.doubles.jobIntake.snapshot() + h.doubles.taskDecomposition.snapshot(),
  calls: h.doubles.jobIntake.calls.length + h.doubles.taskDecomposition.calls.length,
});

/** Runs `request`, expects the problem, and that nothing was stored (and, if `reachesService` is false, no call was made). */
const refused = async (
  request: () => Promise<import('fastify').LightMyRequestResponse>,
  status: number,
  code: string,
  reachesService = false,
) => {
  const before = observe();
  const problem = expectProblem(await request(), status, code);
  const after = observe();
  expect(after.stored).toBe(before.stored);
  if (!reachesService) expect(after.calls).toBe(before.calls);
  return problem;
};

/** A real token with its expiry moved into the past: identity must refuse it (the signature no longer matches). */
const expiredToken = (token: string): string => {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  const past = Math.floor(Date.now() / 1000) - 3600;
  return [
    header,
    Buffer.from(JSON.stringify({ ...claims, iat: past - 3600, exp: past })).toString('base64url'),
    signature,
  ].join('.');
};

describe.each(ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))('%s', (_name, route) => {
  const send = (
    init: { who?: Who | string; body?: unknown; payload?: string; headers?: Record<string, string>; id?: string } = {},
  ) =>
    h.call(route.method, pathOf(route, init.id), {
      ...(init.who !== undefined
        ? { as: typeof init.who === 'string' && init.who in h.coop ? actor(init.who as Who) : init.who }
        : {}),
      ...(init.body !== undefined ? { body: init.body } : {}),
      ...(init.payload !== undefined ? { payload: init.payload } : {}),
      ...(init.headers !== undefined ? { headers: init.headers } : {}),
    });
  const asCaller = route.as;

  if (asCaller !== undefined) {
    it('no token: 401 auth.token_missing with WWW-Authenticate', async () => {
      const before = observe();
      const response = await h.call(
        route.method,
        pathOf(route),
        validBody(route) !== undefined ? { body: validBody(route) } : {},
      );
      expectProblem(response, 401, 'auth.token_missing');
      expect(response.headers['www-authenticate']).toBe('Bearer realm="workshare"');
      expect(observe()).toEqual(before);
    });

    it('an expired (re-signed) token, a forged one, a non-Bearer header: 401', async () => {
      const body = validBody(route);
      await refused(() => send({ who: expiredToken(actor(asCaller).token), body }), 401, 'auth.invalid_token');
      await refused(() => send({ who: `${actor(asCaller).token.slice(0, -4)}AAAA`, body }), 401, 'auth.invalid_token');
      await refused(
        () =>
          h.call(route.method, pathOf(route), {
            headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
          }),
        401,
        'auth.malformed_authorization',
      );
    });

    if (route.wrongRole !== undefined) {
      const wrongRole = route.wrongRole;
      it(`a ${wrongRole}: 403 auth.forbidden_role, no call made`, async () => {
        await refused(() => send({ who: wrongRole, body: validBody(route) }), 403, 'auth.forbidden_role');
      });
    }

    if (route.outsider !== undefined) {
      const { who, code } = route.outsider;
      it(`a ${who} (another region or business): 403 ${code}, nothing stored`, async () => {
        await refused(
          () => send({ who, body: validBody(route) }),
          403,
          code,
          code.startsWith('job.') || code.startsWith('plan.'),
        );
      });
    }
  }

  if (route.path.includes('{job}')) {
    it('a job id that is not a UUID: 400 request.invalid, no call made', async () => {
      const problem = await refused(
        () => send({ who: asCaller, body: validBody(route), id: 'job-42' }),
        400,
        'request.invalid',
      );
      expect(problem.errors).toEqual([{ field: 'params.jobId', message: expect.stringContaining('uuid') }]);
    });
    it(`an unknown job id: 404 ${route.unknownCode}, nothing stored`, async () => {
      await refused(
        () => send({ who: asCaller, body: validBody(route), id: randomUUID() }),
        404,
        route.unknownCode as string,
        true,
      );
    });
  }

  if (route.badBodies !== undefined) {
    for (const [what, patch] of Object.entries(route.badBodies)) {
      it(`body with ${what}: 400 request.invalid naming the field, no call made`, async () => {
        const base = route.path === '/v1/auth/login' ? {} : (validBody(route) ?? {});
        const body = JSON.parse(JSON.stringify({ ...base, ...(patch as Record<string, unknown>) })) as Record<
          string,
          unknown
        >;
        const problem = await refused(() => send({ who: asCaller, body }), 400, 'request.invalid');
        const errors = problem.errors as { field: string; message: string }[];
        expect(errors.length).toBeGreaterThan(0);
        expect(errors.every((e) => e.field.startsWith('body'))).toBe(true);
      });
    }
  }

  if (hasBody(route)) {
    it('malformed JSON: 400 request.malformed_json, no call made', async () => {
      await refused(() => send({ who: asCaller, payload: '{"reason": "unterminated' }), 400, 'request.malformed_json');
    });
    it('a body over the limit: 413 request.too_large, no call made', async () => {
      await refused(
        () => send({ who: asCaller, payload: JSON.stringify({ padding: 'x'.repeat(5 * 1024) }) }),
        413,
        'request.too_large',
      );
    });
    it('a body that is not JSON: 415 request.unsupported_media_type, no call made', async () => {
      await refused(
        () =>
          send({
            who: asCaller,
            payload: 'reason=too dear',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          }),
        415,
        'request.unsupported_media_type',
      );
      await refused(
        () => send({ who: asCaller, payload: 'too dear', headers: { 'content-type': 'text/plain' } }),
        415,
        'request.unsupported_media_type',
      );
    });
    if (route.body === undefined && route.path !== '/v1/jobs') {
      it('takes no body: anything but nothing or {} is 400 request.invalid', async () => {
        await refused(() => send({ who: asCaller, body: { note: 'hello' } }), 400, 'request.invalid');
        await refused(() => send({ who: asCaller, body: [] }), 400, 'request.invalid');
      });
    }
  }
});

describe('GET /v1/jobs query', () => {
  it.each([
    ['pageSize=0', 'querystring.pageSize'],
    ['pageSize=201', 'querystring.pageSize'],
    ['pageSize=ten', 'querystring.pageSize'],
    ['pageSize=1.5', 'querystring.pageSize'],
    ['status=finished', 'querystring.status'],
    ['regionId=Fuji%20sato', 'querystring.regionId'],
    ['colour=red', 'querystring.colour'],
  ])('%s: 400 request.invalid naming %s', async (query, field) => {
    const problem = await refused(
      () => h.call('GET', `/v1/jobs?${query}`, { as: h.coop.business }),
      400,
      'request.invalid',
    );
    expect(problem.errors).toEqual([expect.objectContaining({ field })]);
  });
});

describe('Idempotency-Key', () => {
  it('longer than 200 characters or with spaces: 400 request.invalid, no call made', async () => {
    await refused(
      () =>
        h.call('POST', '/v1/jobs', {
          as: h.coop.business,
          body: jobBody(h.coop),
          headers: { 'idempotency-key': 'k'.repeat(201) },
        }),
      400,
      'request.invalid',
    );
    await refused(
      () =>
        h.call('POST', '/v1/jobs', {
          as: h.coop.business,
          body: jobBody(h.coop),
          headers: { 'idempotency-key': 'two words' },
        }),
      400,
      'request.invalid',
    );
  });
});

describe('errors of the services and the network', () => {
  it('a DomainError of a service keeps its code and gets the status of its kind (rule: 422, invalid: 400)', async () => {
    // Accepting a job that is not quoted breaks a rule of the job.
    await refused(
      () => h.call('POST', `/v1/jobs/${jobId}/accept`, { as: h.coop.business }),
      422,
      'job.not_acceptable',
      true,
    );
    // A deadline in the past is the service's own validation.
    await refused(
      () =>
        h.call('POST', '/v1/jobs', {
          as: h.coop.business,
          body: jobBody(h.coop, { deadline: '2020-01-01T00:00:00+09:00' }),
        }),
      400,
      'job.deadline_passed',
      true,
    );
  });

  it('an unknown route: 404 route.not_found; an unknown method on a known path too', async () => {
    const problem = expectProblem(await h.call('GET', '/v1/jobz'), 404, 'route.not_found');
    expect(problem.instance).toBe('/v1/jobz');
    expectProblem(await h.call('DELETE', `/v1/jobs/${jobId}`, { as: h.coop.business }), 404, 'route.not_found');
  });

  describe('a gateway whose upstreams misbehave', () => {
    let down: FastifyInstance;
    let failing: FastifyInstance;
    let misbehaving: GrpcServer;
    let verifier: IdentityTokenVerifierClient;
    /** What the failing gateway logged, parsed. */
    const logLines: Record<string, unknown>[] = [];

    beforeAll(async () => {
      verifier = new IdentityTokenVerifierClient({ identityAddress: h.coop.identityAddress });
      // A job intake that never answers in time (getJob), fails with a bare error (listJobs), or answers nonsense (submitJob's job).
      misbehaving = await startGrpcServer({
        name: 'misbehaving-job-intake',
        port: 0,
        host: '127.0.0.1',
        verifier,
        logger: jsonLogger('error', {}, () => undefined),
        services: [
          defineService(jobIntakeV1.JobIntakeServiceService, {
            ...(h.doubles.jobIntake.registration.implementation as unknown as AsyncService<
              typeof jobIntakeV1.JobIntakeServiceService
            >),
            getJob: async (_request, ctx) => {
              await new Promise((resolve) => setTimeout(resolve, 1_000));
              ctx.signal.throwIfAborted();
              return { job: undefined };
            },
            listJobs: async () => {
              throw new Error('database password is hunter2');
            },
            acceptQuote: async () => ({
              terms: {
                fee: { yen: '12.5' },
                deliveryDate: new Date(),
                inspectionDate: new Date(),
                paymentDate: new Date(),
                acceptedAt: new Date(),
              },
            }),
          }),
        ],
      });
      failing = await buildGateway({
        ...h.options,
        jobIntakeAddress: misbehaving.address,
        upstreamDeadlineMs: 300,
        logger: createLogger('gateway-test', {
          level: 'info',
          destination: { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) },
        }),
      });
      // Nothing listens on port 1 of loopback.
      down = await buildGateway({
        ...h.options,
        jobIntakeAddress: '127.0.0.1:1',
        taskDecompositionAddress: '127.0.0.1:1',
        teamSchedulingAddress: '127.0.0.1:1',
        timeTrackingAddress: '127.0.0.1:1',
        settlementAddress: '127.0.0.1:1',
        auditAddress: '127.0.0.1:1',
        upstreamDeadlineMs: 300,
      });
    });
    afterAll(async () => {
      await failing?.close();
      await down?.close();
      await misbehaving?.shutdown(100);
      verifier?.close();
    });

    const inject = (app: FastifyInstance, method: 'GET' | 'POST', url: string) =>
      app.inject({ method, url, headers: { authorization: `Bearer ${h.coop.business.token}` } });

    it('an upstream that cannot be reached: 503 upstream.unavailable with Retry-After; /readyz says which', async () => {
      const response = await inject(down, 'GET', `/v1/jobs/${jobId}`);
      expectProblem(response, 503, 'upstream.unavailable');
      expect(response.headers['retry-after']).toBe('1');
      const ready = await down.inject({ method: 'GET', url: '/readyz' });
      const problem = expectProblem(ready, 503, 'upstream.unavailable');
      expect(problem.details).toEqual({
        upstreams: {
          identity: 'serving',
          jobIntake: 'unavailable',
          taskDecomposition: 'unavailable',
          teamScheduling: 'unavailable',
          timeTracking: 'unavailable',
          settlement: 'unavailable',
          audit: 'unavailable',
        },
      });
    });

    it('an upstream too slow for the deadline: 504 upstream.timeout', async () => {
      expectProblem(await inject(failing, 'GET', `/v1/jobs/${jobId}`), 504, 'upstream.timeout');
    });

    it('an upstream failing without a DomainError, or breaking its contract: 500 internal, no internals shown', async () => {
      const failed = await inject(failing, 'GET', '/v1/jobs');
      const problem = expectProblem(failed, 500, 'internal');
      expect(failed.body).not.toMatch(/hunter2|database|INTERNAL/);
      expect(problem.detail).toMatch(/request id/);
      const nonsense = await inject(failing, 'POST', `/v1/jobs/${jobId}/accept`);
      expectProblem(nonsense, 500, 'internal');
      expect(nonsense.body).not.toMatch(/12\.5/);
    });

    it('a 500 is logged under its request id with its cause, which the answer keeps to itself', async () => {
      for (const [method, url] of [
        ['GET', '/v1/jobs'],
        ['POST', `/v1/jobs/${jobId}/accept`],
      ] as const) {
        const failed = expectProblem(await inject(failing, method, url), 500, 'internal');
        const line = logLines.find((l) => l.requestId === failed.requestId && l.level === 'error');
        // The error itself (type, message, stack), not "[unable to serialize, circular reference...]".
        expect(line).toMatchObject({
          msg: 'request failed',
          err: { type: expect.any(String), message: expect.any(String), stack: expect.stringMatching(/\n\s+at /) },
        });
        expect(failed.detail).not.toContain((line?.err as { message: string }).message);
      }
      expect(JSON.stringify(logLines)).not.toMatch(/unable to serialize/);
    });
  });
});
