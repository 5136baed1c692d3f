import {
  CommandHandler,
  commandKey,
  DomainError,
  isUuid,
  preview,
  ValidationError,
  type CommandContext,
  type DurableReadModel,
  type EventStore,
  type ProjectionStore,
  type HandleResult,
} from '@workshare/eventsourcing';
import { systemClock, type Clock } from '@workshare/time';
import {
  isJob,
  jobDecider,
  jobStream,
  jobUpcaster,
  JOB_STATUSES,
  type AcceptedTerms,
  type JobCommand,
  type JobEvent,
  type JobState,
  type JobStatus,
  type Pricing,
  type WorkCategory,
} from '../domain/job.js';
import { mayView, seesAllJobs } from './access.js';
import { jobIdForCommand } from './command-ids.js';
import { JobBoard } from './job-board.js';
import { jobViewOf, type JobView } from './job-view.js';
import { decodeCursor, encodeCursor, newestFirst, pageSizeOf, sortKey } from './paging.js';
import type { IdentityLookup } from './ports.js';

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './paging.js';

export interface JobIntakeServiceOptions {
  readonly store: EventStore;
  /** Where the JobBoard (a durable read model) keeps its state and checkpoint: job intake's schema. */
  readonly projections: ProjectionStore;
  readonly identity: IdentityLookup;
  /** The platform's clock (default systemClock): the rules (deadlines in the future...) and the events' occurred-at. */
  readonly now?: Clock;
  /** How stale ListJobs may be for other processes' writes (default 100 ms; see JobBoard). */
  readonly readStalenessMs?: number;
}

export interface SubmitJobInput {
  readonly businessId: string;
  readonly title: string;
  readonly description: string;
  readonly workCategory: WorkCategory;
  readonly pricing: Pricing;
  readonly amountYen: bigint;
  readonly deadline: Date;
  readonly regionId: string;
  /** `<region>/<town>`, or null when anyone of the region may work on it. */
  readonly localOnlyTownId: string | null;
  readonly skills: readonly string[];
}

export interface QuoteInput {
  readonly jobId: string;
  readonly amountYen: bigint;
  readonly estimatedMinutes: number;
  readonly deliveryDate: Date;
  readonly note: string;
}

/** Declining a quote, cancelling a job: why. */
export interface ReasonInput {
  readonly jobId: string;
  readonly reason: string;
}

export interface DeliveryInput {
  readonly jobId: string;
  readonly note: string;
}

export interface InspectionInput {
  readonly jobId: string;
  readonly accepted: boolean;
  readonly reason: string;
}

export interface ListJobsQuery {
  readonly regionId?: string;
  readonly businessId?: string;
  readonly status?: JobStatus;
  /** At most this many jobs (default 50, at most 200). */
  readonly pageSize?: number;
  /** The `nextPageToken` of the previous page. */
  readonly pageToken?: string;
}

export interface JobPage {
  readonly jobs: readonly JobView[];
  /** Pass as `pageToken` for the next page; undefined on the last page. */
  readonly nextPageToken?: string;
}

/** The order terms an accepted quote fixed, and when it was accepted. */
export type AcceptedQuote = AcceptedTerms & { readonly acceptedAt: Date };

/** What the process manager did with a TasksPlanned event. */
export type PlannedStart = 'started' | 'already_handled' | 'not_startable';

type JobResult = HandleResult<JobEvent, JobState>;

/** A job id given by a caller: a UUID, or `job.invalid_id`. */
const checkedJobId = (jobId: string): string => {
  if (!isUuid(jobId))
    throw new ValidationError('job.invalid_id', `${preview(jobId)} is not a job id`, { field: 'job_id' });
  return jobId;
};

/** A person's command is known on its stream by `<caller id>:<request id>` (commandKey). */
const personsCommandId = (context: CommandContext): string => commandKey(context.actor.id, context.requestId ?? '');

/** A process manager's command is known by the event it reacts to: a redelivered event is done once. */
const causingEventId = (context: CommandContext): string => {
  if (context.causationId === undefined)
    throw new TypeError("a process manager's command needs the event it reacts to (contextOfEvent)");
  return context.causationId;
};

const acceptedQuoteOf = (result: JobResult): AcceptedQuote => {
  const accepted = result.events.find((e) => e.type === 'JobAccepted');
  const state = result.state;
  if (!isJob(state) || state.terms === undefined || accepted === undefined)
    throw new DomainError('job.not_acceptable', 'this request did not accept the quote', 'rule');
  return { ...state.terms, acceptedAt: accepted.occurredAt };
};

const plannedStartOf = (result: JobResult): PlannedStart =>
  result.alreadyHandled ? 'already_handled' : result.events.length > 0 ? 'started' : 'not_startable';

/**
 * The job intake service's application facade, one line per command: every method takes the
 * command's context (who acts, the request id, the token, the trace) and its input. Nothing is
 * authorised or decided here: the decider does it, from the actor's roles, on the job's stream
 * (read once per attempt by CommandHandler, appended with its expected version). A request id
 * makes a command idempotent: a retry answers the first outcome. Queries: GetJob reads the
 * job's stream; ListJobs reads the JobBoard (a projection of the log).
 */
export class JobIntakeService {
  private readonly jobs: CommandHandler<JobCommand, JobEvent, JobState>;
  private readonly board: JobBoard;
  private readonly now: Clock;

  /** Its durable read models (the job board), for the ops API. */
  get readModels(): readonly DurableReadModel[] {
    return [this.board];
  }

  constructor(private readonly options: JobIntakeServiceOptions) {
    this.now = options.now ?? systemClock;
    this.jobs = new CommandHandler({ store: options.store, decider: jobDecider, upcast: jobUpcaster, now: this.now });
    this.board = new JobBoard(
      options.store,
      options.projections,
      options.readStalenessMs !== undefined ? { maxStalenessMs: options.readStalenessMs } : {},
    );
  }

  /**
   * A business (for itself), a coordinator of the job's region or an operator submits a job.
   * The job's id follows from the caller and the request id: a retry finds the job it made.
   * Identity tells which regions are served and which region serves the business (asked with
   * the caller's own token); the decider judges the rest.
   */
  async submitJob(context: CommandContext, input: SubmitJobInput): Promise<{ jobId: string }> {
    const key = personsCommandId(context);
    const jobId = jobIdForCommand(key);
    if (!isUuid(input.businessId))
      throw new ValidationError('job.invalid_business_id', `${preview(input.businessId)} is not a business id`, {
        field: 'businessId',
      });
    const [regions, business] = await Promise.all([
      this.options.identity.regions(),
      this.options.identity.business(input.businessId, context.token),
    ]);
    const command: JobCommand = {
      type: 'SubmitJob',
      jobId,
      ...input,
      businessId: business.businessId,
      businessRegionId: business.regionId,
      regions,
      by: context.actor,
      at: this.now(),
    };
    // A job's id is new for a new request: SubmitJob appends without reading first (a retry
    // finds its stream and is answered from it, see CommandHandler's assumeNewStream).
    await this.run(context, jobStream(jobId), command, key, true);
    return { jobId };
  }

  /** A coordinator of the job's region quotes it (again, while the business has not answered). */
  async quoteJob(context: CommandContext, { jobId, ...quote }: QuoteInput): Promise<void> {
    await this.command(context, jobId, { type: 'QuoteJob', ...quote, by: context.actor, at: this.now() });
  }

  /** The job's business accepts the quote: the order terms are fixed (and answered, on a retry too). */
  async acceptQuote(context: CommandContext, jobId: string): Promise<AcceptedQuote> {
    return acceptedQuoteOf(
      await this.command(context, jobId, { type: 'AcceptQuote', by: context.actor, at: this.now() }),
    );
  }

  async declineQuote(context: CommandContext, { jobId, reason }: ReasonInput): Promise<void> {
    await this.command(context, jobId, { type: 'DeclineQuote', reason, by: context.actor });
  }

  async startJob(context: CommandContext, jobId: string): Promise<void> {
    await this.command(context, jobId, { type: 'StartJob', by: context.actor });
  }

  async deliverJob(context: CommandContext, { jobId, note }: DeliveryInput): Promise<void> {
    await this.command(context, jobId, { type: 'DeliverJob', note, by: context.actor });
  }

  async inspectJob(context: CommandContext, { jobId, accepted, reason }: InspectionInput): Promise<void> {
    await this.command(context, jobId, { type: 'InspectJob', accepted, reason, by: context.actor });
  }

  async closeJob(context: CommandContext, jobId: string): Promise<void> {
    await this.command(context, jobId, { type: 'CloseJob', by: context.actor });
  }

  async cancelJob(context: CommandContext, { jobId, reason }: ReasonInput): Promise<void> {
    await this.command(context, jobId, { type: 'CancelJob', reason, by: context.actor });
  }

  /**
   * The process manager's command (context: contextOfEvent of TasksPlanned, round 1): work
   * starts once the job's tasks are planned. Known by the event's id, so a redelivery does
   * nothing more; a job no longer waiting to start is left as it is (the decider says so).
   */
  async startPlannedJob(context: CommandContext, jobId: string): Promise<PlannedStart> {
    return plannedStartOf(
      await this.command(context, jobId, { type: 'StartJob', by: context.actor }, causingEventId(context)),
    );
  }

  /** One job, for its business, coordinators of its region, the accountant and operators. */
  async getJob(context: CommandContext, jobId: string): Promise<JobView> {
    const view = jobViewOf(await this.options.store.readStream(jobStream(checkedJobId(jobId))));
    if (view === undefined) throw new DomainError('job.not_found', 'no such job', 'not_found');
    if (!mayView(context.actor, view)) throw new DomainError('job.forbidden', 'you may not see this job', 'forbidden');
    return view;
  }

  /**
   * The jobs the caller may see (a business: its own; a coordinator: her regions'; accountant
   * and operators: all), newest first, filtered, a page at a time.
   */
  async listJobs(context: CommandContext, query: ListJobsQuery = {}): Promise<JobPage> {
    const size = pageSizeOf(query.pageSize);
    if (query.status !== undefined && !JOB_STATUSES.includes(query.status))
      throw new ValidationError('job.invalid_status', `status is one of ${JOB_STATUSES.join(', ')}`, {
        field: 'status',
      });
    const cursor = query.pageToken ? decodeCursor(query.pageToken) : undefined;
    await this.board.ensureFresh();
    const { actor } = context;
    const everything = seesAllJobs(actor);
    const matching: JobView[] = [];
    for (const view of this.board.all()) {
      if (!everything && !mayView(actor, view)) continue;
      if (query.regionId !== undefined && view.regionId !== query.regionId) continue;
      if (query.businessId !== undefined && view.businessId !== query.businessId) continue;
      if (query.status !== undefined && view.status !== query.status) continue;
      if (cursor !== undefined && newestFirst(cursor, sortKey(view)) >= 0) continue;
      matching.push(view);
    }
    matching.sort((a, b) => newestFirst(sortKey(a), sortKey(b)));
    const jobs = matching.slice(0, size);
    const last = jobs[jobs.length - 1];
    return { jobs, ...(matching.length > size && last !== undefined ? { nextPageToken: encodeCursor(last) } : {}) };
  }

  /** Brings ListJobs up to date with the whole log now (tests; a rebuilt board starts here). */
  refreshBoard(): Promise<void> {
    return this.board.catchUp();
  }

  // ---- internals ----------------------------------------------------------------------------

  /** A command on an existing job, known by the person's request id unless told otherwise. */
  private command(context: CommandContext, jobId: string, command: JobCommand, commandId?: string): Promise<JobResult> {
    const stream = jobStream(checkedJobId(jobId));
    return this.run(context, stream, command, commandId ?? personsCommandId(context), false);
  }

  private async run(
    context: CommandContext,
    stream: string,
    command: JobCommand,
    commandId: string,
    assumeNewStream: boolean,
  ): Promise<JobResult> {
    const result = await this.jobs.handle(stream, command, { context, commandId, now: this.now, assumeNewStream });
    await this.board.observe(result.events);
    return result;
  }
}
