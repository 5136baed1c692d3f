/**
 * A scheduling problem indexed once for the planners (scheduler and first-fit baseline):
 * members sorted by id and indexed by skill and town, tasks with their
 * dependency graph inside the problem, cycles found, the members qualified for each kind of
 * task, each member's free intervals (built on first use), and the reasons a task cannot be taken.
 */
import { FreeTime } from './free-time.js';
import type { Interval, SchedulingMember, SchedulingProblem, SchedulingTask, UnassignableReason } from './model.js';
import { expandWeeklyMinutes, mergeIntervals, MINUTE_MS, subtractIntervals, weeklyPattern } from './windows.js';

export interface PreparedTask {
  readonly index: number;
  readonly task: SchedulingTask;
  readonly durationMs: number;
  /** Predecessors inside the problem (indices, no duplicates). */
  readonly predecessors: readonly number[];
  readonly successors: number[];
  /** Not before `notBefore` nor before the planned end of any predecessor outside the problem. */
  readonly fixedEarliest: number;
  /** Predecessors neither in the problem nor in `fixedEnds`: the task cannot be planned. */
  readonly missingPredecessors: readonly string[];
  /** Tasks of one class are open to the same members (same skills, same local-only town, same members excluded). */
  readonly classKey: string;
}

/** Where a task stands in the dependency graph. */
export const GraphStanding = {
  Acyclic: 0,
  /** On a dependency cycle: bad input. */
  OnCycle: 1,
  /** After a cycle: its predecessors can never be planned. */
  AfterCycle: 2,
} as const;

export const REASON = {
  noMemberWithSkills: 'schedule.no_member_with_skills',
  noSkillInTown: 'schedule.no_skill_in_town',
  windowsTooShort: 'schedule.windows_too_short',
  noTimeBeforeDeadline: 'schedule.no_time_before_deadline',
  predecessorUnassigned: 'schedule.predecessor_unassigned',
  cycle: 'schedule.cycle',
  onlyMembersWhoGaveItUp: 'schedule.only_members_who_gave_it_up',
} as const;

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export interface PrepareOptions {
  /** Keep the tasks in input order (the first-fit baseline) instead of sorting them by id. */
  readonly keepTaskOrder?: boolean;
}

export class PreparedProblem {
  readonly notBefore: number;
  /** Nothing is planned after the latest deadline: free time is built up to it. */
  readonly horizonEnd: number;
  /** Sorted by id: a member's index is her position here. */
  readonly members: readonly SchedulingMember[];
  readonly tasks: readonly PreparedTask[];
  readonly memberIndex: ReadonlyMap<string, number>;
  readonly taskIndex: ReadonlyMap<string, number>;
  readonly standing: Uint8Array;
  private readonly classes = new Map<string, readonly number[]>();
  private readonly freeLists: (Interval[] | undefined)[];

  constructor(
    readonly problem: SchedulingProblem,
    options: PrepareOptions = {},
  ) {
    this.notBefore = problem.notBefore;
    const members = problem.members;
    let sorted = true;
    for (let i = 1; i < members.length && sorted; i++)
      sorted = byId((members[i - 1] as SchedulingMember).memberId, (members[i] as SchedulingMember).memberId) < 0;
    // Windows are parsed only for the members a task is tried on (see freeIntervals).
    this.members = sorted ? members : [...members].sort((a, b) => byId(a.memberId, b.memberId));
    this.memberIndex = new Map(this.members.map((m, i) => [m.memberId, i]));
    this.freeLists = new Array<Interval[] | undefined>(this.members.length);

    const tasks = options.keepTaskOrder
      ? [...problem.tasks]
      : [...problem.tasks].sort((a, b) => byId(a.taskId, b.taskId));
    this.taskIndex = new Map(tasks.map((t, i) => [t.taskId, i]));
    const fixedEnds = problem.fixedEnds ?? {};
    let horizonEnd = problem.notBefore;
    const prepared: PreparedTask[] = tasks.map((task, index) => {
      const predecessors: number[] = [];
      const missing: string[] = [];
      let fixedEarliest = problem.notBefore;
      for (const dep of new Set(task.dependsOn)) {
        const p = this.taskIndex.get(dep);
        if (p !== undefined) predecessors.push(p);
        else if (Object.hasOwn(fixedEnds, dep)) fixedEarliest = Math.max(fixedEarliest, fixedEnds[dep] as number);
        else missing.push(dep);
      }
      predecessors.sort((a, b) => a - b);
      horizonEnd = Math.max(horizonEnd, task.deadline);
      const skills = [...new Set(task.skills)].sort(byId);
      const excluded = [...new Set(task.excludedMemberIds ?? [])].sort(byId);
      return {
        index,
        task,
        durationMs: task.estimatedMinutes * MINUTE_MS,
        predecessors,
        successors: [],
        fixedEarliest,
        missingPredecessors: missing.sort(byId),
        classKey: `${skills.join('\u0000')}\u0001${task.localOnlyTownId ?? ''}\u0001${excluded.join('\u0000')}`,
      };
    });
    for (const t of prepared) for (const p of t.predecessors) (prepared[p] as PreparedTask).successors.push(t.index);
    this.tasks = prepared;
    this.horizonEnd = horizonEnd;
    this.standing = findCycles(prepared);
  }

  /**
   * Members (indices, ascending) who may take the task: every skill, the town when local only,
   * and not one of its excluded members.
   */
  qualifiedMembers(t: PreparedTask): readonly number[] {
    let found = this.classes.get(t.classKey);
    if (found) return found;
    found = this.withSkills(t.task.skills, t.task.localOnlyTownId, t.task.excludedMemberIds);
    this.classes.set(t.classKey, found);
    return found;
  }

  /** One pass over the team per class of tasks: few classes, and no index to build per call. */
  private withSkills(skills: readonly string[], townId: string | null, excluded: readonly string[] = []): number[] {
    const found: number[] = [];
    this.members.forEach((m, i) => {
      if (
        (townId === null || m.townId === townId) &&
        skills.every((s) => m.skills.includes(s)) &&
        !excluded.includes(m.memberId)
      )
        found.push(i);
    });
    return found;
  }

  /** The member's free time from `notBefore` to the horizon: windows minus busy and unavailable spans. */
  freeIntervals(memberIndex: number): readonly Interval[] {
    let free = this.freeLists[memberIndex];
    if (!free) {
      const member = this.members[memberIndex] as SchedulingMember;
      const occurrences = expandWeeklyMinutes(weeklyPattern(member.windows).weekly, this.notBefore, this.horizonEnd);
      // Only the spans inside the horizon matter: a hand-off's horizon is a few days of a
      // member's whole plan.
      const blocked: Interval[] = [];
      if (occurrences.length > 0) {
        for (const spans of [member.busy, member.unavailable]) {
          for (const b of spans) if (b.end > this.notBefore && b.start < this.horizonEnd) blocked.push(b);
        }
      }
      free = blocked.length === 0 ? occurrences : subtractIntervals(occurrences, mergeIntervals(blocked));
      this.freeLists[memberIndex] = free;
    }
    return free;
  }

  /** A fresh, untouched free time of the member (nothing planned in it yet). */
  newFreeTime(memberIndex: number): FreeTime {
    return new FreeTime(this.freeIntervals(memberIndex));
  }

  /**
   * Why nobody can take the task (it was tried and no slot was found, or `blocked` says its
   * predecessors cannot be planned). Every reason that applies is given.
   */
  reasonsFor(t: PreparedTask, blocked: boolean): UnassignableReason[] {
    const { task } = t;
    const reasons: UnassignableReason[] = [];
    const standing = this.standing[t.index];
    if (standing === GraphStanding.OnCycle) {
      reasons.push({ code: REASON.cycle, message: `task ${task.taskId} depends on itself through its predecessors` });
    }
    if (standing !== GraphStanding.OnCycle) {
      if (t.missingPredecessors.length > 0) {
        reasons.push({
          code: REASON.predecessorUnassigned,
          message: `predecessors not planned: ${t.missingPredecessors.join(', ')}`,
        });
      } else if (blocked || standing === GraphStanding.AfterCycle) {
        reasons.push({
          code: REASON.predecessorUnassigned,
          message: `a predecessor of task ${task.taskId} is not planned`,
        });
      }
    }
    const qualified = this.qualifiedMembers(t);
    const skills = task.skills.length > 0 ? task.skills.join(', ') : '(none)';
    if (qualified.length === 0 && this.withSkills(task.skills, task.localOnlyTownId).length > 0) {
      reasons.push({
        code: REASON.onlyMembersWhoGaveItUp,
        message: 'the only qualified members are those who gave the task up',
      });
    } else if (qualified.length === 0) {
      if (task.localOnlyTownId === null || this.withSkills(task.skills, null).length === 0) {
        reasons.push({ code: REASON.noMemberWithSkills, message: `nobody in the team has the skills: ${skills}` });
      }
      if (task.localOnlyTownId !== null) {
        reasons.push({
          code: REASON.noSkillInTown,
          message: `nobody living in ${task.localOnlyTownId} has the skills: ${skills}`,
        });
      }
    } else if (reasons.length === 0) {
      if (
        qualified.every(
          (i) => weeklyPattern((this.members[i] as SchedulingMember).windows).longest < task.estimatedMinutes,
        )
      ) {
        reasons.push({
          code: REASON.windowsTooShort,
          message: `no window of a qualified member is ${task.estimatedMinutes} minutes long`,
        });
      } else {
        reasons.push({
          code: REASON.noTimeBeforeDeadline,
          message: `no qualified member has ${task.estimatedMinutes} free minutes in one window before the deadline`,
        });
      }
    }
    return reasons;
  }
}

/**
 * Marks tasks on a dependency cycle and tasks after one. Kahn's peeling leaves exactly the
 * tasks on or after a cycle; Tarjan's strongly connected components among them tell which.
 */
const findCycles = (tasks: readonly PreparedTask[]): Uint8Array => {
  const n = tasks.length;
  const standing = new Uint8Array(n);
  const indegree = new Int32Array(n);
  for (const t of tasks) indegree[t.index] = t.predecessors.length;
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indegree[i] === 0) queue.push(i);
  let peeled = 0;
  for (let q = 0; q < queue.length; q++) {
    peeled++;
    for (const s of (tasks[queue[q] as number] as PreparedTask).successors) {
      if (--(indegree[s] as number) === 0) queue.push(s);
    }
  }
  if (peeled === n) return standing;
  const left = new Uint8Array(n);
  for (let i = 0; i < n; i++) if ((indegree[i] as number) > 0) left[i] = 1;
  // Iterative Tarjan over the tasks left.
  const order = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (!left[root] || (order[root] as number) >= 0) continue;
    const work: [number, number][] = [[root, 0]];
    order[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length > 0) {
      const frame = work[work.length - 1] as [number, number];
      const [v, k] = frame;
      const next = (tasks[v] as PreparedTask).successors;
      if (k < next.length) {
        frame[1] = k + 1;
        const w = next[k] as number;
        if (!left[w]) continue;
        if ((order[w] as number) < 0) {
          order[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push([w, 0]);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v] as number, order[w] as number);
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent[0]] = Math.min(low[parent[0]] as number, low[v] as number);
      if (low[v] === order[v]) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack.pop() as number;
          onStack[w] = 0;
          component.push(w);
        } while (w !== v);
        const selfLoop = (tasks[v] as PreparedTask).predecessors.includes(v);
        for (const c of component)
          standing[c] = component.length > 1 || selfLoop ? GraphStanding.OnCycle : GraphStanding.AfterCycle;
      }
    }
  }
  return standing;
};
