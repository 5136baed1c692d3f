/**
 * Task decomposition's published events (streams `plan-<jobId>`): a round of a job's plan
 * confirmed as tasks, what team scheduling assigns and job intake starts the job from.
 */
import { Type } from 'typebox';
import { PUBLISHED_WORK_CATEGORIES } from './job-intake.js';
import { publishedEvent } from './published.js';

const PlannedTask = Type.Object({
  taskId: Type.String({ format: 'uuid', description: 'Platform-wide id of the task.' }),
  key: Type.String({ minLength: 1, description: 'The task’s key within its round.' }),
  title: Type.String({ minLength: 1 }),
  estimatedMinutes: Type.Integer({ minimum: 1 }),
  skills: Type.Array(Type.String()),
  dependsOn: Type.Array(Type.String(), { description: 'Ids of the tasks of the same round done first.' }),
  deadline: Type.String({ format: 'date-time' }),
});

export const TasksPlannedV1 = publishedEvent({
  producer: 'task-decomposition',
  type: 'TasksPlanned',
  schemaVersion: 1,
  category: 'plan',
  idField: 'jobId',
  schema: Type.Object({
    jobId: Type.String({ format: 'uuid', description: 'The job; the plan’s stream is `plan-<jobId>`.' }),
    businessId: Type.String({ minLength: 1 }),
    regionId: Type.String({ minLength: 1 }),
    localOnlyTownId: Type.Union([Type.String(), Type.Null()]),
    workCategory: Type.Enum(PUBLISHED_WORK_CATEGORIES),
    round: Type.Integer({ minimum: 1, description: '1, then one more per rework round.' }),
    tasks: Type.Array(PlannedTask, { minItems: 1 }),
  }),
});

/** Every event task decomposition publishes, each type at each version. */
export const TASK_DECOMPOSITION_PUBLISHED_EVENTS = [TasksPlannedV1] as const;
