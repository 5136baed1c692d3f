import { FollowedReadModel, StreamViews, type EventStore, type RecordedEvent } from '@workshare/eventsourcing';
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
  SCHEDULE_EVENT_TYPES,
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
 * the rest. Rebuilt from nothing by making a new one.
 */
export class Roster extends FollowedReadModel {
  private readonly crew: StreamViews<CrewState>;
  private readonly schedules: StreamViews<ScheduleState>;
  private readonly jobOfTask = new Map<string, string>();
  private readonly releasedFor = new Map<string, Set<string>>();

  constructor(store: Pick<EventStore, 'readAll' | 'readStream'>, options: RosterOptions = {}) {
    super(store, options.maxStalenessMs !== undefined ? { maxStalenessMs: options.maxStalenessMs } : {});
    this.crew = new StreamViews<CrewState>(store, {
      accepts: (e) => e.streamName.startsWith('crew-') && CREW_EVENTS.has(e.type),
      project: (known, e) => evolveCrew(known ?? initialCrew(), { type: e.type, data: e.data } as CrewEvent),
    });
    this.schedules = new StreamViews<ScheduleState>(store, {
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

  private index(event: RecordedEvent): void {
    if (event.type === 'TasksReceived') {
      const { jobId, tasks } = event.data as unknown as TasksReceived['data'];
      for (const t of tasks) this.jobOfTask.set(t.taskId, jobId);
    }
    const declaration = event.metadata[DECLARATION_KEY];
    if (event.type === 'TaskReleased' && typeof declaration === 'string') {
      const taskId = String(event.data.taskId);
      const released = this.releasedFor.get(declaration) ?? new Set<string>();
      released.add(taskId);
      this.releasedFor.set(declaration, released);
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
