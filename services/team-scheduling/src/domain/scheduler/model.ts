/**
 * What the scheduler works on and what it answers. Pure data: times are epoch milliseconds
 * (UTC instants); weekly windows are in Asia/Tokyo (UTC+9 all year, no daylight saving).
 */

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** A weekly window in Asia/Tokyo, e.g. Tuesday 13:00–13:40 ("HH:MM", end after start, within the day). */
export interface WeeklyWindow {
  readonly day: Weekday;
  readonly start: string;
  readonly end: string;
}

/** A span of time [start, end) in epoch ms (UTC). */
export interface Interval {
  readonly start: number;
  readonly end: number;
}

export interface SchedulingMember {
  readonly memberId: string;
  /** The region of her team. */
  readonly regionId: string;
  /** `<region>/<town>` where she lives. */
  readonly townId: string;
  readonly skills: readonly string[];
  readonly windows: readonly WeeklyWindow[];
  /** Minutes a week she wishes to work: fairness spreads hours in proportion to it (> 0). */
  readonly wishedMinutesPerWeek: number;
  /** Spans she already holds (other jobs' tasks): she holds one task at a time. */
  readonly busy: readonly Interval[];
  /** Spans she is unavailable (a sick child). */
  readonly unavailable: readonly Interval[];
}

export interface SchedulingTask {
  readonly taskId: string;
  readonly jobId: string;
  readonly estimatedMinutes: number;
  readonly skills: readonly string[];
  /** Task ids that must end before this one starts (within the same problem, or fixed: see `fixedEnds`). */
  readonly dependsOn: readonly string[];
  /** Epoch ms: the planned end must be at or before it. */
  readonly deadline: number;
  /** Set when the job is local only: only members living in this town may take it. */
  readonly localOnlyTownId: string | null;
  /**
   * Members who may not take this task: those who gave it up because they could not go on (a
   * hand-off, an unavailability). Only a coordinator's override gives it back to one of them.
   */
  readonly excludedMemberIds?: readonly string[];
}

export interface SchedulingProblem {
  /** Nothing is planned before this instant (now, or the job's acceptance). */
  readonly notBefore: number;
  readonly members: readonly SchedulingMember[];
  readonly tasks: readonly SchedulingTask[];
  /**
   * Planned ends of tasks outside `tasks` that tasks here depend on (already assigned
   * predecessors); a predecessor neither here nor there is unassignable (`schedule.predecessor_unassigned`).
   */
  readonly fixedEnds?: Readonly<Record<string, number>>;
  /**
   * Continuity: the member who held a related task (same job) before, by task id; the scheduler
   * prefers her for the task itself (a re-plan) and for tasks of the same job.
   */
  readonly previousHolders?: Readonly<Record<string, string>>;
  /**
   * Minutes each member already holds on the work being balanced (the job's other tasks, for a
   * hand-off or a re-plan): fairness counts them with what this problem gives.
   */
  readonly existingLoads?: Readonly<Record<string, number>>;
  /**
   * Continuity across problems: members already holding tasks of a job outside this problem, by
   * job id; the scheduler prefers them for that job's tasks. (`previousHolders` entries of tasks
   * outside the problem count for the job only when the problem holds tasks of a single job.)
   */
  readonly jobHolders?: Readonly<Record<string, readonly string[]>>;
}

export interface Assignment {
  readonly taskId: string;
  readonly memberId: string;
  /** Inside one of her windows, after every predecessor's end, ending by the deadline. */
  readonly start: number;
  readonly end: number;
}

/** Why nobody could take a task (stable codes, e.g. `schedule.no_skill_in_town`). */
export interface UnassignableReason {
  readonly code: string;
  readonly message: string;
}

export interface Unassignable {
  readonly taskId: string;
  readonly reasons: readonly UnassignableReason[];
}

export interface Schedule {
  readonly assignments: readonly Assignment[];
  readonly unassignable: readonly Unassignable[];
}

/**
 * The fairness objective (lower is better): the largest deviation, over the members, between
 * the minutes she is given and her share of all the minutes given, in proportion to her wished
 * minutes: max_m | load_m − total × wished_m / Σ wished |. Computed over `members`.
 */
export type FairnessObjective = (
  members: readonly SchedulingMember[],
  assignments: readonly Assignment[],
  /** Minutes each member already holds (`SchedulingProblem.existingLoads`), counted in her load and the total. */
  existingLoads?: Readonly<Record<string, number>>,
) => number;

/**
 * The scheduler (scheduler.ts implements it): deterministic (the same problem gives the same
 * schedule), never breaking a hard rule. A hand-off is the same call with one task and the
 * former holder unavailable (or left out), her teammates' loads in `existingLoads`.
 */
export type ScheduleTasks = (problem: SchedulingProblem) => Schedule;
