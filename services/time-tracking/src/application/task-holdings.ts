import { TEAM_SCHEDULING_PUBLISHED_EVENTS, parsePublished } from '@workshare/contracts';
import {
  DurableReadModel,
  type DurableReadModelOptions,
  type ProjectionDefinition,
  type ProjectionStore,
  type ReadModelSource,
  type RecordedEvent,
  type StreamViews,
} from '@workshare/eventsourcing';
import type { TaskHolding } from '../domain/timesheet.js';

/** Team scheduling's published schedule events, read from the `schedule` streams (raise the version when the folding changes). */
export const TASK_HOLDINGS_PROJECTION: ProjectionDefinition = {
  name: 'task-holdings',
  version: 1,
  categories: ['schedule'],
};

/** One member's hold of a task: from the event that gave it to her to the one that took it back (`to` undefined: she holds it). */
export interface HeldSpan {
  readonly memberId: string;
  readonly from: Date;
  readonly to?: Date;
}

/** A job's schedule as time tracking knows it: its home region (TasksReceived) and who held each task when. */
export interface JobHoldings {
  readonly jobId: string;
  /** The job's home region, from TasksReceived; undefined until it arrives. */
  readonly regionId?: string;
  /** Every hold of each task, by task id, oldest first. */
  readonly tasks: Readonly<Record<string, readonly HeldSpan[]>>;
  /** Events of the stream the contract refused (malformed, or of a version not published), by id: left out. */
  readonly refusedEventIds: readonly string[];
}

const SCHEDULE_PREFIX = 'schedule-';

const spansOf = (view: JobHoldings, taskId: string): readonly HeldSpan[] =>
  (Object.hasOwn(view.tasks, taskId) ? view.tasks[taskId] : undefined) ?? [];

const withSpans = (view: JobHoldings, taskId: string, spans: readonly HeldSpan[]): JobHoldings => ({
  ...view,
  tasks: { ...view.tasks, [taskId]: spans },
});

/** Closes the open holds of a task at `at`: every one, or only this member's. */
const close = (view: JobHoldings, taskId: string, at: Date, memberId?: string): JobHoldings => {
  const spans = spansOf(view, taskId);
  if (!spans.some((s) => s.to === undefined && (memberId === undefined || s.memberId === memberId))) return view;
  return withSpans(
    view,
    taskId,
    spans.map((s) =>
      s.to === undefined && (memberId === undefined || s.memberId === memberId) ? { ...s, to: at } : s,
    ),
  );
};

/**
 * Opens a hold of the task for this member at `at` (one holder at a time: anyone else's open
 * hold ends there); nothing changes when she holds it already.
 */
const open = (view: JobHoldings, taskId: string, memberId: string, at: Date): JobHoldings => {
  const others = spansOf(view, taskId).filter((s) => s.to === undefined && s.memberId !== memberId);
  const closed = others.length > 0 ? close(view, taskId, at) : view;
  const spans = spansOf(closed, taskId);
  if (spans.some((s) => s.to === undefined && s.memberId === memberId)) return closed;
  return withSpans(closed, taskId, [...spans, { memberId, from: at }]);
};

const emptyJob = (jobId: string): JobHoldings => ({ jobId, tasks: {}, refusedEventIds: [] });

/**
 * Folds one event of a `schedule-<jobId>` stream, read through team scheduling's published
 * catalogue only: a hold opens at the event's occurred-at for the member TaskAssigned,
 * TaskHandedOff (`to`) or AssignmentOverridden (`to`) names, and closes at TaskReleased, at
 * AssignmentOverridden (`from`) and TaskHandedOff (`from`, after her TaskReleased), at
 * TaskUnassignable (nobody holds it) and, for every task of the job, at JobCancelledRecorded.
 * Internal events are passed over; an event the contract refuses is passed over too and its id
 * kept (a read model cannot send it back: the schedule's own consumers dead-letter it).
 */
export const projectSchedule = (known: JobHoldings | undefined, event: RecordedEvent): JobHoldings => {
  const view = known ?? emptyJob(event.streamName.slice(SCHEDULE_PREFIX.length));
  const parsed = parsePublished(TEAM_SCHEDULING_PUBLISHED_EVENTS, event);
  if (!parsed.ok) {
    if (parsed.error.code === 'contract.unpublished_event') return view;
    return { ...view, refusedEventIds: [...view.refusedEventIds, event.id] };
  }
  const at = event.occurredAt;
  const published = parsed.value;
  switch (published.type) {
    case 'TasksReceived': {
      const tasks: Record<string, readonly HeldSpan[]> = { ...view.tasks };
      for (const task of published.data.tasks) if (!Object.hasOwn(tasks, task.taskId)) tasks[task.taskId] = [];
      return { ...view, regionId: published.data.regionId, tasks };
    }
    case 'TaskAssigned':
      return open(view, published.data.taskId, published.data.memberId, at);
    case 'TaskHandedOff': {
      const { taskId, fromMemberId, toMemberId } = published.data;
      return open(close(view, taskId, at, fromMemberId), taskId, toMemberId, at);
    }
    case 'AssignmentOverridden': {
      const { taskId, fromMemberId, toMemberId } = published.data;
      const released = fromMemberId === null ? view : close(view, taskId, at, fromMemberId);
      return open(released, taskId, toMemberId, at);
    }
    case 'TaskReleased':
      return close(view, published.data.taskId, at, published.data.memberId);
    case 'TaskUnassignable':
      return close(view, published.data.taskId, at);
    case 'JobCancelledRecorded':
      return Object.keys(view.tasks).reduce((v, taskId) => close(v, taskId, at), view);
    default:
      return view;
  }
};

/**
 * Task holdings: who held which task when, from team scheduling's published schedule events
 * (never its tables), with each task's job and the job's home region. What the timesheet checks
 * ("she held task T for the whole span"). A durable read model in time tracking's schema: one
 * document per job's schedule stream, its version the stream's; catch-up passes read the
 * `schedule` category of the log after the checkpoint.
 */
export class TaskHoldings extends DurableReadModel {
  private readonly jobs: StreamViews<JobHoldings>;
  /** Task id → its job's stream (derived from the documents: rebuilt on load). */
  private readonly streamOfTask = new Map<string, string>();

  constructor(store: ReadModelSource, projections: ProjectionStore, options: DurableReadModelOptions = {}) {
    super(store, projections, TASK_HOLDINGS_PROJECTION, options);
    this.jobs = this.streamViews<JobHoldings>('jobs', {
      // Every event of the stream (internal ones too), so that its versions follow one another.
      accepts: (event) => event.streamName.startsWith(SCHEDULE_PREFIX),
      project: (known, event) => {
        const view = projectSchedule(known, event);
        this.index(event.streamName, view);
        return view;
      },
    });
  }

  protected apply(event: RecordedEvent): Promise<void> {
    return this.jobs.apply(event);
  }

  protected override restored(): void {
    this.streamOfTask.clear();
    for (const [streamName, { view }] of this.jobs.entries()) this.index(streamName, view);
  }

  private index(streamName: string, view: JobHoldings): void {
    for (const taskId of Object.keys(view.tasks)) this.streamOfTask.set(taskId, streamName);
  }

  /** The job of a task and what the schedule says of it (undefined for a task it never received). */
  job(taskId: string): JobHoldings | undefined {
    const stream = this.streamOfTask.get(taskId);
    return stream === undefined ? undefined : this.jobs.get(stream)?.view;
  }

  /**
   * The schedule's record of a task for one member: its job, the job's home region and her
   * holds of it (none when she never held it); undefined for a task whose TasksReceived is not
   * known.
   */
  holding(memberId: string, taskId: string): TaskHolding | undefined {
    const job = this.job(taskId);
    if (job?.regionId === undefined) return undefined;
    return {
      taskId,
      jobId: job.jobId,
      regionId: job.regionId,
      intervals: spansOf(job, taskId)
        .filter((s) => s.memberId === memberId)
        .map((s) => (s.to === undefined ? { from: s.from } : { from: s.from, to: s.to })),
    };
  }
}
