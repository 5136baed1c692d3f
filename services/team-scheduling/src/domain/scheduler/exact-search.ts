/**
 * Branch and bound over the assignments of a small problem (a job's tasks over a team), for the
 * fairest plan: fairness is a min-max partition that local moves can get stuck on (the member
 * furthest from her share may only be helped by a chain of moves). Tasks are placed in
 * dependency order, the longest first among those ready, each at its member's earliest slot,
 * so every plan it finds keeps the hard rules. A branch is cut as soon as some member is
 * certainly at least as far from her share as the best plan known: above it already (loads
 * only grow), or below it even if she got every remaining task open to her. Bounded by a
 * number of nodes, so it answers in bounded time and deterministically.
 */
import type { FreeTime } from './free-time.js';
import { KeyedMinHeap } from './heap.js';
import type { PreparedProblem, PreparedTask } from './prepared-problem.js';

export interface ExactSearchInput {
  readonly prepared: PreparedProblem;
  /** Minutes each member holds before this problem (existing loads). */
  readonly initialLoads: Float64Array;
  /** Minutes each member should hold once every task is planned. */
  readonly targets: Float64Array;
  /** The objective to beat (the plan in hand). */
  readonly incumbent: number;
  readonly nodeBudget: number;
}

export interface ExactSearchResult {
  readonly objective: number;
  readonly holder: Int32Array;
  readonly start: Float64Array;
  /** True when the whole tree was searched: the plan is the fairest with earliest slots. */
  readonly complete: boolean;
}

const EPSILON = 1e-9;

/** A plan strictly fairer than the incumbent with every task planned, or undefined. */
export const searchFairestPlan = (input: ExactSearchInput): ExactSearchResult | undefined => {
  const { prepared, targets, nodeBudget } = input;
  const tasks = prepared.tasks;
  const n = tasks.length;
  const memberCount = prepared.members.length;
  const order = placementOrder(tasks);
  if (order.length !== n) return undefined;

  const load = Float64Array.from(input.initialLoads);
  const remaining = new Float64Array(memberCount);
  const qualified = tasks.map((t) => prepared.qualifiedMembers(t));
  for (const t of tasks)
    for (const q of qualified[t.index] as readonly number[])
      remaining[q] = (remaining[q] as number) + t.task.estimatedMinutes;
  let best = input.incumbent;
  // A member below her share by the incumbent's value even with every task open to her is a
  // certain loss: nothing can beat the plan in hand.
  for (let q = 0; q < memberCount; q++) {
    if ((targets[q] as number) - (load[q] as number) - (remaining[q] as number) >= best - EPSILON) return undefined;
  }

  const frees: (FreeTime | undefined)[] = new Array<FreeTime | undefined>(memberCount);
  const freeTime = (m: number): FreeTime => {
    let free = frees[m];
    if (!free) {
      free = prepared.newFreeTime(m);
      frees[m] = free;
    }
    return free;
  };
  const holder = new Int32Array(n).fill(-1);
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  let found: ExactSearchResult | undefined;
  let nodes = 0;
  let exhausted = false;

  let unplanned = 0;
  for (const t of tasks) unplanned += t.task.estimatedMinutes;
  /**
   * The minutes left must fit under every member's ceiling (share + best − load) and fill
   * every member up to her floor (share − best − load): otherwise no plan below can beat `best`.
   */
  const canStillBeat = (): boolean => {
    const limit = best - EPSILON;
    let room = 0;
    let need = 0;
    for (let q = 0; q < memberCount; q++) {
      const gap = (targets[q] as number) - (load[q] as number);
      room += Math.max(0, gap + limit);
      need += Math.max(0, gap - limit);
    }
    return unplanned < room && (need === 0 || unplanned > need);
  };

  const descend = (depth: number): void => {
    if (depth === n) {
      let worst = 0;
      for (let q = 0; q < memberCount; q++)
        worst = Math.max(worst, Math.abs((load[q] as number) - (targets[q] as number)));
      if (worst < best - EPSILON) {
        best = worst;
        found = { objective: worst, holder: Int32Array.from(holder), start: Float64Array.from(start), complete: false };
      }
      return;
    }
    const i = order[depth] as number;
    const t = tasks[i] as PreparedTask;
    const estimate = t.task.estimatedMinutes;
    let earliest = t.fixedEarliest;
    for (const p of t.predecessors) earliest = Math.max(earliest, end[p] as number);
    const open = qualified[i] as readonly number[];
    // The furthest below her share first: good plans come early and cut the rest.
    const candidates = [...open].sort(
      (a, b) => (load[a] as number) - (targets[a] as number) - ((load[b] as number) - (targets[b] as number)) || a - b,
    );
    for (const q of open) remaining[q] = (remaining[q] as number) - estimate;
    for (const m of candidates) {
      if (++nodes > nodeBudget) {
        exhausted = true;
        break;
      }
      if ((load[m] as number) + estimate - (targets[m] as number) >= best - EPSILON) break; // the rest are higher still
      load[m] = (load[m] as number) + estimate;
      unplanned -= estimate;
      let hopeless = false;
      for (const q of open) {
        if ((targets[q] as number) - (load[q] as number) - (remaining[q] as number) >= best - EPSILON) {
          hopeless = true;
          break;
        }
      }
      if (!hopeless && unplanned > 0) hopeless = !canStillBeat();
      if (!hopeless) {
        const free = freeTime(m);
        const s = free.earliestFit(earliest, t.durationMs, t.task.deadline);
        if (!Number.isNaN(s)) {
          free.occupy(s, s + t.durationMs);
          holder[i] = m;
          start[i] = s;
          end[i] = s + t.durationMs;
          descend(depth + 1);
          free.release(s, s + t.durationMs);
          holder[i] = -1;
        }
      }
      load[m] = (load[m] as number) - estimate;
      unplanned += estimate;
      if (exhausted) break;
    }
    for (const q of open) remaining[q] = (remaining[q] as number) + estimate;
  };
  descend(0);
  const result = found as ExactSearchResult | undefined;
  return result && { ...result, complete: !exhausted };
};

/** Dependency order, the longest task first among those ready (ties by task order). */
const placementOrder = (tasks: readonly PreparedTask[]): number[] => {
  const indegree = new Int32Array(tasks.length);
  const ready = new KeyedMinHeap();
  for (const t of tasks) {
    indegree[t.index] = t.predecessors.length;
    if (t.predecessors.length === 0) ready.push(t.index, -t.task.estimatedMinutes);
  }
  const order: number[] = [];
  while (ready.size > 0) {
    const i = ready.peekItem() as number;
    ready.pop();
    order.push(i);
    for (const s of (tasks[i] as PreparedTask).successors) {
      if (--(indegree[s] as number) === 0) ready.push(s, -(tasks[s] as PreparedTask).task.estimatedMinutes);
    }
  }
  return order;
};
