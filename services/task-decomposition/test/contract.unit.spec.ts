import { WORK_CATEGORIES as JOB_INTAKE_WORK_CATEGORIES } from '@workshare/job-intake/contract';
import { taskDecompositionV1 } from '@workshare/proto';
import { PLAN_LIMITS, PLAN_STATUSES } from '../src/contract.js';
import { planMessage } from '../src/adapters/grpc/messages.js';
import type { PlanView } from '../src/application/views.js';
import { validatePlan } from '../src/domain/plan-rules.js';
import { TEMPLATES, WORK_CATEGORIES } from '../src/domain/templates.js';
import { drafts } from './domain/fixtures.js';

// The published contract (what the HTTP edge's schemas import) is what the service enforces.
describe('@workshare/task-decomposition/contract', () => {
  it('PLAN_LIMITS.taskKeyPattern accepts exactly the keys the plan rules accept', () => {
    const pattern = new RegExp(PLAN_LIMITS.taskKeyPattern);
    const constraints = {
      maxTaskMinutes: 120,
      jobDeadline: '2026-04-10T09:00:00.000Z',
      jobEstimatedMinutes: 300,
      round: 2,
    };
    for (const key of [
      'a',
      'A-z_09'.padEnd(PLAN_LIMITS.taskKeyLength, 'x'),
      '',
      'x'.repeat(PLAN_LIMITS.taskKeyLength + 1),
      'a b',
      'ä',
    ]) {
      const tasks = drafts().map((t, i) => (i === 0 ? { ...t, key } : { ...t, dependsOn: [] }));
      const refused = validatePlan(tasks, constraints).some((v) => v.code === 'plan.invalid_key');
      expect([key, pattern.test(key)]).toEqual([key, !refused]);
    }
  });

  it('PLAN_LIMITS: the task length range holds its default', () => {
    expect(PLAN_LIMITS.minTaskMaxMinutes).toBeLessThanOrEqual(PLAN_LIMITS.defaultMaxTaskMinutes);
    expect(PLAN_LIMITS.defaultMaxTaskMinutes).toBeLessThanOrEqual(PLAN_LIMITS.maxTaskMaxMinutes);
    expect(PLAN_LIMITS.tasksPerPlan).toBeGreaterThan(0);
    expect(PLAN_LIMITS.taskTitleLength).toBeGreaterThan(0);
  });

  it('PLAN_STATUSES are the plan statuses of the gRPC contract, each once', () => {
    const view = (status: PlanView['status']): PlanView =>
      ({
        status,
        tasks: [],
        localOnlyTownId: null,
        jobDeadline: '2026-04-10T09:00:00.000Z',
        reworkReason: null,
        cancelReason: null,
        version: 0,
      }) as unknown as PlanView;
    const proto = PLAN_STATUSES.map((status) => planMessage(view(status)).status);
    expect(new Set(proto).size).toBe(PLAN_STATUSES.length);
    expect(proto).not.toContain(taskDecompositionV1.PlanStatus.PLAN_STATUS_UNSPECIFIED);
    expect(proto).not.toContain(taskDecompositionV1.PlanStatus.UNRECOGNIZED);
  });

  it("the work categories are job intake's, each with a template", () => {
    expect(WORK_CATEGORIES).toBe(JOB_INTAKE_WORK_CATEGORIES);
    for (const category of WORK_CATEGORIES) expect(TEMPLATES[category].length).toBeGreaterThan(0);
  });
});
