import {
  CommandHandler,
  ForbiddenError,
  isUuid,
  NotFoundError,
  ValidationError,
  WrongExpectedVersionError,
  type EventMetadata,
  type EventStore,
} from '@workshare/eventsourcing';
import { mayReadPlan, mayReadSomePlan, type Actor } from '../domain/access.js';
import {
  planDecider,
  planStream,
  type AcceptedJob,
  type Plan,
  type PlanCommand,
  type PlanEvent,
  type PlanState,
} from '../domain/plan.js';
import {
  DEFAULT_MAX_TASK_MINUTES,
  MAX_TASK_MAX_MINUTES,
  MIN_TASK_MAX_MINUTES,
  type TaskDraft,
} from '../domain/plan-rules.js';
import type { PlanView } from './views.js';

export interface TaskDecompositionServiceOptions {
  readonly store: EventStore;
  /** The longest a task may be (default 120; 15 to 480). */
  readonly maxTaskMinutes?: number;
  /** Clock for the events' occurred-at (tests pass a fixed one). */
  readonly now?: () => Date;
}

/** What a write carries besides its command, so that its events can be traced and retried safely. */
export interface CommandContext {
  /** Idempotency key: a command with a key the plan already saw is answered, not done twice. */
  readonly commandId?: string;
  /** Who or what caused it (`system:task-decomposition` for the process manager). */
  readonly actor?: string;
  readonly causationId?: string;
  readonly correlationId?: string;
  readonly traceparent?: string;
}

export interface RevisePlanInput {
  readonly jobId: string;
  readonly tasks: readonly TaskDraft[];
  /** The plan version the coordinator edited; undefined: no check (conflicts are still retried). */
  readonly expectedVersion?: number;
}

export interface ConfirmPlanInput {
  readonly jobId: string;
  readonly expectedVersion?: number;
}

const metadataOf = (ctx: CommandContext): EventMetadata => {
  const metadata: EventMetadata = {};
  if (ctx.actor !== undefined) metadata.actor = ctx.actor;
  if (ctx.causationId !== undefined) metadata.causationId = ctx.causationId;
  if (ctx.correlationId !== undefined) metadata.correlationId = ctx.correlationId;
  if (ctx.traceparent !== undefined) metadata.traceparent = ctx.traceparent;
  return metadata;
};

const checkJobId = (jobId: string): string => {
  if (!isUuid(jobId))
    throw new ValidationError('plan.invalid_job_id', 'a job id is a UUID', { jobId: String(jobId).slice(0, 64) });
  return jobId;
};

const viewOf = (plan: Plan, version: number): PlanView => ({
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

/**
 * The task decomposition service: the plans of accepted jobs. Coordinators read, revise and
 * confirm them (getPlan, revisePlan, confirmPlan, authorised against the plan's region and
 * business); the process manager proposes, reopens and cancels them from job intake's events.
 * Every write goes through the plan decider with the stream's expected version; a refused
 * command stores nothing.
 */
export class TaskDecompositionService {
  readonly maxTaskMinutes: number;
  private readonly handler: CommandHandler<PlanCommand, PlanEvent, PlanState>;
  private readonly now: (() => Date) | undefined;

  constructor(options: TaskDecompositionServiceOptions) {
    const max = options.maxTaskMinutes ?? DEFAULT_MAX_TASK_MINUTES;
    if (!Number.isSafeInteger(max) || max < MIN_TASK_MAX_MINUTES || max > MAX_TASK_MAX_MINUTES) {
      throw new RangeError(
        `maxTaskMinutes must be a whole number from ${MIN_TASK_MAX_MINUTES} to ${MAX_TASK_MAX_MINUTES}, got ${max}`,
      );
    }
    this.maxTaskMinutes = max;
    this.now = options.now;
    this.handler = new CommandHandler({ store: options.store, decider: planDecider });
  }

  /** The plan as the actor may see it: a coordinator of its region, its business, the accountant, operators. */
  async getPlan(actor: Actor, jobId: string): Promise<PlanView> {
    checkJobId(jobId);
    if (!mayReadSomePlan(actor))
      throw new ForbiddenError(
        'plan.forbidden',
        'plans are read by coordinators, businesses, the accountant and operators',
      );
    const { state, version } = await this.handler.load(planStream(jobId));
    if (state.status === 'none' || version === undefined)
      throw new NotFoundError('plan.not_found', `job ${jobId} has no plan`, { jobId });
    if (!mayReadPlan(actor, state))
      throw new ForbiddenError(
        'plan.forbidden',
        'this plan is read by a coordinator of its region, its business, the accountant and operators',
        { jobId },
      );
    return viewOf(state, version);
  }

  /** Replaces the open round's drafts (a coordinator of the job's region); the whole plan is checked first. */
  async revisePlan(actor: Actor, input: RevisePlanInput, ctx: CommandContext = {}): Promise<PlanView> {
    checkJobId(input.jobId);
    return this.run(
      input.jobId,
      { type: 'RevisePlan', jobId: input.jobId, tasks: input.tasks, by: actor },
      { actor: actor.id, ...ctx },
      input.expectedVersion,
    );
  }

  /** Confirms the open round (a coordinator of the job's region): TasksPlanned. */
  async confirmPlan(actor: Actor, input: ConfirmPlanInput, ctx: CommandContext = {}): Promise<PlanView> {
    checkJobId(input.jobId);
    return this.run(
      input.jobId,
      { type: 'ConfirmPlan', jobId: input.jobId, by: actor },
      { actor: actor.id, ...ctx },
      input.expectedVersion,
    );
  }

  /** JobAccepted: the template's plan as round 1; once per job. */
  async proposePlan(job: AcceptedJob, ctx: CommandContext = {}): Promise<PlanView> {
    checkJobId(job.jobId);
    return this.run(job.jobId, { type: 'ProposePlan', job, maxTaskMinutes: this.maxTaskMinutes }, ctx);
  }

  /** JobInspected, rejected: the remaining work is to be planned as a new round. */
  async requestRework(jobId: string, reason: string, ctx: CommandContext = {}): Promise<PlanView> {
    checkJobId(jobId);
    return this.run(jobId, { type: 'RequestRework', jobId, reason }, ctx);
  }

  /** JobCancelled: the plan takes no more revisions; undefined when the job never had a plan. */
  async cancelPlan(jobId: string, reason: string, ctx: CommandContext = {}): Promise<PlanView | undefined> {
    checkJobId(jobId);
    const { state, version } = await this.handle(jobId, { type: 'CancelPlan', jobId, reason }, ctx);
    return state.status === 'none' || version === undefined ? undefined : viewOf(state, version);
  }

  private async run(
    jobId: string,
    command: PlanCommand,
    ctx: CommandContext,
    expectedVersion?: number,
  ): Promise<PlanView> {
    const { state, version } = await this.handle(jobId, command, ctx, expectedVersion);
    // Every command but CancelPlan leaves a plan or is refused by the decider.
    if (state.status === 'none' || version === undefined)
      throw new NotFoundError('plan.not_found', `job ${jobId} has no plan`, { jobId });
    return viewOf(state, version);
  }

  private async handle(
    jobId: string,
    command: PlanCommand,
    ctx: CommandContext,
    expectedVersion?: number,
  ): Promise<{ state: PlanState; version: number | undefined }> {
    try {
      const result = await this.handler.handle(planStream(jobId), command, {
        metadata: metadataOf(ctx),
        ...(ctx.commandId !== undefined ? { commandId: ctx.commandId } : {}),
        ...(expectedVersion !== undefined ? { expectedVersion } : {}),
        ...(this.now !== undefined ? { now: this.now } : {}),
      });
      return { state: result.state, version: result.streamVersion };
    } catch (error) {
      // An expected version for a plan that does not exist: the job is unknown, not edited by someone else.
      if (error instanceof WrongExpectedVersionError && error.actual === undefined)
        throw new NotFoundError('plan.not_found', `job ${jobId} has no plan`, { jobId });
      throw error;
    }
  }
}
