/**
 * The facade on the embedded store, against a real identity (the test cooperative: its members'
 * MemberRegistered are in the log) and team scheduling's published schedule events: a member's
 * time checked against who held the task when (a hand-off between her and a teammate), her
 * timer, idempotent retries, corrections and deletions by whom they may be, a coordinator's
 * approval of her week, its reopening, the receipt of her work, her week in Tokyo time, a
 * region's approved time, and refusals that store nothing.
 */
import { randomUUID } from 'node:crypto';
import { actorOf, type CommandContext, type EventStore } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import { startTestCooperative, type TestCooperative } from '@workshare/identity';
import { openTimeTrackingService, type TimeTrackingRuntime } from '../../src/open-time-tracking.js';
import { castOf, testClock, tokyo, type Cast, type Person } from '../cooperative.js';
import { scheduleOf, type ScheduleWriter } from '../schedule.js';

let store: EventStore;
let coop: TestCooperative;
let runtime: TimeTrackingRuntime;
let cast: Cast;
const clock = testClock('2026-04-08T12:00');

/** The test cooperative's member (fujisato) and her teammate (the coordinator, a member of fujisato too). */
let hanako: string;
let teammate: string;
let job: ScheduleWriter;
let task: string;
let otherTask: string;

beforeAll(async () => {
  store = await openEventStore('embedded:memory');
  coop = await startTestCooperative({ store });
  cast = await castOf(coop);
  hanako = coop.member.id;
  teammate = coop.coordinator.id;
  // Hanako holds the task from Monday 09:00 until her hand-off to her teammate on Monday 11:00;
  // she holds the other task all week.
  job = scheduleOf(store);
  [task, otherTask] = job.taskIds as [string, string];
  await job.received(tokyo('2026-04-06T08:00'));
  await job.assigned(task, hanako, tokyo('2026-04-06T09:00'));
  await job.assigned(otherTask, hanako, tokyo('2026-04-06T09:00'));
  await job.handedOff(task, hanako, teammate, tokyo('2026-04-06T11:00'));
  runtime = await openTimeTrackingService({ store, now: clock.now, readStalenessMs: 0, texts: coop.texts });
});
afterAll(async () => {
  await runtime?.close();
  await coop?.close();
  await store?.close();
});

const service = () => runtime.service;
const as = (person: Person): CommandContext => ({ actor: actorOf(cast.callers[person]) });
const by = (person: Person, requestId?: string): CommandContext => ({
  ...as(person),
  ...cast.request(person, requestId),
});
const versionOf = (memberId: string) => store.streamVersion(`timesheet-${memberId}`);

const refusal = async (promise: Promise<unknown>): Promise<{ code: string; kind: string }> => {
  try {
    await promise;
  } catch (error) {
    const { code, kind } = error as { code: string; kind: string };
    return { code, kind };
  }
  throw new Error('expected a refusal');
};

describe('time on a task handed off between two members', () => {
  it('the span before the hand-off is hers, the span after it the teammate’s', async () => {
    const s = service();
    const before = await s.recordSpan(by('member'), {
      taskId: task,
      start: tokyo('2026-04-06T09:30'),
      end: tokyo('2026-04-06T11:00'),
    });
    expect(before.entry).toMatchObject({ taskId: task, jobId: job.jobId, regionId: 'fujisato', minutes: 90 });

    expect(
      await refusal(
        s.recordSpan(by('member'), { taskId: task, start: tokyo('2026-04-06T11:00'), end: tokyo('2026-04-06T12:00') }),
      ),
    ).toEqual({ code: 'time.task_not_held', kind: 'rule' });
    const after = await s.recordSpan(by('coordinator'), {
      taskId: task,
      start: tokyo('2026-04-06T11:00'),
      end: tokyo('2026-04-06T12:00'),
    });
    expect(after.entry.minutes).toBe(60);
    expect(
      await refusal(
        s.recordSpan(by('coordinator'), {
          taskId: task,
          start: tokyo('2026-04-06T10:30'),
          end: tokyo('2026-04-06T11:00'),
        }),
      ),
    ).toEqual({ code: 'time.task_not_held', kind: 'rule' });
  });

  it('a task of a job the schedule never received is not held', async () => {
    expect(
      await refusal(
        service().recordSpan(by('member'), {
          taskId: randomUUID(),
          start: tokyo('2026-04-06T13:00'),
          end: tokyo('2026-04-06T14:00'),
        }),
      ),
    ).toEqual({ code: 'time.task_not_held', kind: 'rule' });
  });
});

describe('her week in Tokyo time', () => {
  it('lists her entries with Tokyo times and minutes per Tokyo day, a span crossing midnight on each day', async () => {
    const s = service();
    await s.recordSpan(by('member'), {
      taskId: otherTask,
      start: tokyo('2026-04-07T23:30'),
      end: tokyo('2026-04-08T00:45'),
    });
    const week = await s.getWeek(as('member'), { weekStart: '2026-04-06' });
    expect(week).toMatchObject({ memberId: hanako, weekStart: '2026-04-06', weekEnd: '2026-04-12', approval: 'open' });
    expect(week.entries.map((e) => [e.startTokyo, e.endTokyo, e.minutes])).toEqual([
      ['2026-04-06T09:30:00.000+09:00', '2026-04-06T11:00:00.000+09:00', 90],
      ['2026-04-07T23:30:00.000+09:00', '2026-04-08T00:45:00.000+09:00', 75],
    ]);
    expect(week.days).toEqual([
      { day: '2026-04-06', minutes: 90 },
      { day: '2026-04-07', minutes: 30 },
      { day: '2026-04-08', minutes: 45 },
      { day: '2026-04-09', minutes: 0 },
      { day: '2026-04-10', minutes: 0 },
      { day: '2026-04-11', minutes: 0 },
      { day: '2026-04-12', minutes: 0 },
    ]);
    expect(week.totalMinutes).toBe(165);
    // Without a week: the week of now (Wednesday 2026-04-08).
    expect((await s.getWeek(as('member'))).weekStart).toBe('2026-04-06');
  });

  it('is hers, her region’s coordinator’s, the accountant’s and operators’ to read', async () => {
    const s = service();
    for (const person of ['coordinator', 'accountant', 'operator'] as const)
      expect((await s.getWeek(as(person), { memberId: hanako, weekStart: '2026-04-06' })).memberId).toBe(hanako);
    for (const person of ['setagayaCoordinator', 'business'] as const)
      expect(await refusal(s.getWeek(as(person), { memberId: hanako, weekStart: '2026-04-06' }))).toEqual({
        code: 'time.forbidden',
        kind: 'forbidden',
      });
    expect(await refusal(s.getWeek(as('member'), { weekStart: '2026-04-07' }))).toEqual({
      code: 'time.invalid_week',
      kind: 'invalid',
    });
  });
});

describe('her timer', () => {
  it('runs from the minute after she starts it to the minute she stops it, and shows in her week', async () => {
    const s = service();
    clock.set('2026-04-08T13:00:10');
    const { start } = await s.startWork(by('member'), { taskId: otherTask });
    expect(start).toEqual(tokyo('2026-04-08T13:01'));
    expect((await s.getWeek(as('member'))).timer).toMatchObject({
      taskId: otherTask,
      startTokyo: '2026-04-08T13:01:00.000+09:00',
    });
    expect(await refusal(s.startWork(by('member'), { taskId: otherTask }))).toEqual({
      code: 'time.timer_running',
      kind: 'rule',
    });

    clock.set('2026-04-08T13:46:59');
    const { entry } = await s.stopWork(by('member'));
    expect(entry).toMatchObject({ source: 'timer', minutes: 45, startTokyo: '2026-04-08T13:01:00.000+09:00' });
    expect((await s.getWeek(as('member'))).timer).toBeUndefined();
    expect(await refusal(s.stopWork(by('member')))).toEqual({ code: 'time.no_timer', kind: 'rule' });
  });

  it('records nothing when stopped within its minute, and can be discarded', async () => {
    const s = service();
    clock.set('2026-04-08T14:00:00');
    await s.startWork(by('member'), { taskId: otherTask });
    clock.set('2026-04-08T14:00:40');
    expect(await s.stopWork(by('member'))).toEqual({});
    await s.startWork(by('member'), { taskId: otherTask });
    await s.discardTimer(by('member'));
    expect((await s.getWeek(as('member'))).timer).toBeUndefined();
  });
});

describe('retries and refusals', () => {
  it('a retried request answers its first outcome and records once', async () => {
    const s = service();
    clock.set('2026-04-08T18:00');
    const requestId = randomUUID();
    const span = { taskId: otherTask, start: tokyo('2026-04-08T15:00'), end: tokyo('2026-04-08T15:30') };
    const first = await s.recordSpan(by('member', requestId), span);
    const version = await versionOf(hanako);
    const again = await s.recordSpan(by('member', requestId), span);
    expect(again.entry.entryId).toBe(first.entry.entryId);
    expect(await versionOf(hanako)).toBe(version);
  });

  it('a refused command stores nothing', async () => {
    const s = service();
    const version = await versionOf(hanako);
    const attempts = [
      s.recordSpan(by('member'), {
        taskId: otherTask,
        start: tokyo('2026-04-08T15:10'),
        end: tokyo('2026-04-08T15:20'),
      }),
      s.recordSpan(by('member'), {
        taskId: otherTask,
        start: tokyo('2026-04-08T19:00'),
        end: tokyo('2026-04-08T19:30'),
      }),
      s.recordSpan(by('member'), {
        taskId: otherTask,
        start: tokyo('2026-04-08T16:00:30'),
        end: tokyo('2026-04-08T17:00'),
      }),
      s.recordSpan(by('member'), {
        taskId: otherTask,
        start: tokyo('2026-04-09T00:00'),
        end: tokyo('2026-04-08T17:00'),
      }),
      s.recordSpan(by('member'), {
        taskId: 'not-an-id',
        start: tokyo('2026-04-08T16:00'),
        end: tokyo('2026-04-08T17:00'),
      }),
    ];
    expect(await Promise.all(attempts.map(refusal))).toEqual([
      { code: 'time.overlapping_span', kind: 'rule' },
      { code: 'time.span_in_future', kind: 'invalid' },
      { code: 'time.invalid_span', kind: 'invalid' },
      { code: 'time.invalid_span', kind: 'invalid' },
      { code: 'time.invalid_task_id', kind: 'invalid' },
    ]);
    expect(await versionOf(hanako)).toBe(version);
  });

  it('refuses more than 720 minutes in one Tokyo day', async () => {
    const s = service();
    clock.set('2026-04-10T23:00');
    await s.recordSpan(by('member'), {
      taskId: otherTask,
      start: tokyo('2026-04-10T08:00'),
      end: tokyo('2026-04-10T19:00'),
    });
    expect(
      await refusal(
        s.recordSpan(by('member'), {
          taskId: otherTask,
          start: tokyo('2026-04-10T20:00'),
          end: tokyo('2026-04-10T21:01'),
        }),
      ),
    ).toEqual({ code: 'time.day_limit_exceeded', kind: 'rule' });
    await s.recordSpan(by('member'), {
      taskId: otherTask,
      start: tokyo('2026-04-10T20:00'),
      end: tokyo('2026-04-10T21:00'),
    });
  });
});

describe('corrections, deletions, approval', () => {
  it('a coordinator of her region corrects and deletes with a reason; another region’s may not', async () => {
    const s = service();
    clock.set('2026-04-11T12:00');
    const { entry } = await s.recordSpan(by('member'), {
      taskId: otherTask,
      start: tokyo('2026-04-11T09:00'),
      end: tokyo('2026-04-11T10:00'),
    });
    const correction = {
      memberId: hanako,
      entryId: entry.entryId,
      start: tokyo('2026-04-11T09:00'),
      end: tokyo('2026-04-11T09:45'),
    };
    expect(await refusal(s.correctEntry(by('setagayaCoordinator'), { ...correction, reason: '確認済み' }))).toEqual({
      code: 'time.forbidden',
      kind: 'forbidden',
    });
    expect(await refusal(s.correctEntry(by('coordinator'), { ...correction, reason: '' }))).toEqual({
      code: 'time.reason_required',
      kind: 'invalid',
    });
    expect(await s.correctEntry(by('coordinator'), { ...correction, reason: '確認済み' })).toEqual({
      reopenedWeeks: [],
    });
    const week = await s.getWeek(as('member'));
    expect(week.entries.find((e) => e.entryId === entry.entryId)?.minutes).toBe(45);

    await s.deleteEntry(by('member'), { memberId: hanako, entryId: entry.entryId, reason: '重複' });
    expect((await s.getWeek(as('member'))).entries.some((e) => e.entryId === entry.entryId)).toBe(false);
    expect(
      await refusal(s.deleteEntry(by('coordinator'), { memberId: hanako, entryId: entry.entryId, reason: '重複' })),
    ).toEqual({ code: 'time.entry_not_found', kind: 'not_found' });
  });

  it('a coordinator of her region approves her week once it is over; a correction reopens it; she approves again', async () => {
    const s = service();
    const approval = { memberId: hanako, weekStart: '2026-04-06' };
    expect(await refusal(s.approveWeek(by('coordinator'), approval))).toEqual({
      code: 'time.week_not_over',
      kind: 'rule',
    });

    clock.set('2026-04-13T09:00');
    expect(await refusal(s.approveWeek(by('member'), approval))).toEqual({ code: 'time.forbidden', kind: 'forbidden' });
    expect(await refusal(s.approveWeek(by('setagayaCoordinator'), approval))).toEqual({
      code: 'time.forbidden',
      kind: 'forbidden',
    });
    const first = await s.approveWeek(by('coordinator'), approval);
    expect(first.alreadyApproved).toBe(false);
    expect(first.approvedEntries).toBe((await s.getWeek(as('member'), { weekStart: '2026-04-06' })).entries.length);
    expect(await s.approveWeek(by('coordinator'), approval)).toMatchObject({
      alreadyApproved: true,
      approvedEntries: 0,
    });
    expect((await s.getWeek(as('member'), { weekStart: '2026-04-06' })).approval).toBe('approved');

    // No new span in an approved week; a correction reopens it.
    expect(
      await refusal(
        s.recordSpan(by('member'), {
          taskId: otherTask,
          start: tokyo('2026-04-09T09:00'),
          end: tokyo('2026-04-09T10:00'),
        }),
      ),
    ).toEqual({ code: 'time.week_approved', kind: 'rule' });
    const week = await s.getWeek(as('member'), { weekStart: '2026-04-06' });
    const firstEntry = week.entries[0]!;
    expect(
      await s.correctEntry(by('member'), {
        memberId: hanako,
        entryId: firstEntry.entryId,
        start: firstEntry.start,
        end: new Date(firstEntry.end.getTime() - 15 * 60_000),
        reason: '終了時刻の入力ミス',
      }),
    ).toEqual({ reopenedWeeks: ['2026-04-06'] });
    expect((await s.getWeek(as('member'), { weekStart: '2026-04-06' })).approval).toBe('reopened');
    expect((await s.approveWeek(by('coordinator'), approval)).alreadyApproved).toBe(false);
  });

  it('a coordinator does not approve her own week', async () => {
    expect(
      await refusal(service().approveWeek(by('coordinator'), { memberId: teammate, weekStart: '2026-04-06' })),
    ).toEqual({
      code: 'time.forbidden',
      kind: 'forbidden',
    });
  });
});

describe('the receipt of her work', () => {
  it('is the instant she marks the task done, once', async () => {
    const s = service();
    clock.set('2026-04-14T10:15:30');
    expect(await s.markTaskDone(by('member'), { taskId: otherTask })).toEqual({ at: tokyo('2026-04-14T10:15:30') });
    expect(await refusal(s.markTaskDone(by('member'), { taskId: otherTask }))).toEqual({
      code: 'time.already_done',
      kind: 'rule',
    });
    // The task she handed off is no longer hers to mark.
    expect(await refusal(s.markTaskDone(by('member'), { taskId: task }))).toEqual({
      code: 'time.task_not_held',
      kind: 'rule',
    });
  });
});

describe('a region’s approved time', () => {
  it('lists the approved entries of a Tokyo month, for operators, the accountant and the region’s coordinator', async () => {
    const s = service();
    const view = await s.listApprovedTime(as('accountant'), { regionId: 'fujisato', month: '2026-04' });
    const week = await s.getWeek(as('member'), { weekStart: '2026-04-06' });
    expect(view.lines.map((l) => l.entry.entryId)).toEqual(week.entries.map((e) => e.entryId));
    expect(view.members).toEqual([{ memberId: hanako, minutes: week.totalMinutes }]);
    expect(view.totalMinutes).toBe(week.totalMinutes);
    expect((await s.listApprovedTime(as('coordinator'), { regionId: 'fujisato', month: '2026-04' })).totalMinutes).toBe(
      week.totalMinutes,
    );
    expect((await s.listApprovedTime(as('operator'), { regionId: 'fujisato', month: '2026-05' })).lines).toEqual([]);
    for (const person of ['member', 'setagayaCoordinator'] as const)
      expect(await refusal(s.listApprovedTime(as(person), { regionId: 'fujisato', month: '2026-04' }))).toEqual({
        code: 'time.forbidden',
        kind: 'forbidden',
      });
    expect(await refusal(s.listApprovedTime(as('operator'), { regionId: 'fujisato', month: '2026-4' }))).toEqual({
      code: 'time.invalid_month',
      kind: 'invalid',
    });
  });
});

describe('a cancelled job', () => {
  it('ends every hold of its tasks: no time after the cancellation', async () => {
    const s = service();
    const cancelled = scheduleOf(store);
    const [t] = cancelled.taskIds as [string];
    await cancelled.received(tokyo('2026-04-15T08:00'));
    await cancelled.assigned(t, hanako, tokyo('2026-04-15T09:00'));
    await cancelled.cancelled(tokyo('2026-04-15T12:00'), [[t, hanako]]);
    clock.set('2026-04-15T18:00');
    await s.recordSpan(by('member'), { taskId: t, start: tokyo('2026-04-15T10:00'), end: tokyo('2026-04-15T11:00') });
    expect(
      await refusal(
        s.recordSpan(by('member'), { taskId: t, start: tokyo('2026-04-15T11:30'), end: tokyo('2026-04-15T12:30') }),
      ),
    ).toEqual({ code: 'time.task_not_held', kind: 'rule' });
  });
});
