/**
 * The greedy first-fit baseline the scheduler is measured against: tasks in input order
 * (a task waits for its predecessors), each to the first qualified member by id who can fit it,
 * at her earliest slot. It keeps the same hard rules and gives the same reasons; it ignores
 * fairness and continuity.
 */
import type { FreeTime } from './free-time.js';
import { KeyedMinHeap } from './heap.js';
import type { Assignment, ScheduleTasks, Unassignable } from './model.js';
import { GraphStanding, PreparedProblem, type PreparedTask } from './prepared-problem.js';

export const firstFit: ScheduleTasks = (problem) => {
  const prepared = new PreparedProblem(problem, { keepTaskOrder: true });
  const { tasks, members } = prepared;
  const n = tasks.length;
  const holder = new Int32Array(n).fill(-1);
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const blocked = new Uint8Array(n);
  const indegree = new Int32Array(n);
  const ready = new KeyedMinHeap();
  const frees = new Map<number, FreeTime>();
  const freeTime = (m: number): FreeTime => {
    let free = frees.get(m);
    if (!free) {
      free = prepared.newFreeTime(m);
      frees.set(m, free);
    }
    return free;
  };
  for (const t of tasks) {
    if (prepared.standing[t.index] !== GraphStanding.Acyclic) continue;
    indegree[t.index] = t.predecessors.length;
    if (t.predecessors.length === 0) ready.push(t.index, t.index);
  }
  while (ready.size > 0) {
    const i = ready.peekItem() as number;
    ready.pop();
    const t = tasks[i] as PreparedTask;
    if (!blocked[i] && t.missingPredecessors.length === 0) {
      let earliest = t.fixedEarliest;
      for (const p of t.predecessors) earliest = Math.max(earliest, end[p] as number);
      for (const m of prepared.qualifiedMembers(t)) {
        const free = freeTime(m);
        const s = free.earliestFit(earliest, t.durationMs, t.task.deadline);
        if (Number.isNaN(s)) continue;
        free.occupy(s, s + t.durationMs);
        holder[i] = m;
        start[i] = s;
        end[i] = s + t.durationMs;
        break;
      }
    }
    for (const s of t.successors) {
      if ((holder[i] as number) < 0) blocked[s] = 1;
      if (--(indegree[s] as number) === 0) ready.push(s, s);
    }
  }
  const assignments: Assignment[] = [];
  const unassignable: Unassignable[] = [];
  for (const t of tasks) {
    const m = holder[t.index] as number;
    if (m >= 0) {
      const memberId = members[m]?.memberId as string;
      assignments.push({
        taskId: t.task.taskId,
        memberId,
        start: start[t.index] as number,
        end: end[t.index] as number,
      });
    } else {
      unassignable.push({ taskId: t.task.taskId, reasons: prepared.reasonsFor(t, blocked[t.index] === 1) });
    }
  }
  return { assignments, unassignable };
};
