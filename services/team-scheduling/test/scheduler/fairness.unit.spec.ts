import { checkSchedule, fairnessObjective } from '../../src/domain/scheduler/fairness.js';
import type {
  Assignment,
  Schedule,
  SchedulingMember,
  SchedulingProblem,
  SchedulingTask,
} from '../../src/domain/scheduler/model.js';
import { MONDAY } from '../../bench/instances.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** Tuesday 2026-04-07 13:00 Tokyo. */
const TUE13 = MONDAY + 24 * HOUR + 13 * HOUR;

const member = (memberId: string, extra: Partial<SchedulingMember> = {}): SchedulingMember => ({
  memberId,
  regionId: 'fujisato',
  townId: 'fujisato/fujikoto',
  skills: ['transcription'],
  windows: [{ day: 'tue', start: '13:00', end: '15:00' }],
  wishedMinutesPerWeek: 300,
  busy: [],
  unavailable: [],
  ...extra,
});
const task = (taskId: string, extra: Partial<SchedulingTask> = {}): SchedulingTask => ({
  taskId,
  jobId: 'job-a',
  estimatedMinutes: 30,
  skills: ['transcription'],
  dependsOn: [],
  deadline: MONDAY + 7 * 24 * HOUR,
  localOnlyTownId: null,
  ...extra,
});
const at = (taskId: string, memberId: string, startMinutes: number, minutes = 30): Assignment => ({
  taskId,
  memberId,
  start: TUE13 + startMinutes * MIN,
  end: TUE13 + (startMinutes + minutes) * MIN,
});

describe('fairnessObjective', () => {
  const team = [
    member('aki', { wishedMinutesPerWeek: 600 }),
    member('bun', { wishedMinutesPerWeek: 300 }),
    member('chie', { wishedMinutesPerWeek: 300 }),
  ];

  it('is the largest |load − total × wished / Σ wished| in minutes', () => {
    // Loads 90, 30, 0 of 120: shares 60, 30, 30.
    const assignments = [at('t1', 'aki', 0, 60), at('t2', 'aki', 60), at('t3', 'bun', 0)];
    expect(fairnessObjective(team, assignments)).toBe(30);
    expect(fairnessObjective(team, [at('t1', 'aki', 0, 60), at('t2', 'bun', 0), at('t3', 'chie', 0)])).toBe(0);
    expect(fairnessObjective(team, [])).toBe(0);
  });

  it('counts existing loads in the loads and the total; ignores members not listed', () => {
    // Loads 60, 60, 0 of 120 → shares 60, 30, 30.
    expect(fairnessObjective(team, [at('t1', 'bun', 0)], { aki: 60, bun: 30 })).toBe(30);
    expect(fairnessObjective(team, [at('t1', 'stranger', 0)])).toBe(0);
  });
});

describe('checkSchedule names every broken hard rule', () => {
  const base: SchedulingProblem = {
    notBefore: MONDAY,
    members: [
      member('aki'),
      member('bun', {
        townId: 'fujisato/kasuge',
        skills: ['proofreading'],
        busy: [{ start: TUE13, end: TUE13 + 30 * MIN }],
      }),
    ],
    tasks: [task('t1'), task('t2', { dependsOn: ['t1'] }), task('t3', { dependsOn: ['done'] })],
    fixedEnds: { done: TUE13 + 60 * MIN },
  };
  const valid: Schedule = {
    assignments: [at('t1', 'aki', 0), at('t2', 'aki', 30), at('t3', 'aki', 60)],
    unassignable: [],
  };
  const check = (change: Partial<Schedule>, problem: SchedulingProblem = base): string[] =>
    checkSchedule(problem, { ...valid, ...change });

  it('accepts a valid plan, back to back inside one window', () => {
    expect(checkSchedule(base, valid)).toEqual([]);
  });

  it('every task assigned once or unassignable with a reason', () => {
    expect(check({ assignments: valid.assignments.slice(0, 2) })).toEqual([
      'task t3: neither assigned nor unassignable',
    ]);
    expect(check({ unassignable: [{ taskId: 't3', reasons: [] }] })).toEqual([
      'task t3: unassignable without a reason',
      'task t3: answered 2 times',
    ]);
    expect(check({ unassignable: [{ taskId: 'ghost', reasons: [{ code: 'x', message: 'x' }] }] })).toEqual([
      'task ghost: not in the problem',
    ]);
  });

  it('skills, town, team', () => {
    expect(
      check({
        assignments: [at('t1', 'bun', 60), valid.assignments[1]!, valid.assignments[2]!].map((a) =>
          a.taskId === 't2' ? { ...a, start: a.start + 60 * MIN, end: a.end + 60 * MIN } : a,
        ),
      }),
    ).toEqual(expect.arrayContaining(['task t1: bun lacks transcription']));
    const local: SchedulingProblem = {
      ...base,
      tasks: [task('t1', { localOnlyTownId: 'fujisato/kasuge' }), ...base.tasks.slice(1)],
    };
    expect(check({}, local)).toEqual(['task t1: local to fujisato/kasuge, aki lives in fujisato/fujikoto']);
    expect(
      check({ assignments: [{ ...valid.assignments[0]!, memberId: 'nobody' }, ...valid.assignments.slice(1)] }),
    ).toEqual(['task t1: member nobody is not in the team']);
  });

  it('duration, windows, notBefore, deadline', () => {
    expect(check({ assignments: [at('t1', 'aki', 0, 25), ...valid.assignments.slice(1)] })).toEqual([
      'task t1: planned for 25 minutes, estimated 30',
    ]);
    // 14:45–15:15 leaves the window.
    expect(check({ assignments: [...valid.assignments.slice(0, 2), at('t3', 'aki', 105)] })).toEqual([
      'task t3: 2026-04-07T05:45:00.000Z–2026-04-07T06:15:00.000Z is not inside one window of aki',
    ]);
    expect(check({}, { ...base, notBefore: TUE13 + MIN })).toEqual([
      'task t1: starts 2026-04-07T04:00:00.000Z before 2026-04-07T04:01:00.000Z',
    ]);
    const early: SchedulingProblem = {
      ...base,
      tasks: [task('t1', { deadline: TUE13 + 29 * MIN }), ...base.tasks.slice(1)],
    };
    expect(check({}, early)).toEqual([
      'task t1: ends 2026-04-07T04:30:00.000Z after its deadline 2026-04-07T04:29:00.000Z',
    ]);
  });

  it('predecessors: planned end before the start, fixed ends, unplanned and unknown predecessors', () => {
    expect(check({ assignments: [at('t1', 'aki', 30), at('t2', 'aki', 0), valid.assignments[2]!] })).toEqual([
      'task t2: starts before its predecessor t1 ends',
    ]);
    expect(check({ assignments: [valid.assignments[0]!, valid.assignments[1]!, at('t3', 'aki', 30)] }).sort()).toEqual(
      ['aki: task t2 and task t3 overlap', 'task t3: starts before its predecessor done ends'].sort(),
    );
    expect(
      check({
        assignments: valid.assignments.slice(1),
        unassignable: [{ taskId: 't1', reasons: [{ code: 'x', message: 'x' }] }],
      }),
    ).toEqual(['task t2: its predecessor t1 is not planned']);
    expect(check({}, { ...base, fixedEnds: {} })).toEqual(['task t3: its predecessor done is unknown']);
  });

  it('one task at a time, never over busy or unavailable spans (which may overlap each other)', () => {
    const twoAtOnce = {
      assignments: [at('t1', 'aki', 0), at('t2', 'aki', 30), at('t3', 'aki', 60), at('t4', 'aki', 75)],
    };
    const withT4: SchedulingProblem = { ...base, tasks: [...base.tasks, task('t4')] };
    expect(check(twoAtOnce, withT4)).toEqual(['aki: task t3 and task t4 overlap']);
    const busy: SchedulingProblem = {
      ...base,
      members: [
        member('aki', {
          busy: [{ start: TUE13 + 85 * MIN, end: TUE13 + 95 * MIN }],
          unavailable: [{ start: TUE13 + 90 * MIN, end: TUE13 + 100 * MIN }],
        }),
      ],
    };
    expect(check({}, busy)).toEqual(['aki: task t3 and a busy span overlap']);
    const absent: SchedulingProblem = {
      ...base,
      members: [member('aki', { unavailable: [{ start: TUE13 + 10 * MIN, end: TUE13 + 11 * MIN }] })],
    };
    expect(check({}, absent)).toEqual(['aki: task t1 and an unavailable span overlap']);
  });
});
