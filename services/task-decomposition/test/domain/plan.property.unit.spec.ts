/**
 * Properties of decomposition (fast-check): every plan a template proposes is valid and adds up
 * exactly; any one corruption of a valid plan is reported with its code and refused by the
 * decider; the same job always gives the same plan.
 */
import { DeciderSpecification, DomainError } from '@workshare/eventsourcing';
import fc from 'fast-check';
import { planDecider } from '../../src/domain/plan.js';
import { validatePlan, type PlanConstraints, type TaskDraft } from '../../src/domain/plan-rules.js';
import { proposeTasks, WORK_CATEGORIES, type JobToPlan } from '../../src/domain/templates.js';
import { coordinator, job, proposed } from './fixtures.js';

const START = Date.parse('2026-01-01T00:00:00.000Z');

const jobArbitrary: fc.Arbitrary<{ job: JobToPlan; max: number }> = fc
  .record({
    workCategory: fc.constantFrom(...WORK_CATEGORIES),
    estimatedMinutes: fc.integer({ min: 1, max: 20_000 }),
    skills: fc.array(fc.constantFrom('excel', 'english', 'wordpress', ' ', 'data entry'), { maxLength: 3 }),
    acceptedAtMs: fc.integer({ min: START, max: START + 365 * 86_400_000 }),
    // A deadline after acceptance: from one minute to four months later.
    spanMs: fc.integer({ min: 60_000, max: 120 * 86_400_000 }),
    max: fc.integer({ min: 15, max: 480 }),
  })
  .map((r) => ({
    job: {
      workCategory: r.workCategory,
      estimatedMinutes: r.estimatedMinutes,
      skills: r.skills,
      acceptedAt: new Date(r.acceptedAtMs).toISOString(),
      deadline: new Date(r.acceptedAtMs + r.spanMs).toISOString(),
    },
    max: r.max,
  }));

const constraintsOf = (j: JobToPlan, max: number): PlanConstraints => ({
  maxTaskMinutes: max,
  jobDeadline: j.deadline,
  jobEstimatedMinutes: j.estimatedMinutes,
  round: 1,
});

describe('decomposition properties', () => {
  it('(a) every template plan is valid: a DAG, tasks within the window, due in order by the deadline, adding up exactly, skills named', () => {
    fc.assert(
      fc.property(jobArbitrary, ({ job: j, max }) => {
        const tasks = proposeTasks(j, max);
        expect(validatePlan(tasks, constraintsOf(j, max))).toEqual([]);
        expect(tasks.reduce((sum, t) => sum + t.estimatedMinutes, 0)).toBe(j.estimatedMinutes);
        expect(tasks.every((t) => t.skills.length >= 1 && t.estimatedMinutes <= max)).toBe(true);
        expect(tasks[tasks.length - 1]!.deadline).toBe(j.deadline);
      }),
      { numRuns: 300 },
    );
  });

  it('(c) deterministic: the same job and window give the same plan', () => {
    fc.assert(
      fc.property(jobArbitrary, ({ job: j, max }) => {
        expect(proposeTasks({ ...j, skills: [...j.skills] }, max)).toEqual(proposeTasks(j, max));
      }),
      { numRuns: 100 },
    );
  });

  type Corruption = {
    code: string;
    apply: (tasks: TaskDraft[], c: PlanConstraints, pick: number) => TaskDraft[] | undefined;
  };
  const replace = (tasks: TaskDraft[], i: number, change: Partial<TaskDraft>): TaskDraft[] =>
    tasks.map((t, k) => (k === i ? { ...t, ...change } : t));
  const later = (tasks: TaskDraft[], i: number, ms: number) =>
    new Date(Date.parse(tasks[i]!.deadline) + ms).toISOString();

  const CORRUPTIONS: readonly Corruption[] = [
    {
      // A back edge: the first task of a dependency waits for the task that depends on it.
      code: 'plan.cycle',
      apply: (tasks) => {
        const i = tasks.findIndex((t) => t.dependsOn.length > 0);
        if (i < 0) return undefined;
        const first = tasks.findIndex((t) => t.key === tasks[i]!.dependsOn[0]);
        return replace(tasks, first, { dependsOn: [...tasks[first]!.dependsOn, tasks[i]!.key] });
      },
    },
    {
      code: 'plan.task_too_long',
      apply: (tasks, c, pick) => {
        const i = pick % tasks.length;
        // Inflated past the window; another task gives the minutes back where it can, so only the window is broken.
        const extra = c.maxTaskMinutes + 1 - tasks[i]!.estimatedMinutes;
        const donor = tasks.findIndex((t, k) => k !== i && t.estimatedMinutes > extra);
        const inflated = replace(tasks, i, { estimatedMinutes: c.maxTaskMinutes + 1 });
        return donor < 0
          ? inflated
          : replace(inflated, donor, { estimatedMinutes: tasks[donor]!.estimatedMinutes - extra });
      },
    },
    {
      code: 'plan.deadline_after_job',
      apply: (tasks, c, pick) =>
        replace(tasks, pick % tasks.length, {
          deadline: new Date(Date.parse(c.jobDeadline) + 1 + (pick % 86_400_000)).toISOString(),
        }),
    },
    {
      code: 'plan.skills_missing',
      apply: (tasks, _c, pick) => replace(tasks, pick % tasks.length, { skills: pick % 2 === 0 ? [] : [''] }),
    },
    {
      code: 'plan.estimates_mismatch',
      apply: (tasks, c, pick) => {
        const i = pick % tasks.length;
        const t = tasks[i]!;
        // One minute more, or less where it can still be a valid estimate within the window.
        const estimatedMinutes =
          t.estimatedMinutes < c.maxTaskMinutes ? t.estimatedMinutes + 1 : t.estimatedMinutes - 1;
        return estimatedMinutes >= 1 ? replace(tasks, i, { estimatedMinutes }) : undefined;
      },
    },
    {
      code: 'plan.unknown_dependency',
      apply: (tasks, _c, pick) =>
        replace(tasks, pick % tasks.length, { dependsOn: [...tasks[pick % tasks.length]!.dependsOn, 'no-such-task'] }),
    },
    {
      code: 'plan.duplicate_key',
      apply: (tasks, _c, pick) => {
        if (tasks.length < 2) return undefined;
        const i = 1 + (pick % (tasks.length - 1));
        return replace(tasks, i, { key: tasks[0]!.key });
      },
    },
    {
      code: 'plan.deadline_before_predecessor',
      apply: (tasks) => {
        const i = tasks.findIndex((t) => t.dependsOn.length > 0);
        if (i < 0) return undefined;
        const first = tasks.findIndex((t) => t.key === tasks[i]!.dependsOn[0]);
        return replace(tasks, first, { deadline: later(tasks, i, 1) });
      },
    },
  ];

  it('(b) one corruption of a valid plan is always reported with its code, and RevisePlan refuses it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3_000 }),
        fc.constantFrom(...WORK_CATEGORIES),
        fc.integer({ min: 15, max: 480 }),
        fc.constantFrom(...CORRUPTIONS),
        fc.nat(),
        (estimatedMinutes, workCategory, max, corruption, pick) => {
          const accepted = job({ workCategory, estimatedMinutes });
          const valid = proposeTasks(accepted, max);
          const constraints = constraintsOf(accepted, max);
          const corrupted = corruption.apply(valid, constraints, pick);
          fc.pre(corrupted !== undefined);
          const codes = validatePlan(corrupted!, constraints).map((v) => v.code);
          expect(codes).toContain(corruption.code);
          const history = [proposed({ workCategory, estimatedMinutes }, max)];
          const error = DeciderSpecification.for(planDecider)
            .given(history)
            .when({ type: 'RevisePlan', jobId: accepted.jobId, tasks: corrupted!, by: coordinator })
            .thenThrows('plan.invalid', 'invalid');
          expect(error).toBeInstanceOf(DomainError);
          expect((error.details.violations as { code: string }[]).map((v) => v.code)).toEqual(codes);
        },
      ),
      { numRuns: 400 },
    );
  });
});
