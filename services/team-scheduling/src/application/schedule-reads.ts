import {
  ForbiddenError,
  isMember,
  NotFoundError,
  ValidationError,
  type Actor,
  type CommandContext,
  type RecordedEvent,
} from '@workshare/eventsourcing';
import { wishedMinutes, type CrewMember } from '../domain/crew.js';
import { isJobSchedule, scheduleStream, tasksOf, teamRegionsOf, type JobSchedule } from '../domain/job-schedule.js';
import { overlaps } from '../domain/team.js';
import { jobReadingOf, mayReadJob, mayReadMember, type JobReading } from './access.js';
import {
  taskViewOf,
  viewsOf,
  type JobScheduleView,
  type MemberLoad,
  type TaskHistoryEntry,
  type TaskView,
} from './views.js';
import { shownTo } from './personal-texts.js';
import { idOf, type Workbench } from './workbench.js';

const MAX_QUERY_SPAN_MS = 400 * 86_400_000;

export interface MemberScheduleQuery {
  readonly memberId: string;
  readonly from: Date;
  readonly to: Date;
}

export interface TaskHolderQuery {
  readonly taskId: string;
  readonly at: Date;
}

const bySoonest = (a: TaskView, b: TaskView): number =>
  (a.span?.start.getTime() ?? Number.POSITIVE_INFINITY) - (b.span?.start.getTime() ?? Number.POSITIVE_INFINITY) ||
  (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0);

/**
 * The reads: a job's schedule and a task's history from the job's stream, a member's tasks from
 * the Roster. Who may read what, and what the job's business sees of the members (holders and
 * statuses, never their reasons, notes or hours), is access.ts's.
 */
export class ScheduleReads {
  constructor(private readonly bench: Workbench) {}

  /** The job's tasks with holders and spans, and (but for its business) each team member's planned minutes on it. */
  async getJobSchedule(context: CommandContext, jobId: string): Promise<JobScheduleView> {
    const job = await this.readableJob(context.actor, idOf(jobId, 'job.invalid_id', 'job_id'));
    const view = { jobId: job.jobId, regionId: job.regionId, partnerRegionIds: [...job.partnerRegionIds] };
    if (jobReadingOf(context.actor, job) === 'holders') return { ...view, tasks: viewsOf(job), loads: [] };
    await this.bench.roster.ensureFresh();
    const { roster } = this.bench;
    const minutes = new Map<string, number>();
    for (const t of tasksOf(job))
      if (t.status === 'assigned' && t.holder)
        minutes.set(t.holder.memberId, (minutes.get(t.holder.memberId) ?? 0) + t.estimatedMinutes);
    const members = new Map<string, CrewMember | undefined>(
      roster.team(teamRegionsOf(job)).map((m) => [m.memberId, m]),
    );
    for (const memberId of minutes.keys()) if (!members.has(memberId)) members.set(memberId, roster.member(memberId));
    const loads: MemberLoad[] = [...members].map(([memberId, member]) => ({
      memberId,
      assignedMinutes: minutes.get(memberId) ?? 0,
      wishedMinutesPerWeek: member !== undefined ? wishedMinutes(member) : 0,
    }));
    return { ...view, tasks: viewsOf(job), loads };
  }

  /** A member's tasks (held or shadowed) whose span meets [from, to), soonest first: hers, and her coordinators'. */
  async getMemberSchedule(context: CommandContext, query: MemberScheduleQuery): Promise<TaskView[]> {
    const { actor } = context;
    const memberId = idOf(query.memberId, 'crew.invalid_member_id', 'member_id');
    const from = query.from.getTime();
    const to = query.to.getTime();
    if (!(from < to))
      throw new ValidationError('crew.invalid_period', 'the period ends after it starts', { field: 'to' });
    if (to - from > MAX_QUERY_SPAN_MS)
      throw new ValidationError('crew.invalid_period', 'a schedule is asked for at most 400 days at a time', {
        field: 'to',
      });
    const { roster } = this.bench;
    await roster.ensureFresh();
    const member = roster.member(memberId);
    if (member === undefined) {
      if (actor.id !== memberId && !actor.roles.some((r) => r.kind === 'coordinator'))
        throw new ForbiddenError('crew.forbidden', 'you may not see this member’s schedule');
      throw new NotFoundError('crew.member_not_found', 'no such member in any team');
    }
    if (!mayReadMember(actor, member))
      throw new ForbiddenError(
        'crew.forbidden',
        `only the member herself or a coordinator of ${member.regionId} sees her schedule`,
      );
    return roster
      .tasksOfMember(memberId)
      .filter(({ task }) => task.holder !== undefined && overlaps(task.holder, { start: from, end: to }))
      .map(({ job, task }) => taskViewOf(job, task))
      .sort(bySoonest);
  }

  /** The caller's own tasks (held or shadowed), soonest first. */
  async listMyTasks(context: CommandContext): Promise<TaskView[]> {
    const { actor } = context;
    if (!isMember(actor)) throw new ForbiddenError('schedule.forbidden', 'only members hold tasks');
    await this.bench.roster.ensureFresh();
    return this.bench.roster
      .tasksOfMember(actor.id)
      .map(({ job, task }) => taskViewOf(job, task))
      .sort(bySoonest);
  }

  /**
   * Every assignment, release, hand-off, override and pairing of a task, oldest first, from the
   * job's events (for the job's business: without the members' reasons and notes).
   */
  async getTaskHistory(context: CommandContext, taskId: string): Promise<TaskHistoryEntry[]> {
    const { events, reading } = await this.readableTask(context.actor, idOf(taskId, 'task.invalid_id', 'task_id'));
    const entries = events.flatMap((event) => {
      const entry = historyEntryOf(event, taskId);
      return entry === undefined ? [] : [entry];
    });
    if (reading !== 'everything') return entries.map(({ entry }) => withoutMembersWords(entry));
    // The members' words, sealed with their keys, opened for this reader in one batch.
    const shown = await shownTo(
      this.bench.options.texts,
      context,
      entries.flatMap(({ words }) => [words.reason, words.progressNote]),
    );
    return entries.map(({ entry }, i) => {
      const reason = shown[2 * i]!;
      const note = shown[2 * i + 1]!;
      return {
        ...entry,
        ...(entry.kind === 'unassignable' ? {} : { reason: reason.text, reasonStatus: reason.status }),
        progressNote: note.text,
        progressNoteStatus: note.status,
      };
    });
  }

  /** Who held a task at an instant, from the events' occurred-at (undefined when nobody did). */
  async getTaskHolder(context: CommandContext, { taskId, at }: TaskHolderQuery): Promise<string | undefined> {
    const { events } = await this.readableTask(context.actor, idOf(taskId, 'task.invalid_id', 'task_id'));
    let holder: string | undefined;
    for (const event of events) {
      if (event.occurredAt.getTime() > at.getTime()) break;
      if (event.data.taskId !== taskId) continue;
      if (event.type === 'TaskAssigned') holder = String(event.data.memberId);
      else if (event.type === 'TaskHandedOff' || event.type === 'AssignmentOverridden')
        holder = String(event.data.toMemberId);
      else if (event.type === 'TaskReleased' || event.type === 'TaskUnassignable') holder = undefined;
    }
    return holder;
  }

  private async readableJob(actor: Actor, jobId: string): Promise<JobSchedule> {
    const { state } = await this.bench.schedules.load(scheduleStream(jobId));
    if (!isJobSchedule(state)) throw new NotFoundError('job.not_found', 'no schedule for this job');
    if (!mayReadJob(actor, state))
      throw new ForbiddenError('schedule.forbidden', 'you may not see this job’s schedule');
    return state;
  }

  /** The task's job events, for readers of the job and anyone who held or shadowed the task. */
  private async readableTask(
    actor: Actor,
    taskId: string,
  ): Promise<{ events: readonly RecordedEvent[]; reading: JobReading }> {
    await this.bench.roster.ensureFresh();
    const { state, events } = await this.bench.schedules.load(scheduleStream(this.bench.jobIdOfTask(taskId)));
    if (!isJobSchedule(state) || state.tasks[taskId] === undefined)
      throw new NotFoundError('task.not_found', 'no such task');
    const participant = state.tasks[taskId]?.participants.includes(actor.id) ?? false;
    if (!mayReadJob(actor, state) && !participant) {
      throw new ForbiddenError('schedule.forbidden', 'you may not see this task’s history');
    }
    return { events: events as readonly RecordedEvent[], reading: jobReadingOf(actor, state, participant) };
  }
}

/** An entry as the job's business reads it: who and when, never what members (or coordinators about them) wrote. */
const withoutMembersWords = (entry: TaskHistoryEntry): TaskHistoryEntry => ({
  ...entry,
  reason: entry.kind === 'unassignable' ? entry.reason : '',
  progressNote: '',
  reasonStatus: 'readable',
  progressNoteStatus: 'readable',
});

const spanOf = (data: { start?: unknown; end?: unknown }): { start: Date; end: Date } | undefined =>
  typeof data.start === 'string' && typeof data.end === 'string'
    ? { start: new Date(data.start), end: new Date(data.end) }
    : undefined;

/**
 * One event of the job's stream as an entry of a task's history, its reason and note not shown
 * yet (`words`: as the event holds them, a PersonalText, sealed or in clear); undefined when it
 * is not about the task.
 */
const historyEntryOf = (
  event: RecordedEvent,
  taskId: string,
): { entry: TaskHistoryEntry; words: { reason: unknown; progressNote: unknown } } | undefined => {
  const d = event.data as Record<string, unknown>;
  if (d.taskId !== taskId) return undefined;
  const entry = historyEntryShape(event, d);
  return entry === undefined
    ? undefined
    : { entry, words: { reason: d.reason ?? '', progressNote: d.progressNote ?? '' } };
};

const historyEntryShape = (event: RecordedEvent, d: Record<string, unknown>): TaskHistoryEntry | undefined => {
  const str = (value: unknown): string => (typeof value === 'string' ? value : '');
  const base = {
    actor: str(d.by),
    at: event.occurredAt,
    reason: '',
    progressNote: '',
    fromMemberId: '',
    reasons: [],
    reasonStatus: 'readable',
    progressNoteStatus: 'readable',
  } as const;
  const span = spanOf(d);
  switch (event.type) {
    case 'TaskAssigned':
      return { ...base, kind: 'assigned', memberId: str(d.memberId), ...(span ? { span } : {}) };
    case 'TaskReleased':
      return { ...base, kind: 'released', memberId: str(d.memberId) };
    case 'TaskHandedOff':
      return {
        ...base,
        kind: 'handed_off',
        memberId: str(d.toMemberId),
        fromMemberId: str(d.fromMemberId),
        ...(span ? { span } : {}),
      };
    case 'AssignmentOverridden':
      return {
        ...base,
        kind: 'overridden',
        memberId: str(d.toMemberId),
        fromMemberId: str(d.fromMemberId),
        ...(span ? { span } : {}),
      };
    case 'TaskUnassignable': {
      const reasons = (Array.isArray(d.reasons) ? d.reasons : []).map((r) => ({
        code: str((r as { code?: unknown }).code),
        message: str((r as { message?: unknown }).message),
      }));
      return { ...base, kind: 'unassignable', memberId: '', reason: reasons.map((r) => r.code).join(', '), reasons };
    }
    case 'TraineePaired':
      return { ...base, kind: 'paired', memberId: str(d.traineeMemberId) };
    default:
      return undefined;
  }
};
