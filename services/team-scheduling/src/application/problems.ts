/**
 * From what the roster knows to what the scheduler works on (src/domain/scheduler/model.ts),
 * and back: a job's open tasks over the members of the teams working on it, the members' busy
 * spans on every other task, their declared unavailability, the job's load per member, the
 * planned ends of assigned predecessors. Pure functions of their inputs.
 */
import { weeklyWindowMinutes, skillsOf, wishedMinutes, type CrewMember } from '../domain/crew.js';
import { tasksOf, type JobSchedule, type SchedulePlan } from '../domain/job-schedule.js';
import type {
  Interval,
  Schedule,
  SchedulingMember,
  SchedulingProblem,
  SchedulingTask,
  WeeklyWindow,
} from '../domain/scheduler/model.js';
import { expandWeeklyWindows } from '../domain/scheduler/windows.js';

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
}

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

/** The scheduling problem of some tasks of one job. */
export const jobProblem = (input: ProblemInput): SchedulingProblem => {
  const { job, now } = input;
  const inProblem = new Set(input.taskIds);
  const all = tasksOf(job);
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
    tasks.push({
      taskId,
      jobId: job.jobId,
      estimatedMinutes: task.estimatedMinutes,
      skills: task.skills,
      dependsOn: task.dependsOn,
      deadline: Math.min(task.deadline, ...dependentStarts),
      localOnlyTownId: job.localOnlyTownId,
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

/**
 * Whether a span lies inside her weekly windows (Asia/Tokyo), as the scheduler reads them:
 * windows that touch (14:00–15:00 then 15:00–16:00, or over midnight) are one stretch.
 */
export const withinWindows = (windows: readonly WeeklyWindow[], span: Interval): boolean => {
  // The windows' occurrences clipped to the span: it is inside them when they cover it whole.
  const covered = expandWeeklyWindows(windows, span.start, span.end);
  return covered.length === 1 && covered[0]!.start === span.start && covered[0]!.end === span.end;
};

export const overlaps = (a: Interval, b: Interval): boolean => a.start < b.end && b.start < a.end;
