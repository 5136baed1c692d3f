/**
 * A month of Fujisato work through the gateway, against the real time tracking and settlement
 * services in process (over gRPC, on the cooperative's store, with a real identity): team
 * scheduling's published schedule says the member holds two tasks of an hourly job that job
 * intake accepted; she records spans, runs a timer, corrects and deletes entries and marks a task
 * done; her coordinator reads and approves her Tokyo week; an operator configures the region's
 * settlement, the accountant records her registration number, the coordinator closes November in
 * one call, and its invoice, statement, Zengin file, journals and payroll CSV are downloaded with
 * their media types and file names. Every refusal is problem+json with the service's stable code
 * (or the edge's), and stores nothing.
 */
import { randomUUID } from 'node:crypto';
import type { TestActor } from '@workshare/identity';
import type { LightMyRequestResponse } from 'fastify';
import { DOWNLOAD_MEDIA_TYPES } from '../../src/adapters/http/schemas.js';
import { expectProblem, headOf, startHarness, type Harness } from '../support/harness.js';
import { acceptHourlyJob, holdTasks, tokyo } from '../support/producers.js';

let h: Harness;
let member: TestActor;
let coordinator: TestActor;
let taskOne: string;
let taskTwo: string;
const JOB = randomUUID();
const TOKYO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+09:00$/;

/** The Tokyo clock of time tracking and settlement. */
const at = (local: string) => h.setNow(tokyo(local));
const json = <T = Record<string, unknown>>(response: LightMyRequestResponse): T => response.json() as T;
/** Calls `act` and checks the store's log did not move: a refused request stores nothing. */
const storesNothing = async (act: () => Promise<void>): Promise<void> => {
  const before = await headOf(h.store);
  await act();
  expect(await headOf(h.store)).toEqual(before);
};

interface Entry {
  entryId: string;
  taskId: string;
  jobId: string;
  start: string;
  end: string;
  minutes: number;
  source: string;
  days: { day: string; minutes: number }[];
}

beforeAll(async () => {
  h = await startHarness({ rateLimit: { max: 1_000_000, timeWindowMs: 60_000 } });
  member = h.coop.member;
  coordinator = h.coop.coordinator;
  [taskOne, taskTwo] = (await holdTasks(h.store, {
    jobId: JOB,
    memberId: member.id,
    at: tokyo('2026-11-02T08:00'),
  })) as [string, string];
  // 準委任 at ¥2,400 an hour, translation (withheld: 所得税法204条).
  await acceptHourlyJob(h.store, {
    jobId: JOB,
    businessId: h.coop.businesses.fujisato,
    hourlyRateYen: 2_400,
    at: tokyo('2026-11-01T10:00'),
  });
});
afterAll(async () => h?.close());

const week = (as: TestActor, path = '/v1/me/week?weekStart=2026-11-09') => h.call('GET', path, { as });

describe('time tracking', () => {
  let recorded: Entry;
  let timed: Entry;

  it('POST /v1/tasks/{taskId}/time-entries records a span she held: 201, its times in Tokyo; a retry is the same entry', async () => {
    at('2026-11-10T18:00');
    const body = { start: '2026-11-10T13:00:00+09:00', end: '2026-11-10T05:30:00Z' };
    const headers = { 'idempotency-key': `span-${randomUUID()}` };
    const response = await h.call('POST', `/v1/tasks/${taskOne}/time-entries`, { as: member, body, headers });
    expect(response.statusCode).toBe(201);
    recorded = json<{ entry: Entry }>(response).entry;
    expect(recorded).toEqual({
      entryId: expect.any(String),
      taskId: taskOne,
      jobId: JOB,
      regionId: 'fujisato',
      start: '2026-11-10T13:00:00.000+09:00',
      end: '2026-11-10T14:30:00.000+09:00',
      minutes: 90,
      source: 'manual',
      days: [{ day: '2026-11-10', minutes: 90 }],
    });
    const events = (await h.store.readStream(`timesheet-${member.id}`)).length;
    const again = await h.call('POST', `/v1/tasks/${taskOne}/time-entries`, { as: member, body, headers });
    expect(json<{ entry: Entry }>(again).entry.entryId).toBe(recorded.entryId);
    expect((await h.store.readStream(`timesheet-${member.id}`)).length).toBe(events);
  });

  it('a span crossing midnight Tokyo time counts on each day', async () => {
    at('2026-11-12T09:00:30');
    const response = await h.call('POST', `/v1/tasks/${taskTwo}/time-entries`, {
      as: member,
      body: { start: '2026-11-11T23:30:00+09:00', end: '2026-11-12T00:30:00+09:00' },
    });
    expect(response.statusCode).toBe(201);
    expect(json<{ entry: Entry }>(response).entry).toMatchObject({
      minutes: 60,
      days: [
        { day: '2026-11-11', minutes: 30 },
        { day: '2026-11-12', minutes: 30 },
      ],
    });
  });

  it('the timer: started (rounded up to the minute), stopped (an entry of its whole minutes), discarded', async () => {
    at('2026-11-12T09:00:30');
    const started = await h.call('POST', `/v1/tasks/${taskOne}/timer`, { as: member });
    expect(started.statusCode).toBe(200);
    expect(json(started)).toEqual({ taskId: taskOne, start: '2026-11-12T09:01:00.000+09:00' });
    expectProblem(await h.call('POST', `/v1/tasks/${taskTwo}/timer`, { as: member }), 422, 'time.timer_running');
    const running = json<{ timer: unknown }>(await week(member));
    expect(running.timer).toEqual({ taskId: taskOne, jobId: JOB, start: '2026-11-12T09:01:00.000+09:00' });

    at('2026-11-12T09:31:10');
    const stopped = await h.call('POST', '/v1/me/timer/stop', { as: member, body: {} });
    expect(stopped.statusCode).toBe(200);
    const answer = json<{ recorded: boolean; entry: Entry }>(stopped);
    expect(answer).toMatchObject({
      recorded: true,
      entry: { taskId: taskOne, start: '2026-11-12T09:01:00.000+09:00', end: '2026-11-12T09:31:00.000+09:00' },
    });
    expect(answer.entry).toMatchObject({ minutes: 30, source: 'timer' });
    timed = answer.entry;

    at('2026-11-12T10:00');
    await h.call('POST', `/v1/tasks/${taskTwo}/timer`, { as: member });
    const discarded = await h.call('POST', '/v1/me/timer/discard', { as: member });
    expect(discarded.statusCode).toBe(204);
    expect(discarded.body).toBe('');
    expectProblem(await h.call('POST', '/v1/me/timer/stop', { as: member }), 422, 'time.no_timer');
    expectProblem(
      await h.call('POST', '/v1/me/timer/stop', { as: member, body: { taskId: taskOne } }),
      400,
      'request.invalid',
    );
  });

  it('spans refused with time tracking’s codes, nothing stored: overlap, the future, a task not held, seconds', async () => {
    at('2026-11-12T16:00');
    const span = (taskId: string, start: string, end: string) =>
      h.call('POST', `/v1/tasks/${taskId}/time-entries`, { as: member, body: { start, end } });
    await storesNothing(async () => {
      expectProblem(
        await span(taskTwo, '2026-11-10T14:00:00+09:00', '2026-11-10T15:00:00+09:00'),
        422,
        'time.overlapping_span',
      );
      expectProblem(
        await span(taskOne, '2026-11-12T16:00:00+09:00', '2026-11-12T17:00:00+09:00'),
        400,
        'time.span_in_future',
      );
      expectProblem(
        await span(randomUUID(), '2026-11-12T11:00:00+09:00', '2026-11-12T12:00:00+09:00'),
        422,
        'time.task_not_held',
      );
      // Before team scheduling assigned it to her.
      expectProblem(
        await span(taskOne, '2026-11-02T07:00:00+09:00', '2026-11-02T08:00:00+09:00'),
        422,
        'time.task_not_held',
      );
      expectProblem(
        await span(taskOne, '2026-11-12T11:00:30+09:00', '2026-11-12T12:00:00+09:00'),
        400,
        'time.invalid_span',
      );
      // At the edge: not a time, an unknown field, a task id that is none.
      expectProblem(await span(taskOne, 'yesterday', '2026-11-12T12:00:00+09:00'), 400, 'request.invalid');
      expectProblem(
        await h.call('POST', `/v1/tasks/${taskOne}/time-entries`, {
          as: member,
          body: { start: '2026-11-12T11:00:00+09:00', end: '2026-11-12T12:00:00+09:00', minutes: 60 },
        }),
        400,
        'request.invalid',
      );
      expectProblem(await span('not-a-task', '2026-11-12T11:00:00Z', '2026-11-12T12:00:00Z'), 400, 'request.invalid');
      // Only a member records time.
      expectProblem(
        await h.call('POST', `/v1/tasks/${taskOne}/time-entries`, {
          as: h.coop.accountant,
          body: { start: '2026-11-12T11:00:00+09:00', end: '2026-11-12T12:00:00+09:00' },
        }),
        403,
        'auth.forbidden_role',
      );
    });
  });

  it('corrections and deletions with a reason: by herself or her coordinator; another member, another region refused', async () => {
    at('2026-11-12T16:00');
    const corrected = await h.call('POST', `/v1/members/${member.id}/time-entries/${timed.entryId}/correct`, {
      as: member,
      body: { start: '2026-11-12T09:00:00+09:00', end: '2026-11-12T09:45:00+09:00', reason: '開始の打刻が遅れた' },
    });
    expect(corrected.statusCode).toBe(200);
    expect(json(corrected)).toEqual({ reopenedWeeks: [] });

    const extra = json<{ entry: Entry }>(
      await h.call('POST', `/v1/tasks/${taskOne}/time-entries`, {
        as: member,
        body: { start: '2026-11-12T15:00:00+09:00', end: '2026-11-12T15:15:00+09:00' },
      }),
    ).entry;
    const deletion = `/v1/members/${member.id}/time-entries/${extra.entryId}/delete`;
    await storesNothing(async () => {
      // A member names only herself; a coordinator of another region is refused by time tracking.
      expectProblem(
        await h.call('POST', `/v1/members/${coordinator.id}/time-entries/${extra.entryId}/delete`, {
          as: member,
          body: { reason: 'x' },
        }),
        403,
        'auth.forbidden_member',
      );
      expectProblem(
        await h.call('POST', deletion, { as: h.coop.setagayaCoordinator, body: { reason: '重複' } }),
        403,
        'time.forbidden',
      );
      expectProblem(await h.call('POST', deletion, { as: coordinator, body: {} }), 400, 'request.invalid');
      expectProblem(
        await h.call('POST', deletion, { as: coordinator, body: { reason: '   ' } }),
        400,
        'time.reason_required',
      );
    });
    const deleted = await h.call('POST', deletion, { as: coordinator, body: { reason: '重複した入力' } });
    expect(deleted.statusCode).toBe(200);
    expect(json(deleted)).toEqual({ reopenedWeeks: [] });
    expectProblem(
      await h.call('POST', deletion, { as: coordinator, body: { reason: '重複した入力' } }),
      404,
      'time.entry_not_found',
    );
  });

  it('POST /v1/tasks/{taskId}/done marks the receipt of her work, once', async () => {
    at('2026-11-13T12:00');
    const done = await h.call('POST', `/v1/tasks/${taskOne}/done`, { as: member });
    expect(done.statusCode).toBe(200);
    expect(json(done)).toEqual({ taskId: taskOne, at: '2026-11-13T12:00:00.000+09:00' });
    await storesNothing(async () => {
      expectProblem(await h.call('POST', `/v1/tasks/${taskOne}/done`, { as: member }), 422, 'time.already_done');
      expectProblem(await h.call('POST', `/v1/tasks/${randomUUID()}/done`, { as: member }), 422, 'time.task_not_held');
    });
  });

  it('GET /v1/me/week: her entries and the minutes of each Tokyo day, in +09:00; this week without weekStart', async () => {
    at('2026-11-13T12:00');
    const response = await week(member);
    expect(response.statusCode).toBe(200);
    const answer = json<{ entries: Entry[]; days: unknown[]; totalMinutes: number }>(response);
    expect(answer).toMatchObject({
      memberId: member.id,
      weekStart: '2026-11-09',
      weekEnd: '2026-11-15',
      approval: 'open',
      totalMinutes: 195,
      timer: null,
    });
    expect(answer.days).toEqual([
      { day: '2026-11-09', minutes: 0 },
      { day: '2026-11-10', minutes: 90 },
      { day: '2026-11-11', minutes: 30 },
      { day: '2026-11-12', minutes: 75 },
      { day: '2026-11-13', minutes: 0 },
      { day: '2026-11-14', minutes: 0 },
      { day: '2026-11-15', minutes: 0 },
    ]);
    expect(answer.entries.map((e) => [e.start, e.end, e.minutes])).toEqual([
      ['2026-11-10T13:00:00.000+09:00', '2026-11-10T14:30:00.000+09:00', 90],
      ['2026-11-11T23:30:00.000+09:00', '2026-11-12T00:30:00.000+09:00', 60],
      ['2026-11-12T09:00:00.000+09:00', '2026-11-12T09:45:00.000+09:00', 45],
    ]);
    for (const entry of answer.entries) expect(entry.start).toMatch(TOKYO_TIME);
    expect(json(await week(member, '/v1/me/week'))).toEqual(answer);
    expect(json(await week(member, '/v1/me/week?weekStart=2026-11-02'))).toMatchObject({
      weekStart: '2026-11-02',
      entries: [],
      totalMinutes: 0,
    });
    expectProblem(await week(member, '/v1/me/week?weekStart=2026-11-10'), 400, 'time.invalid_week');
    expectProblem(await week(member, '/v1/me/week?weekStart=next'), 400, 'request.invalid');
    expectProblem(await week(h.coop.business, '/v1/me/week'), 403, 'auth.forbidden_role');
  });

  it('GET /v1/members/{memberId}/week: her coordinator and the accountant read it; another member may not', async () => {
    const path = `/v1/members/${member.id}/week?weekStart=2026-11-09`;
    const own = json(await week(member));
    expect(json(await week(coordinator, path))).toEqual(own);
    expect(json(await week(h.coop.accountant, path))).toEqual(own);
    expectProblem(
      await week(member, `/v1/members/${coordinator.id}/week?weekStart=2026-11-09`),
      403,
      'auth.forbidden_member',
    );
    expectProblem(await week(h.coop.setagayaCoordinator, path), 403, 'time.forbidden');
    expectProblem(await week(h.coop.business, path), 403, 'auth.forbidden_role');
  });

  it('POST /v1/members/{memberId}/weeks/{weekStart}/approve: her coordinator, once the week is over; again changes nothing', async () => {
    const approve = (as: TestActor, weekStart = '2026-11-09') =>
      h.call('POST', `/v1/members/${member.id}/weeks/${weekStart}/approve`, { as });
    at('2026-11-15T23:59');
    await storesNothing(async () => {
      expectProblem(await approve(coordinator), 422, 'time.week_not_over');
      at('2026-11-16T10:00');
      expectProblem(await approve(member), 403, 'auth.forbidden_role');
      expectProblem(await approve(h.coop.setagayaCoordinator), 403, 'time.forbidden');
      expectProblem(await approve(coordinator, '2026-11-02'), 422, 'time.nothing_to_approve');
      expectProblem(await approve(coordinator, '2026-11-10'), 400, 'time.invalid_week');
      expectProblem(await approve(coordinator, '09-11-2026'), 400, 'request.invalid');
    });
    const approved = await approve(coordinator);
    expect(approved.statusCode).toBe(200);
    expect(json(approved)).toEqual({
      memberId: member.id,
      weekStart: '2026-11-09',
      approvedEntries: 3,
      alreadyApproved: false,
    });
    await storesNothing(async () => {
      expect(json(await approve(coordinator))).toMatchObject({ alreadyApproved: true });
    });
    expect(json(await week(member))).toMatchObject({ approval: 'approved' });
    // A new span in an approved week is refused (a correction would reopen it).
    expectProblem(
      await h.call('POST', `/v1/tasks/${taskTwo}/time-entries`, {
        as: member,
        body: { start: '2026-11-13T10:00:00+09:00', end: '2026-11-13T10:30:00+09:00' },
      }),
      422,
      'time.week_approved',
    );
  });

  it('GET /v1/regions/{regionId}/approved-time/{month}: the region’s approved minutes of a Tokyo month', async () => {
    const response = await h.call('GET', '/v1/regions/fujisato/approved-time/2026-11', { as: h.coop.accountant });
    expect(response.statusCode).toBe(200);
    const answer = json<{ lines: { memberId: string; minutesInMonth: number; entry: Entry }[] }>(response);
    expect(answer).toMatchObject({
      regionId: 'fujisato',
      month: '2026-11',
      members: [{ memberId: member.id, minutes: 195 }],
      totalMinutes: 195,
    });
    expect(answer.lines.map((l) => [l.memberId, l.minutesInMonth, l.entry.start])).toEqual([
      [member.id, 90, '2026-11-10T13:00:00.000+09:00'],
      [member.id, 60, '2026-11-11T23:30:00.000+09:00'],
      [member.id, 45, '2026-11-12T09:00:00.000+09:00'],
    ]);
    expect((await h.call('GET', '/v1/regions/fujisato/approved-time/2026-11', { as: coordinator })).statusCode).toBe(
      200,
    );
    const setagaya = h.coop.setagayaCoordinator;
    expectProblem(
      await h.call('GET', '/v1/regions/fujisato/approved-time/2026-11', { as: setagaya }),
      403,
      'auth.forbidden_region',
    );
    expectProblem(
      await h.call('GET', '/v1/regions/fujisato/approved-time/2026-11', { as: member }),
      403,
      'auth.forbidden_role',
    );
    expectProblem(
      await h.call('GET', '/v1/regions/fujisato/approved-time/2026-13', { as: h.coop.accountant }),
      400,
      'request.invalid',
    );
  });
});

/** The region's configuration as an operator sends it. */
const CONFIG = {
  issuerName: '藤里ワークシェア協同組合',
  registrationNumber: 'T7123456789012',
  address: '秋田県山本郡藤里町藤琴字藤琴8',
  payerAccount: {
    bankCode: '0117',
    bankNameKana: 'アキタ',
    branchCode: '123',
    branchNameKana: 'フジサト',
    type: 'ordinary',
    number: '1234567',
  },
  zenginRequesterCode: '123456789',
  requesterNameKana: 'フジサトワークシェアキョウドウクミアイ',
  marginBasisPoints: 1500,
  payDay: 25,
  officePrefecture: 'akita',
};

describe('settlement', () => {
  const november = '/v1/regions/fujisato/settlements/2026-11';
  let summary: Record<string, unknown>;

  it('PUT /v1/regions/{regionId}/settlement-config: an operator; settlement checks it whole, a wrong check digit refused', async () => {
    const path = '/v1/regions/fujisato/settlement-config';
    await storesNothing(async () => {
      expectProblem(
        await h.call('PUT', path, { as: h.coop.operator, body: { ...CONFIG, registrationNumber: 'T1123456789012' } }),
        400,
        'settlement.registration_number_check_digit',
      );
      expectProblem(
        await h.call('PUT', path, { as: h.coop.operator, body: { ...CONFIG, officePrefecture: 'tokyo' } }),
        400,
        'settlement.office_prefecture_mismatch',
      );
      expectProblem(await h.call('PUT', path, { as: coordinator, body: CONFIG }), 403, 'auth.forbidden_role');
      const invalid = expectProblem(
        await h.call('PUT', path, { as: h.coop.operator, body: { ...CONFIG, marginBasisPoints: 10_001, payDay: 0 } }),
        400,
        'request.invalid',
      );
      expect(invalid.errors).toEqual(
        expect.arrayContaining([
          { field: 'body.marginBasisPoints', message: expect.any(String) },
          { field: 'body.payDay', message: expect.any(String) },
        ]),
      );
    });
    const configured = await h.call('PUT', path, { as: h.coop.operator, body: CONFIG });
    expect(configured.statusCode).toBe(204);

    const read = await h.call('GET', path, { as: coordinator });
    expect(read.statusCode).toBe(200);
    expect(json(read)).toEqual({
      config: {
        ...CONFIG,
        regionId: 'fujisato',
        invoiceRounding: 'floor',
        payTimingReading: 'two_months',
      },
      configuredAt: expect.stringMatching(TOKYO_TIME),
      configuredBy: h.coop.operator.id,
      version: 0,
    });
    expectProblem(await h.call('GET', path, { as: h.coop.setagayaCoordinator }), 403, 'auth.forbidden_region');
    expectProblem(
      await h.call('GET', '/v1/regions/setagaya/settlement-config', { as: h.coop.operator }),
      404,
      'settlement.region_not_configured',
    );
  });

  it('PUT /v1/members/{memberId}/invoice-registration: the accountant records her own number; the same again stores nothing', async () => {
    const path = `/v1/members/${member.id}/invoice-registration`;
    const body = { invoiceRegistrationNumber: 'T1234567890123' };
    expect((await h.call('PUT', path, { as: h.coop.accountant, body })).statusCode).toBe(204);
    await storesNothing(async () => {
      expect((await h.call('PUT', path, { as: h.coop.accountant, body })).statusCode).toBe(204);
      expectProblem(await h.call('PUT', path, { as: member, body }), 403, 'auth.forbidden_role');
      expectProblem(
        await h.call('PUT', path, { as: h.coop.accountant, body: { invoiceRegistrationNumber: '1234567890123' } }),
        400,
        'request.invalid',
      );
      expectProblem(
        await h.call('PUT', `/v1/members/${randomUUID()}/invoice-registration`, {
          as: h.coop.accountant,
          body: { invoiceRegistrationNumber: null },
        }),
        404,
        'settlement.member_not_found',
      );
    });
  });

  it('POST .../settlements/{month}/close: the coordinator closes November in one call, to the yen; the month is then closed', async () => {
    at('2026-11-30T23:59');
    await storesNothing(async () => {
      expectProblem(await h.call('POST', `${november}/close`, { as: coordinator }), 422, 'settlement.month_not_over');
      at('2026-12-01T10:00');
      expectProblem(await h.call('POST', `${november}/close`, { as: h.coop.accountant }), 403, 'auth.forbidden_role');
      expectProblem(
        await h.call('POST', `${november}/close`, { as: h.coop.setagayaCoordinator }),
        403,
        'auth.forbidden_region',
      );
      expectProblem(
        await h.call('POST', '/v1/regions/setagaya/settlements/2026-11/close', { as: h.coop.operator }),
        422,
        'settlement.region_not_configured',
      );
      expectProblem(
        await h.call('POST', '/v1/regions/fujisato/settlements/2026-11-01/close', { as: coordinator }),
        400,
        'request.invalid',
      );
    });
    const headers = { 'idempotency-key': `close-${randomUUID()}` };
    const closed = await h.call('POST', `${november}/close`, { as: coordinator, headers });
    expect(closed.statusCode).toBe(200);
    summary = json(closed);
    // Billed ⌊195 min × ¥2,400 / 60⌋ = 7,800, tax ⌊7,800 × 10%⌋ = 780; margin ⌊7,800 × 15%⌋ = 1,170; her share
    // 6,630 + her tax 663 (registered) − withholding ⌊6,630 × 10.21%⌋ = 676 → 6,617.
    expect(summary).toEqual({
      regionId: 'fujisato',
      month: '2026-11',
      closedAt: '2026-12-01T10:00:00.000+09:00',
      closedBy: coordinator.id,
      inputDigest: expect.stringMatching(/^[0-9a-f]{64}$/),
      payDay: '2026-12-25',
      billedYen: 7_800,
      taxYen: 780,
      marginYen: 1_170,
      topUpYen: 0,
      keptYen: 1_170,
      payableYen: 6_617,
      invoiceCount: 1,
      statementCount: 1,
      // Received on 13 November, paid on 25 December: within the two-month reading; nobody below minimum wage.
      findings: [],
    });
    await storesNothing(async () => {
      expect(json(await h.call('POST', `${november}/close`, { as: coordinator, headers }))).toEqual(summary);
      expectProblem(await h.call('POST', `${november}/close`, { as: coordinator }), 422, 'settlement.month_closed');
    });
  });

  it('GET .../settlements/{month}: the summary and the whole settlement, for the accountant and operators', async () => {
    const response = await h.call('GET', november, { as: h.coop.accountant });
    expect(response.statusCode).toBe(200);
    const answer = json<{ summary: unknown; settlement: Record<string, unknown> }>(response);
    expect(answer.summary).toEqual(summary);
    expect(answer.settlement).toMatchObject({ regionId: 'fujisato', month: '2026-11' });
    expect(json(await h.call('GET', november, { as: h.coop.operator }))).toEqual(answer);
    expectProblem(await h.call('GET', november, { as: coordinator }), 403, 'auth.forbidden_role');
    expectProblem(
      await h.call('GET', '/v1/regions/fujisato/settlements/2026-10', { as: h.coop.accountant }),
      404,
      'settlement.month_not_closed',
    );
  });

  /** A download's answer: settlement's media type, an attachment with its file name, never cached. */
  const expectDownload = (response: LightMyRequestResponse, mediaType: string, fileName: RegExp): Buffer => {
    expect({ status: response.statusCode, type: response.headers['content-type'] }).toEqual({
      status: 200,
      type: mediaType,
    });
    expect(response.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="${fileName.source}"$`));
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-request-id']).toEqual(expect.any(String));
    return response.rawPayload;
  };

  it('the invoice as PDF and JSON: its business, the accountant; another business refused', async () => {
    const business = h.coop.businesses.fujisato;
    const pdf = expectDownload(
      await h.call('GET', `${november}/invoices/${business}.pdf`, { as: h.coop.business }),
      'application/pdf',
      /invoice-INV-fujisato-202611-\d+\.pdf/,
    );
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const data = expectDownload(
      await h.call('GET', `${november}/invoices/${business}.json`, { as: h.coop.accountant }),
      'application/json',
      /invoice-INV-fujisato-202611-\d+\.json/,
    );
    expect(JSON.stringify(JSON.parse(data.toString('utf8')))).toContain('7800');
    expectProblem(
      await h.call('GET', `${november}/invoices/${business}.pdf`, { as: h.coop.otherBusiness }),
      403,
      'auth.forbidden_business',
    );
    expectProblem(
      await h.call('GET', `${november}/invoices/${h.coop.businesses.fujisatoOther}.json`, { as: h.coop.otherBusiness }),
      404,
      'settlement.invoice_not_found',
    );
    expectProblem(
      await h.call('GET', `${november}/invoices/${business}.pdf`, { as: member }),
      403,
      'auth.forbidden_role',
    );
  });

  it('her payment statement as PDF and JSON: she herself and the accountant; her coordinator may not', async () => {
    const path = `${november}/statements/${member.id}`;
    const pdf = expectDownload(
      await h.call('GET', `${path}.pdf`, { as: member }),
      'application/pdf',
      /statement-PAY-fujisato-202611-\d+\.pdf/,
    );
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const data = expectDownload(
      await h.call('GET', `${path}.json`, { as: h.coop.accountant }),
      'application/json',
      /statement-PAY-fujisato-202611-\d+\.json/,
    );
    expect(JSON.stringify(JSON.parse(data.toString('utf8')))).toContain('6617');
    expectProblem(await h.call('GET', `${path}.json`, { as: coordinator }), 403, 'auth.forbidden_member');
    expectProblem(
      await h.call('GET', `${november}/statements/${coordinator.id}.json`, { as: coordinator }),
      404,
      'settlement.statement_not_found',
    );
  });

  it('the Zengin file: the accountant downloads it in Shift_JIS, 120-byte records; a member may not', async () => {
    expectProblem(await h.call('GET', `${november}/zengin.txt`, { as: member }), 403, 'auth.forbidden_role');
    expectProblem(await h.call('GET', `${november}/zengin.txt`, { as: coordinator }), 403, 'auth.forbidden_role');
    expectProblem(await h.call('GET', `${november}/zengin.txt`, { as: h.coop.business }), 403, 'auth.forbidden_role');
    const file = expectDownload(
      await h.call('GET', `${november}/zengin.txt`, { as: h.coop.accountant }),
      'text/plain; charset=Shift_JIS',
      /zengin-fujisato-2026-11\.txt/,
    );
    const records = file
      .toString('latin1')
      .split('\r\n')
      .filter((r) => r !== '');
    // Header, her transfer, trailer, end: each record 120 bytes.
    expect(records.map((r) => [r[0], Buffer.byteLength(r, 'latin1')])).toEqual([
      ['1', 120],
      ['2', 120],
      ['8', 120],
      ['9', 120],
    ]);
    expect(records[1]).toContain('0000006617');
  });

  it('the journals for freee, Money Forward and 弥生, the payroll CSV and the settlement JSON: each in its media type', async () => {
    const operator = h.coop.operator;
    for (const [vendor, type, word] of [
      ['freee', 'text/csv; charset=UTF-8', 'freee'],
      ['money_forward', 'text/csv; charset=UTF-8', 'moneyforward'],
      ['yayoi', 'text/csv; charset=Shift_JIS', 'yayoi'],
    ] as const) {
      const file = expectDownload(
        await h.call('GET', `${november}/journals/${vendor}.csv`, { as: operator }),
        type,
        new RegExp(`journal-${word}-fujisato-2026-11\\.csv`),
      );
      expect(file.length).toBeGreaterThan(0);
    }
    expectProblem(await h.call('GET', `${november}/journals/quickbooks.csv`, { as: operator }), 400, 'request.invalid');
    expectProblem(await h.call('GET', `${november}/journals/yayoi.csv`, { as: member }), 403, 'auth.forbidden_role');
    expectDownload(
      await h.call('GET', `${november}/payroll.csv`, { as: h.coop.accountant }),
      'text/csv; charset=UTF-8',
      /payroll-fujisato-2026-11\.csv/,
    );
    const whole = expectDownload(
      await h.call('GET', `${november}/settlement.json`, { as: h.coop.accountant }),
      'application/json',
      /settlement-fujisato-2026-11\.json/,
    );
    const read = json<{ settlement: unknown }>(await h.call('GET', november, { as: h.coop.accountant }));
    expect(JSON.parse(whole.toString('utf8'))).toEqual(read.settlement);
    expectProblem(
      await h.call('GET', '/v1/regions/fujisato/settlements/2026-10/zengin.txt', { as: h.coop.accountant }),
      404,
      'settlement.month_not_closed',
    );
  });

  it('every download’s Content-Type is one /openapi.json declares for it', async () => {
    const document = json<{
      paths: Record<string, { get: { responses: { 200: { content: Record<string, unknown> } } } }>;
    }>(await h.call('GET', '/openapi.json'));
    const declared = (path: string) =>
      Object.keys(
        document.paths[`/v1/regions/{regionId}/settlements/{month}${path}`]?.get.responses[200].content ?? {},
      );
    const business = h.coop.businesses.fujisato;
    for (const [template, url, as] of [
      ['/invoices/{businessId}.pdf', `/invoices/${business}.pdf`, h.coop.accountant],
      ['/invoices/{businessId}.json', `/invoices/${business}.json`, h.coop.accountant],
      ['/statements/{memberId}.pdf', `/statements/${member.id}.pdf`, member],
      ['/statements/{memberId}.json', `/statements/${member.id}.json`, member],
      ['/zengin.txt', '/zengin.txt', h.coop.accountant],
      ['/journals/{vendor}.csv', '/journals/freee.csv', h.coop.accountant],
      ['/journals/{vendor}.csv', '/journals/money_forward.csv', h.coop.accountant],
      ['/journals/{vendor}.csv', '/journals/yayoi.csv', h.coop.accountant],
      ['/payroll.csv', '/payroll.csv', h.coop.accountant],
      ['/settlement.json', '/settlement.json', h.coop.accountant],
    ] as const) {
      const response = await h.call('GET', `${november}${url}`, { as });
      expect({ url, type: response.headers['content-type'] }).toEqual({
        url,
        type: expect.stringMatching(/./),
      });
      expect(declared(template)).toContain(response.headers['content-type']);
    }
    expect(declared('/journals/{vendor}.csv').sort()).toEqual([...DOWNLOAD_MEDIA_TYPES.journals].sort());
  });
});
