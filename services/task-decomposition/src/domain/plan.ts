import {
  assertStorableText,
  DomainError,
  ForbiddenError,
  isSystem,
  NotFoundError,
  ValidationError,
  nameBasedUuid,
  type Actor,
  type Decider,
} from '@workshare/eventsourcing';
import { mayPlan } from './access.js';
import { validatePlan, type PlanViolation, type TaskDraft } from './plan-rules.js';
import { proposeTasks, type WorkCategory } from './templates.js';

/**
 * A job's plan (stream `plan-<jobId>`): proposed from its category's template when the job is
 * accepted, revised and confirmed by a coordinator of its region, reopened for a new round when
 * delivered work is rejected, closed when the job is cancelled. Pure: the clock and the
 * configured window come inside the commands. Every command names who gives it (`by`): a
 * coordinator revises and confirms; proposing, reopening and closing a plan is this service's
 * process manager's alone (a system actor), reacting to job intake's events.
 */

export const planStream = (jobId: string): string => `plan-${jobId}`;

// ---- commands -------------------------------------------------------------------------------

/** An accepted job, as JobAccepted tells it. */
export interface AcceptedJob {
  readonly jobId: string;
  readonly businessId: string;
  readonly regionId: string;
  readonly localOnlyTownId: string | null;
  readonly workCategory: WorkCategory;
  readonly title: string;
  readonly skills: readonly string[];
  readonly estimatedMinutes: number;
  /** ISO-8601 UTC. */
  readonly deadline: string;
  /** When the quote was accepted, ISO-8601 UTC. */
  readonly acceptedAt: string;
}

export interface ProposePlan {
  readonly type: 'ProposePlan';
  readonly job: AcceptedJob;
  /** The service's window (TASK_MAX_MINUTES), kept with the plan: later rounds are held to it. */
  readonly maxTaskMinutes: number;
  readonly by: Actor;
}
export interface RevisePlan {
  readonly type: 'RevisePlan';
  readonly jobId: string;
  readonly tasks: readonly TaskDraft[];
  readonly by: Actor;
}
export interface ConfirmPlan {
  readonly type: 'ConfirmPlan';
  readonly jobId: string;
  readonly by: Actor;
}
export interface RequestRework {
  readonly type: 'RequestRework';
  readonly jobId: string;
  /** The rejected inspection's reason. */
  readonly reason: string;
  readonly by: Actor;
}
export interface CancelPlan {
  readonly type: 'CancelPlan';
  readonly jobId: string;
  readonly reason: string;
  readonly by: Actor;
}
export type PlanCommand = ProposePlan | RevisePlan | ConfirmPlan | RequestRework | CancelPlan;

// ---- events (the shared contract with job intake and team scheduling) -----------------------

/** A confirmed task: its platform-wide id, its dependencies as task ids. */
export type PlannedTaskData = {
  taskId: string;
  key: string;
  title: string;
  estimatedMinutes: number;
  skills: string[];
  dependsOn: string[];
  deadline: string;
};

export type PlanProposed = {
  readonly type: 'PlanProposed';
  readonly data: {
    jobId: string;
    businessId: string;
    regionId: string;
    localOnlyTownId: string | null;
    workCategory: WorkCategory;
    jobEstimatedMinutes: number;
    jobDeadline: string;
    maxTaskMinutes: number;
    round: number;
    tasks: TaskDraft[];
  };
};
export type PlanRevised = {
  readonly type: 'PlanRevised';
  readonly data: { jobId: string; round: number; tasks: TaskDraft[]; revisedBy: string };
};
export type TasksPlanned = {
  readonly type: 'TasksPlanned';
  readonly data: {
    jobId: string;
    businessId: string;
    regionId: string;
    localOnlyTownId: string | null;
    workCategory: WorkCategory;
    round: number;
    tasks: PlannedTaskData[];
    plannedBy: string;
  };
};
export type ReworkRequested = {
  readonly type: 'ReworkRequested';
  readonly data: { jobId: string; round: number; reason: string };
};
export type PlanCancelled = { readonly type: 'PlanCancelled'; readonly data: { jobId: string; reason: string } };
export type PlanEvent = PlanProposed | PlanRevised | TasksPlanned | ReworkRequested | PlanCancelled;

export const PLAN_EVENT_TYPES: readonly PlanEvent['type'][] = [
  'PlanProposed',
  'PlanRevised',
  'TasksPlanned',
  'ReworkRequested',
  'PlanCancelled',
];

// ---- state ----------------------------------------------------------------------------------

/** A confirmed task as the plan keeps it: dependencies by key, within its round. */
export interface PlannedTask {
  readonly taskId: string;
  readonly key: string;
  readonly title: string;
  readonly estimatedMinutes: number;
  readonly skills: readonly string[];
  readonly dependsOn: readonly string[];
  readonly deadline: string;
  readonly round: number;
}

/**
 * - proposed: a round is open with drafts (from the template or revised);
 * - rework_needed: delivered work was rejected; the open round waits for the remaining work;
 * - confirmed: every round is confirmed;
 * - cancelled: the job was cancelled; nothing more is planned.
 */
export const PLAN_STATUSES = ['proposed', 'rework_needed', 'confirmed', 'cancelled'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export interface Plan {
  readonly status: PlanStatus;
  readonly jobId: string;
  readonly businessId: string;
  readonly regionId: string;
  readonly localOnlyTownId: string | null;
  readonly workCategory: WorkCategory;
  readonly jobEstimatedMinutes: number;
  readonly jobDeadline: string;
  readonly maxTaskMinutes: number;
  /** The open round, or the last confirmed one. */
  readonly round: number;
  /** The open round's drafts (none once confirmed). */
  readonly drafts: readonly TaskDraft[];
  /** Every confirmed round's tasks, in order. */
  readonly planned: readonly PlannedTask[];
  readonly reworkReason: string | null;
  readonly cancelReason: string | null;
}

export type PlanState = { readonly status: 'none' } | Plan;

const isOpen = (plan: Plan): boolean => plan.status === 'proposed' || plan.status === 'rework_needed';

// ---- rules ----------------------------------------------------------------------------------

/**
 * A task's id across the platform, derived from (job, round, key): a retried confirmation and
 * a replay name the same tasks. UUID version 8 (RFC 9562, custom) from SHA-256.
 */
export const taskIdFor = (jobId: string, round: number, key: string): string =>
  nameBasedUuid(`workshare-task/${jobId}/${round}/${key}`);

export const invalidPlan = (violations: readonly PlanViolation[]): ValidationError =>
  new ValidationError(
    'plan.invalid',
    `the plan breaks ${violations.length} rule${violations.length === 1 ? '' : 's'}: ${violations
      .slice(0, 3)
      .map((v) => v.message)
      .join('; ')}${violations.length > 3 ? '; …' : ''}`,
    { violations: violations.map((v) => ({ ...v })) },
  );

const constraintsOf = (plan: Plan) => ({
  maxTaskMinutes: plan.maxTaskMinutes,
  jobDeadline: plan.jobDeadline,
  jobEstimatedMinutes: plan.jobEstimatedMinutes,
  round: plan.round,
});

/** The plan, for a coordinator's command: it exists, she runs its region, and its round is open. */
const openPlanFor = (state: PlanState, jobId: string, by: Actor): Plan => {
  if (state.status === 'none') throw new NotFoundError('plan.not_found', `job ${jobId} has no plan`, { jobId });
  if (!mayPlan(by, state))
    throw new ForbiddenError('plan.forbidden', `only a coordinator of ${state.regionId} plans this job`, { jobId });
  if (state.status === 'cancelled')
    throw new DomainError('plan.cancelled', `job ${jobId} was cancelled: nothing more is planned`, 'rule', { jobId });
  if (!isOpen(state))
    throw new DomainError(
      'plan.not_open',
      `round ${state.round} of job ${jobId} is confirmed: no round is open`,
      'rule',
      { jobId, round: state.round },
    );
  return state;
};

/** Proposing, reopening and closing a plan follow job intake's events: the process manager's commands only. */
const requireProcessManager = (by: Actor, jobId: string, what: string): void => {
  if (!isSystem(by))
    throw new ForbiddenError(
      'plan.forbidden',
      `a plan is ${what} by the process manager only, on job intake's events`,
      {
        jobId,
      },
    );
};

/** A coordinator's drafts hold text the store can keep: no NUL, no invalid Unicode (`text.invalid_characters`). */
const assertStorableDrafts = (tasks: readonly TaskDraft[]): void =>
  tasks.forEach((t, i) => {
    assertStorableText(t.key, `tasks[${i}].key`);
    assertStorableText(t.title, `tasks[${i}].title`);
    t.skills.forEach((skill, j) => assertStorableText(skill, `tasks[${i}].skills[${j}]`));
    t.dependsOn.forEach((key, j) => assertStorableText(key, `tasks[${i}].depends_on[${j}]`));
  });

const copyDraft = (d: TaskDraft): TaskDraft => ({
  key: d.key,
  title: d.title,
  estimatedMinutes: d.estimatedMinutes,
  skills: [...d.skills],
  dependsOn: [...d.dependsOn],
  deadline: d.deadline,
});

export const decide = (command: PlanCommand, state: PlanState): PlanEvent[] => {
  switch (command.type) {
    case 'ProposePlan': {
      const { job } = command;
      requireProcessManager(command.by, job.jobId, 'proposed');
      // Proposed once: JobAccepted heard again (or after a cancellation) proposes nothing new.
      if (state.status !== 'none') return [];
      return [
        {
          type: 'PlanProposed',
          data: {
            jobId: job.jobId,
            businessId: job.businessId,
            regionId: job.regionId,
            localOnlyTownId: job.localOnlyTownId,
            workCategory: job.workCategory,
            jobEstimatedMinutes: job.estimatedMinutes,
            jobDeadline: job.deadline,
            maxTaskMinutes: command.maxTaskMinutes,
            round: 1,
            tasks: proposeTasks(job, command.maxTaskMinutes),
          },
        },
      ];
    }

    case 'RevisePlan': {
      const plan = openPlanFor(state, command.jobId, command.by);
      assertStorableDrafts(command.tasks);
      const violations = validatePlan(command.tasks, constraintsOf(plan));
      if (violations.length > 0) throw invalidPlan(violations);
      return [
        {
          type: 'PlanRevised',
          data: { jobId: plan.jobId, round: plan.round, tasks: command.tasks.map(copyDraft), revisedBy: command.by.id },
        },
      ];
    }

    case 'ConfirmPlan': {
      const plan = openPlanFor(state, command.jobId, command.by);
      if (plan.drafts.length === 0) {
        throw new DomainError(
          'plan.no_tasks',
          `round ${plan.round} has no tasks yet: revise the plan with the remaining work first`,
          'rule',
          { jobId: plan.jobId, round: plan.round },
        );
      }
      const violations = validatePlan(plan.drafts, constraintsOf(plan));
      if (violations.length > 0) throw invalidPlan(violations);
      const idOf = new Map(plan.drafts.map((d) => [d.key, taskIdFor(plan.jobId, plan.round, d.key)]));
      return [
        {
          type: 'TasksPlanned',
          data: {
            jobId: plan.jobId,
            businessId: plan.businessId,
            regionId: plan.regionId,
            localOnlyTownId: plan.localOnlyTownId,
            workCategory: plan.workCategory,
            round: plan.round,
            tasks: plan.drafts.map((d) => ({
              taskId: idOf.get(d.key) as string,
              key: d.key,
              title: d.title,
              estimatedMinutes: d.estimatedMinutes,
              skills: [...d.skills],
              dependsOn: d.dependsOn.map((k) => idOf.get(k) as string),
              deadline: d.deadline,
            })),
            plannedBy: command.by.id,
          },
        },
      ];
    }

    case 'RequestRework': {
      requireProcessManager(command.by, command.jobId, 'reopened');
      if (state.status === 'none')
        throw new NotFoundError('plan.not_found', `job ${command.jobId} has no plan`, { jobId: command.jobId });
      if (state.status === 'cancelled')
        throw new DomainError('plan.cancelled', `job ${command.jobId} was cancelled: nothing more is planned`, 'rule', {
          jobId: command.jobId,
        });
      // A confirmed plan opens the next round; a round still open (work delivered before it
      // was confirmed) stays the round where the remaining work is planned.
      const round = state.status === 'confirmed' ? state.round + 1 : state.round;
      return [{ type: 'ReworkRequested', data: { jobId: state.jobId, round, reason: command.reason } }];
    }

    case 'CancelPlan':
      requireProcessManager(command.by, command.jobId, 'cancelled');
      // A job cancelled before its quote was accepted has no plan; cancelling twice changes nothing.
      if (state.status === 'none' || state.status === 'cancelled') return [];
      return [{ type: 'PlanCancelled', data: { jobId: state.jobId, reason: command.reason } }];
  }
};

export const evolve = (state: PlanState, event: PlanEvent): PlanState => {
  switch (event.type) {
    case 'PlanProposed': {
      const d = event.data;
      return {
        status: 'proposed',
        jobId: d.jobId,
        businessId: d.businessId,
        regionId: d.regionId,
        localOnlyTownId: d.localOnlyTownId,
        workCategory: d.workCategory,
        jobEstimatedMinutes: d.jobEstimatedMinutes,
        jobDeadline: d.jobDeadline,
        maxTaskMinutes: d.maxTaskMinutes,
        round: d.round,
        drafts: d.tasks,
        planned: [],
        reworkReason: null,
        cancelReason: null,
      };
    }
    case 'PlanRevised':
      if (state.status === 'none') return state;
      return { ...state, status: 'proposed', drafts: event.data.tasks };
    case 'TasksPlanned': {
      if (state.status === 'none') return state;
      const { round, tasks } = event.data;
      const keyOf = new Map(tasks.map((t) => [t.taskId, t.key]));
      const planned: PlannedTask[] = tasks.map((t) => ({
        ...t,
        dependsOn: t.dependsOn.map((id) => keyOf.get(id) ?? id),
        round,
      }));
      return {
        ...state,
        status: 'confirmed',
        round,
        drafts: [],
        planned: [...state.planned, ...planned],
        reworkReason: null,
      };
    }
    case 'ReworkRequested': {
      if (state.status === 'none') return state;
      const { round, reason } = event.data;
      return {
        ...state,
        status: 'rework_needed',
        drafts: round > state.round ? [] : state.drafts,
        round,
        reworkReason: reason,
      };
    }
    case 'PlanCancelled':
      if (state.status === 'none') return state;
      return { ...state, status: 'cancelled', cancelReason: event.data.reason };
  }
};

export const initialState = (): PlanState => ({ status: 'none' });

export const planDecider: Decider<PlanCommand, PlanEvent, PlanState> = { decide, evolve, initialState };
