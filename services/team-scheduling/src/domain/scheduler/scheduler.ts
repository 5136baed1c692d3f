/**
 * The scheduler: assigns tasks to members' free window time without ever breaking a hard rule
 * (skills, local-only town, whole task inside one window occurrence, one task at a time, after
 * every predecessor's planned end, by the deadline), spreading the minutes across the team in
 * proportion to the hours each member wishes (fairness: the largest deviation from her share
 * is minimised), and keeping related tasks with the same member where fairness allows.
 *
 * 1. Greedy, in dependency order: among the ready tasks the one with the earliest effective
 *    deadline first (its own deadline, or earlier when its successors' estimates need the time).
 *    Each goes to the qualified member furthest below her share who can fit it (per class of
 *    tasks open to the same members, a heap by deviation), ties to the earliest finish; the
 *    task's previous holder or a member already on its job gets it instead when taking it
 *    leaves her no further above her share than the fairest choice would.
 * 2. Improvement: moves and swaps of tasks between members that keep every hard rule and lower
 *    the largest deviation (or, at equal largest deviation, the sum of squared deviations
 *    without costing continuity), the most deviating members first, within a fixed budget of
 *    evaluated moves so that large problems stay fast and the result never depends on the
 *    machine's speed.
 * 3. Exact search on small problems (a job over a team): a node-bounded branch and bound for a
 *    strictly fairer plan (exact-search.ts), then the improvement pass again.
 *
 * Deterministic: members and tasks are sorted by id first and every tie breaks on that order.
 */
import { searchFairestPlan } from './exact-search.js';
import type { FreeTime } from './free-time.js';
import { KeyedMinHeap } from './heap.js';
import type {
  Assignment,
  Schedule,
  ScheduleTasks,
  SchedulingMember,
  SchedulingProblem,
  SchedulingTask,
  Unassignable,
} from './model.js';
import { GraphStanding, PreparedProblem, type PreparedTask } from './prepared-problem.js';

const ASSIGNED = 1;
const UNASSIGNABLE = 2;

/** Among equally fair candidates, how many are compared for the earliest finish. */
const TIED_CANDIDATES = 8;
/** Improvement: candidate moves whose feasibility is checked per member before giving up on her. */
const FEASIBILITY_CHECKS = 64;
/** Improvement: members tried, most deviating first, before the plan counts as locally optimal. */
const MEMBERS_TRIED = 6;
/** Improvement: partners considered per member, the most opposite deviations first. */
const PARTNERS = 48;
const EPSILON = 1e-9;

export interface ScheduleOptions {
  /**
   * Work budget of the improvement pass, in evaluated moves (default: 400,000 plus 40 per task).
   * 0 leaves the greedy plan as it is.
   */
  readonly improvementBudget?: number;
  /**
   * Nodes of the branch and bound run on small problems (default 200,000; 0: none). Small:
   * at most 64 tasks over at most 32 members, the size of a job's plan over a team.
   */
  readonly searchNodes?: number;
}

const EXACT_SEARCH_TASKS = 64;
const EXACT_SEARCH_MEMBERS = 32;

export const scheduleTasks: ScheduleTasks = (problem) => planSchedule(problem);

/** `scheduleTasks` with tuning options (tests and the benchmark compare budgets). */
export const planSchedule = (problem: SchedulingProblem, options: ScheduleOptions = {}): Schedule => {
  const planner = new Planner(new PreparedProblem(problem));
  planner.planGreedily();
  // With a single task (a hand-off) the greedy choice is already the fairest one that fits.
  const budget = problem.tasks.length < 2 ? 0 : (options.improvementBudget ?? 400_000 + 40 * problem.tasks.length);
  planner.improve(budget);
  const nodes = options.searchNodes ?? 200_000;
  if (
    nodes > 0 &&
    problem.tasks.length <= EXACT_SEARCH_TASKS &&
    problem.members.length <= EXACT_SEARCH_MEMBERS &&
    planner.searchExactly(nodes)
  ) {
    planner.improve(budget);
  }
  return planner.schedule();
};

class Planner {
  private readonly tasks: readonly PreparedTask[];
  private readonly members: readonly SchedulingMember[];
  private readonly state: Uint8Array;
  private readonly holder: Int32Array;
  private readonly start: Float64Array;
  private readonly end: Float64Array;
  private readonly blocked: Uint8Array;
  /** Minutes held, counting existing loads. */
  private readonly load: Float64Array;
  private readonly wished: Float64Array;
  private readonly wishedTotal: number;
  private readonly memberTasks: number[][];
  /** Latest end that still leaves the successors their estimated minutes before their deadlines. */
  private readonly effectiveDeadline: Float64Array;
  private readonly classHeaps = new Map<string, KeyedMinHeap>();
  /** Members on each job from before this problem (continuity), by job id. */
  private readonly earlierOnJob = new Map<string, Set<number>>();
  /** How many of each job's tasks each member holds in this plan, by job id. */
  private readonly heldOfJob = new Map<string, Map<number, number>>();
  private readonly previousHolder: Int32Array;
  /** Share of all minutes each member should get, as a fraction. */
  private readonly share: Float64Array;
  private plannedTotal: number;
  private frees: (FreeTime | undefined)[];
  private readonly existingLoads: Float64Array;

  constructor(private readonly prepared: PreparedProblem) {
    const { problem } = prepared;
    this.tasks = prepared.tasks;
    this.members = prepared.members;
    const n = this.tasks.length;
    const m = this.members.length;
    this.state = new Uint8Array(n);
    this.holder = new Int32Array(n).fill(-1);
    this.start = new Float64Array(n);
    this.end = new Float64Array(n);
    this.blocked = new Uint8Array(n);
    this.load = new Float64Array(m);
    this.existingLoads = new Float64Array(m);
    this.wished = new Float64Array(m);
    this.memberTasks = Array.from({ length: m }, () => []);
    this.frees = new Array<FreeTime | undefined>(m);
    let wishedTotal = 0;
    let existingTotal = 0;
    this.members.forEach((member, index) => {
      const existing = problem.existingLoads?.[member.memberId] ?? 0;
      this.load[index] = existing;
      this.existingLoads[index] = existing;
      existingTotal += existing;
      const wished = Math.max(0, member.wishedMinutesPerWeek);
      this.wished[index] = wished;
      wishedTotal += wished;
    });
    this.wishedTotal = wishedTotal;
    this.share = new Float64Array(m);
    for (let i = 0; i < m; i++) this.share[i] = wishedTotal > 0 ? (this.wished[i] as number) / wishedTotal : 0;
    // The greedy aims at the shares of everything being planned; the improvement pass re-aims
    // at what actually was.
    let estimated = 0;
    for (const t of this.tasks) estimated += t.task.estimatedMinutes;
    this.plannedTotal = existingTotal + estimated;

    this.previousHolder = new Int32Array(n).fill(-1);
    const previous = problem.previousHolders ?? {};
    const jobs = new Set(this.tasks.map((t) => t.task.jobId));
    const singleJob = jobs.size === 1 ? [...jobs][0] : undefined;
    for (const [taskId, memberId] of Object.entries(previous)) {
      const memberIndex = prepared.memberIndex.get(memberId);
      if (memberIndex === undefined) continue;
      const taskIndex = prepared.taskIndex.get(taskId);
      if (taskIndex !== undefined) {
        this.previousHolder[taskIndex] = memberIndex;
        this.joinJob((this.tasks[taskIndex] as PreparedTask).task.jobId, memberIndex);
      } else if (singleJob !== undefined) {
        this.joinJob(singleJob, memberIndex);
      }
    }
    for (const [jobId, holders] of Object.entries(problem.jobHolders ?? {})) {
      for (const memberId of holders) {
        const memberIndex = prepared.memberIndex.get(memberId);
        if (memberIndex !== undefined) this.joinJob(jobId, memberIndex);
      }
    }

    this.effectiveDeadline = new Float64Array(n);
    for (const t of this.tasks) this.effectiveDeadline[t.index] = t.task.deadline;
  }

  private freeTime(m: number): FreeTime {
    let free = this.frees[m];
    if (!free) {
      free = this.prepared.newFreeTime(m);
      this.frees[m] = free;
    }
    return free;
  }

  private joinJob(jobId: string, memberIndex: number): void {
    let set = this.earlierOnJob.get(jobId);
    if (!set) {
      set = new Set();
      this.earlierOnJob.set(jobId, set);
    }
    set.add(memberIndex);
  }

  private countHeld(jobId: string, m: number, change: number): void {
    let held = this.heldOfJob.get(jobId);
    if (!held) {
      held = new Map();
      this.heldOfJob.set(jobId, held);
    }
    const count = (held.get(m) ?? 0) + change;
    if (count > 0) held.set(m, count);
    else held.delete(m);
  }

  /** Members on the job: from before, or holding one of its tasks here (ascending). */
  private onJob(jobId: string): number[] {
    const members = new Set(this.earlierOnJob.get(jobId));
    for (const m of this.heldOfJob.get(jobId)?.keys() ?? []) members.add(m);
    return [...members].sort((a, b) => a - b);
  }

  /**
   * Continuity of task i with member m: 0 her previous holder, 1 a member on its job (other
   * than by this very task), 2 neither.
   */
  private continuity(i: number, m: number): number {
    if (this.previousHolder[i] === m) return 0;
    const jobId = (this.tasks[i] as PreparedTask).task.jobId;
    if (this.earlierOnJob.get(jobId)?.has(m)) return 1;
    const held = (this.heldOfJob.get(jobId)?.get(m) ?? 0) - (this.holder[i] === m ? 1 : 0);
    return held > 0 ? 1 : 2;
  }

  /** load − share of the total: negative below her share. */
  private deviation(m: number): number {
    return (this.load[m] as number) - (this.share[m] as number) * this.plannedTotal;
  }

  // ---------------------------------------------------------------- greedy

  planGreedily(): void {
    const { tasks, prepared } = this;
    const n = tasks.length;
    const indegree = new Int32Array(n);
    for (const t of tasks) {
      if (prepared.standing[t.index] !== GraphStanding.Acyclic) {
        this.giveUp(t);
        continue;
      }
      indegree[t.index] = t.predecessors.length;
    }
    // Effective deadlines, successors before predecessors (reverse topological order).
    const topo: number[] = [];
    for (const t of tasks)
      if (prepared.standing[t.index] === GraphStanding.Acyclic && t.predecessors.length === 0) topo.push(t.index);
    const remaining = Int32Array.from(indegree);
    for (let q = 0; q < topo.length; q++) {
      for (const s of (tasks[topo[q] as number] as PreparedTask).successors)
        if (--(remaining[s] as number) === 0) topo.push(s);
    }
    for (let q = topo.length - 1; q >= 0; q--) {
      const t = tasks[topo[q] as number] as PreparedTask;
      let latest = t.task.deadline;
      for (const s of t.successors) {
        latest = Math.min(latest, (this.effectiveDeadline[s] as number) - (tasks[s] as PreparedTask).durationMs);
      }
      this.effectiveDeadline[t.index] = latest;
    }

    const ready = new KeyedMinHeap();
    for (const i of topo)
      if ((tasks[i] as PreparedTask).predecessors.length === 0) ready.push(i, this.effectiveDeadline[i] as number);
    while (ready.size > 0) {
      const i = ready.peekItem() as number;
      ready.pop();
      const t = tasks[i] as PreparedTask;
      this.planTask(t);
      for (const s of t.successors) {
        if (this.state[i] !== ASSIGNED) this.blocked[s] = 1;
        if (--(indegree[s] as number) === 0) ready.push(s, this.effectiveDeadline[s] as number);
      }
    }
  }

  private giveUp(t: PreparedTask): void {
    this.state[t.index] = UNASSIGNABLE;
  }

  private planTask(t: PreparedTask): void {
    if (this.blocked[t.index] || t.missingPredecessors.length > 0) {
      this.giveUp(t);
      return;
    }
    let earliest = t.fixedEarliest;
    for (const p of t.predecessors) earliest = Math.max(earliest, this.end[p] as number);
    const deadline = t.task.deadline;
    const effective = this.effectiveDeadline[t.index] as number;
    let choice = effective < deadline ? this.chooseMember(t, earliest, effective) : undefined;
    choice ??= this.chooseMember(t, earliest, deadline);
    if (!choice) {
      this.giveUp(t);
      return;
    }
    this.assign(t.index, choice.member, choice.start);
  }

  private classHeap(t: PreparedTask): KeyedMinHeap {
    let heap = this.classHeaps.get(t.classKey);
    if (!heap) {
      heap = new KeyedMinHeap();
      for (const m of this.prepared.qualifiedMembers(t)) heap.push(m, this.deviation(m));
      this.classHeaps.set(t.classKey, heap);
    }
    return heap;
  }

  /** The fairest qualified member who can fit the task, or a continuity one close enough. */
  private chooseMember(
    t: PreparedTask,
    earliest: number,
    latestEnd: number,
  ): { member: number; start: number } | undefined {
    const heap = this.classHeap(t);
    const popped: number[] = [];
    let best = -1;
    let bestDeviation = 0;
    let bestStart = 0;
    let tied = 0;
    while (heap.size > 0) {
      const m = heap.peekItem() as number;
      const key = heap.peekKey() as number;
      const deviation = this.deviation(m);
      heap.pop();
      if (key !== deviation) {
        // Loads only grow during the greedy: a stale key is too low, push it back where it belongs.
        heap.push(m, deviation);
        continue;
      }
      popped.push(m);
      if (best >= 0 && (deviation > bestDeviation + EPSILON || tied >= TIED_CANDIDATES)) break;
      const start = this.freeTime(m).earliestFit(earliest, t.durationMs, latestEnd);
      if (Number.isNaN(start)) continue;
      tied++;
      if (best < 0 || start < bestStart) {
        if (best < 0) bestDeviation = deviation;
        best = m;
        bestStart = start;
      }
    }
    for (const m of popped) heap.push(m, this.deviation(m));
    if (best < 0) return undefined;

    // Continuity: the task's previous holder, then members on its job, when taking the task
    // leaves her no further above her share than the fairest choice.
    const estimate = t.task.estimatedMinutes;
    const limit = Math.max(0, bestDeviation + estimate) + EPSILON;
    let chosen = { member: best, start: bestStart };
    let chosenRank = 2;
    let chosenDeviation = bestDeviation;
    const consider = (m: number, rank: number): void => {
      if (m === best || !this.mayTake(m, t.task)) return;
      const deviation = this.deviation(m);
      if (deviation + estimate > limit) return;
      if (rank > chosenRank || (rank === chosenRank && deviation >= chosenDeviation)) return;
      const start = this.freeTime(m).earliestFit(earliest, t.durationMs, latestEnd);
      if (Number.isNaN(start)) return;
      chosen = { member: m, start };
      chosenRank = rank;
      chosenDeviation = deviation;
    };
    const previous = this.previousHolder[t.index] as number;
    if (previous >= 0) {
      if (previous === best) return chosen;
      consider(previous, 0);
    }
    if (chosenRank > 0) {
      const onJob = this.onJob(t.task.jobId);
      if (onJob.includes(best)) return chosen;
      for (const m of onJob) consider(m, 1);
    }
    return chosen;
  }

  private mayTake(m: number, task: SchedulingTask): boolean {
    const member = this.members[m] as SchedulingMember;
    if (task.localOnlyTownId !== null && member.townId !== task.localOnlyTownId) return false;
    for (const s of task.skills) if (!member.skills.includes(s)) return false;
    return task.excludedMemberIds === undefined || !task.excludedMemberIds.includes(member.memberId);
  }

  private assign(i: number, m: number, start: number): void {
    const t = this.tasks[i] as PreparedTask;
    const end = start + t.durationMs;
    this.freeTime(m).occupy(start, end);
    this.state[i] = ASSIGNED;
    this.holder[i] = m;
    this.start[i] = start;
    this.end[i] = end;
    this.load[m] = (this.load[m] as number) + t.task.estimatedMinutes;
    (this.memberTasks[m] as number[]).push(i);
    this.countHeld(t.task.jobId, m, 1);
  }

  // ---------------------------------------------------------------- exact search

  /**
   * On a problem where every task is planned, looks for a strictly fairer plan by branch and
   * bound and adopts it when found. True when the plan changed.
   */
  searchExactly(nodeBudget: number): boolean {
    if (this.wishedTotal <= 0 || this.state.some((s) => s !== ASSIGNED)) return false;
    let total = 0;
    for (let i = 0; i < this.members.length; i++) total += this.load[i] as number;
    this.plannedTotal = total;
    const targets = Float64Array.from(this.share, (share) => share * total);
    let incumbent = 0;
    for (let i = 0; i < this.members.length; i++) incumbent = Math.max(incumbent, Math.abs(this.deviation(i)));
    const found = searchFairestPlan({
      prepared: this.prepared,
      initialLoads: this.existingLoads,
      targets,
      incumbent,
      nodeBudget,
    });
    if (!found) return false;
    this.frees = new Array<FreeTime | undefined>(this.members.length);
    this.load.set(this.existingLoads);
    for (const list of this.memberTasks) list.length = 0;
    this.heldOfJob.clear();
    for (const t of this.tasks) this.assign(t.index, found.holder[t.index] as number, found.start[t.index] as number);
    return true;
  }

  // ---------------------------------------------------------------- improvement

  /** Members sorted by deviation, ascending (ties by index), kept sorted as moves are applied. */
  private byDeviation: number[] = [];
  private deviations = new Float64Array(0);
  private sumOfSquares = 0;

  improve(budget: number): void {
    const m = this.members.length;
    if (m < 2 || budget <= 0 || this.wishedTotal <= 0) return;
    let total = 0;
    for (let i = 0; i < m; i++) total += this.load[i] as number;
    this.plannedTotal = total;
    this.deviations = new Float64Array(m);
    this.sumOfSquares = 0;
    for (let i = 0; i < m; i++) {
      const d = this.deviation(i);
      this.deviations[i] = d;
      this.sumOfSquares += d * d;
    }
    this.byDeviation = Array.from({ length: m }, (_, i) => i).sort((a, b) => this.compareDeviation(a, b));

    let spent = 0;
    while (spent < budget) {
      let improved = false;
      for (const a of this.mostDeviating(MEMBERS_TRIED)) {
        const outcome = this.improveMember(a);
        spent += outcome.evaluated;
        if (outcome.applied) {
          improved = true;
          break;
        }
        if (spent >= budget) break;
      }
      if (!improved) break;
    }
  }

  private compareDeviation(a: number, b: number): number {
    return (this.deviations[a] as number) - (this.deviations[b] as number) || a - b;
  }

  /** Up to `count` members by |deviation|, largest first (from both ends of the sorted list). */
  private mostDeviating(count: number): number[] {
    const out: number[] = [];
    let lo = 0;
    let hi = this.byDeviation.length - 1;
    while (out.length < count && lo <= hi) {
      const low = this.byDeviation[lo] as number;
      const high = this.byDeviation[hi] as number;
      if (Math.abs(this.deviations[high] as number) >= Math.abs(this.deviations[low] as number)) {
        out.push(high);
        hi--;
      } else {
        out.push(low);
        lo++;
      }
    }
    return out;
  }

  /** The largest |deviation| among members other than x and y. */
  private largestExcept(x: number, y: number): number {
    const list = this.byDeviation;
    let lo = 0;
    while (lo < list.length && (list[lo] === x || list[lo] === y)) lo++;
    let hi = list.length - 1;
    while (hi >= 0 && (list[hi] === x || list[hi] === y)) hi--;
    if (lo > hi) return 0;
    return Math.max(
      Math.abs(this.deviations[list[lo] as number] as number),
      Math.abs(this.deviations[list[hi] as number] as number),
    );
  }

  private largest(): number {
    const list = this.byDeviation;
    return Math.max(
      Math.abs(this.deviations[list[0] as number] as number),
      Math.abs(this.deviations[list[list.length - 1] as number] as number),
    );
  }

  /**
   * The best improving move or swap involving member `a`: she gives (when above her share) or
   * takes (when below) minutes; the first candidate that keeps every hard rule is applied.
   */
  private improveMember(a: number): { applied: boolean; evaluated: number } {
    const devA = this.deviations[a] as number;
    const giving = devA > 0;
    const currentLargest = this.largest();
    const currentSquares = this.sumOfSquares;
    const candidates: Candidate[] = [];
    let evaluated = 0;
    // Partners on the other side of their share, the most opposite first.
    const partners: number[] = [];
    const list = this.byDeviation;
    if (giving) {
      for (let k = 0; k < list.length && partners.length < PARTNERS; k++) {
        const b = list[k] as number;
        if ((this.deviations[b] as number) >= devA) break;
        if (b !== a) partners.push(b);
      }
    } else {
      for (let k = list.length - 1; k >= 0 && partners.length < PARTNERS; k--) {
        const b = list[k] as number;
        if ((this.deviations[b] as number) <= devA) break;
        if (b !== a) partners.push(b);
      }
    }
    // Minutes d flow from `from` to `to`.
    const consider = (from: number, to: number, d: number, task: number, other: number): void => {
      evaluated++;
      const devFrom = (this.deviations[from] as number) - d;
      const devTo = (this.deviations[to] as number) + d;
      const newLargest = Math.max(Math.abs(devFrom), Math.abs(devTo), this.largestExcept(from, to));
      if (newLargest > currentLargest + EPSILON) return;
      const oldFrom = this.deviations[from] as number;
      const oldTo = this.deviations[to] as number;
      const newSquares = currentSquares - oldFrom * oldFrom - oldTo * oldTo + devFrom * devFrom + devTo * devTo;
      if (newLargest < currentLargest - EPSILON) {
        candidates.push({ largest: newLargest, squares: newSquares, task, other, to });
      } else if (newSquares < currentSquares - EPSILON * Math.max(1, currentSquares)) {
        // Evening out below the largest deviation must not cost continuity.
        let change = this.continuity(task, to) - this.continuity(task, from);
        if (other >= 0) change += this.continuity(other, from) - this.continuity(other, to);
        if (change <= 0) candidates.push({ largest: newLargest, squares: newSquares, task, other, to });
      }
    };
    const mine = this.memberTasks[a] as number[];
    for (const b of partners) {
      const theirs = this.memberTasks[b] as number[];
      const [giver, receiver, givenTasks, keptTasks] = giving ? [a, b, mine, theirs] : [b, a, theirs, mine];
      for (const t of givenTasks) {
        const task = this.tasks[t] as PreparedTask;
        if (!this.mayTake(receiver, task.task)) continue;
        const e = task.task.estimatedMinutes;
        consider(giver, receiver, e, t, -1);
        for (const u of keptTasks) {
          const back = this.tasks[u] as PreparedTask;
          const f = back.task.estimatedMinutes;
          if (f >= e || !this.mayTake(giver, back.task) || related(task, back)) continue;
          consider(giver, receiver, e - f, t, u);
        }
      }
    }
    if (candidates.length === 0) return { applied: false, evaluated };
    candidates.sort(
      (x, y) => x.largest - y.largest || x.squares - y.squares || x.task - y.task || x.other - y.other || x.to - y.to,
    );
    const checks = Math.min(candidates.length, FEASIBILITY_CHECKS);
    for (let k = 0; k < checks; k++) {
      const c = candidates[k] as Candidate;
      if (this.tryMove(c.task, c.to, c.other)) return { applied: true, evaluated: evaluated + k + 1 };
    }
    return { applied: false, evaluated: evaluated + checks };
  }

  /** Earliest start and latest end the task may have given its neighbours' planned times. */
  private bounds(i: number): { earliest: number; latest: number } {
    const t = this.tasks[i] as PreparedTask;
    let earliest = t.fixedEarliest;
    for (const p of t.predecessors) earliest = Math.max(earliest, this.end[p] as number);
    let latest = t.task.deadline;
    for (const s of t.successors) if (this.state[s] === ASSIGNED) latest = Math.min(latest, this.start[s] as number);
    return { earliest, latest };
  }

  /** Moves task `t` to member `to` (and `u`, if any, from `to` to t's holder) when every hard rule holds. */
  private tryMove(t: number, to: number, u: number): boolean {
    const from = this.holder[t] as number;
    const task = this.tasks[t] as PreparedTask;
    const freeFrom = this.freeTime(from);
    const freeTo = this.freeTime(to);
    const bt = this.bounds(t);
    if (u < 0) {
      const s = freeTo.earliestFit(bt.earliest, task.durationMs, bt.latest);
      if (Number.isNaN(s)) return false;
      freeFrom.release(this.start[t] as number, this.end[t] as number);
      this.place(t, to, s);
      this.shift(from, to, task.task.estimatedMinutes);
      return true;
    }
    const back = this.tasks[u] as PreparedTask;
    const bu = this.bounds(u);
    const oldT = this.start[t] as number;
    const oldU = this.start[u] as number;
    freeFrom.release(oldT, oldT + task.durationMs);
    freeTo.release(oldU, oldU + back.durationMs);
    const st = freeTo.earliestFit(bt.earliest, task.durationMs, bt.latest);
    let su = Number.NaN;
    if (!Number.isNaN(st)) {
      freeTo.occupy(st, st + task.durationMs);
      su = freeFrom.earliestFit(bu.earliest, back.durationMs, bu.latest);
      if (Number.isNaN(su)) freeTo.release(st, st + task.durationMs);
    }
    if (Number.isNaN(su)) {
      freeFrom.occupy(oldT, oldT + task.durationMs);
      freeTo.occupy(oldU, oldU + back.durationMs);
      return false;
    }
    freeFrom.occupy(su, su + back.durationMs);
    this.relocate(t, to, st);
    this.relocate(u, from, su);
    this.shift(from, to, task.task.estimatedMinutes - back.task.estimatedMinutes);
    return true;
  }

  /** Occupies the new slot and records the task there (its old slot is already released). */
  private place(t: number, to: number, start: number): void {
    const task = this.tasks[t] as PreparedTask;
    this.freeTime(to).occupy(start, start + task.durationMs);
    this.relocate(t, to, start);
  }

  private relocate(t: number, to: number, start: number): void {
    const task = this.tasks[t] as PreparedTask;
    const from = this.holder[t] as number;
    if (from !== to) {
      this.countHeld(task.task.jobId, from, -1);
      this.countHeld(task.task.jobId, to, 1);
      const list = this.memberTasks[from] as number[];
      list.splice(list.indexOf(t), 1);
      (this.memberTasks[to] as number[]).push(t);
      this.holder[t] = to;
    }
    this.start[t] = start;
    this.end[t] = start + task.durationMs;
  }

  /** `minutes` of load move from one member to another; deviations and their order follow. */
  private shift(from: number, to: number, minutes: number): void {
    for (const m of [from, to]) this.byDeviation.splice(this.positionOf(m), 1);
    this.load[from] = (this.load[from] as number) - minutes;
    this.load[to] = (this.load[to] as number) + minutes;
    for (const m of [from, to]) {
      const old = this.deviations[m] as number;
      const d = this.deviation(m);
      this.sumOfSquares += d * d - old * old;
      this.deviations[m] = d;
    }
    for (const m of [from, to]) this.byDeviation.splice(this.insertionPoint(m), 0, m);
  }

  private positionOf(m: number): number {
    const i = this.insertionPoint(m);
    if (this.byDeviation[i] !== m) throw new Error('deviation order lost');
    return i;
  }

  /** First position whose member sorts at or after m. */
  private insertionPoint(m: number): number {
    let lo = 0;
    let hi = this.byDeviation.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareDeviation(this.byDeviation[mid] as number, m) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // ---------------------------------------------------------------- answer

  schedule(): Schedule {
    const assignments: Assignment[] = [];
    const unassignable: Unassignable[] = [];
    for (const t of this.tasks) {
      if (this.state[t.index] === ASSIGNED) {
        assignments.push({
          taskId: t.task.taskId,
          memberId: (this.members[this.holder[t.index] as number] as SchedulingMember).memberId,
          start: this.start[t.index] as number,
          end: this.end[t.index] as number,
        });
      } else {
        unassignable.push({ taskId: t.task.taskId, reasons: this.prepared.reasonsFor(t, this.blocked[t.index] === 1) });
      }
    }
    return { assignments, unassignable };
  }
}

interface Candidate {
  readonly largest: number;
  readonly squares: number;
  readonly task: number;
  /** The task coming back in a swap, or -1 for a plain move. */
  readonly other: number;
  readonly to: number;
}

/** Directly dependent tasks cannot swap holders in one step: their bounds depend on each other. */
const related = (a: PreparedTask, b: PreparedTask): boolean =>
  a.predecessors.includes(b.index) || b.predecessors.includes(a.index);
