/**
 * The team-scheduling routes through fastify.inject, against a real identity (real logins and
 * tokens) and the recording team-scheduling double: scheduling a job, reading schedules, a
 * hand-off and its history, an override, unavailability, wished hours, skills, training pairs
 * and sharing with a partner region; each route's role refusals, and what reaches the service
 * (request ids from Idempotency-Key, times as instants, the default Tokyo week).
 */
import { randomUUID } from 'node:crypto';
import { tokyoWeekOf } from '../../src/index.js';
import { expectProblem, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let jobId: string;
let sortId: string;
let enterId: string;
let designId: string;

const TOKYO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+09:00$/;
const DAY_MS = 86_400_000;
const later = (days: number) => new Date(Date.now() + days * DAY_MS);

interface TaskView {
  taskId: string;
  jobId: string;
  title: string;
  status: string;
  memberId: string | null;
  span: { start: string; end: string } | null;
  reasons: { code: string; message: string }[];
  traineeMemberId: string | null;
  teamRegionId: string | null;
  deadline: string;
}

beforeAll(async () => {
  h = await startHarness();
  const ts = h.doubles.teamScheduling;
  ts.enrol({
    memberId: h.coop.member.id,
    regionId: 'fujisato',
    townId: 'fujisato/fujikoto',
    skills: ['data entry'],
    wishedMinutesPerWeek: 600,
  });
  // The coordinator is a member of her region too, with a skill the member lacks.
  ts.enrol({
    memberId: h.coop.coordinator.id,
    regionId: 'fujisato',
    townId: 'fujisato/kasuge',
    skills: ['data entry', 'coordination'],
    wishedMinutesPerWeek: 60,
  });
  ts.enrol({
    memberId: h.coop.setagayaCoordinator.id,
    regionId: 'setagaya',
    townId: 'setagaya/sangenjaya',
    skills: ['data entry', 'illustration'],
    wishedMinutesPerWeek: 600,
  });
  jobId = randomUUID();
  [sortId, enterId, designId] = ts.plan({
    jobId,
    businessId: h.coop.businesses.fujisato,
    regionId: 'fujisato',
    tasks: [
      { title: 'Sort the forms', estimatedMinutes: 60, skills: ['data entry'], deadline: later(20) },
      { title: 'Enter the forms', estimatedMinutes: 90, skills: ['data entry'], dependsOn: [0], deadline: later(20) },
      { title: 'Draw the cover', estimatedMinutes: 60, skills: ['illustration'], deadline: later(20) },
    ],
  }) as [string, string, string];
});
afterAll(async () => h?.close());

const calls = () => h.doubles.teamScheduling.calls;
const lastCall = () => calls().at(-1);
const task = (tasks: TaskView[], taskId: string): TaskView => {
  const found = tasks.find((t) => t.taskId === taskId);
  if (found === undefined) throw new Error(`no task ${taskId} in the answer`);
  return found;
};

describe('a job’s schedule', () => {
  it('POST /v1/jobs/{jobId}/schedule (coordinator of the region): 200 the tasks, camelCase, lowercase statuses, spans in Tokyo, reasons', async () => {
    expectProblem(
      await h.call('POST', `/v1/jobs/${jobId}/schedule`, { as: h.coop.business }),
      403,
      'auth.forbidden_role',
    );
    expectProblem(
      await h.call('POST', `/v1/jobs/${jobId}/schedule`, { as: h.coop.member }),
      403,
      'auth.forbidden_role',
    );
    expect(calls()).toHaveLength(0);
    expectProblem(
      await h.call('POST', `/v1/jobs/${jobId}/schedule`, { as: h.coop.setagayaCoordinator }),
      403,
      'schedule.forbidden',
    );

    const response = await h.call('POST', `/v1/jobs/${jobId}/schedule`, {
      as: h.coop.coordinator,
      headers: { 'idempotency-key': 'schedule-1' },
    });
    expect(response.statusCode).toBe(200);
    expect(lastCall()).toMatchObject({
      method: 'scheduleJob',
      subject: h.coop.coordinator.id,
      request: { requestId: 'schedule-1', jobId },
    });
    const { tasks } = response.json() as { tasks: TaskView[] };
    expect(tasks).toHaveLength(3);
    const sort = task(tasks, sortId);
    expect(sort).toEqual({
      taskId: sortId,
      jobId,
      title: 'Sort the forms',
      estimatedMinutes: 60,
      skills: ['data entry'],
      dependsOn: [],
      deadline: expect.stringMatching(TOKYO_TIME),
      status: 'assigned',
      memberId: expect.any(String),
      span: { start: expect.stringMatching(TOKYO_TIME), end: expect.stringMatching(TOKYO_TIME) },
      reasons: [],
      traineeMemberId: null,
      teamRegionId: 'fujisato',
    });
    expect(new Date(sort.span?.end ?? '').getTime() - new Date(sort.span?.start ?? '').getTime()).toBe(60 * 60_000);
    expect(task(tasks, enterId)).toMatchObject({ status: 'assigned', dependsOn: [sortId] });
    // The enter task starts after the sort task ends.
    expect(new Date(task(tasks, enterId).span?.start ?? '').getTime()).toBeGreaterThanOrEqual(
      new Date(sort.span?.end ?? '').getTime(),
    );
    expect(task(tasks, designId)).toEqual(
      expect.objectContaining({
        status: 'unassignable',
        memberId: null,
        span: null,
        teamRegionId: null,
        reasons: [{ code: 'schedule.no_skill_in_region', message: expect.any(String) }],
      }),
    );

    // Retried with the same key: the first outcome, nothing scheduled twice.
    const history = h.doubles.teamScheduling.tasks.get(sortId)?.history.length;
    const again = await h.call('POST', `/v1/jobs/${jobId}/schedule`, {
      as: h.coop.coordinator,
      headers: { 'idempotency-key': 'schedule-1' },
    });
    expect(again.json()).toEqual(response.json());
    expect(h.doubles.teamScheduling.tasks.get(sortId)?.history.length).toBe(history);
  });

  it('GET /v1/jobs/{jobId}/schedule: the tasks and each member’s load, for the job’s readers', async () => {
    for (const who of [h.coop.business, h.coop.coordinator, h.coop.accountant, h.coop.operator]) {
      const response = await h.call('GET', `/v1/jobs/${jobId}/schedule`, { as: who });
      expect(response.statusCode).toBe(200);
      const body = response.json() as {
        tasks: TaskView[];
        loads: { memberId: string; assignedMinutes: number; wishedMinutesPerWeek: number | null }[];
      };
      expect(body.tasks.map((t) => t.taskId).sort()).toEqual([sortId, enterId, designId].sort());
      expect(body.loads.reduce((sum, l) => sum + l.assignedMinutes, 0)).toBe(150);
      expect(body.loads.length).toBeGreaterThan(0);
      for (const load of body.loads)
        expect(load.wishedMinutesPerWeek).toBe(
          // A business never reads the members' weekly hours.
          who === h.coop.business ? null : h.doubles.teamScheduling.members.get(load.memberId)?.wishedMinutesPerWeek,
        );
    }
    const before = calls().length;
    expectProblem(await h.call('GET', `/v1/jobs/${jobId}/schedule`, { as: h.coop.member }), 403, 'auth.forbidden_role');
    expect(calls()).toHaveLength(before);
    expectProblem(
      await h.call('GET', `/v1/jobs/${jobId}/schedule`, { as: h.coop.otherBusiness }),
      403,
      'schedule.forbidden',
    );
  });
});

describe('a member’s schedule', () => {
  let holder: string;

  beforeAll(() => {
    holder = h.doubles.teamScheduling.tasks.get(sortId)?.task.memberId ?? '';
  });
  const actorOf = (memberId: string) =>
    [h.coop.member, h.coop.coordinator].find((a) => a.id === memberId) ?? h.coop.member;

  it('GET /v1/members/{memberId}/schedule?from&to: her tasks in the period; the times reach the service as instants, whatever the offset', async () => {
    const from = '2020-01-06T00:00:00+09:00';
    const to = new Date(Date.now() + 60 * DAY_MS).toISOString();
    const response = await h.call('GET', `/v1/members/${holder}/schedule?from=${encodeURIComponent(from)}&to=${to}`, {
      as: actorOf(holder),
    });
    expect(response.statusCode).toBe(200);
    const { tasks } = response.json() as { tasks: TaskView[] };
    expect(tasks.map((t) => t.taskId)).toContain(sortId);
    expect(tasks.every((t) => t.memberId === holder)).toBe(true);
    expect(lastCall()?.request).toEqual({ memberId: holder, from: new Date('2020-01-05T15:00:00Z'), to: new Date(to) });

    // A `+` left unencoded arrives as a space: it is read back as the offset.
    const bare = await h.call('GET', `/v1/members/${holder}/schedule?from=${from}&to=${to}`, { as: actorOf(holder) });
    expect(bare.statusCode).toBe(200);
    expect(lastCall()?.request).toMatchObject({ from: new Date('2020-01-05T15:00:00Z') });

    // A period that holds none of her tasks.
    const empty = await h.call(
      'GET',
      `/v1/members/${holder}/schedule?from=2020-01-06T00:00:00Z&to=2020-01-13T00:00:00Z`,
      { as: actorOf(holder) },
    );
    expect(empty.json()).toEqual({ tasks: [] });
  });

  it('without from and to: the current Tokyo week, Monday 00:00 +09:00 to the next Monday', async () => {
    const response = await h.call('GET', `/v1/members/${h.coop.member.id}/schedule`, { as: h.coop.member });
    expect(response.statusCode).toBe(200);
    const sent = lastCall()?.request as { from: Date; to: Date };
    const week = tokyoWeekOf(new Date());
    expect(sent).toEqual({ memberId: h.coop.member.id, from: week.from, to: week.to });
    expect(sent.from.getUTCHours()).toBe(15);
    expect(new Date(sent.from.getTime() + 9 * 3_600_000).getUTCDay()).toBe(1);
  });

  it('a coordinator reads her region’s members; another region’s coordinator is refused by the service; a member only her own', async () => {
    expect(
      (await h.call('GET', `/v1/members/${h.coop.member.id}/schedule`, { as: h.coop.coordinator })).statusCode,
    ).toBe(200);
    expectProblem(
      await h.call('GET', `/v1/members/${h.coop.member.id}/schedule`, { as: h.coop.setagayaCoordinator }),
      403,
      'member.forbidden',
    );
    const before = calls().length;
    expectProblem(
      await h.call('GET', `/v1/members/${h.coop.coordinator.id}/schedule`, { as: h.coop.member }),
      403,
      'auth.forbidden_member',
    );
    expectProblem(
      await h.call('GET', `/v1/members/${h.coop.member.id}/schedule`, { as: h.coop.business }),
      403,
      'auth.forbidden_role',
    );
    expect(calls()).toHaveLength(before);
  });

  it('GET /v1/me/tasks: the caller’s own assignments, soonest first; members only', async () => {
    const response = await h.call('GET', '/v1/me/tasks', { as: actorOf(holder) });
    expect(response.statusCode).toBe(200);
    const { tasks } = response.json() as { tasks: TaskView[] };
    expect(tasks.length).toBeGreaterThan(0);
    expect(tasks.every((t) => t.memberId === holder && t.status === 'assigned')).toBe(true);
    const starts = tasks.map((t) => new Date(t.span?.start ?? '').getTime());
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(lastCall()).toMatchObject({ method: 'listMyTasks', subject: holder });
    expectProblem(await h.call('GET', '/v1/me/tasks', { as: h.coop.business }), 403, 'auth.forbidden_role');
    expectProblem(await h.call('GET', '/v1/me/tasks', { as: h.coop.accountant }), 403, 'auth.forbidden_role');
  });
});

describe('a hand-off, its history and who held the task when', () => {
  let handedOffAt: Date;

  beforeAll(async () => {
    // The member holds the sort task for what follows.
    const sort = h.doubles.teamScheduling.tasks.get(sortId);
    if (sort?.task.memberId !== h.coop.member.id) {
      const response = await h.call('PUT', `/v1/tasks/${sortId}/assignment`, {
        as: h.coop.coordinator,
        body: { memberId: h.coop.member.id, reason: 'continuity' },
      });
      expect(response.statusCode).toBe(200);
    }
  });

  it('POST /v1/tasks/{taskId}/hand-off (the holder): 200 the task, now a teammate’s; the note reaches the service', async () => {
    expectProblem(
      await h.call('POST', `/v1/tasks/${sortId}/hand-off`, { as: h.coop.business, body: { reason: 'sick child' } }),
      403,
      'auth.forbidden_role',
    );
    // A member of the team who does not hold it: a rule of the service.
    expectProblem(
      await h.call('POST', `/v1/tasks/${sortId}/hand-off`, { as: h.coop.coordinator, body: { reason: 'sick child' } }),
      422,
      'task.not_held',
    );
    // A member of another region's team.
    expectProblem(
      await h.call('POST', `/v1/tasks/${sortId}/hand-off`, {
        as: h.coop.setagayaCoordinator,
        body: { reason: 'sick child' },
      }),
      403,
      'task.forbidden',
    );

    handedOffAt = new Date();
    const body = { reason: 'sick child', progressNote: 'forms 1-40 sorted' };
    const response = await h.call('POST', `/v1/tasks/${sortId}/hand-off`, {
      as: h.coop.member,
      body,
      headers: { 'idempotency-key': 'hand-off-1' },
    });
    expect(response.statusCode).toBe(200);
    expect(lastCall()?.request).toEqual({
      requestId: 'hand-off-1',
      taskId: sortId,
      reason: 'sick child',
      progressNote: 'forms 1-40 sorted',
    });
    const { task: handedOff } = response.json() as { task: TaskView };
    expect(handedOff).toMatchObject({
      taskId: sortId,
      status: 'assigned',
      memberId: h.coop.coordinator.id,
      span: { start: expect.stringMatching(TOKYO_TIME) },
    });

    // Retried: the first outcome, one hand-off only.
    const again = await h.call('POST', `/v1/tasks/${sortId}/hand-off`, {
      as: h.coop.member,
      body,
      headers: { 'idempotency-key': 'hand-off-1' },
    });
    expect(again.json()).toEqual(response.json());
    expect(h.doubles.teamScheduling.tasks.get(sortId)?.history.filter((e) => e.kind === 'handed_off')).toHaveLength(1);

    // Without a progress note, an empty one is sent (she no longer holds the task: the service's rule).
    expectProblem(
      await h.call('POST', `/v1/tasks/${sortId}/hand-off`, { as: h.coop.member, body: { reason: 'again' } }),
      422,
      'task.not_held',
    );
    expect(lastCall()?.request).toMatchObject({ reason: 'again', progressNote: '' });
  });

  it('GET /v1/tasks/{taskId}/history: every fact, oldest first, in the API’s words', async () => {
    const response = await h.call('GET', `/v1/tasks/${sortId}/history`, { as: h.coop.member });
    expect(response.statusCode).toBe(200);
    const { entries } = response.json() as { entries: Record<string, unknown>[] };
    expect(entries[0]).toEqual({
      kind: 'assigned',
      memberId: expect.any(String),
      fromMemberId: null,
      actor: h.coop.coordinator.id,
      reason: null,
      progressNote: null,
      at: expect.stringMatching(TOKYO_TIME),
      span: { start: expect.stringMatching(TOKYO_TIME), end: expect.stringMatching(TOKYO_TIME) },
      reasons: [],
    });
    expect(entries.at(-1)).toMatchObject({
      kind: 'handed_off',
      memberId: h.coop.coordinator.id,
      fromMemberId: h.coop.member.id,
      actor: h.coop.member.id,
      reason: 'sick child',
      progressNote: 'forms 1-40 sorted',
    });
    for (const who of [h.coop.coordinator, h.coop.accountant, h.coop.operator, h.coop.business])
      expect((await h.call('GET', `/v1/tasks/${sortId}/history`, { as: who })).statusCode).toBe(200);
    expectProblem(
      await h.call('GET', `/v1/tasks/${sortId}/history`, { as: h.coop.setagayaCoordinator }),
      403,
      'task.forbidden',
    );
    expectProblem(
      await h.call('GET', `/v1/tasks/${sortId}/history`, { as: h.coop.otherBusiness }),
      403,
      'task.forbidden',
    );

    // An unassignable task's history gives each reason with its stable code.
    const design = (await h.call('GET', `/v1/tasks/${designId}/history`, { as: h.coop.coordinator })).json() as {
      entries: Record<string, unknown>[];
    };
    expect(design.entries.at(-1)).toMatchObject({
      kind: 'unassignable',
      reason: 'schedule.no_skill_in_region',
      reasons: [{ code: 'schedule.no_skill_in_region', message: expect.stringMatching(/\S/) }],
    });
  });

  it('GET /v1/tasks/{taskId}/holder?at=: who held it then; now when at is left out; null before anyone did', async () => {
    const before = new Date(handedOffAt.getTime() - 1);
    const then = await h.call('GET', `/v1/tasks/${sortId}/holder?at=${encodeURIComponent(before.toISOString())}`, {
      as: h.coop.accountant,
    });
    expect(then.json()).toEqual({ memberId: h.coop.member.id });
    expect(lastCall()?.request).toEqual({ taskId: sortId, at: before });

    const now = await h.call('GET', `/v1/tasks/${sortId}/holder`, { as: h.coop.member });
    expect(now.json()).toEqual({ memberId: h.coop.coordinator.id });
    const sentAt = (lastCall()?.request as { at: Date }).at;
    expect(Math.abs(sentAt.getTime() - Date.now())).toBeLessThan(5_000);

    const never = await h.call('GET', `/v1/tasks/${sortId}/holder?at=2020-01-01T09:00:00%2B09:00`, {
      as: h.coop.business,
    });
    expect(never.json()).toEqual({ memberId: null });
    expectProblem(
      await h.call('GET', `/v1/tasks/${sortId}/holder`, { as: h.coop.otherBusiness }),
      403,
      'task.forbidden',
    );
  });

  it('PUT /v1/tasks/{taskId}/assignment (coordinator override): 200 the task; a member who does not qualify is the service’s rule', async () => {
    const body = { memberId: h.coop.member.id, reason: 'she knows these forms' };
    expectProblem(
      await h.call('PUT', `/v1/tasks/${sortId}/assignment`, { as: h.coop.member, body }),
      403,
      'auth.forbidden_role',
    );
    expectProblem(
      await h.call('PUT', `/v1/tasks/${sortId}/assignment`, { as: h.coop.setagayaCoordinator, body }),
      403,
      'task.forbidden',
    );
    expectProblem(
      await h.call('PUT', `/v1/tasks/${sortId}/assignment`, {
        as: h.coop.coordinator,
        body: { ...body, memberId: h.coop.setagayaCoordinator.id },
      }),
      422,
      'task.member_not_qualified',
    );

    const response = await h.call('PUT', `/v1/tasks/${sortId}/assignment`, {
      as: h.coop.coordinator,
      body,
      headers: { 'idempotency-key': 'override-1' },
    });
    expect(response.statusCode).toBe(200);
    expect(lastCall()?.request).toEqual({
      requestId: 'override-1',
      taskId: sortId,
      memberId: h.coop.member.id,
      reason: 'she knows these forms',
    });
    expect((response.json() as { task: TaskView }).task).toMatchObject({
      taskId: sortId,
      status: 'assigned',
      memberId: h.coop.member.id,
    });
    const last = h.doubles.teamScheduling.tasks.get(sortId)?.history.at(-1);
    expect(last).toMatchObject({
      kind: 'overridden',
      fromMemberId: h.coop.coordinator.id,
      actor: h.coop.coordinator.id,
    });
  });

  it('POST /v1/tasks/{taskId}/trainee (coordinator): 204; the task shows its trainee, the history the pairing', async () => {
    const body = { traineeMemberId: h.coop.coordinator.id, reason: 'learning data entry' };
    expectProblem(
      await h.call('POST', `/v1/tasks/${sortId}/trainee`, { as: h.coop.business, body }),
      403,
      'auth.forbidden_role',
    );
    expectProblem(
      await h.call('POST', `/v1/tasks/${sortId}/trainee`, { as: h.coop.setagayaCoordinator, body }),
      403,
      'task.forbidden',
    );
    const response = await h.call('POST', `/v1/tasks/${sortId}/trainee`, { as: h.coop.coordinator, body });
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expect(lastCall()?.request).toMatchObject({
      taskId: sortId,
      traineeMemberId: h.coop.coordinator.id,
      reason: 'learning data entry',
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const schedule = (await h.call('GET', `/v1/jobs/${jobId}/schedule`, { as: h.coop.coordinator })).json() as {
      tasks: TaskView[];
    };
    expect(task(schedule.tasks, sortId).traineeMemberId).toBe(h.coop.coordinator.id);
    const history = (await h.call('GET', `/v1/tasks/${sortId}/history`, { as: h.coop.coordinator })).json() as {
      entries: { kind: string; memberId: string | null }[];
    };
    expect(history.entries.at(-1)).toMatchObject({ kind: 'paired', memberId: h.coop.coordinator.id });
  });
});

describe('a member’s availability, wished hours and skills', () => {
  it('POST /v1/members/{memberId}/unavailability (herself): 200 her tasks in the period, handed off; times sent as instants', async () => {
    const held = h.doubles.teamScheduling.tasks.get(sortId)?.task;
    expect(held?.memberId).toBe(h.coop.member.id);
    const start = held?.span?.start as Date;
    const from = new Date(start.getTime() - 3_600_000);
    const to = new Date(start.getTime() + 3 * DAY_MS);
    // Sent in Tokyo time: the service gets the same instants.
    const body = {
      from: from.toISOString().replace('Z', '+00:00'),
      to: new Date(to.getTime() + 9 * 3_600_000).toISOString().replace('Z', '+09:00'),
      reason: 'sick child for three days',
    };

    expectProblem(
      await h.call('POST', `/v1/members/${h.coop.member.id}/unavailability`, { as: h.coop.business, body }),
      403,
      'auth.forbidden_role',
    );
    expectProblem(
      await h.call('POST', `/v1/members/${h.coop.member.id}/unavailability`, { as: h.coop.setagayaCoordinator, body }),
      403,
      'member.forbidden',
    );
    const before = calls().length;
    expectProblem(
      await h.call('POST', `/v1/members/${h.coop.coordinator.id}/unavailability`, { as: h.coop.member, body }),
      403,
      'auth.forbidden_member',
    );
    expect(calls()).toHaveLength(before);

    const response = await h.call('POST', `/v1/members/${h.coop.member.id}/unavailability`, {
      as: h.coop.member,
      body,
      headers: { 'idempotency-key': 'away-1' },
    });
    expect(response.statusCode).toBe(200);
    expect(lastCall()?.request).toEqual({
      requestId: 'away-1',
      memberId: h.coop.member.id,
      from,
      to,
      reason: 'sick child for three days',
    });
    const { tasks } = response.json() as { tasks: TaskView[] };
    expect(tasks.map((t) => t.taskId)).toContain(sortId);
    expect(tasks.every((t) => t.memberId !== h.coop.member.id)).toBe(true);
  });

  it('a coordinator may declare a member of her region unavailable', async () => {
    const body = { from: later(40).toISOString(), to: later(41).toISOString(), reason: 'training day' };
    const response = await h.call('POST', `/v1/members/${h.coop.member.id}/unavailability`, {
      as: h.coop.coordinator,
      body,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ tasks: [] });
  });

  it('PUT /v1/members/{memberId}/wished-hours (herself or a coordinator): 204, and the service holds it', async () => {
    const response = await h.call('PUT', `/v1/members/${h.coop.member.id}/wished-hours`, {
      as: h.coop.member,
      body: { minutesPerWeek: 480 },
    });
    expect(response.statusCode).toBe(204);
    expect(lastCall()?.request).toMatchObject({ memberId: h.coop.member.id, minutesPerWeek: 480 });
    expect(h.doubles.teamScheduling.members.get(h.coop.member.id)?.wishedMinutesPerWeek).toBe(480);
    expect(
      (
        await h.call('PUT', `/v1/members/${h.coop.member.id}/wished-hours`, {
          as: h.coop.coordinator,
          body: { minutesPerWeek: 540 },
        })
      ).statusCode,
    ).toBe(204);
    expect(h.doubles.teamScheduling.members.get(h.coop.member.id)?.wishedMinutesPerWeek).toBe(540);

    expectProblem(
      await h.call('PUT', `/v1/members/${h.coop.coordinator.id}/wished-hours`, {
        as: h.coop.member,
        body: { minutesPerWeek: 1 },
      }),
      403,
      'auth.forbidden_member',
    );
    expectProblem(
      await h.call('PUT', `/v1/members/${h.coop.member.id}/wished-hours`, {
        as: h.coop.accountant,
        body: { minutesPerWeek: 1 },
      }),
      403,
      'auth.forbidden_role',
    );
    expectProblem(
      await h.call('PUT', `/v1/members/${h.coop.member.id}/wished-hours`, {
        as: h.coop.setagayaCoordinator,
        body: { minutesPerWeek: 1 },
      }),
      403,
      'member.forbidden',
    );
    expect(h.doubles.teamScheduling.members.get(h.coop.member.id)?.wishedMinutesPerWeek).toBe(540);
  });

  it('POST /v1/members/{memberId}/skills (coordinator of her region): 204, and the skill is hers', async () => {
    const body = { skill: 'illustration', jobId, reason: 'her cover sketches were accepted' };
    expectProblem(
      await h.call('POST', `/v1/members/${h.coop.member.id}/skills`, { as: h.coop.member, body }),
      403,
      'auth.forbidden_role',
    );
    expectProblem(
      await h.call('POST', `/v1/members/${h.coop.member.id}/skills`, { as: h.coop.setagayaCoordinator, body }),
      403,
      'member.forbidden',
    );
    const response = await h.call('POST', `/v1/members/${h.coop.member.id}/skills`, {
      as: h.coop.coordinator,
      body,
      headers: { 'idempotency-key': 'skill-1' },
    });
    expect(response.statusCode).toBe(204);
    expect(lastCall()?.request).toEqual({
      requestId: 'skill-1',
      memberId: h.coop.member.id,
      skill: 'illustration',
      jobId,
      reason: 'her cover sketches were accepted',
    });
    expect(h.doubles.teamScheduling.members.get(h.coop.member.id)?.skills).toContain('illustration');
  });
});

describe('sharing a job with a partner region', () => {
  it('POST /v1/jobs/{jobId}/sharing (home coordinator): 200 the tasks scheduled over both teams; a local-only job stays home', async () => {
    const ts = h.doubles.teamScheduling;
    const shared = randomUUID();
    const [proofId] = ts.plan({
      jobId: shared,
      businessId: h.coop.businesses.fujisato,
      regionId: 'fujisato',
      tasks: [{ title: 'Proofread the brochure', estimatedMinutes: 60, skills: ['proofreading'], deadline: later(20) }],
    }) as [string];
    ts.enrol({ memberId: randomUUID(), regionId: 'setagaya', townId: 'setagaya/sangenjaya', skills: ['proofreading'] });
    const scheduled = (
      await h.call('POST', `/v1/jobs/${shared}/schedule`, { as: h.coop.coordinator, body: {} })
    ).json() as { tasks: TaskView[] };
    expect(task(scheduled.tasks, proofId).status).toBe('unassignable');

    const body = { partnerRegionId: 'setagaya', reason: 'no proofreader in fujisato this month' };
    expectProblem(
      await h.call('POST', `/v1/jobs/${shared}/sharing`, { as: h.coop.member, body }),
      403,
      'auth.forbidden_role',
    );
    expectProblem(
      await h.call('POST', `/v1/jobs/${shared}/sharing`, { as: h.coop.setagayaCoordinator, body }),
      403,
      'schedule.forbidden',
    );
    const response = await h.call('POST', `/v1/jobs/${shared}/sharing`, {
      as: h.coop.coordinator,
      body,
      headers: { 'idempotency-key': 'share-1' },
    });
    expect(response.statusCode).toBe(200);
    expect(lastCall()?.request).toEqual({
      requestId: 'share-1',
      jobId: shared,
      partnerRegionId: 'setagaya',
      reason: 'no proofreader in fujisato this month',
    });
    expect(task((response.json() as { tasks: TaskView[] }).tasks, proofId)).toMatchObject({
      status: 'assigned',
      teamRegionId: 'setagaya',
      reasons: [],
    });

    const localOnly = randomUUID();
    ts.plan({
      jobId: localOnly,
      businessId: h.coop.businesses.fujisato,
      regionId: 'fujisato',
      localOnlyTownId: 'fujisato/fujikoto',
      tasks: [],
    });
    expectProblem(
      await h.call('POST', `/v1/jobs/${localOnly}/sharing`, { as: h.coop.coordinator, body }),
      422,
      'schedule.local_only',
    );
  });
});
