import type { JobSchedule, Reason, ScheduledTaskState, TaskStatus } from '../domain/job-schedule.js';

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
  readonly loads: readonly MemberLoad[];
}

/** `assigned`, `released`, `handed_off`, `overridden`, `unassignable`, `paired`. */
export type HistoryKind = 'assigned' | 'released' | 'handed_off' | 'overridden' | 'unassignable' | 'paired';

export interface TaskHistoryEntry {
  readonly kind: HistoryKind;
  readonly memberId: string;
  /** For a hand-off or override: who held it before. */
  readonly fromMemberId: string;
  readonly actor: string;
  readonly reason: string;
  readonly progressNote: string;
  /** When it was recorded (the event's occurred-at). */
  readonly at: Date;
  readonly span?: { readonly start: Date; readonly end: Date };
  /** For `unassignable`: why nobody could take the task (stable codes); else empty. */
  readonly reasons: readonly { readonly code: string; readonly message: string }[];
}
