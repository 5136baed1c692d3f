/**
 * The exact optimum of the fairness objective on small instances, from the HiGHS MILP solver,
 * on the assignment relaxation: every task to exactly one member who may take it (skills, town,
 * a free stretch of her windows as long as the task before its deadline), each member within
 * her free window minutes; ordering inside windows and dependencies are ignored, so the optimum
 * is a lower bound of the true one, and being within 10% of it is at least as strong as being
 * within 10% of the true optimum.
 */
import highsImport, { type Highs } from 'highs';
import { checkSchedule, fairnessObjective } from '../src/domain/scheduler/fairness.js';
import { firstFit } from '../src/domain/scheduler/first-fit.js';
import type { SchedulingProblem } from '../src/domain/scheduler/model.js';
import { planSchedule } from '../src/domain/scheduler/scheduler.js';
import { freeIntervals, MINUTE_MS } from '../src/domain/scheduler/windows.js';
import { seededRandom, smallInstance } from './instances.js';

type HighsLoader = () => Promise<Highs>;

/**
 * Loads the HiGHS solver (WebAssembly). The package's types describe its CommonJS face while
 * Node's ESM loader hands out the function itself: take whichever the runtime gives.
 */
export const loadHighsSolver = (): Promise<Highs> => {
  const loaded = highsImport as unknown as HighsLoader & { default?: HighsLoader };
  return (loaded.default ?? loaded)();
};

export interface FairnessBound {
  /** 'Optimal' when the value is the proven optimum of the relaxation. */
  readonly status: string;
  readonly value: number;
}

const number = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(9));

/** The optimum of max_m |load_m − total × share_m| over the assignment relaxation, all tasks assigned. */
export const fairnessLowerBound = (highs: Highs, problem: SchedulingProblem): FairnessBound => {
  const { members, tasks } = problem;
  const existing = problem.existingLoads ?? {};
  const wishedTotal = members.reduce((sum, m) => sum + m.wishedMinutesPerWeek, 0);
  const total =
    tasks.reduce((sum, t) => sum + t.estimatedMinutes, 0) +
    members.reduce((sum, m) => sum + (existing[m.memberId] ?? 0), 0);
  const horizon = Math.max(problem.notBefore, ...tasks.map((t) => t.deadline));
  const terms: string[][] = members.map(() => []);
  const taskRows: string[] = [];
  const binaries: string[] = [];
  const free = members.map((m) => freeIntervals(m.windows, [...m.busy, ...m.unavailable], problem.notBefore, horizon));
  tasks.forEach((t, i) => {
    const row: string[] = [];
    members.forEach((m, j) => {
      if (t.localOnlyTownId !== null && m.townId !== t.localOnlyTownId) return;
      if (!t.skills.every((s) => m.skills.includes(s))) return;
      const span = t.estimatedMinutes * MINUTE_MS;
      if (!(free[j] ?? []).some((f) => Math.min(f.end, t.deadline) - f.start >= span)) return;
      const x = `x_${i}_${j}`;
      row.push(x);
      binaries.push(x);
      (terms[j] as string[]).push(`${t.estimatedMinutes} ${x}`);
    });
    if (row.length > 0) taskRows.push(` task_${i}: ${row.join(' + ')} = 1`);
  });
  if (taskRows.length < tasks.length) return { status: 'Infeasible', value: Number.NaN };
  const rows = [...taskRows];
  members.forEach((m, j) => {
    const target = (total * m.wishedMinutesPerWeek) / wishedTotal - (existing[m.memberId] ?? 0);
    const load = (terms[j] as string[]).join(' + ');
    const capacity = (free[j] ?? []).reduce((sum, f) => sum + (f.end - f.start) / MINUTE_MS, 0);
    if (load === '') {
      rows.push(` under_${j}: z >= ${number(target)}`, ` over_${j}: z >= ${number(-target)}`);
    } else {
      rows.push(
        ` under_${j}: ${load} + z >= ${number(target)}`,
        ` over_${j}: ${load} - z <= ${number(target)}`,
        ` capacity_${j}: ${load} <= ${number(capacity)}`,
      );
    }
  });
  const lp = [
    'Minimize',
    ' deviation: z',
    'Subject To',
    ...rows,
    'Bounds',
    ' z >= 0',
    'Binary',
    ` ${binaries.join(' ')}`,
    'End',
  ].join('\n');
  const solution = highs.solve(lp, { output_flag: false, time_limit: 20, mip_rel_gap: 1e-6 });
  return { status: solution.Status, value: solution.Status === 'Optimal' ? solution.ObjectiveValue : Number.NaN };
};

export interface OptimalityOutcome {
  /** Instances generated. */
  readonly instances: number;
  /** Instances compared: every task planned by the scheduler, the relaxation solved to optimality. */
  readonly compared: number;
  /** Compared instances where the scheduler's objective ≤ 1.1 × the optimum (0 when the optimum is 0). */
  readonly within: number;
  readonly rate: number;
  /** Mean of heuristic / optimum over compared instances with a positive optimum. */
  readonly meanRatio: number;
  /** Mean of first-fit / optimum over the compared instances where first-fit planned every task too. */
  readonly firstFitMeanRatio: number;
  readonly firstFitWithin: number;
  readonly firstFitCompared: number;
  readonly worst: readonly { seed: number; heuristic: number; optimum: number }[];
}

/** Within 10% of the optimum, with a hair of slack for the solver's floating point. */
export const withinTenPercent = (value: number, optimum: number): boolean => value <= optimum * 1.1 + 1e-6;

/**
 * Runs the scheduler and first-fit on `count` small instances (seeds first, first + 1, ...)
 * against the optimum; throws if either plan breaks a hard rule.
 */
export const measureOptimality = (
  highs: Highs,
  count: number,
  firstSeed = 1,
  onInstance?: (done: number) => void,
): OptimalityOutcome => {
  let compared = 0;
  let within = 0;
  let ratioSum = 0;
  let ratioCount = 0;
  let ffCompared = 0;
  let ffWithin = 0;
  let ffRatioSum = 0;
  let ffRatioCount = 0;
  const misses: { seed: number; heuristic: number; optimum: number }[] = [];
  for (let k = 0; k < count; k++) {
    const seed = firstSeed + k;
    const problem = smallInstance(seededRandom(seed));
    const schedule = planSchedule(problem);
    const baseline = firstFit(problem);
    for (const [who, plan] of [
      ['the scheduler', schedule],
      ['first-fit', baseline],
    ] as const) {
      const violations = checkSchedule(problem, plan);
      if (violations.length > 0)
        throw new Error(`${who} breaks a hard rule on small instance ${seed}: ${violations.join('; ')}`);
    }
    onInstance?.(k + 1);
    if (schedule.unassignable.length > 0) continue;
    const bound = fairnessLowerBound(highs, problem);
    if (bound.status !== 'Optimal') continue;
    compared++;
    const heuristic = fairnessObjective(problem.members, schedule.assignments);
    if (withinTenPercent(heuristic, bound.value)) within++;
    else misses.push({ seed, heuristic, optimum: bound.value });
    if (bound.value > 1e-9) {
      ratioSum += heuristic / bound.value;
      ratioCount++;
    }
    if (baseline.unassignable.length === 0) {
      ffCompared++;
      const value = fairnessObjective(problem.members, baseline.assignments);
      if (withinTenPercent(value, bound.value)) ffWithin++;
      if (bound.value > 1e-9) {
        ffRatioSum += value / bound.value;
        ffRatioCount++;
      }
    }
  }
  return {
    instances: count,
    compared,
    within,
    rate: compared > 0 ? within / compared : 0,
    meanRatio: ratioCount > 0 ? ratioSum / ratioCount : 1,
    firstFitMeanRatio: ffRatioCount > 0 ? ffRatioSum / ffRatioCount : 1,
    firstFitWithin: ffWithin,
    firstFitCompared: ffCompared,
    worst: misses.sort((a, b) => b.heuristic / b.optimum - a.heuristic / a.optimum).slice(0, 5),
  };
};
