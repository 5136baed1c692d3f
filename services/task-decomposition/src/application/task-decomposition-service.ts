import {
  CommandHandler,
  commandKey,
  ForbiddenError,
  isUuid,
  NotFoundError,
  preview,
  ValidationError,
  WrongExpectedVersionError,
  type CommandContext,
  type EventStore,
} from '@workshare/eventsourcing';
import { systemClock, type Clock } from '@workshare/time';
import { mayReadPlan, mayReadSomePlan } from '../domain/access.js';
import {
  planDecider,
  planStream,
  type AcceptedJob,
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
import { viewOf, type PlanView } from './views.js';

export interface TaskDecompositionServiceOptions {
  readonly store: EventStore;
  /** The longest a task may be (default 120; 15 to 480). */
  readonly maxTaskMinutes?: number;
  /** The platform's clock for the events' occurred-at (default systemClock; tests pass a fixed one). */
  readonly now?: Clock;
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

/** Why a plan is reopened (a rejected inspection) or closed (a cancelled job). */
export interface PlanReasonInput {
  readonly jobId: string;
  readonly reason: string;
}

const checkedJobId = (jobId: string): string => {
  if (!isUuid(jobId))
    throw new ValidationError('plan.invalid_job_id', `${preview(jobId)} is not a job id (a UUID)`, {
      field: 'job_id',
    });
  return jobId;
};

const noPlan = (jobId: string): NotFoundError =>
  new NotFoundError('plan.not_found', `job ${jobId} has no plan`, { jobId });

/** A person's command is known on its stream by `<caller id>:<request id>` (commandKey). */
const personsCommandId = (context: CommandContext): string => commandKey(context.actor.id, context.requestId ?? '');

/** The plan's view after a command; undefined when there is no plan. */
const viewIfAny = ({ state, version }: { state: PlanState; version: number | undefined }): PlanView | undefined =>
  state.status === 'none' || version === undefined ? undefined : viewOf(state, version);

/** How a command is checked and known on its stream. */
interface CommandOptions {
  /** The plan version the caller's command was based on (a newer plan refuses it). */
  readonly expectedVersion?: number | undefined;
  /** Default: the person's command id. */
  readonly commandId?: string;
}

/** A process manager's command is known by the event it reacts to: a redelivered event is done once. */
const byEvent = (context: CommandContext): CommandOptions => {
  if (context.causationId === undefined)
    throw new TypeError("a process manager's command needs the event it reacts to (contextOfEvent)");
  return { commandId: context.causationId };
};

/**
 * The task decomposition service: the plans of accepted jobs, one line per command. Every
 * method takes the command's context (who acts, the request id, the trace) and its input.
 * Coordinators read, revise and confirm plans; the process manager proposes, reopens and
 * cancels them from job intake's events. Who may do what, and what a plan may be, is the plan
 * decider's to say; every write goes through it on the plan's stream (read once per attempt by
 * CommandHandler, appended with the expected version); a refused command stores nothing.
 */
export class TaskDecompositionService {
  readonly maxTaskMinutes: number;
  private readonly handler: CommandHandler<PlanCommand, PlanEvent, PlanState>;
  private readonly now: Clock;

  constructor(options: TaskDecompositionServiceOptions) {
    const max = options.maxTaskMinutes ?? DEFAULT_MAX_TASK_MINUTES;
    if (!Number.isSafeInteger(max) || max < MIN_TASK_MAX_MINUTES || max > MAX_TASK_MAX_MINUTES) {
      throw new RangeError(
        `maxTaskMinutes must be a whole number from ${MIN_TASK_MAX_MINUTES} to ${MAX_TASK_MAX_MINUTES}, got ${max}`,
      );
    }
    this.maxTaskMinutes = max;
    this.now = options.now ?? systemClock;
    this.handler = new CommandHandler({ store: options.store, decider: planDecider, now: this.now });
  }

  /** The plan as the actor may see it: a coordinator of its region, its business, the accountant, operators. */
  async getPlan(context: CommandContext, jobId: string): Promise<PlanView> {
    checkedJobId(jobId);
    if (!mayReadSomePlan(context.actor))
      throw new ForbiddenError(
        'plan.forbidden',
        'plans are read by coordinators, businesses, the accountant and operators',
      );
    const { state, version } = await this.handler.load(planStream(jobId));
    if (state.status === 'none' || version === undefined) throw noPlan(jobId);
    if (!mayReadPlan(context.actor, state))
      throw new ForbiddenError(
        'plan.forbidden',
        'this plan is read by a coordinator of its region, its business, the accountant and operators',
        { jobId },
      );
    return viewOf(state, version);
  }

  /** Replaces the open round's drafts (a coordinator of the job's region); the whole plan is checked first. */
  async revisePlan(context: CommandContext, { jobId, tasks, expectedVersion }: RevisePlanInput): Promise<PlanView> {
    return this.run(context, jobId, { type: 'RevisePlan', jobId, tasks, by: context.actor }, { expectedVersion });
  }

  /** Confirms the open round (a coordinator of the job's region): TasksPlanned. */
  async confirmPlan(context: CommandContext, { jobId, expectedVersion }: ConfirmPlanInput): Promise<PlanView> {
    return this.run(context, jobId, { type: 'ConfirmPlan', jobId, by: context.actor }, { expectedVersion });
  }

  /** JobAccepted (the process manager): the template's plan as round 1; once per job. */
  async proposePlan(context: CommandContext, job: AcceptedJob): Promise<PlanView> {
    const { maxTaskMinutes } = this;
    return this.run(
      context,
      job.jobId,
      { type: 'ProposePlan', job, maxTaskMinutes, by: context.actor },
      byEvent(context),
    );
  }

  /** JobInspected, rejected (the process manager): the remaining work is to be planned as a new round. */
  async requestRework(context: CommandContext, { jobId, reason }: PlanReasonInput): Promise<PlanView> {
    return this.run(context, jobId, { type: 'RequestRework', jobId, reason, by: context.actor }, byEvent(context));
  }

  /** JobCancelled (the process manager): the plan takes no more revisions; undefined when the job never had a plan. */
  async cancelPlan(context: CommandContext, { jobId, reason }: PlanReasonInput): Promise<PlanView | undefined> {
    return viewIfAny(
      await this.handle(context, jobId, { type: 'CancelPlan', jobId, reason, by: context.actor }, byEvent(context)),
    );
  }

  /** A command that leaves a plan (or is refused by the decider), answered with the plan's view. */
  private async run(
    context: CommandContext,
    jobId: string,
    command: PlanCommand,
    options: CommandOptions,
  ): Promise<PlanView> {
    const view = viewIfAny(await this.handle(context, jobId, command, options));
    if (view === undefined) throw noPlan(jobId);
    return view;
  }

  private async handle(
    context: CommandContext,
    jobId: string,
    command: PlanCommand,
    { expectedVersion, commandId }: CommandOptions,
  ): Promise<{ state: PlanState; version: number | undefined }> {
    const stream = planStream(checkedJobId(jobId));
    try {
      const result = await this.handler.handle(stream, command, {
        context,
        commandId: commandId ?? personsCommandId(context),
        ...(expectedVersion !== undefined ? { expectedVersion } : {}),
        now: this.now,
      });
      return { state: result.state, version: result.streamVersion };
    } catch (error) {
      // An expected version for a plan that does not exist: the job is unknown, not edited by someone else.
      if (error instanceof WrongExpectedVersionError && error.actual === undefined) throw noPlan(jobId);
      throw error;
    }
  }
}
