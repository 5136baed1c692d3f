/**
 * fast-check arbitraries for scheduling problems: teams of 1–12 members in 2–3 towns with skills
 * from a small set and 1–6 weekly windows of 20–180 minutes (some busy and unavailable spans),
 * and task graphs of 1–30 tasks (dependencies on earlier tasks only, estimates of 10–150
 * minutes, deadlines 1–14 days away, some local only).
 */
import fc from 'fast-check';
import type {
  Interval,
  SchedulingMember,
  SchedulingProblem,
  SchedulingTask,
  Weekday,
} from '../../src/domain/scheduler/model.js';
import { DAY_MS, MINUTE_MS, WEEKDAYS } from '../../src/domain/scheduler/windows.js';
import { MONDAY, seededRandom } from '../../bench/instances.js';

export const SKILLS = ['data entry', 'transcription', 'proofreading', 'translation'] as const;
export const TOWNS = ['fujisato/fujikoto', 'fujisato/kasuge', 'fujisato/tara'] as const;

const clock = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

const windowArbitrary = fc
  .record({
    day: fc.constantFrom<Weekday>(...WEEKDAYS),
    slot: fc.integer({ min: 0, max: 143 }),
    length: fc.integer({ min: 2, max: 18 }),
  })
  .map(({ day, slot, length }) => {
    const minutes = length * 10;
    const start = Math.min(slot * 10, 1440 - minutes);
    return { day, start: clock(start), end: clock(start + minutes) };
  });

/** A span relative to notBefore, in minutes. */
const spanArbitrary = fc.record({
  offset: fc.integer({ min: 0, max: 14 * 1440 }),
  length: fc.integer({ min: 10, max: 600 }),
});

const memberArbitrary = fc.record({
  town: fc.nat(),
  skills: fc.subarray([...SKILLS], { minLength: 1, maxLength: 3 }),
  windows: fc.array(windowArbitrary, { minLength: 1, maxLength: 6 }),
  wished: fc.integer({ min: 1, max: 40 }),
  busy: fc.array(spanArbitrary, { maxLength: 2 }),
  unavailable: fc.array(spanArbitrary, { maxLength: 1 }),
});

const taskArbitrary = fc.record({
  job: fc.integer({ min: 0, max: 3 }),
  estimate: fc.integer({ min: 10, max: 150 }),
  // Mostly one skill, sometimes none or two.
  skills: fc.oneof(
    { arbitrary: fc.subarray([...SKILLS], { minLength: 1, maxLength: 1 }), weight: 6 },
    { arbitrary: fc.subarray([...SKILLS], { minLength: 0, maxLength: 2 }), weight: 2 },
  ),
  // Most tasks depend on nothing or one earlier task.
  dependsOn: fc.oneof(
    { arbitrary: fc.constant<number[]>([]), weight: 2 },
    { arbitrary: fc.array(fc.nat(), { minLength: 1, maxLength: 2 }), weight: 1 },
  ),
  deadlineMinutes: fc.integer({ min: 1440, max: 14 * 1440 }),
  local: fc.integer({ min: 0, max: 9 }),
  town: fc.nat(),
});

export interface ProblemShape {
  readonly maxMembers?: number;
  readonly maxTasks?: number;
}

export const problemArbitrary = (shape: ProblemShape = {}): fc.Arbitrary<SchedulingProblem> =>
  fc
    .record({
      towns: fc.integer({ min: 2, max: 3 }),
      start: fc.integer({ min: 0, max: 7 * 24 * 6 }),
      // Sizes drawn uniformly (fast-check's own sizes favour short arrays).
      members: fc
        .integer({ min: 1, max: shape.maxMembers ?? 12 })
        .chain((n) => fc.array(memberArbitrary, { minLength: n, maxLength: n })),
      tasks: fc
        .integer({ min: 1, max: shape.maxTasks ?? 30 })
        .chain((n) => fc.array(taskArbitrary, { minLength: n, maxLength: n })),
    })
    .map(({ towns, start, members, tasks }): SchedulingProblem => {
      const notBefore = MONDAY + start * 10 * MINUTE_MS;
      const span = (s: { offset: number; length: number }): Interval => ({
        start: notBefore + s.offset * MINUTE_MS,
        end: notBefore + (s.offset + s.length) * MINUTE_MS,
      });
      const townOf = (pick: number): string => TOWNS[pick % towns] as string;
      return {
        notBefore,
        members: members.map((m, i): SchedulingMember => ({
          memberId: `member-${String(i).padStart(2, '0')}`,
          regionId: 'fujisato',
          townId: townOf(m.town),
          skills: m.skills,
          windows: m.windows,
          wishedMinutesPerWeek: m.wished * 30,
          busy: m.busy.map(span),
          unavailable: m.unavailable.map(span),
        })),
        tasks: tasks.map((t, i): SchedulingTask => ({
          taskId: `task-${String(i).padStart(2, '0')}`,
          jobId: `job-${t.job}`,
          estimatedMinutes: t.estimate,
          skills: t.skills,
          dependsOn: i === 0 ? [] : [...new Set(t.dependsOn.map((d) => `task-${String(d % i).padStart(2, '0')}`))],
          deadline: notBefore + t.deadlineMinutes * MINUTE_MS,
          localOnlyTownId: t.local < 2 ? townOf(t.town) : null,
        })),
      };
    });

/** The same problem with members and tasks in another order. */
export const shuffled = (problem: SchedulingProblem, seed: number): SchedulingProblem => {
  const random = seededRandom(seed);
  const shuffle = <T>(items: readonly T[]): T[] => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = random.int(0, i);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  };
  return { ...problem, members: shuffle(problem.members), tasks: shuffle(problem.tasks) };
};

export const at = (iso: string): number => Date.parse(iso);
export const days = (n: number): number => n * DAY_MS;
