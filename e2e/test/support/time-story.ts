/**
 * Time entered → approved → job inspected (issue 11) through the public HTTP API, on the
 * platform's clock moved on as the story goes (a SimulatedClock the platform was handed): a
 * local business of Kasuge orders 40 minutes of data entry by the hour; the coordinator quotes,
 * the business accepts, the plan is one task, confirmed, and team scheduling gives it to a member
 * of Kasuge. When the hour of her window is past she enters the span she worked and marks the
 * task done; she sees it in her week (Tokyo time); refused spans store nothing; her week cannot be
 * approved before it is over. The Monday after, the coordinator approves it, delivers the job, the
 * business inspects and accepts it, and the accountant sees the minutes in the month's approved
 * time.
 */
import type { EventStore } from '@workshare/eventsourcing';
import { eventually, type Api } from './http.js';

export interface TimeStoryOptions {
  readonly password: string;
  readonly coordinatorEmail: string;
  readonly accountantEmail: string;
  /** A user of a business of the region (she orders the job). */
  readonly businessUserEmail: string;
  /** The region's members: the one the task goes to is among them. */
  readonly memberEmails: readonly string[];
  readonly store: EventStore;
  /** The platform's clock from now on: the story moves it on, never back. */
  readonly clock: { now(): Date; set(instant: Date): Date };
}

interface ScheduledTask {
  taskId: string;
  jobId: string;
  status: string;
  memberId: string | null;
  span: { start: string; end: string } | null;
}

interface TimeEntry {
  entryId: string;
  taskId: string;
  jobId: string;
  regionId: string;
  start: string;
  end: string;
  minutes: number;
  source: string;
}

interface Week {
  memberId: string;
  weekStart: string;
  weekEnd: string;
  approval: string;
  entries: TimeEntry[];
  days: { day: string; minutes: number }[];
  totalMinutes: number;
  timer: unknown;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** Asia/Tokyo has kept +09:00 since 1951. */
const TOKYO_MS = 9 * HOUR_MS;
const TOKYO_OFFSET = /\+09:00$/;
const PROBLEM = /^application\/problem\+json/;

const tokyoDay = (instant: Date): string => new Date(instant.getTime() + TOKYO_MS).toISOString().slice(0, 10);

/** The Tokyo week an instant is in: its Monday, and Monday 00:00 to the next Monday 00:00. */
const tokyoWeekOf = (instant: Date): { monday: string; from: Date; to: Date } => {
  const local = new Date(instant.getTime() + TOKYO_MS);
  const daysSinceMonday = (local.getUTCDay() + 6) % 7;
  const from = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - daysSinceMonday) - TOKYO_MS;
  return { monday: tokyoDay(new Date(from)), from: new Date(from), to: new Date(from + 7 * DAY_MS) };
};

export const runTimeStory = async (api: Api, options: TimeStoryOptions): Promise<void> => {
  const { clock, store, password } = options;
  const login = (email: string) => api.login(email, password);
  const iso = (instant: Date) => instant.toISOString();
  const plus = (instant: Date, ms: number) => new Date(instant.getTime() + ms);
  const unchanged = async <A extends { status: number; headers: Headers; body: { code?: string } }>(
    what: string,
    send: () => Promise<A>,
    expected: { status: number; code?: string },
  ): Promise<A> => {
    const before = await store.headPosition();
    const answer = await send();
    expect({ what, status: answer.status, code: answer.body.code }).toEqual({ what, code: undefined, ...expected });
    if (answer.status >= 400) expect(answer.headers.get('content-type')).toMatch(PROBLEM);
    expect({ what, head: await store.headPosition() }).toEqual({ what, head: before });
    return answer;
  };

  // 1. A local business of Kasuge orders 40 minutes of data entry by the hour; quoted, accepted.
  let business = await login(options.businessUserEmail);
  let coordinator = await login(options.coordinatorEmail);
  const me = await api.request<{ roles: { role: string; businessId?: string }[] }>('GET', '/v1/me', {
    token: business,
  });
  const businessId = me.body.roles.find((r) => r.role === 'business')?.businessId;
  const ordered = clock.now();
  const submitted = await api.request<{ jobId: string }>('POST', '/v1/jobs', {
    token: business,
    headers: { 'idempotency-key': `e2e-time-story-${ordered.getTime()}` },
    body: {
      businessId,
      title: '追加アンケートの入力 (extra survey entry)',
      description: '追加で届いたアンケート用紙 (手書き) を表計算シートに入力する。',
      workCategory: 'data_entry',
      pricing: { kind: 'hourly', hourlyRateYen: 1_200 },
      amountYen: 800,
      deadline: iso(plus(ordered, 25 * DAY_MS)),
      regionId: 'fujisato',
      localOnlyTownId: 'fujisato/kasuge',
      skills: ['data entry'],
    },
  });
  expect(submitted.status).toBe(201);
  const { jobId } = submitted.body;
  expect(
    (
      await api.request('POST', `/v1/jobs/${jobId}/quote`, {
        token: coordinator,
        body: { amountYen: 800, estimatedMinutes: 40, deliveryDate: iso(plus(ordered, 20 * DAY_MS)) },
      })
    ).status,
  ).toBe(204);
  expect((await api.request('POST', `/v1/jobs/${jobId}/accept`, { token: business })).status).toBe(200);

  // 2. Its plan: one task of 40 minutes, confirmed; team scheduling gives it to a member of Kasuge.
  const plan = await eventually('the proposed plan', async () => {
    const answer = await api.request<{
      version: number;
      tasks: { key: string; title: string; skills: string[]; deadline: string }[];
    }>('GET', `/v1/jobs/${jobId}/plan`, { token: coordinator });
    return answer.status === 200 ? answer.body : undefined;
  });
  const [first] = plan.tasks;
  const revised = await api.request<{ version: number }>('PUT', `/v1/jobs/${jobId}/plan`, {
    token: coordinator,
    body: {
      expectedVersion: plan.version,
      tasks: [
        {
          key: first!.key,
          title: 'アンケート 60 枚の入力 (60 survey sheets)',
          estimatedMinutes: 40,
          skills: first!.skills,
          dependsOn: [],
          deadline: plan.tasks[plan.tasks.length - 1]!.deadline,
        },
      ],
    },
  });
  expect(revised.status).toBe(200);
  const confirmed = await api.request('POST', `/v1/jobs/${jobId}/plan/confirm`, {
    token: coordinator,
    body: { expectedVersion: revised.body.version },
  });
  expect(confirmed.status).toBe(200);
  const task = await eventually('the task assigned', async () => {
    const answer = await api.request<{ tasks: ScheduledTask[] }>('GET', `/v1/jobs/${jobId}/schedule`, {
      token: coordinator,
    });
    const [only] = answer.status === 200 ? answer.body.tasks : [];
    return only !== undefined && only.status !== 'waiting' ? only : undefined;
  });
  expect(task.status).toBe('assigned');
  expect(task.span?.start).toMatch(TOKYO_OFFSET);
  const start = new Date(task.span!.start);
  const end = new Date(task.span!.end);
  const minutes = (end.getTime() - start.getTime()) / MINUTE_MS;
  expect(minutes).toBe(40);
  expect(start.getTime() % MINUTE_MS).toBe(0);
  expect(start.getTime()).toBeGreaterThan(ordered.getTime());

  // Who holds it: a member of Kasuge (never the coordinator, who lives in Fujikoto); another member beside her.
  const members = new Map<string, string>();
  for (const email of options.memberEmails) {
    const token = await login(email);
    members.set((await api.request<{ subject: string }>('GET', '/v1/me', { token })).body.subject, email);
    if (members.has(task.memberId!) && members.size > 1) break;
  }
  const holder = task.memberId!;
  const holderEmail = members.get(holder);
  expect(holderEmail).toBeDefined();
  expect(holderEmail).not.toBe(options.coordinatorEmail);
  const otherEmail = [...members.values()].find((email) => email !== holderEmail)!;
  let her = await login(holderEmail!);

  // She sees it in her schedule of its week, and among her tasks.
  const week = tokyoWeekOf(start);
  const schedule = await api.request<{ tasks: ScheduledTask[] }>(
    'GET',
    `/v1/members/${holder}/schedule?from=${encodeURIComponent(iso(week.from))}&to=${encodeURIComponent(iso(week.to))}`,
    { token: her },
  );
  expect(schedule.status).toBe(200);
  expect(schedule.body.tasks).toContainEqual(expect.objectContaining({ taskId: task.taskId, span: task.span }));
  const mine = await api.request<{ tasks: ScheduledTask[] }>('GET', '/v1/me/tasks', { token: her });
  expect(mine.body.tasks.map((t) => t.taskId)).toContain(task.taskId);

  // 3. Ten minutes after her window, she enters the span she worked (the tokens of before have expired by then).
  const worked = clock.set(plus(end, 10 * MINUTE_MS));
  expect(worked.getTime()).toBeLessThan(week.to.getTime());
  her = await login(holderEmail!);
  coordinator = await login(options.coordinatorEmail);
  const other = await login(otherEmail);
  const span = { start: task.span!.start, end: task.span!.end };
  const recorded = await eventually('her span recorded (time tracking knows she holds the task)', async () => {
    const answer = await api.request<{ entry: TimeEntry; code?: string }>(
      'POST',
      `/v1/tasks/${task.taskId}/time-entries`,
      { token: her, headers: { 'idempotency-key': `e2e-span-${task.taskId}` }, body: span },
    );
    return answer.status === 422 && answer.body.code === 'time.task_not_held' ? undefined : answer;
  });
  expect(recorded.status).toBe(201);
  const { entry } = recorded.body;
  expect(entry).toMatchObject({ taskId: task.taskId, jobId, regionId: 'fujisato', minutes, source: 'manual' });
  expect(entry.start).toMatch(TOKYO_OFFSET);
  expect([Date.parse(entry.start), Date.parse(entry.end)]).toEqual([start.getTime(), end.getTime()]);

  // Refused, with a stable code, storing nothing.
  const at = (from: Date, to: Date) => ({ start: iso(from), end: iso(to) });
  const spans: [string, string, { start: string; end: string }, number, string][] = [
    ['seconds', her, at(plus(start, 30_000), end), 400, 'time.invalid_span'],
    ['in the future', her, at(plus(end, 5 * MINUTE_MS), plus(end, 15 * MINUTE_MS)), 400, 'time.span_in_future'],
    ['overlapping', her, at(plus(start, 10 * MINUTE_MS), plus(start, 20 * MINUTE_MS)), 422, 'time.overlapping_span'],
    ['a task she does not hold', other, span, 422, 'time.task_not_held'],
  ];
  for (const [what, token, body, status, code] of spans)
    await unchanged(
      what,
      () => api.request<{ code?: string }>('POST', `/v1/tasks/${task.taskId}/time-entries`, { token, body }),
      { status, code },
    );

  // She marks the task done: when the cooperative received her work; once.
  const done = await api.request<{ taskId: string; at: string }>('POST', `/v1/tasks/${task.taskId}/done`, {
    token: her,
  });
  expect(done.status).toBe(200);
  expect(done.body.at).toMatch(TOKYO_OFFSET);
  expect(Date.parse(done.body.at)).toBe(worked.getTime());
  await unchanged('done again', () => api.request('POST', `/v1/tasks/${task.taskId}/done`, { token: her }), {
    status: 422,
    code: 'time.already_done',
  });

  // Her week, in Tokyo time: Monday to Sunday, the span on its day.
  const current = await api.request<Week>('GET', '/v1/me/week', { token: her });
  expect(current.status).toBe(200);
  expect(current.body).toMatchObject({
    memberId: holder,
    weekStart: week.monday,
    approval: 'open',
    totalMinutes: minutes,
    timer: null,
  });
  expect(current.body.entries.map((e) => e.entryId)).toEqual([entry.entryId]);
  expect(current.body.days.slice(0, 7).map((d) => d.day)).toEqual(
    Array.from({ length: 7 }, (_, i) => tokyoDay(plus(week.from, i * DAY_MS))),
  );
  expect(current.body.days.find((d) => d.day === tokyoDay(start))?.minutes).toBe(minutes);

  // The coordinator cannot approve a week that is not over.
  await unchanged(
    'approving the current week',
    () =>
      api.request<{ code?: string }>('POST', `/v1/members/${holder}/weeks/${week.monday}/approve`, {
        token: coordinator,
      }),
    { status: 422, code: 'time.week_not_over' },
  );

  // 4. The Monday after, 09:00 in Tokyo: the coordinator approves her week; once.
  clock.set(plus(week.to, 9 * HOUR_MS));
  coordinator = await login(options.coordinatorEmail);
  her = await login(holderEmail!);
  const approved = await api.request('POST', `/v1/members/${holder}/weeks/${week.monday}/approve`, {
    token: coordinator,
  });
  expect({ status: approved.status, body: approved.body }).toEqual({
    status: 200,
    body: { memberId: holder, weekStart: week.monday, approvedEntries: 1, alreadyApproved: false },
  });
  const twice = await unchanged(
    'approving it again',
    () =>
      api.request<{ code?: string; alreadyApproved?: boolean }>(
        'POST',
        `/v1/members/${holder}/weeks/${week.monday}/approve`,
        { token: coordinator },
      ),
    { status: 200 },
  );
  expect(twice.body.alreadyApproved).toBe(true);
  const approvedWeek = await api.request<Week>('GET', `/v1/me/week?weekStart=${week.monday}`, { token: her });
  expect(approvedWeek.body).toMatchObject({ weekStart: week.monday, approval: 'approved', totalMinutes: minutes });
  await unchanged(
    'a span in the approved week',
    () =>
      api.request<{ code?: string }>('POST', `/v1/tasks/${task.taskId}/time-entries`, {
        token: her,
        body: at(end, plus(end, 5 * MINUTE_MS)),
      }),
    { status: 422, code: 'time.week_approved' },
  );

  // 5. The coordinator delivers the job; the business inspects and accepts it.
  expect(
    (await api.request('POST', `/v1/jobs/${jobId}/deliver`, { token: coordinator, body: { note: '入力しました。' } }))
      .status,
  ).toBe(204);
  business = await login(options.businessUserEmail);
  expect(
    (await api.request('POST', `/v1/jobs/${jobId}/inspection`, { token: business, body: { accepted: true } })).status,
  ).toBe(204);
  const inspected = await api.request<{ status: string }>('GET', `/v1/jobs/${jobId}`, { token: business });
  expect(inspected.body.status).toBe('inspected');

  // 6. The accountant sees the approved minutes in the month's approved time, what settlement bills.
  const accountant = await login(options.accountantEmail);
  const month = tokyoDay(start).slice(0, 7);
  const approvedTime = await api.request<{
    lines: { memberId: string; weekStart: string; entry: TimeEntry; minutesInMonth: number }[];
    members: { memberId: string; minutes: number }[];
  }>('GET', `/v1/regions/fujisato/approved-time/${month}`, { token: accountant });
  expect(approvedTime.status).toBe(200);
  expect(approvedTime.body.lines).toContainEqual(
    expect.objectContaining({
      memberId: holder,
      weekStart: week.monday,
      minutesInMonth: minutes,
      entry: expect.objectContaining({ entryId: entry.entryId, jobId }),
    }),
  );
  expect(approvedTime.body.members.find((m) => m.memberId === holder)?.minutes).toBeGreaterThanOrEqual(minutes);
};
