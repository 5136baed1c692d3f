import { MAX_SKILL_LENGTH } from '@workshare/eventsourcing';
import {
  MAX_TASKS_PER_ROUND,
  PLAN_LIMITS,
  validatePlan,
  type PlanConstraints,
  type TaskDraft,
} from '../../src/domain/plan-rules.js';
import { drafts } from './fixtures.js';

const ROUND_1: PlanConstraints = {
  maxTaskMinutes: 120,
  jobDeadline: '2026-04-10T09:00:00.000Z',
  jobEstimatedMinutes: 300,
  round: 1,
};
const REWORK: PlanConstraints = { ...ROUND_1, round: 2 };

const codes = (tasks: TaskDraft[], constraints = ROUND_1) =>
  validatePlan(tasks, constraints).map((v) => [v.code, v.key ?? null]);
const withTask = (index: number, change: Partial<TaskDraft>): TaskDraft[] =>
  drafts().map((t, i) => (i === index ? { ...t, ...change } : t));

describe('validatePlan', () => {
  it('accepts a valid plan: a DAG, one window each, due in order by the deadline, adding up, skills named', () => {
    expect(validatePlan(drafts(), ROUND_1)).toEqual([]);
    expect(validatePlan(drafts(), { ...ROUND_1, maxTaskMinutes: 120, jobDeadline: drafts()[2]!.deadline })).toEqual([]);
  });

  it('plan.empty: no task at all', () => {
    expect(codes([])).toEqual([['plan.empty', null]]);
  });

  it(`plan.too_many_tasks: more than ${MAX_TASKS_PER_ROUND} in a round`, () => {
    const many = Array.from({ length: MAX_TASKS_PER_ROUND + 1 }, (_, i): TaskDraft => ({
      key: `t${i}`,
      title: 'Enter',
      estimatedMinutes: 1,
      skills: ['data entry'],
      dependsOn: [],
      deadline: ROUND_1.jobDeadline,
    }));
    expect(codes(many, REWORK)).toEqual([['plan.too_many_tasks', null]]);
    expect(codes(many.slice(1), REWORK)).toEqual([]);
  });

  it('plan.duplicate_key and plan.invalid_key', () => {
    expect(codes(withTask(1, { key: 'a' }))).toEqual([
      ['plan.duplicate_key', 'a'],
      ['plan.unknown_dependency', 'check'],
    ]);
    expect(codes(withTask(2, { key: 'a', dependsOn: [] }))).toEqual([['plan.duplicate_key', 'a']]);
    for (const key of ['', 'has space', 'ä', 'x'.repeat(41), 'a/b']) {
      expect(codes(withTask(0, { key }), REWORK)).toEqual([
        ['plan.invalid_key', key],
        ['plan.unknown_dependency', 'check'],
      ]);
    }
    expect(codes(withTask(0, { key: 'A-z_09'.padEnd(40, 'x') }), REWORK)).toEqual([
      ['plan.unknown_dependency', 'check'],
    ]);
  });

  it('plan.title_missing and plan.title_too_long', () => {
    expect(codes(withTask(0, { title: '   ' }))).toEqual([['plan.title_missing', 'a']]);
    expect(codes(withTask(0, { title: 'x'.repeat(201) }))).toEqual([['plan.title_too_long', 'a']]);
    expect(codes(withTask(0, { title: 'x'.repeat(200) }))).toEqual([]);
    // Characters, not UTF-16 units: 200 characters outside the BMP are a title, 201 are not.
    expect(codes(withTask(0, { title: '𠀋'.repeat(200) }))).toEqual([]);
    expect(codes(withTask(0, { title: '𠀋'.repeat(201) }))).toEqual([['plan.title_too_long', 'a']]);
  });

  it('shows keys in messages as short escaped previews, never in full', () => {
    const key = `k${'\u0001'.repeat(3_000)}`;
    const violations = validatePlan(withTask(0, { key, dependsOn: [key] }), REWORK);
    expect(violations.map((v) => v.code)).toEqual([
      'plan.invalid_key',
      'plan.self_dependency',
      'plan.unknown_dependency',
    ]);
    for (const v of violations) {
      expect(v.message.length).toBeLessThan(300);
      expect(v.message).not.toContain('\u0001');
    }
  });

  it('plan.estimate_invalid: a whole number of minutes, at least 1 (the total is then not judged)', () => {
    for (const estimatedMinutes of [0, -5, 1.5, Number.NaN])
      expect(codes(withTask(0, { estimatedMinutes }))).toEqual([['plan.estimate_invalid', 'a']]);
  });

  it('plan.task_too_long: longer than one window', () => {
    const tasks = drafts();
    tasks[0] = { ...tasks[0]!, estimatedMinutes: 121 };
    tasks[2] = { ...tasks[2]!, estimatedMinutes: 59 };
    expect(codes(tasks)).toEqual([['plan.task_too_long', 'a']]);
    expect(codes(drafts(), { ...ROUND_1, maxTaskMinutes: 119 })).toEqual([
      ['plan.task_too_long', 'a'],
      ['plan.task_too_long', 'b'],
    ]);
  });

  it('plan.skills_missing: none, or an empty one', () => {
    expect(codes(withTask(0, { skills: [] }))).toEqual([['plan.skills_missing', 'a']]);
    expect(codes(withTask(0, { skills: ['data entry', ' '] }))).toEqual([['plan.skills_missing', 'a']]);
  });

  it("plan.skills_invalid: more skills than a member may hold, or one longer than the platform's skill length", () => {
    const many = Array.from({ length: PLAN_LIMITS.skillsPerTask }, (_, i) => `skill ${i}`);
    expect(codes(withTask(0, { skills: many }))).toEqual([]);
    expect(codes(withTask(0, { skills: [...many, 'one more'] }))).toEqual([['plan.skills_invalid', 'a']]);
    // Counted in characters: 60 kanji are one skill at its limit, 61 are one too long.
    expect(codes(withTask(0, { skills: ['字'.repeat(PLAN_LIMITS.skillLength)] }))).toEqual([]);
    expect(codes(withTask(0, { skills: ['字'.repeat(PLAN_LIMITS.skillLength + 1)] }))).toEqual([
      ['plan.skills_invalid', 'a'],
    ]);
    expect(PLAN_LIMITS.skillLength).toBe(MAX_SKILL_LENGTH);
  });

  it('plan.unknown_dependency, plan.self_dependency, plan.duplicate_dependency', () => {
    expect(codes(withTask(2, { dependsOn: ['a', 'nope'] }))).toEqual([['plan.unknown_dependency', 'check']]);
    expect(codes(withTask(2, { dependsOn: ['check'] }))).toEqual([['plan.self_dependency', 'check']]);
    expect(codes(withTask(2, { dependsOn: ['a', 'a'] }))).toEqual([['plan.duplicate_dependency', 'check']]);
  });

  it('plan.cycle: reports each cycle once with exactly the tasks on it, not those merely waiting for it', () => {
    const deadline = ROUND_1.jobDeadline;
    const task = (key: string, dependsOn: string[]): TaskDraft => ({
      key,
      title: key,
      estimatedMinutes: 10,
      skills: ['x'],
      dependsOn,
      deadline,
    });
    const tasks = [
      task('p', ['r']),
      task('q', ['p']),
      task('r', ['q']),
      task('after', ['r']),
      task('s', ['t']),
      task('t', ['s']),
      task('free', []),
    ];
    const violations = validatePlan(tasks, REWORK);
    expect(violations.map((v) => [v.code, v.keys])).toEqual([
      ['plan.cycle', ['p', 'q', 'r']],
      ['plan.cycle', ['s', 't']],
    ]);
  });

  it('plan.cycle on a long chain closed at its end (no recursion limits)', () => {
    const n = 1_500;
    const tasks = Array.from({ length: n }, (_, i): TaskDraft => ({
      key: `t${i}`,
      title: 't',
      estimatedMinutes: 1,
      skills: ['x'],
      dependsOn: [`t${(i + 1) % n}`],
      deadline: ROUND_1.jobDeadline,
    }));
    const [cycle] = validatePlan(tasks, REWORK);
    expect(cycle?.code).toBe('plan.cycle');
    expect(cycle?.keys).toHaveLength(n);
  });

  it('plan.deadline_after_job and plan.deadline_invalid', () => {
    expect(codes(withTask(2, { deadline: '2026-04-10T09:00:00.001Z' }))).toEqual([
      ['plan.deadline_after_job', 'check'],
    ]);
    expect(codes(withTask(0, { deadline: 'next tuesday' }))).toEqual([['plan.deadline_invalid', 'a']]);
  });

  it('plan.deadline_before_predecessor: due before a task it waits for', () => {
    expect(codes(withTask(2, { deadline: '2026-04-07T09:00:00.000Z' }))).toEqual([
      ['plan.deadline_before_predecessor', 'check'],
      ['plan.deadline_before_predecessor', 'check'],
    ]);
    expect(codes(withTask(2, { deadline: drafts()[0]!.deadline }))).toEqual([]);
  });

  it("plan.estimates_mismatch: round 1 adds up to the job's estimate; a rework round to any positive total", () => {
    expect(codes(withTask(2, { estimatedMinutes: 61 }))).toEqual([['plan.estimates_mismatch', null]]);
    expect(codes(withTask(2, { estimatedMinutes: 61 }), REWORK)).toEqual([]);
    expect(codes(drafts().slice(0, 1), REWORK)).toEqual([]);
  });

  it('reports every violation at once', () => {
    const tasks: TaskDraft[] = [
      {
        key: 'a',
        title: '',
        estimatedMinutes: 500,
        skills: [],
        dependsOn: ['b', 'zzz'],
        deadline: '2027-01-01T00:00:00.000Z',
      },
      {
        key: 'b',
        title: 'B',
        estimatedMinutes: 10,
        skills: ['x'],
        dependsOn: ['a'],
        deadline: '2026-04-01T00:00:00.000Z',
      },
      {
        key: 'b',
        title: 'B again',
        estimatedMinutes: 10,
        skills: ['x'],
        dependsOn: [],
        deadline: '2026-04-01T00:00:00.000Z',
      },
    ];
    expect(codes(tasks)).toEqual([
      ['plan.duplicate_key', 'b'],
      ['plan.title_missing', 'a'],
      ['plan.task_too_long', 'a'],
      ['plan.skills_missing', 'a'],
      ['plan.deadline_after_job', 'a'],
      ['plan.unknown_dependency', 'a'],
      ['plan.deadline_before_predecessor', 'b'],
      ['plan.cycle', 'a'],
      ['plan.estimates_mismatch', null],
    ]);
  });
});
