/**
 * Every route of the gateway, through fastify.inject, against a real identity (real logins and
 * tokens) and the recording doubles of job intake and task decomposition: the happy path of a
 * job from submission to closing, the plan, the role and scope refusals, request ids and
 * idempotency keys, the OpenAPI document and the docs page.
 */
import { LoginAttemptLimiter } from '@workshare/grpc';
import Fastify from 'fastify';
import { connectUpstreams } from '../../src/adapters/grpc/upstreams.js';
import { registerRoutes } from '../../src/adapters/http/routes.js';
import { SHARED_SCHEMAS } from '../../src/adapters/http/schemas.js';
import { expectProblem, jobBody, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const TOKYO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+09:00$/;

describe('auth and reference routes', () => {
  it('POST /v1/auth/login exchanges a password for a token that identity signed', async () => {
    const response = await h.call('POST', '/v1/auth/login', {
      body: { email: h.coop.coordinator.email, password: h.coop.password },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json() as {
      accessToken: string;
      expiresAt: string;
      caller: { subject: string; roles: unknown[] };
    };
    expect(body.expiresAt).toMatch(TOKYO_TIME);
    expect(new Date(body.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(body.caller.subject).toBe(h.coop.coordinator.id);
    expect(body.caller.roles).toEqual(
      expect.arrayContaining([{ role: 'coordinator', region: 'fujisato' }, { role: 'member' }]),
    );
    // The new token works on a route that needs one.
    const me = await h.call('GET', '/v1/me', { as: body.accessToken });
    expect(me.json()).toMatchObject({ subject: h.coop.coordinator.id });
  });

  it('POST /v1/auth/login refuses a wrong password with 401 and WWW-Authenticate', async () => {
    const response = await h.call('POST', '/v1/auth/login', {
      body: { email: h.coop.coordinator.email, password: 'not the password' },
    });
    const problem = expectProblem(response, 401, (response.json() as { code: string }).code);
    expect(String(problem.code)).toMatch(/\./);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('GET /v1/regions is public and names towns as <region>/<town>', async () => {
    const response = await h.call('GET', '/v1/regions');
    expect(response.statusCode).toBe(200);
    const { regions } = response.json() as {
      regions: { regionId: string; prefecture: string; towns: { townId: string }[] }[];
    };
    const fujisato = regions.find((r) => r.regionId === 'fujisato');
    expect(fujisato?.prefecture).toBe('JP-05');
    expect(fujisato?.towns.map((t) => t.townId)).toEqual(
      expect.arrayContaining(['fujisato/fujikoto', 'fujisato/kasuge', 'fujisato/tara']),
    );
  });

  it('GET /v1/me answers the verified caller, and needs a token', async () => {
    const me = await h.call('GET', '/v1/me', { as: h.coop.business });
    expect(me.json()).toEqual({
      subject: h.coop.business.id,
      roles: [{ role: 'business', businessId: h.coop.businesses.fujisato }],
    });
    expectProblem(await h.call('GET', '/v1/me'), 401, 'auth.token_missing');
  });
});

describe('a job from submission to closing', () => {
  let jobId: string;

  it('POST /v1/jobs: 201 with its id and Location; GET /v1/jobs/{jobId} shows it in Tokyo time', async () => {
    const deadline = '2027-03-31T08:00:00Z';
    const response = await h.call('POST', '/v1/jobs', { as: h.coop.business, body: jobBody(h.coop, { deadline }) });
    expect(response.statusCode).toBe(201);
    jobId = (response.json() as { jobId: string }).jobId;
    expect(response.headers.location).toBe(`/v1/jobs/${jobId}`);
    const submitted = h.doubles.jobIntake.calls.at(-1);
    expect(submitted).toMatchObject({ method: 'submitJob', subject: h.coop.business.id });
    expect(submitted?.request).toMatchObject({
      amount: { yen: '120000' },
      workCategory: 1,
      localOnlyTownId: 'fujisato/fujikoto',
      deadline: new Date(deadline),
    });

    const job = await h.call('GET', `/v1/jobs/${jobId}`, { as: h.coop.business });
    expect(job.statusCode).toBe(200);
    expect(job.json()).toMatchObject({
      jobId,
      businessId: h.coop.businesses.fujisato,
      workCategory: 'data_entry',
      pricing: { kind: 'fixed_price' },
      amountYen: 120_000,
      deadline: '2027-03-31T17:00:00.000+09:00',
      status: 'submitted',
      quote: null,
      terms: null,
      version: 0,
    });
  });

  it('hourly pricing carries its rate both ways', async () => {
    const id = await h.submitJob({
      pricing: { kind: 'hourly', hourlyRateYen: 1_500 },
      workCategory: 'transcription',
      localOnlyTownId: undefined,
    });
    const job = (await h.call('GET', `/v1/jobs/${id}`, { as: h.coop.coordinator })).json() as Record<string, unknown>;
    expect(job).toMatchObject({
      pricing: { kind: 'hourly', hourlyRateYen: 1_500 },
      workCategory: 'transcription',
      localOnlyTownId: null,
    });
  });

  it('GET /v1/jobs lists what the caller may see, filtered, page by page', async () => {
    const mine = (await h.call('GET', '/v1/jobs?status=submitted&pageSize=1', { as: h.coop.business })).json() as {
      jobs: { jobId: string }[];
      nextPageToken: string | null;
    };
    expect(mine.jobs).toHaveLength(1);
    expect(mine.nextPageToken).not.toBeNull();
    const next = (
      await h.call('GET', `/v1/jobs?status=submitted&pageSize=1&pageToken=${mine.nextPageToken}`, {
        as: h.coop.business,
      })
    ).json() as { jobs: { jobId: string }[] };
    expect(next.jobs.map((j) => j.jobId)).toContain(jobId);
    const listed = h.doubles.jobIntake.calls.filter((c) => c.method === 'listJobs').at(-1);
    expect(listed?.request).toMatchObject({ status: 1, page: { pageSize: 1, pageToken: mine.nextPageToken } });
    // A business sees only its own jobs.
    const others = (await h.call('GET', '/v1/jobs', { as: h.coop.otherBusiness })).json() as { jobs: unknown[] };
    expect(others.jobs).toEqual([]);
  });

  it('a business sees only its own jobs; a coordinator of another region gets 403', async () => {
    expectProblem(await h.call('GET', `/v1/jobs/${jobId}`, { as: h.coop.otherBusiness }), 403, 'job.forbidden');
    expectProblem(await h.call('GET', `/v1/jobs/${jobId}`, { as: h.coop.setagayaCoordinator }), 403, 'job.forbidden');
    const accountant = await h.call('GET', `/v1/jobs/${jobId}`, { as: h.coop.accountant });
    expect(accountant.statusCode).toBe(200);
  });

  it('POST quote (coordinator of the region): 204; other regions and other roles are refused', async () => {
    const quote = {
      amountYen: 110_000,
      estimatedMinutes: 600,
      deliveryDate: '2027-03-20T12:00:00+09:00',
      note: 'two weeks of evenings',
    };
    expectProblem(
      await h.call('POST', `/v1/jobs/${jobId}/quote`, { as: h.coop.setagayaCoordinator, body: quote }),
      403,
      'job.forbidden',
    );
    const before = h.doubles.jobIntake.calls.length;
    expectProblem(
      await h.call('POST', `/v1/jobs/${jobId}/quote`, { as: h.coop.business, body: quote }),
      403,
      'auth.forbidden_role',
    );
    expect(h.doubles.jobIntake.calls.length).toBe(before);

    const response = await h.call('POST', `/v1/jobs/${jobId}/quote`, { as: h.coop.coordinator, body: quote });
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    const job = (await h.call('GET', `/v1/jobs/${jobId}`, { as: h.coop.business })).json() as {
      status: string;
      quote: Record<string, unknown>;
    };
    expect(job.status).toBe('quoted');
    expect(job.quote).toMatchObject({
      amountYen: 110_000,
      estimatedMinutes: 600,
      deliveryDate: '2027-03-20T12:00:00.000+09:00',
      note: 'two weeks of evenings',
      quotedBy: h.coop.coordinator.id,
    });
    expect(job.quote.quotedAt).toMatch(TOKYO_TIME);
  });

  it('POST accept (the business): the order terms', async () => {
    expectProblem(
      await h.call('POST', `/v1/jobs/${jobId}/accept`, { as: h.coop.coordinator }),
      403,
      'auth.forbidden_role',
    );
    expectProblem(await h.call('POST', `/v1/jobs/${jobId}/accept`, { as: h.coop.otherBusiness }), 403, 'job.forbidden');
    const response = await h.call('POST', `/v1/jobs/${jobId}/accept`, { as: h.coop.business });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      jobId,
      terms: {
        feeYen: 110_000,
        deliveryDate: '2027-03-20T12:00:00.000+09:00',
        inspectionDate: '2027-03-30T12:00:00.000+09:00',
        paymentDate: '2027-05-19T12:00:00.000+09:00',
        acceptedAt: expect.stringMatching(TOKYO_TIME),
      },
    });
  });

  it('the plan: GET, PUT (revise), POST confirm', async () => {
    h.doubles.taskDecomposition.propose({
      jobId,
      businessId: h.coop.businesses.fujisato,
      regionId: 'fujisato',
      estimatedMinutes: 240,
      deadline: new Date('2027-03-20T03:00:00Z'),
    });
    const plan = await h.call('GET', `/v1/jobs/${jobId}/plan`, { as: h.coop.business });
    expect(plan.statusCode).toBe(200);
    expect(plan.json()).toMatchObject({
      jobId,
      status: 'proposed',
      round: 1,
      jobEstimatedMinutes: 240,
      jobDeadline: '2027-03-20T12:00:00.000+09:00',
      maxTaskMinutes: 120,
      reworkReason: null,
      cancelReason: null,
      version: 0,
    });
    expectProblem(await h.call('GET', `/v1/jobs/${jobId}/plan`, { as: h.coop.otherBusiness }), 403, 'plan.forbidden');

    const tasks = [
      {
        key: 'sort',
        title: 'Sort the forms',
        estimatedMinutes: 60,
        skills: ['data entry'],
        dependsOn: [],
        deadline: '2027-03-10T21:00:00+09:00',
      },
      {
        key: 'enter-a',
        title: 'Enter forms 1-600',
        estimatedMinutes: 90,
        skills: ['data entry'],
        dependsOn: ['sort'],
        deadline: '2027-03-15T21:00:00+09:00',
      },
      {
        key: 'enter-b',
        title: 'Enter forms 601-1200',
        estimatedMinutes: 90,
        skills: ['data entry'],
        dependsOn: ['sort'],
        deadline: '2027-03-15T21:00:00+09:00',
      },
    ];
    expectProblem(
      await h.call('PUT', `/v1/jobs/${jobId}/plan`, { as: h.coop.business, body: { expectedVersion: 0, tasks } }),
      403,
      'auth.forbidden_role',
    );
    expectProblem(
      await h.call('PUT', `/v1/jobs/${jobId}/plan`, {
        as: h.coop.setagayaCoordinator,
        body: { expectedVersion: 0, tasks },
      }),
      403,
      'plan.forbidden',
    );
    const revised = await h.call('PUT', `/v1/jobs/${jobId}/plan`, {
      as: h.coop.coordinator,
      body: { expectedVersion: 0, tasks },
    });
    expect(revised.statusCode).toBe(200);
    expect(revised.json()).toMatchObject({
      version: 1,
      tasks: [
        { key: 'sort', taskId: null, deadline: '2027-03-10T21:00:00.000+09:00', round: 1 },
        { key: 'enter-a' },
        { key: 'enter-b' },
      ],
    });
    const sent = h.doubles.taskDecomposition.calls.at(-1)?.request as {
      expectedVersion: string;
      tasks: { deadline: Date }[];
    };
    expect(sent.expectedVersion).toBe('0');
    expect(sent.tasks[0]?.deadline).toEqual(new Date('2027-03-10T12:00:00Z'));

    // A stale version is the service's conflict: 409 with its code.
    expectProblem(
      await h.call('POST', `/v1/jobs/${jobId}/plan/confirm`, { as: h.coop.coordinator, body: { expectedVersion: 0 } }),
      409,
      'plan.version_mismatch',
    );
    // A plan the service finds invalid: 400 with its reasons in details.
    const invalid = await h.call('PUT', `/v1/jobs/${jobId}/plan`, {
      as: h.coop.coordinator,
      body: { expectedVersion: 1, tasks: tasks.slice(1) },
    });
    expect(expectProblem(invalid, 400, 'plan.invalid').details).toEqual({
      reasons: [
        'enter-a depends on unknown sort',
        'enter-b depends on unknown sort',
        'the estimates add up to 180, not 240',
      ],
    });

    const confirmed = await h.call('POST', `/v1/jobs/${jobId}/plan/confirm`, {
      as: h.coop.coordinator,
      body: { expectedVersion: 1 },
    });
    expect(confirmed.statusCode).toBe(200);
    const body = confirmed.json() as { status: string; tasks: { taskId: string | null; dependsOn: string[] }[] };
    expect(body.status).toBe('confirmed');
    expect(body.tasks.every((t) => typeof t.taskId === 'string')).toBe(true);
    expect(body.tasks[1]?.dependsOn).toEqual([body.tasks[0]?.taskId]);
  });

  it('start, deliver, inspection (rejected, then accepted), close', async () => {
    expectProblem(await h.call('POST', `/v1/jobs/${jobId}/start`, { as: h.coop.business }), 403, 'auth.forbidden_role');
    expect((await h.call('POST', `/v1/jobs/${jobId}/start`, { as: h.coop.coordinator })).statusCode).toBe(204);
    // A rule broken at the service (started twice): 422 with its code.
    expectProblem(
      await h.call('POST', `/v1/jobs/${jobId}/start`, { as: h.coop.coordinator, body: {} }),
      422,
      'job.not_startable',
    );

    expectProblem(
      await h.call('POST', `/v1/jobs/${jobId}/deliver`, { as: h.coop.business, body: {} }),
      403,
      'auth.forbidden_role',
    );
    expect(
      (
        await h.call('POST', `/v1/jobs/${jobId}/deliver`, {
          as: h.coop.coordinator,
          body: { note: 'all 1,200 entered' },
        })
      ).statusCode,
    ).toBe(204);
    expect(h.doubles.jobIntake.calls.at(-1)?.request).toMatchObject({ note: 'all 1,200 entered' });

    expectProblem(
      await h.call('POST', `/v1/jobs/${jobId}/inspection`, { as: h.coop.coordinator, body: { accepted: true } }),
      403,
      'auth.forbidden_role',
    );
    expectProblem(
      await h.call('POST', `/v1/jobs/${jobId}/inspection`, { as: h.coop.business, body: { accepted: false } }),
      400,
      'job.rejection_reason_required',
    );
    expect(
      (
        await h.call('POST', `/v1/jobs/${jobId}/inspection`, {
          as: h.coop.business,
          body: { accepted: false, reason: '30 forms missing' },
        })
      ).statusCode,
    ).toBe(204);
    expect(
      ((await h.call('GET', `/v1/jobs/${jobId}`, { as: h.coop.business })).json() as { status: string }).status,
    ).toBe('in_progress');
    expect((await h.call('POST', `/v1/jobs/${jobId}/deliver`, { as: h.coop.coordinator, body: {} })).statusCode).toBe(
      204,
    );
    expect(
      (await h.call('POST', `/v1/jobs/${jobId}/inspection`, { as: h.coop.business, body: { accepted: true } }))
        .statusCode,
    ).toBe(204);

    expectProblem(await h.call('POST', `/v1/jobs/${jobId}/close`, { as: h.coop.business }), 403, 'auth.forbidden_role');
    expect((await h.call('POST', `/v1/jobs/${jobId}/close`, { as: h.coop.coordinator })).statusCode).toBe(204);
    const job = (await h.call('GET', `/v1/jobs/${jobId}`, { as: h.coop.business })).json() as {
      status: string;
      inspections: { accepted: boolean; reason: string }[];
    };
    expect(job.status).toBe('closed');
    expect(job.inspections.map((i) => [i.accepted, i.reason])).toEqual([
      [false, '30 forms missing'],
      [true, ''],
    ]);
  });

  it('decline (the business) and cancel (business or coordinator)', async () => {
    const declined = await h.submitJob();
    await h.call('POST', `/v1/jobs/${declined}/quote`, {
      as: h.coop.coordinator,
      body: { amountYen: 200_000, estimatedMinutes: 600, deliveryDate: '2027-03-20T12:00:00+09:00' },
    });
    expectProblem(
      await h.call('POST', `/v1/jobs/${declined}/decline`, { as: h.coop.coordinator, body: { reason: 'too dear' } }),
      403,
      'auth.forbidden_role',
    );
    expect(
      (await h.call('POST', `/v1/jobs/${declined}/decline`, { as: h.coop.business, body: { reason: 'too dear' } }))
        .statusCode,
    ).toBe(204);
    expect((await h.call('GET', `/v1/jobs/${declined}`, { as: h.coop.business })).json()).toMatchObject({
      status: 'declined',
      reason: 'too dear',
    });

    const cancelled = await h.submitJob();
    expectProblem(
      await h.call('POST', `/v1/jobs/${cancelled}/cancel`, { as: h.coop.member, body: { reason: 'no longer needed' } }),
      403,
      'auth.forbidden_role',
    );
    expectProblem(
      await h.call('POST', `/v1/jobs/${cancelled}/cancel`, {
        as: h.coop.setagayaCoordinator,
        body: { reason: 'no longer needed' },
      }),
      403,
      'job.forbidden',
    );
    expect(
      (
        await h.call('POST', `/v1/jobs/${cancelled}/cancel`, {
          as: h.coop.business,
          body: { reason: 'no longer needed' },
        })
      ).statusCode,
    ).toBe(204);
    expect((await h.call('GET', `/v1/jobs/${cancelled}`, { as: h.coop.coordinator })).json()).toMatchObject({
      status: 'cancelled',
      reason: 'no longer needed',
    });
  });

  it('a member may not read jobs or plans at all (403 at the gateway, no call made)', async () => {
    const before = h.doubles.jobIntake.calls.length + h.doubles.taskDecomposition.calls.length;
    expectProblem(await h.call('GET', '/v1/jobs', { as: h.coop.member }), 403, 'auth.forbidden_role');
    expectProblem(await h.call('GET', `/v1/jobs/${jobId}`, { as: h.coop.member }), 403, 'auth.forbidden_role');
    expectProblem(await h.call('GET', `/v1/jobs/${jobId}/plan`, { as: h.coop.member }), 403, 'auth.forbidden_role');
    expectProblem(
      await h.call('POST', '/v1/jobs', { as: h.coop.member, body: jobBody(h.coop) }),
      403,
      'auth.forbidden_role',
    );
    expect(h.doubles.jobIntake.calls.length + h.doubles.taskDecomposition.calls.length).toBe(before);
  });
});

describe('submission scope at the edge', () => {
  it('a business may submit only for a business she acts for, a coordinator only in her region', async () => {
    const before = h.doubles.jobIntake.calls.length;
    expectProblem(
      await h.call('POST', '/v1/jobs', { as: h.coop.otherBusiness, body: jobBody(h.coop) }),
      403,
      'auth.forbidden_business',
    );
    expectProblem(
      await h.call('POST', '/v1/jobs', {
        as: h.coop.setagayaCoordinator,
        body: jobBody(h.coop, { businessId: h.coop.businesses.fujisatoOther }),
      }),
      403,
      'auth.forbidden_region',
    );
    expect(h.doubles.jobIntake.calls.length).toBe(before);
    // The coordinator of fujisato may bring a job for a business of her region.
    expect(
      (
        await h.call('POST', '/v1/jobs', {
          as: h.coop.coordinator,
          body: jobBody(h.coop, { businessId: h.coop.businesses.fujisatoOther }),
        })
      ).statusCode,
    ).toBe(201);
  });
});

describe('request ids and idempotency keys', () => {
  it('a sane X-Request-Id is kept, answered and passed on as x-request-id; an insane one is replaced', async () => {
    const response = await h.call('GET', '/v1/jobs', {
      as: h.coop.business,
      headers: { 'x-request-id': 'trace-me-42' },
    });
    expect(response.headers['x-request-id']).toBe('trace-me-42');
    expect(h.doubles.jobIntake.calls.at(-1)?.requestId).toBe('trace-me-42');
    const replaced = await h.call('GET', '/v1/jobs', {
      as: h.coop.business,
      headers: { 'x-request-id': 'x'.repeat(129) },
    });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const spaced = await h.call('GET', '/healthz', { headers: { 'x-request-id': 'has space' } });
    expect(spaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    // Errors carry it too, in the header and the problem.
    const refused = await h.call('GET', '/v1/nowhere', { headers: { 'x-request-id': 'lost-123' } });
    expect(expectProblem(refused, 404, 'route.not_found').requestId).toBe('lost-123');
  });

  it('an Idempotency-Key becomes the request id: a retried submission is answered with the first job, stored once', async () => {
    const headers = { 'idempotency-key': 'submit-2027-0001' };
    const first = await h.call('POST', '/v1/jobs', { as: h.coop.business, body: jobBody(h.coop), headers });
    const jobs = h.doubles.jobIntake.jobs.size;
    const again = await h.call('POST', '/v1/jobs', { as: h.coop.business, body: jobBody(h.coop), headers });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(h.doubles.jobIntake.jobs.size).toBe(jobs);
    expect((h.doubles.jobIntake.calls.at(-1)?.request as { requestId: string }).requestId).toBe('submit-2027-0001');
    // Without a key, each request is a new command with a fresh id.
    await h.submitJob();
    await h.submitJob();
    const [a, b] = h.doubles.jobIntake.calls
      .filter((c) => c.method === 'submitJob')
      .slice(-2)
      .map((c) => (c.request as { requestId: string }).requestId);
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(a).not.toBe(b);
  });
});

describe('health, OpenAPI and docs', () => {
  it('GET /healthz and GET /readyz (every upstream serving)', async () => {
    expect((await h.call('GET', '/healthz')).json()).toEqual({ status: 'up' });
    const ready = await h.call('GET', '/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({
      status: 'ready',
      upstreams: {
        identity: 'serving',
        jobIntake: 'serving',
        taskDecomposition: 'serving',
        teamScheduling: 'serving',
        timeTracking: 'serving',
        settlement: 'serving',
        audit: 'serving',
      },
    });
  });

  it('GET /openapi.json documents every route of the API with its schemas', async () => {
    // The routes as registerRoutes declares them, collected on a bare instance.
    const declared: { method: string; url: string; schema: Record<string, unknown> }[] = [];
    const probe = Fastify();
    for (const schema of SHARED_SCHEMAS) probe.addSchema(schema);
    probe.addHook('onRoute', (route) => {
      for (const method of [route.method].flat())
        if (method !== 'HEAD')
          declared.push({
            method: method.toLowerCase(),
            url: route.url,
            schema: (route.schema ?? {}) as Record<string, unknown>,
          });
    });
    const upstreams = connectUpstreams({
      identityAddress: '127.0.0.1:1',
      jobIntakeAddress: '127.0.0.1:1',
      taskDecompositionAddress: '127.0.0.1:1',
      teamSchedulingAddress: '127.0.0.1:1',
      timeTrackingAddress: '127.0.0.1:1',
      settlementAddress: '127.0.0.1:1',
      auditAddress: '127.0.0.1:1',
    });
    await probe.register(async (api) => registerRoutes(api, upstreams, { loginLimiter: new LoginAttemptLimiter() }));
    await probe.ready();
    upstreams.close();
    await probe.close();
    expect(declared.length).toBe(75);

    const response = await h.call('GET', '/openapi.json');
    expect(response.statusCode).toBe(200);
    const document = response.json() as {
      openapi: string;
      paths: Record<string, Record<string, Record<string, unknown>>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(document.openapi).toMatch(/^3\./);
    expect((document as unknown as { servers: { url: string }[] }).servers[0]?.url).toMatch(/^https?:\/\//);
    const operationIds = Object.values(document.paths).flatMap((p) => Object.values(p).map((o) => o.operationId));
    expect(new Set(operationIds).size).toBe(operationIds.length);
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining([
        'Problem',
        'Job',
        'Plan',
        'Caller',
        'OrderTerms',
        'ScheduledTask',
        'TaskHistoryEntry',
        'TimeEntry',
        'Week',
        'SettlementSummary',
        'RegionSettlementConfig',
        'AuditJobTimeline',
        'AuditReconciliation',
        'AuditVerification',
      ]),
    );
    for (const route of declared) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      const operation = document.paths[path]?.[route.method];
      expect({ route: `${route.method} ${path}`, documented: operation !== undefined }).toEqual({
        route: `${route.method} ${path}`,
        documented: true,
      });
      const responses = operation?.responses as Record<string, unknown>;
      expect(Object.keys(responses)).toEqual(expect.arrayContaining(['4XX', '5XX']));
      // Errors are problem+json, and every operation has its id.
      for (const code of ['4XX', '5XX'])
        expect(Object.keys((responses[code] as { content: Record<string, unknown> }).content)).toEqual([
          'application/problem+json',
        ]);
      expect(typeof operation?.operationId).toBe('string');
      expect(Object.keys(responses).some((code) => /^2\d\d$/.test(code))).toBe(true);
      // Every route that takes a body documents it, with unknown fields refused.
      if (route.schema.body !== undefined) {
        const body = (
          operation?.requestBody as { content: Record<string, { schema: { additionalProperties?: boolean } }> }
        ).content['application/json']?.schema;
        expect(body?.additionalProperties).toBe(false);
      }
      for (const name of route.url.match(/(?<=:)\w+/g) ?? [])
        expect(operation?.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name, in: 'path' })]));
      // Every command says how to retry it safely (signing in, refreshing and out are no commands of a service's).
      if (route.method !== 'get' && !route.url.startsWith('/v1/auth/'))
        expect(operation?.parameters).toEqual(
          expect.arrayContaining([expect.objectContaining({ name: 'idempotency-key', in: 'header' })]),
        );
    }
    // Bodies for every command that takes one.
    const withBody = declared.filter((r) => r.schema.body !== undefined).map((r) => `${r.method} ${r.url}`);
    expect(withBody.sort()).toEqual(
      [
        'post /v1/auth/login',
        'post /v1/auth/logout',
        'post /v1/auth/refresh',
        'post /v1/jobs',
        'post /v1/jobs/:jobId/quote',
        'post /v1/jobs/:jobId/decline',
        'post /v1/jobs/:jobId/deliver',
        'post /v1/jobs/:jobId/inspection',
        'post /v1/jobs/:jobId/cancel',
        'put /v1/jobs/:jobId/plan',
        'post /v1/jobs/:jobId/plan/confirm',
        'post /v1/jobs/:jobId/sharing',
        'post /v1/members/:memberId/unavailability',
        'put /v1/members/:memberId/wished-hours',
        'post /v1/members/:memberId/skills',
        'post /v1/tasks/:taskId/hand-off',
        'put /v1/tasks/:taskId/assignment',
        'post /v1/tasks/:taskId/trainee',
        'post /v1/regions/:regionId/members',
        'post /v1/users/:userId/roles',
        'post /v1/users/:userId/roles/revoke',
        'post /v1/regions/:regionId/businesses',
        'post /v1/tasks/:taskId/time-entries',
        'post /v1/members/:memberId/time-entries/:entryId/correct',
        'post /v1/members/:memberId/time-entries/:entryId/delete',
        'put /v1/regions/:regionId/settlement-config',
        'put /v1/members/:memberId/invoice-registration',
      ].sort(),
    );
    // The descriptions say how times are read and shown.
    expect(JSON.stringify(document.paths['/v1/jobs']?.post)).toContain('RFC 3339 date-time with an offset');
    expect(JSON.stringify(document.components.schemas.Job)).toContain('Asia/Tokyo with its +09:00 offset');
    expect(JSON.stringify(document.components.schemas.ScheduledTask)).toContain('Asia/Tokyo with its +09:00 offset');
    expect(JSON.stringify(document.paths['/v1/members/{memberId}/schedule']?.get)).toContain('current Tokyo week');
  });

  it('GET /docs answers an HTML page that loads nothing from the internet', async () => {
    let response = await h.call('GET', '/docs');
    if (response.statusCode >= 300 && response.statusCode < 400)
      response = await h.call('GET', String(response.headers.location));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.body).toMatch(/swagger/i);
    expect(response.body).not.toMatch(/src="https?:|href="https?:/);
  });
});
