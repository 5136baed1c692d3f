/**
 * A task's excluded members (those who gave it up): over random teams and task graphs, neither
 * planner ever gives a task to one of them, every hard rule still holds, and checkSchedule
 * finds a schedule that does; a task only they could take says so.
 */
import fc from 'fast-check';
import { checkSchedule } from '../../src/domain/scheduler/fairness.js';
import { firstFit } from '../../src/domain/scheduler/first-fit.js';
import type { SchedulingProblem } from '../../src/domain/scheduler/model.js';
import { UNASSIGNABLE_REASON } from '../../src/domain/scheduler/index.js';
import { scheduleTasks } from '../../src/domain/scheduler/scheduler.js';
import { problemArbitrary } from './arbitraries.js';

/** The problem with some members excluded from some tasks (by the picks, modulo the team). */
const withExclusions = (problem: SchedulingProblem, picks: readonly (readonly number[])[]): SchedulingProblem => ({
  ...problem,
  tasks: problem.tasks.map((t, i) => {
    const excluded = (picks[i % Math.max(1, picks.length)] ?? []).map(
      (p) => problem.members[p % problem.members.length]!.memberId,
    );
    return excluded.length > 0 ? { ...t, excludedMemberIds: [...new Set(excluded)] } : t;
  }),
});

describe('members excluded from a task (they gave it up)', () => {
  it('are never given it, by either planner, and every hard rule holds', () => {
    fc.assert(
      fc.property(
        problemArbitrary({ maxMembers: 8, maxTasks: 20 }),
        fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: 1, maxLength: 6 }),
        (base, picks) => {
          const problem = withExclusions(base, picks);
          const excluded = new Map(problem.tasks.map((t) => [t.taskId, new Set(t.excludedMemberIds ?? [])]));
          for (const plan of [scheduleTasks, firstFit]) {
            const schedule = plan(problem);
            expect(checkSchedule(problem, schedule)).toEqual([]);
            for (const a of schedule.assignments) expect(excluded.get(a.taskId)!.has(a.memberId)).toBe(false);
          }
        },
      ),
      { numRuns: 120 },
    );
  });

  it('checkSchedule names a schedule that gives a task to one of them', () => {
    fc.assert(
      fc.property(problemArbitrary({ maxMembers: 6, maxTasks: 10 }), (problem) => {
        const schedule = scheduleTasks(problem);
        const a = schedule.assignments[0];
        if (a === undefined) return;
        const excluding: SchedulingProblem = {
          ...problem,
          tasks: problem.tasks.map((t) => (t.taskId === a.taskId ? { ...t, excludedMemberIds: [a.memberId] } : t)),
        };
        expect(checkSchedule(excluding, schedule)).toEqual(
          expect.arrayContaining([expect.stringContaining(`${a.memberId} gave it up`)]),
        );
      }),
      { numRuns: 60 },
    );
  });

  it('a task only they could take is unassignable, saying so', () => {
    fc.assert(
      fc.property(problemArbitrary({ maxMembers: 6, maxTasks: 10 }), (base) => {
        const problem: SchedulingProblem = {
          ...base,
          tasks: base.tasks.map((t) => ({ ...t, excludedMemberIds: base.members.map((m) => m.memberId) })),
        };
        const schedule = scheduleTasks(problem);
        expect(schedule.assignments).toEqual([]);
        for (const u of schedule.unassignable) {
          const task = problem.tasks.find((t) => t.taskId === u.taskId)!;
          const anyQualified = problem.members.some(
            (m) =>
              task.skills.every((s) => m.skills.includes(s)) &&
              (task.localOnlyTownId === null || m.townId === task.localOnlyTownId),
          );
          if (anyQualified) expect(u.reasons.map((r) => r.code)).toContain(UNASSIGNABLE_REASON.onlyMembersWhoGaveItUp);
        }
      }),
      { numRuns: 60 },
    );
  });
});
