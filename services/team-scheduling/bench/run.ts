/**
 * Team scheduling benchmark: the scheduler against the greedy first-fit baseline, run on the
 * same instances in the same process.
 *
 *   npx tsc -p tsconfig.build.json && npm run bench     (from services/team-scheduling)
 *
 * 1. A week of work: 20,000 tasks over 2,000 members (BENCH_TASKS, BENCH_MEMBERS, BENCH_SEED):
 *    planning time (target < 2,000 ms), peak RSS (target < 500 MB), fairness of both plans.
 * 2. Hand-offs: BENCH_HANDOFFS (1,000) single-task re-assignments over the same team, each the
 *    problem the service builds when a holder becomes unavailable: p50 and p99 (target < 10 ms).
 * 3. Optimality: BENCH_SMALL_INSTANCES (200) instances of up to 8 members × 20 tasks against the
 *    exact optimum of the assignment relaxation from HiGHS (target: ≥ 95% within 10%).
 * 4. Two replicas on PostgreSQL (DATABASE_URL; skipped without it): BENCH_REPLICA_JOBS (300)
 *    planned jobs scheduled by both at once under the regions' leases, against leases that reach
 *    one process only (target: ≥ 0.5× of that throughput, and no member double-booked).
 *
 * Every plan is checked against the hard rules (checkSchedule) and the run fails if one breaks
 * a rule; a missed target is reported (met: false), not failed.
 */
import { performance } from 'node:perf_hooks';
import {
  atLeast,
  below,
  compareToBaseline,
  positiveWholeSetting,
  recordResults,
  roundTo,
  startRssSampler,
  summarizeLatencies,
  toMB,
  type BenchResult,
} from '@workshare/bench';
import { checkSchedule, fairnessObjective } from '../src/domain/scheduler/fairness.js';
import { firstFit } from '../src/domain/scheduler/first-fit.js';
import type { Schedule, SchedulingProblem } from '../src/domain/scheduler/model.js';
import { scheduleTasks } from '../src/domain/scheduler/scheduler.js';
import { HandOffs } from './hand-off.js';
import { runTwoReplicas, type ReplicaRun } from './replicas.js';
import { seededRandom, weekInstance } from './instances.js';
import { loadHighsSolver, measureOptimality } from './optimality.js';

const TASKS = positiveWholeSetting('BENCH_TASKS', 20_000);
const MEMBERS = positiveWholeSetting('BENCH_MEMBERS', 2_000);
const SEED = positiveWholeSetting('BENCH_SEED', 1);
const HANDOFFS = positiveWholeSetting('BENCH_HANDOFFS', 1_000);
const SMALL_INSTANCES = positiveWholeSetting('BENCH_SMALL_INSTANCES', 200);
const REPLICA_JOBS = positiveWholeSetting('BENCH_REPLICA_JOBS', 300);
/** Which parts run (default all): `week` (1 and 2), `optimality` (3), `replicas` (4), comma-separated. */
const PARTS = new Set((process.env.BENCH_PARTS ?? 'week,optimality,replicas').split(',').map((p) => p.trim()));
const ROUNDS = 3;

const format = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 1 });

/** A figure where lower is better, judged against the baseline's figure in the same run. */
const lowerThanBaseline = (
  name: string,
  value: number,
  unit: string,
  baseline: string,
  baselineValue: number,
): BenchResult => ({
  name,
  value: roundTo(value),
  unit,
  baseline,
  baselineValue: roundTo(baselineValue),
  ratio: baselineValue > 0 ? Math.round((value / baselineValue) * 1000) / 1000 : null,
  target: '< baseline',
  met: value < baselineValue,
});

const mustKeepRules = (what: string, problem: SchedulingProblem, schedule: Schedule): void => {
  const violations = checkSchedule(problem, schedule);
  if (violations.length > 0)
    throw new Error(`${what} breaks ${violations.length} hard rule(s): ${violations.slice(0, 5).join('; ')}`);
};

const median = (samples: readonly number[]): number =>
  [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] as number;

const main = async (): Promise<void> => {
  const results: BenchResult[] = [];
  console.log(`team scheduling bench: ${format(TASKS)} tasks over ${format(MEMBERS)} members, seed ${SEED}`);

  if (PARTS.has('week')) {
    // 1. A week of work.
    const week = weekInstance(seededRandom(SEED), { members: MEMBERS, tasks: TASKS });
    const windows = week.members.reduce((sum, m) => sum + m.windows.length, 0);
    console.log(
      `instance: ${format(week.tasks.length)} tasks in ${format(new Set(week.tasks.map((t) => t.jobId)).size)} jobs, ${format(windows)} weekly windows`,
    );
    const sampler = startRssSampler();
    const schedulerMs: number[] = [];
    const firstFitMs: number[] = [];
    let plan: Schedule | undefined;
    let baselinePlan: Schedule | undefined;
    // One warm-up of each, then rounds alternating the two so drift falls on both alike.
    for (let round = 0; round <= ROUNDS; round++) {
      let started = performance.now();
      plan = scheduleTasks(week);
      const ms = performance.now() - started;
      sampler.peakBytes();
      started = performance.now();
      baselinePlan = firstFit(week);
      const baselineMs = performance.now() - started;
      if (round > 0) {
        schedulerMs.push(ms);
        firstFitMs.push(baselineMs);
      }
      console.log(
        `${round === 0 ? 'warm-up' : `round ${round}/${ROUNDS}`}: scheduler ${format(ms)} ms, first-fit ${format(baselineMs)} ms`,
      );
    }
    const peak = sampler.stop();
    if (!plan || !baselinePlan) throw new Error('no plan');
    mustKeepRules('the scheduler', week, plan);
    mustKeepRules('first-fit', week, baselinePlan);
    const fairness = fairnessObjective(week.members, plan.assignments);
    const baselineFairness = fairnessObjective(week.members, baselinePlan.assignments);
    console.log(
      `planned: scheduler ${format(plan.assignments.length)} tasks (fairness ${format(fairness)} min), first-fit ${format(baselinePlan.assignments.length)} tasks (fairness ${format(baselineFairness)} min)`,
    );
    const scale = `${format(TASKS)} tasks × ${format(MEMBERS)} members`;
    results.push(
      below({
        name: `team-scheduling: plan ${scale}`,
        value: median(schedulerMs),
        unit: 'ms',
        baseline: 'greedy first-fit, same instance',
        baselineValue: median(firstFitMs),
        max: 2_000,
      }),
      below({ name: `team-scheduling: plan ${scale}, peak RSS`, value: toMB(peak), unit: 'MB', max: 500 }),
      lowerThanBaseline(
        `team-scheduling: fairness (largest deviation), ${scale}`,
        fairness,
        'minutes',
        'greedy first-fit',
        baselineFairness,
      ),
      atLeast({
        name: `team-scheduling: tasks planned, ${scale}`,
        value: plan.assignments.length,
        unit: 'tasks',
        baseline: 'greedy first-fit',
        baselineValue: baselinePlan.assignments.length,
        min: baselinePlan.assignments.length,
      }),
    );

    // 2. Hand-offs over the same team.
    const assigned = plan.assignments;
    const step = Math.max(1, Math.floor(assigned.length / HANDOFFS));
    const latencies: number[] = [];
    const baselineLatencies: number[] = [];
    let replanned = 0;
    const handOffs = new HandOffs(week, plan);
    for (let k = 0; k < HANDOFFS && k * step < assigned.length; k++) {
      const a = assigned[k * step];
      if (!a) break;
      const { problem } = handOffs.handOff(a.memberId, { start: a.start, end: a.end });
      let started = performance.now();
      const answer = scheduleTasks(problem);
      latencies.push(performance.now() - started);
      started = performance.now();
      const baselineAnswer = firstFit(problem);
      baselineLatencies.push(performance.now() - started);
      mustKeepRules(`hand-off of ${a.taskId}`, problem, answer);
      mustKeepRules(`first-fit hand-off of ${a.taskId}`, problem, baselineAnswer);
      if (answer.assignments.length === 1) replanned++;
      if ((k + 1) % 250 === 0) console.log(`hand-offs ${format(k + 1)} / ${format(HANDOFFS)}`);
    }
    const handOff = summarizeLatencies(latencies);
    const baselineHandOff = summarizeLatencies(baselineLatencies);
    console.log(
      `hand-offs: ${format(handOff.count)} (${format(replanned)} re-planned), scheduler p50 ${format(handOff.p50)} ms p99 ${format(handOff.p99)} ms, first-fit p50 ${format(baselineHandOff.p50)} ms p99 ${format(baselineHandOff.p99)} ms`,
    );
    results.push(
      below({
        name: `team-scheduling: hand-off p99, ${format(MEMBERS)} members`,
        value: handOff.p99,
        unit: 'ms',
        baseline: 'greedy first-fit p99, same hand-offs',
        baselineValue: baselineHandOff.p99,
        max: 10,
      }),
      below({
        name: `team-scheduling: hand-off p50, ${format(MEMBERS)} members`,
        value: handOff.p50,
        unit: 'ms',
        baseline: 'greedy first-fit p50, same hand-offs',
        baselineValue: baselineHandOff.p50,
        max: 10,
      }),
    );
  }

  if (PARTS.has('optimality')) {
    // 3. Optimality on small instances.
    const highs = await loadHighsSolver();
    const started = performance.now();
    const optimality = measureOptimality(highs, SMALL_INSTANCES, 1, (done) => {
      if (done % 50 === 0) console.log(`small instances ${done} / ${SMALL_INSTANCES}`);
    });
    console.log(
      `optimality: ${optimality.within} / ${optimality.compared} compared instances within 10% of the optimum (${format(optimality.rate * 100)}%), mean ratio ${optimality.meanRatio.toFixed(3)}; first-fit ${optimality.firstFitWithin} / ${optimality.firstFitCompared}, mean ratio ${optimality.firstFitMeanRatio.toFixed(2)} (${format((performance.now() - started) / 1000)} s)`,
    );
    for (const miss of optimality.worst)
      console.log(
        `  beyond 10%: seed ${miss.seed}, ${format(miss.heuristic)} vs optimum ${format(miss.optimum)} minutes`,
      );
    results.push(
      atLeast({
        name: 'team-scheduling: small instances within 10% of the optimal fairness',
        value: optimality.rate * 100,
        unit: '%',
        baseline: 'greedy first-fit, same instances',
        baselineValue:
          optimality.firstFitCompared > 0 ? (optimality.firstFitWithin / optimality.firstFitCompared) * 100 : null,
        min: 95,
      }),
    );
  }

  // 4. Two replicas on PostgreSQL, under the regions' leases and without.
  if (PARTS.has('replicas')) {
    const databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) console.log('two replicas: skipped (it needs PostgreSQL: DATABASE_URL)');
    else results.push(...(await replicaFigures(databaseUrl)));
  }
  recordResults(results);
};

const REPLICA_ROUNDS = 2;

/** Rounds alternating the two kinds of leases, so that drift falls on both alike; the mean of each. */
const replicaFigures = async (databaseUrl: string): Promise<BenchResult[]> => {
  const options = { databaseUrl, jobs: REPLICA_JOBS, regions: 4, membersPerRegion: 6 };
  const leased: ReplicaRun[] = [];
  const unleased: ReplicaRun[] = [];
  await runTwoReplicas({ ...options, jobs: Math.min(20, REPLICA_JOBS) }, 'store'); // warm-up
  for (let round = 1; round <= REPLICA_ROUNDS; round++) {
    for (const [kind, runs] of [
      ['store', leased],
      ['process', unleased],
    ] as const) {
      const run = await runTwoReplicas(options, kind);
      runs.push(run);
      console.log(
        `two replicas, round ${round}/${REPLICA_ROUNDS}, ${kind === 'store' ? 'region leases' : 'in-process leases only'}: ${format(run.jobsPerSecond)} jobs/s (${format(run.ms)} ms), ${format(run.assigned)} tasks assigned, ${run.doubleBookings} double-bookings, ${run.otherViolations} other violations`,
      );
      if (kind === 'store' && run.doubleBookings + run.otherViolations > 0)
        throw new Error(
          `two replicas under the region leases broke ${run.doubleBookings + run.otherViolations} hard rule(s)`,
        );
    }
  }
  const mean = (runs: readonly ReplicaRun[], of: (r: ReplicaRun) => number) =>
    runs.reduce((sum, r) => sum + of(r), 0) / runs.length;
  const jobs = `${format(REPLICA_JOBS)} jobs, 4 regions`;
  return [
    compareToBaseline({
      name: `team-scheduling: two replicas on PostgreSQL, jobs scheduled a second under the region leases, ${jobs}`,
      value: mean(leased, (r) => r.jobsPerSecond),
      unit: 'jobs/s',
      baseline: 'the same two replicas with in-process leases only (they double-book), same run',
      baselineValue: mean(unleased, (r) => r.jobsPerSecond),
      minRatio: 0.5,
    }),
    below({
      name: `team-scheduling: two replicas on PostgreSQL, members double-booked under the region leases, ${jobs}`,
      value: mean(leased, (r) => r.doubleBookings),
      unit: 'double-bookings',
      baseline: 'in-process leases only, same run',
      baselineValue: mean(unleased, (r) => r.doubleBookings),
      max: 1,
    }),
  ];
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
