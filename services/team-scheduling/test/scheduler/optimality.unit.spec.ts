import type { Highs } from 'highs';
import { fairnessObjective } from '../../src/domain/scheduler/fairness.js';
import type { SchedulingMember, SchedulingProblem, SchedulingTask } from '../../src/domain/scheduler/model.js';
import { scheduleTasks } from '../../src/domain/scheduler/scheduler.js';
import { MONDAY } from '../../bench/instances.js';
import { fairnessLowerBound, loadHighsSolver, measureOptimality } from '../../bench/optimality.js';

const INSTANCES = 180;
let highs: Highs;

beforeAll(async () => {
  highs = await loadHighsSolver();
});

const member = (memberId: string, extra: Partial<SchedulingMember> = {}): SchedulingMember => ({
  memberId,
  regionId: 'fujisato',
  townId: 'fujisato/fujikoto',
  skills: ['data entry'],
  windows: [{ day: 'tue', start: '09:00', end: '12:00' }],
  wishedMinutesPerWeek: 300,
  busy: [],
  unavailable: [],
  ...extra,
});
const tasks = (...minutes: number[]): SchedulingTask[] =>
  minutes.map((estimatedMinutes, i) => ({
    taskId: `t${i}`,
    jobId: 'job-a',
    estimatedMinutes,
    skills: ['data entry'],
    dependsOn: [],
    deadline: MONDAY + 21 * 86_400_000,
    localOnlyTownId: null,
  }));

describe('the exact optimum of the fairness objective (HiGHS, assignment relaxation)', () => {
  it('is found on hand-made instances, and the scheduler reaches it', () => {
    const cases: [SchedulingProblem, number][] = [
      // 60 | 40 + 20: both at their share of 60.
      [{ notBefore: MONDAY, members: [member('aki'), member('bun')], tasks: tasks(60, 40, 20) }, 0],
      // Three tasks of 50 for two equal members: 100 vs 50 around shares of 75.
      [{ notBefore: MONDAY, members: [member('aki'), member('bun')], tasks: tasks(50, 50, 50) }, 25],
      // 2:1 wishes over 30 + 30 + 30: 60 and 30 exactly.
      [
        {
          notBefore: MONDAY,
          members: [member('aki', { wishedMinutesPerWeek: 600 }), member('bun')],
          tasks: tasks(30, 30, 30),
        },
        0,
      ],
      // Bun cannot take data entry: every minute falls on aki, 45 above her share of 45 and bun 45 below.
      [
        { notBefore: MONDAY, members: [member('aki'), member('bun', { skills: ['design'] })], tasks: tasks(60, 30) },
        45,
      ],
    ];
    for (const [problem, optimum] of cases) {
      const bound = fairnessLowerBound(highs, problem);
      expect(bound.status).toBe('Optimal');
      expect(bound.value).toBeCloseTo(optimum, 6);
      expect(fairnessObjective(problem.members, scheduleTasks(problem).assignments)).toBeCloseTo(optimum, 6);
    }
  });

  it(`the scheduler is within 10% of it on at least 95% of ${INSTANCES} small instances (up to 8 members × 20 tasks)`, () => {
    const outcome = measureOptimality(highs, INSTANCES);
    console.log(
      `optimality: ${outcome.within} / ${outcome.compared} within 10% (${(outcome.rate * 100).toFixed(1)}%), mean ratio ${outcome.meanRatio.toFixed(3)}; ` +
        `first-fit ${outcome.firstFitWithin} / ${outcome.firstFitCompared}, mean ratio ${outcome.firstFitMeanRatio.toFixed(2)}`,
    );
    expect(outcome.compared).toBeGreaterThanOrEqual(100);
    expect(outcome.rate).toBeGreaterThanOrEqual(0.95);
    expect(outcome.meanRatio).toBeLessThan(outcome.firstFitMeanRatio);
  });
});
