import { checkSchedule } from '../../src/domain/scheduler/fairness.js';
import { firstFit } from '../../src/domain/scheduler/first-fit.js';
import type {
  Schedule,
  SchedulingMember,
  SchedulingProblem,
  SchedulingTask,
} from '../../src/domain/scheduler/model.js';
import { scheduleTasks } from '../../src/domain/scheduler/scheduler.js';
import { MONDAY } from '../../bench/instances.js';

const HOUR = 3_600_000;
const member = (memberId: string, extra: Partial<SchedulingMember> = {}): SchedulingMember => ({
  memberId,
  regionId: 'fujisato',
  townId: 'fujisato/fujikoto',
  skills: ['transcription'],
  // Tuesday 13:00–14:00 Tokyo.
  windows: [{ day: 'tue', start: '13:00', end: '14:00' }],
  wishedMinutesPerWeek: 300,
  busy: [],
  unavailable: [],
  ...extra,
});
const task = (taskId: string, extra: Partial<SchedulingTask> = {}): SchedulingTask => ({
  taskId,
  jobId: 'job-a',
  estimatedMinutes: 60,
  skills: ['transcription'],
  dependsOn: [],
  deadline: MONDAY + 14 * 24 * HOUR,
  localOnlyTownId: null,
  ...extra,
});
const problem = (
  members: SchedulingMember[],
  tasks: SchedulingTask[],
  extra: Partial<SchedulingProblem> = {},
): SchedulingProblem => ({
  notBefore: MONDAY,
  members,
  tasks,
  ...extra,
});
/** Reason codes by task, from both planners (they must agree), after checking the hard rules. */
const reasons = (p: SchedulingProblem): Record<string, string[]> => {
  const answers: Schedule[] = [scheduleTasks(p), firstFit(p)];
  const out: Record<string, string[]>[] = answers.map((s) => {
    expect(checkSchedule(p, s)).toEqual([]);
    return Object.fromEntries(s.unassignable.map((u) => [u.taskId, u.reasons.map((r) => r.code)]));
  });
  expect(out[1]).toEqual(out[0]);
  return out[0] as Record<string, string[]>;
};

describe('unassignable tasks come back with the reasons that apply', () => {
  it('schedule.no_member_with_skills: nobody in the team has them', () => {
    expect(reasons(problem([member('aki')], [task('t1', { skills: ['illustration'] })]))).toEqual({
      t1: ['schedule.no_member_with_skills'],
    });
  });

  it('schedule.no_skill_in_town: local only, the skill lives in another town; both codes when nobody has it at all', () => {
    const team = [member('aki'), member('bun', { townId: 'fujisato/kasuge', skills: ['proofreading'] })];
    expect(reasons(problem(team, [task('t1', { localOnlyTownId: 'fujisato/kasuge' })]))).toEqual({
      t1: ['schedule.no_skill_in_town'],
    });
    expect(reasons(problem(team, [task('t1', { localOnlyTownId: 'fujisato/fujikoto' })]))).toEqual({});
    expect(reasons(problem(team, [task('t1', { localOnlyTownId: 'fujisato/kasuge', skills: ['design'] })]))).toEqual({
      t1: ['schedule.no_member_with_skills', 'schedule.no_skill_in_town'],
    });
  });

  it('schedule.windows_too_short: no qualified member has a window as long as the task', () => {
    expect(reasons(problem([member('aki'), member('bun')], [task('t1', { estimatedMinutes: 61 })]))).toEqual({
      t1: ['schedule.windows_too_short'],
    });
    // Touching windows are one stretch of availability: 13:00–14:00 and 14:00–14:30 hold 90 minutes.
    const joined = member('aki', {
      windows: [
        { day: 'tue', start: '13:00', end: '14:00' },
        { day: 'tue', start: '14:00', end: '14:30' },
      ],
    });
    expect(reasons(problem([joined], [task('t1', { estimatedMinutes: 90 })]))).toEqual({});
  });

  it('schedule.no_time_before_deadline: windows full, too late, busy or unavailable before the deadline', () => {
    // Tuesday 2026-04-07 13:00 Tokyo = 04:00 UTC.
    const tuesday13 = MONDAY + 24 * HOUR + 13 * HOUR;
    // One window a week, two weeks before the deadline, three tasks of one hour.
    expect(reasons(problem([member('aki')], [task('t1'), task('t2'), task('t3')]))).toEqual({
      t3: ['schedule.no_time_before_deadline'],
    });
    // Deadline before her first window ends.
    expect(reasons(problem([member('aki')], [task('t1', { deadline: tuesday13 + 30 * 60_000 })]))).toEqual({
      t1: ['schedule.no_time_before_deadline'],
    });
    // Busy the first week, unavailable the second.
    const blocked = member('aki', {
      busy: [{ start: tuesday13, end: tuesday13 + HOUR }],
      unavailable: [{ start: tuesday13 + 7 * 24 * HOUR - 1, end: tuesday13 + 7 * 24 * HOUR + 1 }],
    });
    expect(reasons(problem([blocked], [task('t1')]))).toEqual({ t1: ['schedule.no_time_before_deadline'] });
    // Not before a later instant.
    expect(
      reasons(
        problem([member('aki')], [task('t1', { deadline: MONDAY + 8 * 24 * HOUR })], { notBefore: tuesday13 + 1 }),
      ),
    ).toEqual({
      t1: ['schedule.no_time_before_deadline'],
    });
  });

  it('schedule.predecessor_unassigned: after an unassignable task, or after a task neither planned nor fixed', () => {
    const p = problem(
      [member('aki')],
      [
        task('t1', { skills: ['design'] }),
        task('t2', { dependsOn: ['t1'] }),
        task('t3', { dependsOn: ['t2'] }),
        task('t4', { dependsOn: ['elsewhere'] }),
        task('t5', { dependsOn: ['fixed'] }),
      ],
      { fixedEnds: { fixed: MONDAY } },
    );
    expect(reasons(p)).toEqual({
      t1: ['schedule.no_member_with_skills'],
      t2: ['schedule.predecessor_unassigned'],
      t3: ['schedule.predecessor_unassigned'],
      t4: ['schedule.predecessor_unassigned'],
    });
    // Several reasons: blocked and, besides, nobody has the skills.
    expect(reasons(problem([member('aki')], [task('t1', { dependsOn: ['elsewhere'], skills: ['design'] })]))).toEqual({
      t1: ['schedule.predecessor_unassigned', 'schedule.no_member_with_skills'],
    });
  });

  it('schedule.cycle: tasks on a dependency cycle (bad input defended); tasks after it wait for them', () => {
    const p = problem(
      [member('aki', { windows: [{ day: 'tue', start: '09:00', end: '17:00' }] })],
      [
        task('a', { dependsOn: ['b'] }),
        task('b', { dependsOn: ['a'] }),
        task('c', { dependsOn: ['a'] }),
        task('self', { dependsOn: ['self'] }),
        task('free'),
      ],
    );
    expect(reasons(p)).toEqual({
      a: ['schedule.cycle'],
      b: ['schedule.cycle'],
      c: ['schedule.predecessor_unassigned'],
      self: ['schedule.cycle'],
    });
  });

  it('says why in words too', () => {
    const [u] = scheduleTasks(
      problem([member('aki')], [task('t1', { skills: ['illustration'], localOnlyTownId: 'fujisato/tara' })]),
    ).unassignable;
    expect(u?.reasons.map((r) => r.message)).toEqual([
      'nobody in the team has the skills: illustration',
      'nobody living in fujisato/tara has the skills: illustration',
    ]);
  });
});
