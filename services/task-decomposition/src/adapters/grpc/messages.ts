import { ValidationError } from '@workshare/eventsourcing';
import { taskDecompositionV1 } from '@workshare/proto';
import type { TaskDraft } from '../../domain/plan-rules.js';
import type { PlanView, TaskView } from '../../application/views.js';
import { missingField } from '@workshare/grpc';

export { missingField, requiredText, requestIdOf } from '@workshare/grpc';

/**
 * Proto messages ↔ the facade, and the checks that belong to the edge: a required field left
 * empty (`request.missing_field`, with the field's proto name), a Timestamp left out, an
 * expected version that is not a version. What the values mean (keys, estimates, skills,
 * dependencies, deadlines...) is the plan's to check, all at once (`plan.invalid`). All of it
 * happens before the facade is called: a malformed request stores nothing.
 */

const { PlanStatus } = taskDecompositionV1;

/**
 * `expected_version` (int64 as a decimal string): the plan version the coordinator saw, or -1
 * for no check. An unset field reads 0, the version of a plan just proposed.
 */
export const expectedVersionOf = (value: string): number | undefined => {
  const version = /^-?\d{1,16}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(version) || version < -1) {
    throw new ValidationError(
      'request.invalid_expected_version',
      'expected_version is the plan version read (0 or more), or -1 for no check',
      { field: 'expected_version' },
    );
  }
  return version === -1 ? undefined : version;
};

const timestampOf = (value: Date | undefined, field: string): string => {
  if (value === undefined) throw missingField(field);
  if (Number.isNaN(value.getTime()))
    throw new ValidationError('request.invalid_timestamp', `${field} is not a time`, { field });
  return value.toISOString();
};

/** The drafts of RevisePlan: every Timestamp present; the rest is the plan's to judge. */
export const draftsOf = (tasks: readonly taskDecompositionV1.TaskDraft[]): TaskDraft[] =>
  tasks.map((t, i) => ({
    key: t.key,
    title: t.title,
    estimatedMinutes: t.estimatedMinutes,
    skills: [...t.skills],
    dependsOn: [...t.dependsOn],
    deadline: timestampOf(t.deadline, `tasks[${i}].deadline`),
  }));

const taskMessage = (task: TaskView): taskDecompositionV1.Task => ({
  taskId: task.taskId ?? '',
  key: task.key,
  title: task.title,
  estimatedMinutes: task.estimatedMinutes,
  skills: [...task.skills],
  dependsOn: [...task.dependsOn],
  deadline: new Date(task.deadline),
  round: task.round,
});

const STATUS: Readonly<Record<PlanView['status'], taskDecompositionV1.PlanStatus>> = {
  proposed: PlanStatus.PLAN_STATUS_PROPOSED,
  rework_needed: PlanStatus.PLAN_STATUS_REWORK_NEEDED,
  confirmed: PlanStatus.PLAN_STATUS_CONFIRMED,
  cancelled: PlanStatus.PLAN_STATUS_CANCELLED,
};

/** A plan as the contract shows it. */
export const planMessage = (view: PlanView): taskDecompositionV1.Plan => {
  return {
    jobId: view.jobId,
    regionId: view.regionId,
    localOnlyTownId: view.localOnlyTownId ?? '',
    status: STATUS[view.status],
    tasks: view.tasks.map(taskMessage),
    round: view.round,
    jobEstimatedMinutes: view.jobEstimatedMinutes,
    jobDeadline: new Date(view.jobDeadline),
    maxTaskMinutes: view.maxTaskMinutes,
    reworkReason: view.reworkReason ?? '',
    version: String(view.version),
    cancelReason: view.cancelReason ?? '',
  };
};
