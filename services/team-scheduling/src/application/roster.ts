import {
  DurableReadModel,
  type Documents,
  type ProjectionDefinition,
  type ProjectionStore,
  type ReadModelSource,
  type RecordedEvent,
  type StreamViews,
} from '@workshare/eventsourcing';
import {
  CREW_EVENT_TYPES,
  evolve as evolveCrew,
  initialState as initialCrew,
  isCrewMember,
  type CrewEvent,
  type CrewMember,
  type CrewState,
} from '../domain/crew.js';
import {
  evolve as evolveSchedule,
  initialState as initialSchedule,
  isJobSchedule,
  openTasksOf,
  SCHEDULE_EVENT_TYPES,
  teamRegionsOf,
  tasksOf,
  type JobSchedule,
  type ScheduleEvent,
  type ScheduledTaskState,
  type ScheduleState,
  type TasksReceived,
} from '../domain/job-schedule.js';
import type { Interval } from '../domain/scheduler/model.js';

export interface RosterOptions {
  /** How stale reads may be for other processes' writes (default 100 ms); this process's writes are seen at once. */
  readonly maxStalenessMs?: number;
}

/** The roster as a durable read model: the crew and schedule streams (raise the version when its folding changes). */
export const ROSTER_PROJECTION: ProjectionDefinition = { name: 'roster', version: 1, categories: ['crew', 'schedule'] };

const CREW_EVENTS = new Set<string>(CREW_EVENT_TYPES);
const SCHEDULE_EVENTS = new Set<string>(SCHEDULE_EVENT_TYPES);

/** A task of a job, as the roster holds it. */
export interface JobTask {
  readonly job: JobSchedule;
  readonly task: ScheduledTaskState;
}

/** The metadata key naming the declaration (or departure) a hand-off followed. */
export const DECLARATION_KEY = 'declarationId';

/**
 * The read model behind scheduling: every member of every team (windows, skills, town, wished
 * minutes, unavailable periods) from the `crew-*` streams, and every job's schedule from the
 * `schedule-*` streams, hence who is busy when. Folded from the store's global log with the
 * deciders' own evolve functions; write-through for what this process appends, catch-up for
 * the rest. Durable (DurableReadModel: team scheduling's schema, with its checkpoint): a restart
 * reads only the crew and schedule events after its checkpoint; `rebuild()` starts from nothing.
 */
export class Roster extends DurableReadModel {
  private readonly crew: StreamViews<CrewState>;
  private readonly schedules: StreamViews<ScheduleState>;
  /** Derived from the schedules (rebuilt from them on load). */
  private readonly jobOfTask = new Map<string, string>();
  /** The tasks each declaration (or departure) released: from the events' metadata, so kept as documents. */
  private readonly releasedFor: Documents<string[]>;

  constructor(store: ReadModelSource, projections: ProjectionStore, options: RosterOptions = {}) {
    super(
      store,
      projections,
      ROSTER_PROJECTION,
      options.maxStalenessMs !== undefined ? { maxStalenessMs: options.maxStalenessMs } : {},
    );
    this.releasedFor = this.documents<string[]>('released-for');
    this.crew = this.streamViews<CrewState>('crew', {
      accepts: (e) => e.streamName.startsWith('crew-') && CREW_EVENTS.has(e.type),
      project: (known, e) => evolveCrew(known ?? initialCrew(), { type: e.type, data: e.data } as CrewEvent),
    });
    this.schedules = this.streamViews<ScheduleState>('schedules', {
      accepts: (e) => e.streamName.startsWith('schedule-') && SCHEDULE_EVENTS.has(e.type),
      project: (known, e) => {
        this.index(e);
        return evolveSchedule(known ?? initialSchedule(), { type: e.type, data: e.data } as ScheduleEvent);
      },
    });
  }

  protected async apply(event: RecordedEvent): Promise<void> {
    await this.crew.apply(event);
    await this.schedules.apply(event);
  }

  protected override restored(): void {
    this.jobOfTask.clear();
    for (const [, { view }] of this.schedules.entries()) {
      if (!isJobSchedule(view)) continue;
      for (const taskId of view.taskIds) this.jobOfTask.set(taskId, view.jobId);
    }
  }

  private index(event: RecordedEvent): void {
    if (event.type === 'TasksReceived') {
      const { jobId, tasks } = event.data as unknown as TasksReceived['data'];
      for (const t of tasks) this.jobOfTask.set(t.taskId, jobId);
    }
    const declaration = event.metadata[DECLARATION_KEY];
    if (event.type === 'TaskReleased' && typeof declaration === 'string') {
      const taskId = String(event.data.taskId);
      const released = this.releasedFor.get(declaration) ?? [];
      if (!released.includes(taskId)) this.releasedFor.set(declaration, [...released, taskId]);
    }
  }

  member(memberId: string): CrewMember | undefined {
    const state = this.crew.get(`crew-${memberId}`)?.view;
    return state !== undefined && isCrewMember(state) ? state : undefined;
  }

  /** The active members of these regions' teams, in a fixed order (by id). */
  team(regionIds: readonly string[]): CrewMember[] {
    const members: CrewMember[] = [];
    for (const [, { view }] of this.crew.entries()) {
      if (isCrewMember(view) && view.status === 'active' && regionIds.includes(view.regionId)) members.push(view);
    }
    return members.sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  }

  job(jobId: string): JobSchedule | undefined {
    const state = this.schedules.get(`schedule-${jobId}`)?.view;
    return state !== undefined && isJobSchedule(state) ? state : undefined;
  }

  jobIdOfTask(taskId: string): string | undefined {
    return this.jobOfTask.get(taskId);
  }

  /** The tasks a declaration (or departure) released, by its event id. */
  tasksReleasedFor(declarationId: string): string[] {
    return [...(this.releasedFor.get(declarationId) ?? [])];
  }

  /** The open jobs one of whose teams is this region's, with tasks not assigned yet (waiting or unassignable). */
  jobsWaitingIn(regionId: string): JobSchedule[] {
    const waiting: JobSchedule[] = [];
    for (const [, { view }] of this.schedules.entries()) {
      if (!isJobSchedule(view) || view.status !== 'open' || !teamRegionsOf(view).includes(regionId)) continue;
      if (openTasksOf(view).length > 0) waiting.push(view);
    }
    return waiting.sort((a, b) => (a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0));
  }

  /** Every task of the jobs not cancelled. */
  *openJobTasks(): Generator<JobTask> {
    for (const [, { view }] of this.schedules.entries()) {
      if (!isJobSchedule(view) || view.status === 'cancelled') continue;
      for (const task of tasksOf(view)) yield { job: view, task };
    }
  }

  /**
   * Who is busy when on every job not cancelled but this one (a decision on it counts its own
   * spans): each holder's planned spans, and each trainee's (she shadows the holder).
   */
  busyOutside(jobId: string): Record<string, Interval[]> {
    const busy: Record<string, Interval[]> = {};
    const add = (memberId: string, span: Interval) => (busy[memberId] = [...(busy[memberId] ?? []), span]);
    for (const { job, task } of this.openJobTasks()) {
      if (job.jobId === jobId || task.status !== 'assigned' || task.holder === undefined) continue;
      const span = { start: task.holder.start, end: task.holder.end };
      add(task.holder.memberId, span);
      if (task.traineeMemberId !== undefined) add(task.traineeMemberId, span);
    }
    return busy;
  }

  /** The tasks she holds or shadows, over every job not cancelled. */
  tasksOfMember(memberId: string): JobTask[] {
    const found: JobTask[] = [];
    for (const entry of this.openJobTasks()) {
      const { task } = entry;
      if (task.status === 'assigned' && (task.holder?.memberId === memberId || task.traineeMemberId === memberId))
        found.push(entry);
    }
    return found;
  }
}
