/**
 * The bad-input matrix on every team-scheduling route: missing fields, wrong types, malformed
 * and unknown ids, bad periods, malformed JSON, oversized and non-JSON bodies, missing, expired,
 * forged or malformed tokens, the wrong role, a member acting for another, another region's
 * coordinator or business. Each answers 4xx problem+json and the team-scheduling double holds
 * exactly what it held before; when the gateway refuses by itself, the double was not even called.
 */
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { expectProblem, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let jobId: string;
let taskId: string;

type Who = 'business' | 'coordinator' | 'setagayaCoordinator' | 'otherBusiness' | 'member' | 'accountant';
type Param = 'job' | 'task' | 'member';

interface RouteCase {
  readonly method: 'GET' | 'POST' | 'PUT';
  /** With `{job}`, `{task}`, `{member}` for the ids. */
  readonly path: string;
  /** Who may call it (for the member routes, a coordinator: a member may name only herself). */
  readonly as: Who;
  /** A role the gateway refuses (auth.forbidden_role); none when every role may call it. */
  readonly wrongRole?: Who;
  /** A caller of the right role for another region or business: the service refuses her. */
  readonly outsider?: { readonly who: Who; readonly code: string };
  /** Routes on a member's schedule: a member naming another is refused at the edge. */
  readonly selfOnly?: boolean;
  /** The code an unknown (well-formed) id in the path gets from the service. */
  readonly unknown?: Partial<Record<Param, string>>;
  readonly body?: () => Record<string, unknown>;
  /** Bodies the gateway refuses, by what is wrong with them: patches of the valid body. */
  readonly badBodies?: Record<string, Record<string, unknown>>;
  /** Well-formed bodies naming something the service does not know: patch and code. */
  readonly unknownInBody?: Record<string, readonly [Record<string, unknown>, string]>;
  /** Query strings the gateway refuses, and the field it names. */
  readonly badQueries?: Record<string, string>;
}

const later = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

const ROUTES: readonly RouteCase[] = [
  {
    method: 'POST',
    path: '/v1/jobs/{job}/schedule',
    as: 'coordinator',
    wrongRole: 'business',
    outsider: { who: 'setagayaCoordinator', code: 'schedule.forbidden' },
    unknown: { job: 'schedule.not_found' },
  },
  {
    method: 'GET',
    path: '/v1/jobs/{job}/schedule',
    as: 'coordinator',
    wrongRole: 'member',
    outsider: { who: 'otherBusiness', code: 'schedule.forbidden' },
    unknown: { job: 'schedule.not_found' },
  },
  {
    method: 'GET',
    path: '/v1/members/{member}/schedule',
    as: 'coordinator',
    wrongRole: 'business',
    outsider: { who: 'setagayaCoordinator', code: 'member.forbidden' },
    selfOnly: true,
    unknown: { member: 'member.not_found' },
    badQueries: {
      'from=2026-04-06T00:00:00Z': 'querystring.to',
      'to=2026-04-13T00:00:00Z': 'querystring.from',
      'from=monday&to=2026-04-13T00:00:00Z': 'querystring.from',
      'from=2026-04-06T00:00:00&to=2026-04-13T00:00:00Z': 'querystring.from',
      'from=2026-04-13T00:00:00Z&to=2026-04-06T00:00:00Z': 'querystring.to',
      'from=2026-04-06T00:00:00Z&to=2026-04-06T00:00:00Z': 'querystring.to',
      'from=2026-04-06T00:00:00Z&to=2026-04-13T00:00:00Z&member=x': 'querystring.member',
    },
  },
  { method: 'GET', path: '/v1/me/tasks', as: 'member', wrongRole: 'business' },
  {
    method: 'POST',
    path: '/v1/tasks/{task}/hand-off',
    as: 'member',
    wrongRole: 'business',
    outsider: { who: 'setagayaCoordinator', code: 'task.forbidden' },
    unknown: { task: 'task.not_found' },
    body: () => ({ reason: 'sick child', progressNote: 'half done' }),
    badBodies: {
      'missing reason': { reason: undefined },
      'an empty reason': { reason: '' },
      'reason not a string': { reason: 42 },
      'progressNote not a string': { progressNote: ['half'] },
      'unknown field': { to: 'yuki' },
    },
  },
  {
    method: 'POST',
    path: '/v1/members/{member}/unavailability',
    as: 'coordinator',
    wrongRole: 'business',
    outsider: { who: 'setagayaCoordinator', code: 'member.forbidden' },
    selfOnly: true,
    unknown: { member: 'member.not_found' },
    body: () => ({ from: later(1), to: later(4), reason: 'sick child' }),
    badBodies: {
      'missing to': { to: undefined },
      'missing reason': { reason: undefined },
      'from not a date': { from: 'tomorrow' },
      'from without an offset': { from: '2027-04-01T09:00:00' },
      'to before from': { from: later(4), to: later(1) },
      'to equal to from': { from: '2027-04-01T00:00:00Z', to: '2027-04-01T09:00:00+09:00' },
      'a leap second': { to: '2027-12-31T23:59:60Z' },
      'unknown field': { allDay: true },
    },
  },
  {
    method: 'PUT',
    path: '/v1/tasks/{task}/assignment',
    as: 'coordinator',
    wrongRole: 'member',
    outsider: { who: 'setagayaCoordinator', code: 'task.forbidden' },
    unknown: { task: 'task.not_found' },
    body: () => ({ memberId: h.coop.member.id, reason: 'continuity' }),
    badBodies: {
      'missing memberId': { memberId: undefined },
      'memberId not a UUID': { memberId: 'hanako' },
      'memberId a number': { memberId: 7 },
      'missing reason': { reason: undefined },
    },
    unknownInBody: { 'an unknown member': [{ memberId: randomUUID() }, 'member.not_found'] },
  },
  {
    method: 'GET',
    path: '/v1/tasks/{task}/history',
    as: 'member',
    outsider: { who: 'setagayaCoordinator', code: 'task.forbidden' },
    unknown: { task: 'task.not_found' },
  },
  {
    method: 'GET',
    path: '/v1/tasks/{task}/holder',
    as: 'accountant',
    outsider: { who: 'otherBusiness', code: 'task.forbidden' },
    unknown: { task: 'task.not_found' },
    badQueries: {
      'at=yesterday': 'querystring.at',
      'at=2026-04-01': 'querystring.at',
      'at=2026-04-01T00:00:00Z&who=me': 'querystring.who',
    },
  },
  {
    method: 'PUT',
    path: '/v1/members/{member}/wished-hours',
    as: 'coordinator',
    wrongRole: 'accountant',
    outsider: { who: 'setagayaCoordinator', code: 'member.forbidden' },
    selfOnly: true,
    unknown: { member: 'member.not_found' },
    body: () => ({ minutesPerWeek: 600 }),
    badBodies: {
      'missing minutes': { minutesPerWeek: undefined },
      'zero minutes': { minutesPerWeek: 0 },
      'more minutes than a week holds': { minutesPerWeek: 10_081 },
      'fractional minutes': { minutesPerWeek: 60.5 },
      'minutes as a string': { minutesPerWeek: '600' },
      'unknown field': { hoursPerWeek: 10 },
    },
  },
  {
    method: 'POST',
    path: '/v1/members/{member}/skills',
    as: 'coordinator',
    wrongRole: 'member',
    outsider: { who: 'setagayaCoordinator', code: 'member.forbidden' },
    unknown: { member: 'member.not_found' },
    body: () => ({ skill: 'transcription', jobId, reason: 'accepted work' }),
    badBodies: {
      'missing skill': { skill: undefined },
      'a skill too long': { skill: 's'.repeat(101) },
      'jobId not a UUID': { jobId: 'job-42' },
      'missing reason': { reason: undefined },
      'unknown field': { level: 3 },
    },
    unknownInBody: { 'an unknown job': [{ jobId: randomUUID() }, 'schedule.not_found'] },
  },
  {
    method: 'POST',
    path: '/v1/tasks/{task}/trainee',
    as: 'coordinator',
    wrongRole: 'business',
    outsider: { who: 'setagayaCoordinator', code: 'task.forbidden' },
    unknown: { task: 'task.not_found' },
    body: () => ({ traineeMemberId: h.coop.coordinator.id, reason: 'shadowing' }),
    badBodies: {
      'missing trainee': { traineeMemberId: undefined },
      'trainee not a UUID': { traineeMemberId: 'new member' },
      'reason not a string': { reason: true },
    },
    unknownInBody: { 'an unknown trainee': [{ traineeMemberId: randomUUID() }, 'member.not_found'] },
  },
  {
    method: 'POST',
    path: '/v1/jobs/{job}/sharing',
    as: 'coordinator',
    wrongRole: 'member',
    outsider: { who: 'setagayaCoordinator', code: 'schedule.forbidden' },
    unknown: { job: 'schedule.not_found' },
    body: () => ({ partnerRegionId: 'setagaya', reason: 'no proofreader here' }),
    badBodies: {
      'missing partner': { partnerRegionId: undefined },
      'a partner that is no region slug': { partnerRegionId: 'Setagaya City' },
      'missing reason': { reason: undefined },
      'unknown field': { until: later(3) },
    },
  },
];

beforeAll(async () => {
  // A small body limit to reach it cheaply; a rate limit the matrix cannot hit.
  h = await startHarness({ bodyLimitBytes: 4 * 1024, rateLimit: { max: 100_000, timeWindowMs: 60_000 } });
  const ts = h.doubles.teamScheduling;
  ts.enrol({ memberId: h.coop.member.id, regionId: 'fujisato', townId: 'fujisato/fujikoto', skills: ['data entry'] });
  // Without the job's skill, the coordinator leaves every task to the member.
  ts.enrol({
    memberId: h.coop.coordinator.id,
    regionId: 'fujisato',
    townId: 'fujisato/kasuge',
    skills: ['coordination'],
  });
  ts.enrol({
    memberId: h.coop.setagayaCoordinator.id,
    regionId: 'setagaya',
    townId: 'setagaya/sangenjaya',
    skills: ['data entry'],
  });
  jobId = randomUUID();
  [taskId] = ts.plan({
    jobId,
    businessId: h.coop.businesses.fujisato,
    regionId: 'fujisato',
    tasks: [
      {
        title: 'Enter the forms',
        estimatedMinutes: 60,
        skills: ['data entry'],
        deadline: new Date(Date.now() + 20 * 86_400_000),
      },
    ],
  }) as [string];
  const scheduled = await h.call('POST', `/v1/jobs/${jobId}/schedule`, { as: h.coop.coordinator });
  if (scheduled.statusCode !== 200 || ts.tasks.get(taskId)?.task.memberId !== h.coop.member.id)
    throw new Error(`the task was not scheduled to the member: ${scheduled.body}`);
});
afterAll(async () => h?.close());

const actor = (who: Who) => h.coop[who];
const idOf: Record<Param, () => string> = { job: () => jobId, task: () => taskId, member: () => h.coop.member.id };
const pathOf = (route: RouteCase, ids: Partial<Record<Param, string>> = {}) =>
  route.path.replace(/\{(job|task|member)\}/g, (_m, param: Param) => ids[param] ?? idOf[param]());
const hasBody = (route: RouteCase) => route.method !== 'GET';

/** What the double holds, and how many calls reached it. */
const observe = () => ({ stored: h.doubles.teamScheduling.snapshot(), calls: h.doubles.teamScheduling.calls.length });

/** Runs `request`, expects the problem, and that nothing was stored (and, unless `reachesService`, no call was made). */
const refused = async (
  request: () => Promise<LightMyRequestResponse>,
  status: number,
  code: string,
  reachesService = false,
) => {
  const before = observe();
  const problem = expectProblem(await request(), status, code);
  const after = observe();
  expect(after.stored).toBe(before.stored);
  if (!reachesService) expect(after.calls).toBe(before.calls);
  else expect(after.calls).toBe(before.calls + 1);
  return problem;
};

describe.each(ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))('%s', (_name, route) => {
  const send = (
    init: {
      who?: Who | string;
      body?: unknown;
      payload?: string;
      headers?: Record<string, string>;
      ids?: Partial<Record<Param, string>>;
      query?: string;
    } = {},
  ) =>
    h.call(route.method, `${pathOf(route, init.ids)}${init.query !== undefined ? `?${init.query}` : ''}`, {
      ...(init.who !== undefined ? { as: init.who in h.coop ? actor(init.who as Who) : init.who } : {}),
      ...(init.body !== undefined ? { body: init.body } : {}),
      ...(init.payload !== undefined ? { payload: init.payload } : {}),
      ...(init.headers !== undefined ? { headers: init.headers } : {}),
    });
  const body = () => route.body?.();

  it('no token: 401 auth.token_missing with WWW-Authenticate, no call made', async () => {
    const before = observe();
    const response = await send({ body: body() });
    expectProblem(response, 401, 'auth.token_missing');
    expect(response.headers['www-authenticate']).toBe('Bearer realm="workshare"');
    expect(observe()).toEqual(before);
  });

  it('an expired token, a forged one, a non-Bearer header: 401, no call made', async () => {
    await refused(() => send({ who: h.coop.expiredToken, body: body() }), 401, 'auth.token_expired');
    await refused(
      () => send({ who: `${actor(route.as).token.slice(0, -4)}AAAA`, body: body() }),
      401,
      'auth.invalid_token',
    );
    await refused(
      () => send({ body: body(), headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } }),
      401,
      'auth.malformed_authorization',
    );
  });

  if (route.wrongRole !== undefined) {
    const wrongRole = route.wrongRole;
    it(`a ${wrongRole}: 403 auth.forbidden_role, no call made`, async () => {
      await refused(() => send({ who: wrongRole, body: body() }), 403, 'auth.forbidden_role');
    });
  }

  if (route.outsider !== undefined) {
    const { who, code } = route.outsider;
    it(`a ${who} (another region or business): 403 ${code} from the service, nothing stored`, async () => {
      await refused(() => send({ who, body: body() }), 403, code, true);
    });
  }

  if (route.selfOnly === true) {
    it('a member naming another member: 403 auth.forbidden_member, no call made', async () => {
      await refused(
        () => send({ who: 'member', body: body(), ids: { member: h.coop.coordinator.id } }),
        403,
        'auth.forbidden_member',
      );
    });
  }

  for (const [param, code] of Object.entries(route.unknown ?? {}) as [Param, string][]) {
    it(`a ${param} id that is not a UUID: 400 request.invalid naming params.${param}Id, no call made`, async () => {
      const problem = await refused(
        () => send({ who: route.as, body: body(), ids: { [param]: `${param}-42` } }),
        400,
        'request.invalid',
      );
      expect(problem.errors).toEqual([{ field: `params.${param}Id`, message: expect.stringContaining('uuid') }]);
    });
    it(`an unknown ${param} id: 404 ${code}, nothing stored`, async () => {
      await refused(() => send({ who: route.as, body: body(), ids: { [param]: randomUUID() } }), 404, code, true);
    });
  }

  for (const [what, [patch, code]] of Object.entries(route.unknownInBody ?? {})) {
    it(`a body naming ${what}: 404 ${code}, nothing stored`, async () => {
      await refused(() => send({ who: route.as, body: { ...body(), ...patch } }), 404, code, true);
    });
  }

  for (const [what, patch] of Object.entries(route.badBodies ?? {})) {
    it(`body with ${what}: 400 request.invalid naming the field, no call made`, async () => {
      const bad = JSON.parse(JSON.stringify({ ...body(), ...patch })) as Record<string, unknown>;
      const problem = await refused(() => send({ who: route.as, body: bad }), 400, 'request.invalid');
      const errors = problem.errors as { field: string; message: string }[];
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.every((e) => e.field.startsWith('body'))).toBe(true);
    });
  }

  for (const [query, field] of Object.entries(route.badQueries ?? {})) {
    it(`?${query}: 400 request.invalid naming ${field}, no call made`, async () => {
      const problem = await refused(() => send({ who: route.as, query }), 400, 'request.invalid');
      expect(problem.errors).toEqual([expect.objectContaining({ field })]);
    });
  }

  if (hasBody(route)) {
    it('malformed JSON: 400 request.malformed_json, no call made', async () => {
      await refused(() => send({ who: route.as, payload: '{"reason": "unterminated' }), 400, 'request.malformed_json');
    });
    it('a body over the limit: 413 request.too_large, no call made', async () => {
      await refused(
        () => send({ who: route.as, payload: JSON.stringify({ reason: 'x'.repeat(5 * 1024) }) }),
        413,
        'request.too_large',
      );
    });
    it('a body that is not JSON: 415 request.unsupported_media_type, no call made', async () => {
      await refused(
        () =>
          send({
            who: route.as,
            payload: 'reason=sick',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          }),
        415,
        'request.unsupported_media_type',
      );
    });
    if (route.body === undefined) {
      it('takes no body: anything but nothing or {} is 400 request.invalid, no call made', async () => {
        await refused(() => send({ who: route.as, body: { jobId } }), 400, 'request.invalid');
        await refused(() => send({ who: route.as, body: [] }), 400, 'request.invalid');
      });
    } else {
      it('no body at all, or a JSON array: 400, no call made', async () => {
        await refused(
          () => send({ who: route.as, payload: '', headers: { 'content-type': 'application/json' } }),
          400,
          'request.malformed_json',
        );
        await refused(() => send({ who: route.as, body: [] }), 400, 'request.invalid');
      });
    }
  }
});

describe('Idempotency-Key on team-scheduling commands', () => {
  it('longer than 200 characters or with spaces: 400 request.invalid, no call made', async () => {
    const body = { reason: 'sick child' };
    await refused(
      () =>
        h.call('POST', `/v1/tasks/${taskId}/hand-off`, {
          as: h.coop.member,
          body,
          headers: { 'idempotency-key': 'k'.repeat(201) },
        }),
      400,
      'request.invalid',
    );
    await refused(
      () =>
        h.call('POST', `/v1/tasks/${taskId}/hand-off`, {
          as: h.coop.member,
          body,
          headers: { 'idempotency-key': 'two words' },
        }),
      400,
      'request.invalid',
    );
  });
});

describe('the errors of team scheduling', () => {
  it('a rule of the service keeps its code, with 422: a hand-off by a teammate who does not hold the task', async () => {
    // The coordinator is of the task's team but does not hold it.
    await refused(
      () => h.call('POST', `/v1/tasks/${taskId}/hand-off`, { as: h.coop.coordinator, body: { reason: 'sick child' } }),
      422,
      'task.not_held',
      true,
    );
    // Sharing with the job's own region is the service's validation: 400.
    await refused(
      () =>
        h.call('POST', `/v1/jobs/${jobId}/sharing`, {
          as: h.coop.coordinator,
          body: { partnerRegionId: 'fujisato', reason: 'x' },
        }),
      400,
      'schedule.same_region',
      true,
    );
  });
});
