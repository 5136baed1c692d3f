/**
 * The story of issue 5 through the public HTTP API only: a business submits a job, a
 * coordinator of its region quotes it, the business accepts it, the plan of tasks is proposed
 * from the template (JobAccepted over the bus), the coordinator edits and confirms it, and the
 * job is in progress (TasksPlanned over the bus). Run against every way the platform starts.
 */
import type { EventStore } from '@workshare/eventsourcing';
import { eventually, type Api } from './http.js';

export interface DemoCredentials {
  readonly password: string;
  readonly coordinatorEmail: string;
  readonly businessUserEmail: string;
}

interface Job {
  jobId: string;
  status: string;
  businessId: string;
  regionId: string;
  localOnlyTownId?: string | null;
  title: string;
  terms?: { feeYen: number; deliveryDate: string; inspectionDate: string; paymentDate: string };
}

interface PlanTask {
  key: string;
  title: string;
  estimatedMinutes: number;
  skills: string[];
  dependsOn: string[];
  deadline: string;
  taskId?: string;
}

interface Plan {
  status: string;
  version: number;
  tasks: PlanTask[];
  maxTaskMinutes: number;
  jobEstimatedMinutes: number;
}

const DAY_MS = 86_400_000;
const TOKYO_OFFSET = /\+09:00$/;

export const runIntakeStory = async (api: Api, demo: DemoCredentials): Promise<{ jobId: string }> => {
  const regions = await api.request<{ regions: { regionId?: string; id?: string }[] }>('GET', '/v1/regions');
  expect(regions.status).toBe(200);

  const business = await api.login(demo.businessUserEmail, demo.password);
  const coordinator = await api.login(demo.coordinatorEmail, demo.password);
  const me = await api.request<{ roles: { role: string; businessId?: string }[] }>('GET', '/v1/me', {
    token: business,
  });
  expect(me.status).toBe(200);
  const businessId = me.body.roles.find((r) => r.role === 'business')?.businessId;
  expect(businessId).toBeDefined();

  // 1. The business submits a job.
  const deadline = new Date(Date.now() + 20 * DAY_MS);
  const submitted = await api.request<{ jobId: string }>('POST', '/v1/jobs', {
    token: business,
    headers: { 'idempotency-key': `e2e-submit-${Date.now()}` },
    body: {
      businessId,
      title: '顧客名簿のデータ入力 (customer list data entry)',
      description: '紙の顧客カード 800 枚を表計算シートに入力する。',
      workCategory: 'data_entry',
      pricing: { kind: 'fixed_price' },
      amountYen: 48_000,
      deadline: deadline.toISOString(),
      regionId: 'fujisato',
      skills: ['data entry'],
    },
  });
  expect(submitted.status).toBe(201);
  const jobId = submitted.body.jobId;
  expect(submitted.headers.get('location')).toBe(`/v1/jobs/${jobId}`);

  // 2. A coordinator of the job's region quotes it.
  const quoted = await api.request('POST', `/v1/jobs/${jobId}/quote`, {
    token: coordinator,
    body: {
      amountYen: 48_000,
      estimatedMinutes: 600,
      deliveryDate: new Date(Date.now() + 15 * DAY_MS).toISOString(),
      note: '5 回に分けて入力し、最後に照合します。',
    },
  });
  expect(quoted.status).toBe(204);

  // The business cannot quote; the coordinator cannot accept.
  expect((await api.request('POST', `/v1/jobs/${jobId}/accept`, { token: coordinator })).status).toBe(403);

  // 3. The business accepts: the order terms are fixed.
  const accepted = await api.request<{ terms: NonNullable<Job['terms']> }>('POST', `/v1/jobs/${jobId}/accept`, {
    token: business,
  });
  expect(accepted.status).toBe(200);
  expect(accepted.body.terms.feeYen).toBe(48_000);
  expect(accepted.body.terms.deliveryDate).toMatch(TOKYO_OFFSET);
  const delivery = Date.parse(accepted.body.terms.deliveryDate);
  expect(Date.parse(accepted.body.terms.paymentDate) - delivery).toBeLessThanOrEqual(60 * DAY_MS);

  // 4. JobAccepted reaches task decomposition over the bus: a plan is proposed.
  const plan = await eventually('the proposed plan', async () => {
    const answer = await api.request<Plan>('GET', `/v1/jobs/${jobId}/plan`, { token: coordinator });
    return answer.status === 200 ? answer.body : undefined;
  });
  expect(plan.status).toBe('proposed');
  expect(plan.tasks.reduce((sum, t) => sum + t.estimatedMinutes, 0)).toBe(600);
  expect(plan.tasks.every((t) => t.estimatedMinutes <= plan.maxTaskMinutes && t.skills.length > 0)).toBe(true);
  expect(plan.tasks.every((t) => Date.parse(t.deadline) <= deadline.getTime())).toBe(true);

  // 5. The coordinator edits it: an invalid edit is refused whole, then a valid one is kept.
  const tooLong = plan.tasks.map((t, i) => (i === 0 ? { ...t, estimatedMinutes: plan.maxTaskMinutes + 1 } : t));
  const refused = await api.request<{ code: string }>('PUT', `/v1/jobs/${jobId}/plan`, {
    token: coordinator,
    body: { expectedVersion: plan.version, tasks: tooLong.map(draftOf) },
  });
  expect(refused.status).toBe(400);
  expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const retitled = plan.tasks.map((t, i) => (i === 0 ? { ...t, title: `${t.title} (先に見本 20 枚)` } : t));
  const revised = await api.request<Plan>('PUT', `/v1/jobs/${jobId}/plan`, {
    token: coordinator,
    body: { expectedVersion: plan.version, tasks: retitled.map(draftOf) },
  });
  expect(revised.status).toBe(200);
  expect(revised.body.version).toBeGreaterThan(plan.version);

  // 6. The coordinator confirms it: TasksPlanned, and the job starts.
  const confirmed = await api.request<Plan>('POST', `/v1/jobs/${jobId}/plan/confirm`, {
    token: coordinator,
    body: { expectedVersion: revised.body.version },
  });
  expect(confirmed.status).toBe(200);
  expect(confirmed.body.status).toBe('confirmed');
  expect(confirmed.body.tasks.every((t) => typeof t.taskId === 'string' && t.taskId.length > 0)).toBe(true);
  const started = await eventually('the job in progress', async () => {
    const answer = await api.request<Job>('GET', `/v1/jobs/${jobId}`, { token: business });
    return answer.body.status === 'in_progress' ? answer.body : undefined;
  });
  expect(started.terms?.feeYen).toBe(48_000);

  // A business sees its own jobs only; the coordinator sees her region's, the demo's included.
  const own = await api.request<{ jobs: Job[] }>('GET', '/v1/jobs', { token: business });
  expect(own.status).toBe(200);
  expect(own.body.jobs.map((j) => j.jobId)).toContain(jobId);
  expect(own.body.jobs.every((j) => j.businessId === businessId)).toBe(true);
  const region = await api.request<{ jobs: Job[] }>('GET', '/v1/jobs?regionId=fujisato', { token: coordinator });
  expect(region.body.jobs.length).toBeGreaterThanOrEqual(4);
  expect(region.body.jobs.filter((j) => j.localOnlyTownId === 'fujisato/fujikoto')).toHaveLength(1);
  return { jobId };
};

const draftOf = (t: PlanTask) => ({
  key: t.key,
  title: t.title,
  estimatedMinutes: t.estimatedMinutes,
  skills: t.skills,
  dependsOn: t.dependsOn,
  deadline: t.deadline,
});

/** Bad requests through the gateway: each answers 4xx problem+json, and the store is unchanged. */
export const runBadInputMatrix = async (
  api: Api,
  demo: DemoCredentials,
  store: EventStore,
  jobId: string,
): Promise<void> => {
  const business = await api.login(demo.businessUserEmail, demo.password);
  const coordinator = await api.login(demo.coordinatorEmail, demo.password);
  const good = {
    title: 'x',
    description: 'y',
    workCategory: 'data_entry',
    pricing: { kind: 'fixed_price' },
    amountYen: 1000,
    deadline: new Date(Date.now() + 10 * DAY_MS).toISOString(),
    regionId: 'fujisato',
    skills: ['data entry'],
  };
  const me = await api.request<{ roles: { role: string; businessId?: string }[] }>('GET', '/v1/me', {
    token: business,
  });
  const businessId = me.body.roles.find((r) => r.role === 'business')?.businessId;
  const job = { ...good, businessId };
  const { businessId: _omitted, ...withoutBusiness } = job;
  const cases: [string, () => Promise<{ status: number; headers: Headers }>, number][] = [
    ['missing field', () => api.request('POST', '/v1/jobs', { token: business, body: withoutBusiness }), 400],
    [
      'wrong type',
      () => api.request('POST', '/v1/jobs', { token: business, body: { ...job, amountYen: '1000' } }),
      400,
    ],
    ['negative yen', () => api.request('POST', '/v1/jobs', { token: business, body: { ...job, amountYen: -1 } }), 400],
    [
      'fractional yen',
      () => api.request('POST', '/v1/jobs', { token: business, body: { ...job, amountYen: 1000.5 } }),
      400,
    ],
    [
      'unknown business',
      () =>
        api.request('POST', '/v1/jobs', {
          token: business,
          body: { ...job, businessId: '00000000-0000-7000-8000-000000000000' },
        }),
      403,
    ],
    [
      'unknown region',
      () => api.request('POST', '/v1/jobs', { token: business, body: { ...job, regionId: 'atlantis' } }),
      400,
    ],
    [
      'town of another region',
      () =>
        api.request('POST', '/v1/jobs', { token: business, body: { ...job, localOnlyTownId: 'setagaya/sangenjaya' } }),
      400,
    ],
    [
      'deadline in the past',
      () =>
        api.request('POST', '/v1/jobs', {
          token: business,
          body: { ...job, deadline: new Date(Date.now() - DAY_MS).toISOString() },
        }),
      400,
    ],
    ['malformed JSON', () => api.request('POST', '/v1/jobs', { token: business, rawBody: '{"title": ' }), 400],
    [
      'oversized body',
      () => api.request('POST', '/v1/jobs', { token: business, body: { ...job, description: 'あ'.repeat(200_000) } }),
      413,
    ],
    ['no token', () => api.request('POST', '/v1/jobs', { body: job }), 401],
    ['forged token', () => api.request('POST', '/v1/jobs', { token: `${business.slice(0, -4)}AAAA`, body: job }), 401],
    [
      'unknown job',
      () =>
        api.request('POST', '/v1/jobs/00000000-0000-7000-8000-000000000000/quote', {
          token: coordinator,
          body: { amountYen: 1, estimatedMinutes: 1, deliveryDate: good.deadline },
        }),
      404,
    ],
    [
      'wrong role',
      () =>
        api.request('POST', `/v1/jobs/${jobId}/quote`, {
          token: business,
          body: { amountYen: 1, estimatedMinutes: 1, deliveryDate: good.deadline },
        }),
      403,
    ],
    ['wrong state', () => api.request('POST', `/v1/jobs/${jobId}/accept`, { token: business }), 422],
    [
      'stale plan version',
      () => api.request('POST', `/v1/jobs/${jobId}/plan/confirm`, { token: coordinator, body: { expectedVersion: 0 } }),
      409,
    ],
  ];
  for (const [what, send, expected] of cases) {
    const before = await store.headPosition();
    const answer = await send();
    expect({ what, status: answer.status }).toEqual({ what, status: expected });
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect({ what, head: await store.headPosition() }).toEqual({ what, head: before });
  }
};

interface ScheduledTask {
  taskId: string;
  jobId: string;
  status: string;
  memberId: string | null;
  span: { start: string; end: string } | null;
  reasons: { code: string; message: string }[];
}

interface HistoryEntry {
  kind: string;
  memberId: string | null;
  fromMemberId: string | null;
  actor: string;
  reason: string | null;
  at: string;
}

/**
 * The story of issue 6 through the HTTP API: the demo's planned job is scheduled over the
 * team's windows; a member whose child falls ill hands her task off; a teammate holds it at
 * once; the history shows both, and who held the task at an instant is answered.
 * `beforeHandOff` runs once the schedule is read, before the hand-off (the process mode kills a
 * team scheduling replica there).
 */
export const runHandOffStory = async (
  api: Api,
  demo: DemoCredentials,
  jobId: string,
  memberEmails: readonly string[],
  options: { readonly beforeHandOff?: () => Promise<void> } = {},
): Promise<void> => {
  const coordinator = await api.login(demo.coordinatorEmail, demo.password);
  const tokens = new Map<string, string>();
  for (const email of memberEmails) {
    const token = await api.login(email, demo.password);
    const me = await api.request<{ subject: string }>('GET', '/v1/me', { token });
    tokens.set(me.body.subject, token);
  }

  // The planned job's tasks are assigned to members' windows (TasksPlanned over the bus).
  const schedule = await eventually('the demo job scheduled', async () => {
    const answer = await api.request<{ tasks: ScheduledTask[] }>('GET', `/v1/jobs/${jobId}/schedule`, {
      token: coordinator,
    });
    return answer.status === 200 && answer.body.tasks.some((t) => t.status === 'assigned')
      ? answer.body.tasks
      : undefined;
  });
  for (const task of schedule.filter((t) => t.status === 'assigned')) {
    expect(task.span?.start).toMatch(TOKYO_OFFSET);
    expect(tokens.has(task.memberId ?? '')).toBe(true);
  }
  for (const task of schedule.filter((t) => t.status === 'unassignable'))
    expect(task.reasons.length).toBeGreaterThan(0);

  await options.beforeHandOff?.();

  // A member hands off (a sick child): a teammate holds the task at once.
  const task = schedule.find((t) => t.status === 'assigned')!;
  const holder = task.memberId!;
  const beforeHandOff = new Date().toISOString();
  const handedOff = await api.request<{ task: ScheduledTask }>('POST', `/v1/tasks/${task.taskId}/hand-off`, {
    token: tokens.get(holder)!,
    body: { reason: '子どもが熱を出したため (sick child)', progressNote: '最初の 12 件まで入力済み' },
  });
  expect(handedOff.status).toBe(200);
  expect(handedOff.body.task.status).toBe('assigned');
  const teammate = handedOff.body.task.memberId!;
  expect(teammate).not.toBe(holder);

  // Only she could hand off her task; now it is no longer hers.
  const again = await api.request<{ code: string }>('POST', `/v1/tasks/${task.taskId}/hand-off`, {
    token: tokens.get(holder)!,
    body: { reason: 'again' },
  });
  expect(again.status).toBeGreaterThanOrEqual(400);

  // The history shows the assignment, the release and the hand-off, with actor and reason.
  const history = await api.request<{ entries: HistoryEntry[] }>('GET', `/v1/tasks/${task.taskId}/history`, {
    token: coordinator,
  });
  expect(history.status).toBe(200);
  const kinds = history.body.entries.map((e) => e.kind);
  expect(kinds.slice(0, 1)).toEqual(['assigned']);
  expect(kinds.slice(-2)).toEqual(['released', 'handed_off']);
  const last = history.body.entries[history.body.entries.length - 1]!;
  expect(last).toMatchObject({ kind: 'handed_off', fromMemberId: holder, memberId: teammate });
  expect(last.reason).toContain('sick child');

  // Who held it when: her before, the teammate now.
  const then = await api.request<{ memberId: string | null }>(
    'GET',
    `/v1/tasks/${task.taskId}/holder?at=${encodeURIComponent(beforeHandOff)}`,
    { token: coordinator },
  );
  expect(then.body.memberId).toBe(holder);
  const now = await api.request<{ memberId: string | null }>('GET', `/v1/tasks/${task.taskId}/holder`, {
    token: coordinator,
  });
  expect(now.body.memberId).toBe(teammate);

  // The teammate sees it among her tasks; the one who handed it off does not.
  const mine = await api.request<{ tasks: ScheduledTask[] }>('GET', '/v1/me/tasks', { token: tokens.get(teammate)! });
  expect(mine.body.tasks.map((t) => t.taskId)).toContain(task.taskId);
  const hers = await api.request<{ tasks: ScheduledTask[] }>('GET', '/v1/me/tasks', { token: tokens.get(holder)! });
  expect(hers.body.tasks.map((t) => t.taskId)).not.toContain(task.taskId);
};
