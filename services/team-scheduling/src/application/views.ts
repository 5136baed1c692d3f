import { NotFoundError } from '@workshare/eventsourcing';
import {
  isJobSchedule,
  tasksOf,
  type HistoryKind,
  type JobSchedule,
  type Reason,
  type ScheduledTaskState,
  type ScheduleState,
  type TaskStatus,
} from '../domain/job-schedule.js';

/** A task as queries answer it: the job's view of it, with Dates. */
export interface TaskView {
  readonly taskId: string;
  readonly jobId: string;
  readonly title: string;
  readonly estimatedMinutes: number;
  readonly skills: readonly string[];
  readonly dependsOn: readonly string[];
  readonly deadline: Date;
  readonly status: TaskStatus;
  /** The holder, when assigned. */
  readonly memberId?: string;
  readonly span?: { readonly start: Date; readonly end: Date };
  /** The region of the holder's team (another region's, for a shared job). */
  readonly teamRegionId?: string;
  readonly reasons: readonly Reason[];
  readonly traineeMemberId?: string;
}

export const taskViewOf = (job: JobSchedule, task: ScheduledTaskState): TaskView => ({
  taskId: task.taskId,
  jobId: job.jobId,
  title: task.title,
  estimatedMinutes: task.estimatedMinutes,
  skills: [...task.skills],
  dependsOn: [...task.dependsOn],
  deadline: new Date(task.deadline),
  status: task.status,
  ...(task.holder !== undefined
    ? {
        memberId: task.holder.memberId,
        span: { start: new Date(task.holder.start), end: new Date(task.holder.end) },
        teamRegionId: task.holder.teamRegionId,
      }
    : {}),
  reasons: task.reasons.map((r) => ({ ...r })),
  ...(task.traineeMemberId !== undefined ? { traineeMemberId: task.traineeMemberId } : {}),
});

/** A member's planned minutes on a job and the minutes a week she wishes to work. */
export interface MemberLoad {
  readonly memberId: string;
  readonly assignedMinutes: number;
  readonly wishedMinutesPerWeek: number;
}

export interface JobScheduleView {
  readonly jobId: string;
  readonly regionId: string;
  readonly partnerRegionIds: readonly string[];
  readonly tasks: readonly TaskView[];
  /** Each team member's minutes on the job and her wished minutes a week; empty for the job's business (members' hours are private). */
  readonly loads: readonly MemberLoad[];
}

export type { HistoryKind } from '../domain/job-schedule.js';

export interface TaskHistoryEntry {
  readonly kind: HistoryKind;
  readonly memberId: string;
  /** For a hand-off or override: who held it before. */
  readonly fromMemberId: string;
  readonly actor: string;
  /** The reason given; for `unassignable`, the reasons' codes. Empty for the job's business but on `unassignable` (members' reasons are private). */
  readonly reason: string;
  /** Empty for the job's business (private). */
  readonly progressNote: string;
  /** When it was recorded (the event's occurred-at). */
  readonly at: Date;
  readonly span?: { readonly start: Date; readonly end: Date };
  /** For `unassignable`: why nobody could take the task (stable codes); else empty. */
  readonly reasons: readonly { readonly code: string; readonly message: string }[];
  /**
   * Whether `reason` and `progressNote` are shown: a member's words are sealed with her key
   * and opened for the reader by identity (herself, a coordinator of her region, the
   * accountant, operators): `redacted` once she is forgotten, `withheld` for anyone else, the
   * text empty then; `readable` too for what no member wrote, or what the reader is not shown
   * at all (the job's business: empty).
   */
  readonly reasonStatus: TextStatus;
  readonly progressNoteStatus: TextStatus;
}

/** How a member's free text reads for the caller. */
export type TextStatus = 'readable' | 'redacted' | 'withheld' | 'unreadable';

/** Every task of the job, in plan order (none when the job has no schedule). */
export const viewsOf = (state: ScheduleState): TaskView[] =>
  isJobSchedule(state) ? tasksOf(state).map((t) => taskViewOf(state, t)) : [];

/** One task of the job, or `task.not_found`. */
export const taskViewIn = (state: ScheduleState, taskId: string): TaskView => {
  const task = isJobSchedule(state) ? state.tasks[taskId] : undefined;
  if (!isJobSchedule(state) || task === undefined) throw new NotFoundError('task.not_found', 'no such task');
  return taskViewOf(state, task);
};
