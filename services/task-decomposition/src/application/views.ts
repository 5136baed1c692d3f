import type { Plan, PlanStatus } from '../domain/plan.js';
import type { WorkCategory } from '../domain/templates.js';

/** A task of a plan: confirmed (with its task id) or drafted in the open round (no id yet). */
export interface TaskView {
  readonly taskId: string | undefined;
  readonly key: string;
  readonly title: string;
  readonly estimatedMinutes: number;
  readonly skills: readonly string[];
  /** Keys of the tasks of the same round it waits for. */
  readonly dependsOn: readonly string[];
  /** ISO-8601 UTC. */
  readonly deadline: string;
  readonly round: number;
}

export interface PlanView {
  readonly jobId: string;
  readonly businessId: string;
  readonly regionId: string;
  readonly localOnlyTownId: string | null;
  readonly workCategory: WorkCategory;
  readonly status: PlanStatus;
  /** The confirmed rounds' tasks, then the open round's drafts. */
  readonly tasks: readonly TaskView[];
  readonly round: number;
  readonly jobEstimatedMinutes: number;
  readonly jobDeadline: string;
  readonly maxTaskMinutes: number;
  readonly reworkReason: string | null;
  readonly cancelReason: string | null;
  /** The plan stream's version: what a coordinator passes back as the expected version. */
  readonly version: number;
}

/** A plan as its readers see it, at a version of its stream. */
export const viewOf = (plan: Plan, version: number): PlanView => ({
  jobId: plan.jobId,
  businessId: plan.businessId,
  regionId: plan.regionId,
  localOnlyTownId: plan.localOnlyTownId,
  workCategory: plan.workCategory,
  status: plan.status,
  tasks: [
    ...plan.planned.map((t) => ({ ...t })),
    ...plan.drafts.map((d) => ({
      taskId: undefined,
      key: d.key,
      title: d.title,
      estimatedMinutes: d.estimatedMinutes,
      skills: d.skills,
      dependsOn: d.dependsOn,
      deadline: d.deadline,
      round: plan.round,
    })),
  ],
  round: plan.round,
  jobEstimatedMinutes: plan.jobEstimatedMinutes,
  jobDeadline: plan.jobDeadline,
  maxTaskMinutes: plan.maxTaskMinutes,
  reworkReason: plan.reworkReason,
  cancelReason: plan.cancelReason,
  version,
});
