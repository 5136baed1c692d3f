/**
 * The task holdings read model, fed with team scheduling's published schedule events on the
 * embedded store: who held which task when (an assignment, a hand-off: the span before it is
 * hers, after it the teammate's; an override; a release; nobody able to take it; the job's
 * cancellation), each task's job and home region, internal and malformed events passed over,
 * and its state kept across a restart and a rebuild.
 */
import type { EventStore, ProjectionStore } from '@workshare/eventsourcing';
import { openEventStore, openServiceProjections } from '@workshare/eventstore';
import { TaskHoldings } from '../../src/application/task-holdings.js';
import { tokyo } from '../cooperative.js';
import { scheduleOf } from '../schedule.js';

const HANAKO = '01960000-0000-7000-8000-00000000f001';
const YUKI = '01960000-0000-7000-8000-00000000f002';
const MAI = '01960000-0000-7000-8000-00000000f003';

let store: EventStore;
let projections: ProjectionStore;
let holdings: TaskHoldings;

beforeAll(async () => {
  store = await openEventStore('embedded:memory');
  projections = await openServiceProjections(store, 'time-tracking');
  holdings = new TaskHoldings(store, projections, { maxStalenessMs: 0 });
});
afterAll(async () => {
  await holdings?.flush();
  await projections?.close();
  await store?.close();
});

const intervalsOf = (memberId: string, taskId: string) => holdings.holding(memberId, taskId)?.intervals;

describe('task holdings from team scheduling’s published events', () => {
  it('a hand-off: the span before it is hers, the span after it the teammate’s', async () => {
    const job = scheduleOf(store);
    const [task] = job.taskIds as [string];
    await job.received(tokyo('2026-04-06T08:00'));
    await job.assigned(task, HANAKO, tokyo('2026-04-06T09:00'));
    await job.handedOff(task, HANAKO, YUKI, tokyo('2026-04-06T11:00'));
    await holdings.catchUp();

    expect(holdings.holding(HANAKO, task)).toEqual({
      taskId: task,
      jobId: job.jobId,
      regionId: 'fujisato',
      intervals: [{ from: tokyo('2026-04-06T09:00'), to: tokyo('2026-04-06T11:00') }],
    });
    expect(intervalsOf(YUKI, task)).toEqual([{ from: tokyo('2026-04-06T11:00') }]);
    // Someone who never held it: the task is known, with no hold of hers.
    expect(intervalsOf(MAI, task)).toEqual([]);
  });

  it('an override ends the holder’s hold and opens the chosen member’s; one from nobody opens hers only', async () => {
    const job = scheduleOf(store);
    const [first, second] = job.taskIds as [string, string];
    await job.received(tokyo('2026-04-06T08:00'));
    await job.assigned(first, HANAKO, tokyo('2026-04-06T09:00'));
    await job.overridden(first, HANAKO, MAI, tokyo('2026-04-07T09:00'));
    await job.unassignable(second, tokyo('2026-04-06T08:00'));
    await job.overridden(second, null, YUKI, tokyo('2026-04-07T10:00'));
    await holdings.catchUp();

    expect(intervalsOf(HANAKO, first)).toEqual([{ from: tokyo('2026-04-06T09:00'), to: tokyo('2026-04-07T09:00') }]);
    expect(intervalsOf(MAI, first)).toEqual([{ from: tokyo('2026-04-07T09:00') }]);
    expect(intervalsOf(YUKI, second)).toEqual([{ from: tokyo('2026-04-07T10:00') }]);
  });

  it('a release ends her hold; holding the task again opens a second one', async () => {
    const job = scheduleOf(store);
    const [task] = job.taskIds as [string];
    await job.received(tokyo('2026-04-06T08:00'));
    await job.assigned(task, HANAKO, tokyo('2026-04-06T09:00'));
    await job.released(task, HANAKO, tokyo('2026-04-06T10:00'));
    await job.unassignable(task, tokyo('2026-04-06T10:00'));
    await job.assigned(task, HANAKO, tokyo('2026-04-07T09:00'));
    await holdings.catchUp();

    expect(intervalsOf(HANAKO, task)).toEqual([
      { from: tokyo('2026-04-06T09:00'), to: tokyo('2026-04-06T10:00') },
      { from: tokyo('2026-04-07T09:00') },
    ]);
  });

  it('the job’s cancellation ends every hold of its tasks', async () => {
    const job = scheduleOf(store);
    const [first, second] = job.taskIds as [string, string];
    await job.received(tokyo('2026-04-06T08:00'));
    await job.assigned(first, HANAKO, tokyo('2026-04-06T09:00'));
    await job.assigned(second, YUKI, tokyo('2026-04-06T09:00'));
    await job.append('JobCancelledRecorded', { jobId: job.jobId, reason: '中止' }, tokyo('2026-04-07T15:00'));
    await holdings.catchUp();

    expect(intervalsOf(HANAKO, first)).toEqual([{ from: tokyo('2026-04-06T09:00'), to: tokyo('2026-04-07T15:00') }]);
    expect(intervalsOf(YUKI, second)).toEqual([{ from: tokyo('2026-04-06T09:00'), to: tokyo('2026-04-07T15:00') }]);
  });

  it('knows the job’s home region from TasksReceived, and nothing of a task whose job it never received', async () => {
    const job = scheduleOf(store);
    const [task] = job.taskIds as [string];
    await job.assigned(task, HANAKO, tokyo('2026-04-06T09:00'));
    await holdings.catchUp();
    expect(holdings.holding(HANAKO, task)).toBeUndefined();

    await job.received(tokyo('2026-04-06T08:00'), 'setagaya');
    await holdings.catchUp();
    expect(holdings.holding(HANAKO, task)).toMatchObject({ regionId: 'setagaya', jobId: job.jobId });
  });

  it('passes over internal events and keeps the id of a malformed one, folding the rest of the stream', async () => {
    const job = scheduleOf(store);
    const [task] = job.taskIds as [string];
    await job.received(tokyo('2026-04-06T08:00'));
    await job.append(
      'TraineePaired',
      { taskId: task, traineeMemberId: MAI, reason: '研修', by: 'x' },
      tokyo('2026-04-06T08:30'),
    );
    const { events } = await store.append(`schedule-${job.jobId}`, [
      { type: 'TaskAssigned', data: { taskId: task, memberId: '' }, occurredAt: tokyo('2026-04-06T08:40') },
    ]);
    await job.assigned(task, HANAKO, tokyo('2026-04-06T09:00'));
    await holdings.catchUp();

    expect(intervalsOf(MAI, task)).toEqual([]);
    expect(intervalsOf(HANAKO, task)).toEqual([{ from: tokyo('2026-04-06T09:00') }]);
    expect(holdings.job(task)?.refusedEventIds).toEqual([events[0]!.id]);
  });

  it('is durable: a new instance reads its documents back, and a rebuild from zero ends the same', async () => {
    const job = scheduleOf(store);
    const [task] = job.taskIds as [string];
    await job.received(tokyo('2026-04-06T08:00'));
    await job.assigned(task, HANAKO, tokyo('2026-04-06T09:00'));
    await job.handedOff(task, HANAKO, YUKI, tokyo('2026-04-06T11:00'));
    await holdings.catchUp();
    await holdings.flush();
    const before = { hanako: intervalsOf(HANAKO, task), yuki: intervalsOf(YUKI, task) };

    const restarted = new TaskHoldings(store, projections, { maxStalenessMs: 0 });
    await restarted.ready();
    expect(restarted.holding(HANAKO, task)?.intervals).toEqual(before.hanako);
    expect(restarted.holding(YUKI, task)?.intervals).toEqual(before.yuki);
    expect(restarted.status().documents.jobs).toBeGreaterThanOrEqual(1);

    const progress = await restarted.rebuild();
    expect(progress.done).toBe(true);
    expect(restarted.holding(HANAKO, task)?.intervals).toEqual(before.hanako);
    expect(restarted.holding(YUKI, task)?.intervals).toEqual(before.yuki);
    await restarted.flush();
  });
});
