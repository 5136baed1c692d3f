/**
 * What a decision on a job's schedule knows of the teams, and how it asks the scheduler: the
 * roster snapshot a command carries (the members of the teams that may work on the job, with
 * their windows, skills, towns, wished minutes and unavailability, and their planned spans on
 * other jobs), the scheduling problem built from it and the job's own state, the scheduler's
 * answer checked against the hard rules, and the rules about people that need the snapshot (a
 * trainee free during the holder's span, the members who gave a task up). Pure functions of
 * their inputs.
 */
import { skillsOf, weeklyWindowMinutes, wishedMinutes, type CrewMember } from './crew.js';
import { checkSchedule } from './scheduler/fairness.js';
import type {
  Interval,
  Schedule,
  SchedulingMember,
  SchedulingProblem,
  SchedulingTask,
  WeeklyWindow,
} from './scheduler/model.js';
import { scheduleTasks } from './scheduler/scheduler.js';
import { expandWeeklyWindows } from './scheduler/windows.js';
import type { JobSchedule, Placement, Reason, ScheduledTaskState, SchedulePlan } from './job-schedule.js';

/**
 * The roster as a command carries it, read by the application just before the decision. It may
 * hold more members than the job's teams: the decider keeps those of the regions working on it.
 */
export interface TeamSnapshot {
  /** Active members (crew states) of the regions that may work on the job. */
  readonly members: readonly CrewMember[];
  /** Each member's planned spans on other jobs' tasks (held, or shadowed as a trainee), by member id. */
  readonly busyElsewhere: Readonly<Record<string, readonly Interval[]>>;
  /** The time of the command (epoch ms): nothing is planned before it. */
  readonly now: number;
}

/** The scheduler core: its answer, and the check that it breaks no hard rule (violations as texts). */
export interface Scheduler {
  readonly scheduleTasks: (problem: SchedulingProblem) => Schedule;
  readonly checkSchedule: (problem: SchedulingProblem, schedule: Schedule) => string[];
}

/** The scheduler of src/domain/scheduler. */
export const DEFAULT_SCHEDULER: Scheduler = Object.freeze({ scheduleTasks, checkSchedule });

/** A scheduler answer that breaks a hard rule: a bug, never stored. */
export class ScheduleInvariantError extends Error {
  override readonly name = 'ScheduleInvariantError';
  readonly code = 'schedule.invariant_broken';
  constructor(readonly violations: readonly string[]) {
    super(`the scheduler broke a hard rule: ${violations.join('; ')}`);
  }
}

/** Runs the scheduler and refuses (never stores) an answer that breaks a hard rule. */
export const solve = (scheduler: Scheduler, problem: SchedulingProblem): Schedule => {
  const schedule = scheduler.scheduleTasks(problem);
  const violations = scheduler.checkSchedule(problem, schedule);
  if (violations.length > 0) throw new ScheduleInvariantError(violations);
  return schedule;
};

export const overlaps = (a: Interval, b: Interval): boolean => a.start < b.end && b.start < a.end;

/**
 * Whether a span lies inside her weekly windows (Asia/Tokyo), as the scheduler reads them:
 * windows that touch (14:00–15:00 then 15:00–16:00, or over midnight) are one stretch.
 */
export const withinWindows = (windows: readonly WeeklyWindow[], span: Interval): boolean => {
  // The windows' occurrences clipped to the span: it is inside them when they cover it whole.
  const covered = expandWeeklyWindows(windows, span.start, span.end);
  return covered.length === 1 && covered[0]!.start === span.start && covered[0]!.end === span.end;
};

/**
 * The members who gave the task up because they could not go on (a hand-off by the holder, a
 * hand-off under a declared unavailability or a departure): no automatic choice gives it back
 * to any of them; only a coordinator's override may.
 */
export const gaveUp = (task: ScheduledTaskState): readonly string[] => task.gaveUpBy;

/**
 * Who is busy when on the job itself: each holder's span and each trainee's, the tasks named
 * in `except` left out (they are being planned), added to the snapshot's spans on other jobs.
 */
export const busyOf = (
  job: JobSchedule,
  team: Pick<TeamSnapshot, 'busyElsewhere'>,
  except: ReadonlySet<string> = new Set(),
): Map<string, Interval[]> => {
  const busy = new Map<string, Interval[]>(Object.entries(team.busyElsewhere).map(([id, spans]) => [id, [...spans]]));
  const add = (memberId: string, span: Interval) => busy.set(memberId, [...(busy.get(memberId) ?? []), span]);
  if (job.status === 'cancelled') return busy;
  for (const taskId of job.taskIds) {
    const task = job.tasks[taskId];
    if (task === undefined || except.has(taskId) || task.status !== 'assigned' || task.holder === undefined) continue;
    const span = { start: task.holder.start, end: task.holder.end };
    add(task.holder.memberId, span);
    if (task.traineeMemberId !== undefined) add(task.traineeMemberId, span);
  }
  return busy;
};

/** A member as the scheduler sees her; undefined when she has no window at all (nothing fits her). */
export const schedulingMember = (member: CrewMember, busy: readonly Interval[]): SchedulingMember | undefined => {
  if (member.windows.length === 0 || weeklyWindowMinutes(member.windows) <= 0) return undefined;
  return {
    memberId: member.memberId,
    regionId: member.regionId,
    townId: member.townId,
    skills: skillsOf(member),
    windows: member.windows,
    wishedMinutesPerWeek: Math.max(1, wishedMinutes(member)),
    busy: [...busy],
    unavailable: member.unavailability.map((u) => ({ start: u.from, end: u.to })),
  };
};

export interface ProblemInput {
  readonly job: JobSchedule;
  /** The tasks to place (waiting, unassignable, or one being handed off). */
  readonly taskIds: readonly string[];
  /** Members who may take them. */
  readonly members: readonly CrewMember[];
  /** Every member's busy spans, the tasks to place left out. */
  readonly busy: ReadonlyMap<string, readonly Interval[]>;
  /** Nothing is planned before this instant (epoch ms). */
  readonly now: number;
  /**
   * Leave out, for each task, the members who gave it up (every automatic choice); a
   * coordinator's override does not (default true).
   */
  readonly excludeWhoGaveUp?: boolean;
}

/** The scheduling problem of some tasks of one job. */
export const jobProblem = (input: ProblemInput): SchedulingProblem => {
  const { job, now } = input;
  const excludeWhoGaveUp = input.excludeWhoGaveUp ?? true;
  const inProblem = new Set(input.taskIds);
  const all = job.taskIds.map((id) => job.tasks[id]).filter((t): t is ScheduledTaskState => t !== undefined);
  const assigned = all.filter((t) => t.status === 'assigned' && t.holder !== undefined && !inProblem.has(t.taskId));

  const tasks: SchedulingTask[] = [];
  const fixedEnds: Record<string, number> = {};
  const previousHolders: Record<string, string> = {};
  for (const taskId of input.taskIds) {
    const task = job.tasks[taskId];
    if (task === undefined) continue;
    // A task must also end before any assigned task that depends on it starts: placing it
    // never moves its dependents (only the affected tasks move).
    const dependentStarts = assigned
      .filter((t) => t.dependsOn.includes(taskId))
      .map((t) => t.holder?.start ?? Number.POSITIVE_INFINITY);
    const excluded = excludeWhoGaveUp ? gaveUp(task) : [];
    tasks.push({
      taskId,
      jobId: job.jobId,
      estimatedMinutes: task.estimatedMinutes,
      skills: task.skills,
      dependsOn: task.dependsOn,
      deadline: Math.min(task.deadline, ...dependentStarts),
      localOnlyTownId: job.localOnlyTownId,
      ...(excluded.length > 0 ? { excludedMemberIds: [...excluded] } : {}),
    });
    for (const dependency of task.dependsOn) {
      const predecessor = job.tasks[dependency];
      if (inProblem.has(dependency) || predecessor?.holder === undefined || predecessor.status !== 'assigned') continue;
      fixedEnds[dependency] = predecessor.holder.end;
      // Continuity: whoever did the step before is a good hand for this one.
      previousHolders[taskId] ??= predecessor.holder.memberId;
    }
  }

  const existingLoads: Record<string, number> = {};
  for (const t of assigned) {
    const holder = t.holder?.memberId;
    if (holder !== undefined) existingLoads[holder] = (existingLoads[holder] ?? 0) + t.estimatedMinutes;
  }

  const members = input.members
    .map((m) => schedulingMember(m, input.busy.get(m.memberId) ?? []))
    .filter((m): m is SchedulingMember => m !== undefined);
  const eligible = new Set(members.map((m) => m.memberId));
  for (const [taskId, memberId] of Object.entries(previousHolders))
    if (!eligible.has(memberId)) delete previousHolders[taskId];
  const holders = [
    ...new Set(assigned.map((t) => t.holder?.memberId).filter((m): m is string => m !== undefined && eligible.has(m))),
  ];

  return {
    notBefore: now,
    members,
    tasks,
    fixedEnds,
    previousHolders,
    existingLoads,
    ...(holders.length > 0 ? { jobHolders: { [job.jobId]: holders } } : {}),
  };
};

/** The scheduler's answer as the decider takes it: each placement with the region of the member's team (her credit). */
export const planOf = (schedule: Schedule, problem: SchedulingProblem): SchedulePlan => {
  const regionOf = new Map(problem.members.map((m) => [m.memberId, m.regionId]));
  return {
    assignments: schedule.assignments.map((a) => ({
      taskId: a.taskId,
      memberId: a.memberId,
      start: a.start,
      end: a.end,
      teamRegionId: regionOf.get(a.memberId) ?? '',
    })),
    unassignable: schedule.unassignable.map((u) => ({
      taskId: u.taskId,
      reasons: u.reasons.map((r) => ({ code: r.code, message: r.message })),
    })),
  };
};

/** The snapshot's members of these regions' teams, in a fixed order (by id). */
export const membersOf = (team: TeamSnapshot, regionIds: readonly string[]): CrewMember[] =>
  team.members
    .filter((m) => m.status === 'active' && regionIds.includes(m.regionId))
    .sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));

/**
 * The plan of some tasks of the job over the members of these regions' teams, by the scheduler,
 * checked; the members who gave a task up are never chosen for it.
 */
export const planTasks = (
  scheduler: Scheduler,
  job: JobSchedule,
  taskIds: readonly string[],
  team: TeamSnapshot,
  regionIds: readonly string[],
): SchedulePlan => {
  if (taskIds.length === 0) return { assignments: [], unassignable: [] };
  const problem = jobProblem({
    job,
    taskIds,
    members: membersOf(team, regionIds),
    busy: busyOf(job, team, new Set(taskIds)),
    now: team.now,
  });
  return planOf(solve(scheduler, problem), problem);
};

/** What becomes of a handed-off task: a teammate takes it (`assigned`), or nobody can (`unassignable`). */
export const SUCCESSOR_KINDS = ['assigned', 'unassignable'] as const;
export type SuccessorKind = (typeof SUCCESSOR_KINDS)[number];

/** Who takes a handed-off task: a teammate at a span, or nobody (with the scheduler's reasons). */
export type Successor =
  ({ readonly kind: 'assigned' } & Placement) | { readonly kind: 'unassignable'; readonly reasons: readonly Reason[] };

/**
 * The best available teammate for a task `leaving` just released (the job as it stands after
 * the release, so she is among those who gave it up), or why there is none.
 */
export const successorFor = (
  scheduler: Scheduler,
  job: JobSchedule,
  taskId: string,
  leaving: string,
  team: TeamSnapshot,
  regionIds: readonly string[],
): Successor => {
  // She who hands it off is no candidate at all (nor counted in the team's fairness); the others
  // who gave it up are candidates for nothing here (the scheduler says so when they are all there is).
  const others = { ...team, members: team.members.filter((m) => m.memberId !== leaving) };
  const plan = planTasks(scheduler, job, [taskId], others, regionIds);
  const assignment = plan.assignments.find((a) => a.taskId === taskId);
  if (assignment !== undefined)
    return {
      kind: 'assigned',
      memberId: assignment.memberId,
      start: assignment.start,
      end: assignment.end,
      teamRegionId: assignment.teamRegionId,
    };
  return { kind: 'unassignable', reasons: plan.unassignable.find((u) => u.taskId === taskId)?.reasons ?? [] };
};

/** Her earliest fitting span for the task under every hard rule, or the rules she would break. */
export type FitFor =
  | { readonly kind: 'fits'; readonly start: number; readonly end: number }
  | { readonly kind: 'does_not_fit'; readonly reasons: readonly Reason[] };

/**
 * Where the task fits one member under every hard rule (the scheduler on the one-task problem
 * with her alone): a coordinator's choice, so a member who gave the task up may take it.
 */
export const placementFor = (
  scheduler: Scheduler,
  job: JobSchedule,
  taskId: string,
  member: CrewMember,
  team: TeamSnapshot,
): FitFor => {
  if (member.windows.length === 0)
    return {
      kind: 'does_not_fit',
      reasons: [{ code: 'schedule.no_window', message: 'she has no availability window' }],
    };
  const problem = jobProblem({
    job,
    taskIds: [taskId],
    members: [member],
    busy: busyOf(job, team, new Set([taskId])),
    now: team.now,
    excludeWhoGaveUp: false,
  });
  const schedule = solve(scheduler, problem);
  const assignment = schedule.assignments.find((a) => a.taskId === taskId && a.memberId === member.memberId);
  if (assignment !== undefined) return { kind: 'fits', start: assignment.start, end: assignment.end };
  const reasons = schedule.unassignable.find((u) => u.taskId === taskId)?.reasons ?? [];
  return { kind: 'does_not_fit', reasons: reasons.map((r) => ({ code: r.code, message: r.message })) };
};

/** A trainee may shadow the holder when she is inside one of her windows and neither busy nor unavailable during the span. */
export const traineeFree = (job: JobSchedule, trainee: CrewMember, team: TeamSnapshot, span: Interval): boolean =>
  withinWindows(trainee.windows, span) &&
  !(busyOf(job, team).get(trainee.memberId) ?? []).some((busy) => overlaps(busy, span)) &&
  !trainee.unavailability.some((u) => overlaps({ start: u.from, end: u.to }, span));
