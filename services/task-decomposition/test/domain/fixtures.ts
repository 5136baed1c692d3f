import { SYSTEM_ACTORS, type Actor } from '@workshare/eventsourcing';
import { proposeTasks } from '../../src/domain/templates.js';
import type { AcceptedJob, PlanEvent, PlannedTaskData } from '../../src/domain/plan.js';
import { taskIdFor } from '../../src/domain/plan.js';
import type { TaskDraft } from '../../src/domain/plan-rules.js';

export const JOB_ID = '01960000-0000-7000-8000-00000000a001';
export const BUSINESS_ID = '01960000-0000-7000-8000-00000000b001';

export const coordinator: Actor = {
  id: 'coordinator-fujisato',
  roles: [{ kind: 'member' }, { kind: 'coordinator', regionId: 'fujisato' }],
};
export const setagayaCoordinator: Actor = {
  id: 'coordinator-setagaya',
  roles: [{ kind: 'member' }, { kind: 'coordinator', regionId: 'setagaya' }],
};
export const business: Actor = { id: 'business-user', roles: [{ kind: 'business', businessId: BUSINESS_ID }] };
export const operator: Actor = { id: 'operator', roles: [{ kind: 'operator' }] };
/** This service's process manager, reacting to job intake's events. */
export const processManager: Actor = SYSTEM_ACTORS.processManager('task-decomposition');

/** 300 records of data entry, 5 hours, accepted on 1 April 09:00 JST, due 10 April 18:00 JST. */
export const job = (overrides: Partial<AcceptedJob> = {}): AcceptedJob => ({
  jobId: JOB_ID,
  businessId: BUSINESS_ID,
  regionId: 'fujisato',
  localOnlyTownId: null,
  workCategory: 'data_entry',
  title: '顧客名簿の入力 (300件)',
  skills: ['excel'],
  estimatedMinutes: 300,
  deadline: '2026-04-10T09:00:00.000Z',
  acceptedAt: '2026-04-01T00:00:00.000Z',
  ...overrides,
});

export const proposed = (overrides: Partial<AcceptedJob> = {}, maxTaskMinutes = 120): PlanEvent => {
  const j = job(overrides);
  return {
    type: 'PlanProposed',
    data: {
      jobId: j.jobId,
      businessId: j.businessId,
      regionId: j.regionId,
      localOnlyTownId: j.localOnlyTownId,
      workCategory: j.workCategory,
      jobEstimatedMinutes: j.estimatedMinutes,
      jobDeadline: j.deadline,
      maxTaskMinutes,
      round: 1,
      tasks: proposeTasks(j, maxTaskMinutes),
    },
  };
};

const DUE = '2026-04-08T09:00:00.000Z';
const LAST = '2026-04-10T09:00:00.000Z';

/** A hand-written plan of 300 minutes: two entry tasks, then a check. */
export const drafts = (): TaskDraft[] => [
  {
    key: 'a',
    title: 'Enter records 1-150',
    estimatedMinutes: 120,
    skills: ['data entry'],
    dependsOn: [],
    deadline: DUE,
  },
  {
    key: 'b',
    title: 'Enter records 151-300',
    estimatedMinutes: 120,
    skills: ['data entry'],
    dependsOn: [],
    deadline: DUE,
  },
  {
    key: 'check',
    title: 'Check every record',
    estimatedMinutes: 60,
    skills: ['data entry'],
    dependsOn: ['a', 'b'],
    deadline: LAST,
  },
];

export const revised = (tasks: TaskDraft[] = drafts(), round = 1, by = coordinator): PlanEvent => ({
  type: 'PlanRevised',
  data: { jobId: JOB_ID, round, tasks, revisedBy: by.id },
});

export const plannedTasks = (tasks: TaskDraft[], round: number): PlannedTaskData[] =>
  tasks.map((t) => ({
    taskId: taskIdFor(JOB_ID, round, t.key),
    key: t.key,
    title: t.title,
    estimatedMinutes: t.estimatedMinutes,
    skills: [...t.skills],
    dependsOn: t.dependsOn.map((k) => taskIdFor(JOB_ID, round, k)),
    deadline: t.deadline,
  }));

export const planned = (tasks: TaskDraft[] = drafts(), round = 1, by = coordinator): PlanEvent => ({
  type: 'TasksPlanned',
  data: {
    jobId: JOB_ID,
    businessId: BUSINESS_ID,
    regionId: 'fujisato',
    localOnlyTownId: null,
    workCategory: 'data_entry',
    round,
    tasks: plannedTasks(tasks, round),
    plannedBy: by.id,
  },
});

export const reworkRequested = (round: number, reason = 'records 40-60 have wrong postcodes'): PlanEvent => ({
  type: 'ReworkRequested',
  data: { jobId: JOB_ID, round, reason },
});
export const cancelled = (reason = 'the business closed the project'): PlanEvent => ({
  type: 'PlanCancelled',
  data: { jobId: JOB_ID, reason },
});

/** The remaining work of a rework round: fix 20 records (any positive total). */
export const reworkDrafts = (): TaskDraft[] => [
  {
    key: 'fix',
    title: 'Fix the postcodes of records 40-60',
    estimatedMinutes: 30,
    skills: ['data entry'],
    dependsOn: [],
    deadline: DUE,
  },
  {
    key: 'recheck',
    title: 'Check the fixed records',
    estimatedMinutes: 15,
    skills: ['data entry'],
    dependsOn: ['fix'],
    deadline: LAST,
  },
];
