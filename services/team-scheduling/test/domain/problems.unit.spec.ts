import { fold } from '@workshare/eventsourcing';
import { jobProblem, overlaps, planOf, withinWindows } from '../../src/domain/team.js';
import { crewDecider, type CrewMember } from '../../src/domain/crew.js';
import { scheduleDecider, type JobSchedule } from '../../src/domain/job-schedule.js';
import { assigned, at, HANAKO, joined, MAI, received, SPAN, T1, T2, task, YUKI } from './fixtures.js';

const member = (memberId: string, extra: Parameters<typeof joined>[1] = {}): CrewMember =>
  fold(crewDecider, [joined(memberId, extra)]) as CrewMember;
const T3 = '01900000-0000-7000-8000-0000000000c3';

describe('scheduling problems from the roster', () => {
  it('a span is inside a weekly window in Tokyo time, on one day', () => {
    const monday = [{ day: 'mon' as const, start: '13:00', end: '13:40' }];
    expect(withinWindows(monday, SPAN)).toBe(true); // Monday 13:00–13:30 JST
    expect(withinWindows(monday, { start: SPAN.start, end: SPAN.start + 41 * 60_000 })).toBe(false);
    expect(withinWindows(monday, { start: SPAN.start + 7 * 86_400_000, end: SPAN.end + 7 * 86_400_000 })).toBe(true);
    expect(withinWindows([{ day: 'tue', start: '13:00', end: '13:40' }], SPAN)).toBe(false);
    expect(overlaps({ start: 0, end: 10 }, { start: 10, end: 20 })).toBe(false);
    expect(overlaps({ start: 0, end: 11 }, { start: 10, end: 20 })).toBe(true);
  });

  it('places a task before its assigned dependents, after its assigned predecessors, counting the job’s loads', () => {
    const job = fold(scheduleDecider, [
      received({ tasks: [task(T1), task(T2, { dependsOn: [T1] }), task(T3, { dependsOn: [T2] })] }),
      assigned(T1, HANAKO, SPAN),
      assigned(T3, YUKI, { start: at('2026-04-08T04:00:00.000Z'), end: at('2026-04-08T04:30:00.000Z') }),
    ]) as JobSchedule;
    const members = [member(HANAKO), member(YUKI), member(MAI, { availability: [] })];
    const problem = jobProblem({
      job,
      taskIds: [T2],
      members,
      busy: new Map([[HANAKO, [SPAN]]]),
      now: at('2026-04-06T00:00:00.000Z'),
    });
    expect(problem.tasks).toEqual([
      {
        taskId: T2,
        jobId: job.jobId,
        estimatedMinutes: 30,
        skills: ['data entry'],
        dependsOn: [T1],
        deadline: at('2026-04-08T04:00:00.000Z'),
        localOnlyTownId: null,
      },
    ]);
    expect(problem.fixedEnds).toEqual({ [T1]: SPAN.end });
    expect(problem.existingLoads).toEqual({ [HANAKO]: 30, [YUKI]: 30 });
    expect(problem.previousHolders).toEqual({ [T2]: HANAKO });
    expect(problem.jobHolders).toEqual({ [job.jobId]: [HANAKO, YUKI] });
    // A member without any window is left out (nothing fits her); wished minutes default to her windows.
    expect(problem.members.map((m) => [m.memberId, m.wishedMinutesPerWeek, m.busy])).toEqual([
      [HANAKO, 40, [SPAN]],
      [YUKI, 40, []],
    ]);
    expect(
      planOf({ assignments: [{ taskId: T2, memberId: YUKI, start: 1, end: 2 }], unassignable: [] }, problem)
        .assignments[0],
    ).toMatchObject({ teamRegionId: 'fujisato' });
  });
});

describe('withinWindows (a span inside her weekly windows, Asia/Tokyo)', () => {
  // Monday 2026-11-30 in Tokyo; 13:00 Tokyo is 04:00 UTC.
  const tokyo = (hhmm: string, day = '30') => Date.parse(`2026-11-${day}T${hhmm}:00+09:00`);
  const lunch = [{ day: 'mon' as const, start: '13:00', end: '13:40' }];

  it('takes a span inside a window, and refuses one that spills over or lies on another day', () => {
    expect(withinWindows(lunch, { start: tokyo('13:00'), end: tokyo('13:40') })).toBe(true);
    expect(withinWindows(lunch, { start: tokyo('13:10'), end: tokyo('13:50') })).toBe(false);
    expect(withinWindows(lunch, { start: tokyo('13:00', '29'), end: tokyo('13:40', '29') })).toBe(false);
  });

  it('reads touching windows as one stretch, as the scheduler does', () => {
    const afternoon = [
      { day: 'mon' as const, start: '14:00', end: '15:00' },
      { day: 'mon' as const, start: '15:00', end: '16:00' },
    ];
    expect(withinWindows(afternoon, { start: tokyo('14:30'), end: tokyo('15:30') })).toBe(true);
    expect(
      withinWindows([...afternoon.slice(0, 1), { day: 'mon' as const, start: '15:10', end: '16:00' }], {
        start: tokyo('14:30'),
        end: tokyo('15:30'),
      }),
    ).toBe(false);
  });
});
