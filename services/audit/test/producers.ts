/**
 * Other services' events as their producers write them to the store, typed by each producer's
 * own event types (job intake's JobEvent, task decomposition's PlanEvent, team scheduling's
 * ScheduleEvent, time tracking's TimesheetEvent): a test cannot feed the audit an event its
 * producer could not write. Each is appended to its owner's stream (jobStream, planStream,
 * scheduleStream, timesheetStream of those packages), at the time it occurred.
 */
import type { EventStore, JsonObject } from '@workshare/eventsourcing';
import { jobStream, type JobEvent } from '@workshare/job-intake';
import { planStream, type PlanEvent } from '@workshare/task-decomposition';
import { scheduleStream, type ScheduleEvent } from '@workshare/team-scheduling';
import { timesheetStream, type TimesheetEvent } from '@workshare/time-tracking';

export const tokyo = (local: string): Date => new Date(`${local}+09:00`);

type Produced<E extends { type: string; data: object }> = E & { readonly at: Date; readonly actor?: string };

const append = async <E extends { type: string; data: object }>(
  store: EventStore,
  stream: string,
  events: readonly Produced<E>[],
) =>
  store.append(
    stream,
    events.map((e) => ({
      type: e.type,
      data: e.data as unknown as JsonObject,
      occurredAt: e.at,
      metadata: { actor: e.actor ?? 'test-producer' },
    })),
  );

export const jobEvents = (store: EventStore, jobId: string, events: readonly Produced<JobEvent>[]) =>
  append(store, jobStream(jobId), events);
export const planEvents = (store: EventStore, jobId: string, events: readonly Produced<PlanEvent>[]) =>
  append(store, planStream(jobId), events);
export const scheduleEvents = (store: EventStore, jobId: string, events: readonly Produced<ScheduleEvent>[]) =>
  append(store, scheduleStream(jobId), events);
export const timesheetEvents = (store: EventStore, memberId: string, events: readonly Produced<TimesheetEvent>[]) =>
  append(store, timesheetStream(memberId), events);

/** A job of a business as job intake submits and accepts it (fixed price). */
export const submittedJob = (
  o: { jobId: string; businessId: string; regionId: string; title: string; amountYen: string; by: string },
  at: Date,
): Produced<JobEvent>[] => [
  {
    type: 'JobSubmitted',
    at,
    actor: o.by,
    data: {
      jobId: o.jobId,
      businessId: o.businessId,
      title: o.title,
      description: 'カタログの商品データ入力',
      workCategory: 'data_entry',
      pricing: { kind: 'fixed_price' },
      amountYen: o.amountYen,
      deadline: '2026-11-30T08:00:00.000Z',
      regionId: o.regionId,
      localOnlyTownId: null,
      skills: ['data entry'],
      submittedBy: o.by,
    },
  },
];

/** A plan of tasks as task decomposition confirms it. */
export const plannedTasks = (
  o: {
    jobId: string;
    businessId: string;
    regionId: string;
    tasks: readonly { taskId: string; title: string }[];
    by: string;
  },
  at: Date,
): Produced<PlanEvent> => ({
  type: 'TasksPlanned',
  at,
  actor: o.by,
  data: {
    jobId: o.jobId,
    businessId: o.businessId,
    regionId: o.regionId,
    localOnlyTownId: null,
    workCategory: 'data_entry',
    round: 1,
    plannedBy: o.by,
    tasks: o.tasks.map((t, i) => ({
      taskId: t.taskId,
      key: `t${i + 1}`,
      title: t.title,
      estimatedMinutes: 40,
      skills: ['data entry'],
      dependsOn: [],
      deadline: '2026-11-30T08:00:00.000Z',
    })),
  },
});

/** The same tasks as team scheduling receives them. */
export const receivedTasks = (
  o: { jobId: string; businessId: string; regionId: string; tasks: readonly { taskId: string; title: string }[] },
  at: Date,
): Produced<ScheduleEvent> => ({
  type: 'TasksReceived',
  at,
  actor: 'system:team-scheduling',
  data: {
    jobId: o.jobId,
    businessId: o.businessId,
    regionId: o.regionId,
    localOnlyTownId: null,
    round: 1,
    tasks: o.tasks.map((t, i) => ({
      taskId: t.taskId,
      key: `t${i + 1}`,
      title: t.title,
      estimatedMinutes: 40,
      skills: ['data entry'],
      dependsOn: [],
      deadline: '2026-11-30T08:00:00.000Z',
    })),
  },
});
