/**
 * The re-planning problem of a hand-off, as the service builds it: a member becomes unavailable
 * for a period; the tasks she held in it (and only those) are planned again, with everything
 * else fixed — other assignments become busy spans of their holders and count in the loads,
 * kept predecessors give fixed ends, kept successors bound the deadline, and continuity points
 * at her and at the members on the same jobs.
 */
import type {
  Assignment,
  Interval,
  Schedule,
  SchedulingMember,
  SchedulingProblem,
  SchedulingTask,
} from '../src/domain/scheduler/model.js';
import { MINUTE_MS } from '../src/domain/scheduler/windows.js';

export interface HandOff {
  readonly problem: SchedulingProblem;
  /** The tasks re-planned (ids, sorted). */
  readonly affected: readonly string[];
}

/** Everything about a plan that every hand-off of it reuses. */
export class HandOffs {
  private readonly tasksById: Map<string, SchedulingTask>;
  private readonly assignmentByTask: Map<string, Assignment>;
  private readonly byMember = new Map<string, Assignment[]>();
  /** Each member with her assignments as busy spans. */
  private readonly members: SchedulingMember[];
  private readonly memberPosition = new Map<string, number>();
  private readonly loads: Record<string, number>;
  /** Starts of each task's assigned successors. */
  private readonly successors = new Map<string, Assignment[]>();
  private readonly jobAssignments = new Map<string, Assignment[]>();

  constructor(
    private readonly problem: SchedulingProblem,
    schedule: Schedule,
  ) {
    this.tasksById = new Map(problem.tasks.map((t) => [t.taskId, t]));
    this.assignmentByTask = new Map(schedule.assignments.map((a) => [a.taskId, a]));
    this.loads = { ...(problem.existingLoads ?? {}) };
    for (const a of schedule.assignments) {
      add(this.byMember, a.memberId, a);
      this.loads[a.memberId] = (this.loads[a.memberId] ?? 0) + (a.end - a.start) / MINUTE_MS;
      const task = this.tasksById.get(a.taskId);
      if (!task) continue;
      add(this.jobAssignments, task.jobId, a);
      for (const dep of task.dependsOn) add(this.successors, dep, a);
    }
    this.members = problem.members.map((m, i) => {
      this.memberPosition.set(m.memberId, i);
      return { ...m, busy: [...m.busy, ...(this.byMember.get(m.memberId) ?? []).map(span)] };
    });
  }

  /** The problem of re-planning the tasks `memberId` holds during `period`. */
  handOff(memberId: string, period: Interval): HandOff {
    const held = this.byMember.get(memberId) ?? [];
    const affected = held.filter((a) => a.start < period.end && period.start < a.end);
    const affectedIds = new Set(affected.map((a) => a.taskId));
    const members = [...this.members];
    const position = this.memberPosition.get(memberId);
    const loads = { ...this.loads };
    if (position !== undefined) {
      const original = this.problem.members[position] as SchedulingMember;
      members[position] = {
        ...original,
        busy: [...original.busy, ...held.filter((a) => !affectedIds.has(a.taskId)).map(span)],
        unavailable: [...original.unavailable, period],
      };
      for (const a of affected) loads[memberId] = (loads[memberId] ?? 0) - (a.end - a.start) / MINUTE_MS;
    }
    const fixedEnds: Record<string, number> = {};
    const tasks: SchedulingTask[] = [];
    const previousHolders: Record<string, string> = {};
    const jobHolders: Record<string, string[]> = {};
    for (const taskId of [...affectedIds].sort()) {
      const t = this.tasksById.get(taskId) as SchedulingTask;
      for (const dep of t.dependsOn) {
        const before = this.assignmentByTask.get(dep);
        if (before && !affectedIds.has(dep)) fixedEnds[dep] = before.end;
        else if (!before && this.problem.fixedEnds && Object.hasOwn(this.problem.fixedEnds, dep))
          fixedEnds[dep] = this.problem.fixedEnds[dep] as number;
      }
      let deadline = t.deadline;
      for (const s of this.successors.get(taskId) ?? [])
        if (!affectedIds.has(s.taskId)) deadline = Math.min(deadline, s.start);
      tasks.push({ ...t, deadline });
      previousHolders[taskId] = memberId;
      if (!jobHolders[t.jobId]) {
        const holders = new Set<string>();
        for (const a of this.jobAssignments.get(t.jobId) ?? []) if (!affectedIds.has(a.taskId)) holders.add(a.memberId);
        jobHolders[t.jobId] = [...holders].sort();
      }
    }
    return {
      problem: {
        notBefore: Math.max(this.problem.notBefore, period.start),
        members,
        tasks,
        fixedEnds,
        previousHolders,
        existingLoads: loads,
        jobHolders,
      },
      affected: [...affectedIds].sort(),
    };
  }
}

/** One hand-off of a plan (see HandOffs to make many of the same plan). */
export const handOffProblem = (
  problem: SchedulingProblem,
  schedule: Schedule,
  memberId: string,
  period: Interval,
): HandOff => new HandOffs(problem, schedule).handOff(memberId, period);

const span = (a: Assignment): Interval => ({ start: a.start, end: a.end });

const add = <T>(map: Map<string, T[]>, key: string, value: T): void => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};
