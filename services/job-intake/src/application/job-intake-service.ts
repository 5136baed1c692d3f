import {
  CommandHandler,
  DomainError,
  isUuid,
  ValidationError,
  type EventMetadata,
  type EventStore,
  type RecordedEvent,
} from '@workshare/eventsourcing';
import { SYSTEM_ACTOR, type Actor } from '../domain/actor.js';
import {
  isJob,
  jobDecider,
  jobStream,
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
import { actorOf, type Caller, type RequestContext } from './caller.js';
import { commandKey, jobIdForCommand } from './command-ids.js';
import { JobBoard } from './job-board.js';
import { jobViewOf, type JobView } from './job-view.js';
import type { IdentityLookup } from './ports.js';

export interface JobIntakeServiceOptions {
  readonly store: EventStore;
  readonly identity: IdentityLookup;
  /** Clock for the rules (deadlines in the future...) and the events' occurred-at. */
  readonly now?: () => Date;
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
  readonly amountYen: bigint;
  readonly estimatedMinutes: number;
  readonly deliveryDate: Date;
  readonly note: string;
}

export interface InspectionInput {
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

/** What the process manager did with a TasksPlanned event. */
export type PlannedStart = 'started' | 'already_handled' | 'not_startable';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

type PageCursor = { readonly at: number; readonly id: string };

const encodeCursor = (view: JobView): string =>
  Buffer.from(JSON.stringify({ at: view.submittedAt.getTime(), id: view.jobId }), 'utf8').toString('base64url');

const decodeCursor = (token: string): PageCursor => {
  const bad = () =>
    new ValidationError('request.invalid_page_token', 'the page token is not one this service gave', {
      field: 'page_token',
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (typeof parsed !== 'object' || parsed === null) throw bad();
  const { at, id } = parsed as { at?: unknown; id?: unknown };
  if (typeof at !== 'number' || !Number.isSafeInteger(at) || !isUuid(id)) throw bad();
  return { at, id };
};

/** Newest first; jobs submitted at the same moment in a fixed order (by id, descending). */
const newestFirst = (a: { at: number; id: string }, b: { at: number; id: string }): number =>
  a.at !== b.at ? b.at - a.at : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
const sortKey = (view: JobView) => ({ at: view.submittedAt.getTime(), id: view.jobId });

/**
 * The job intake service's application facade: each command authorises nothing itself (the
 * decider does, from the caller's roles), loads the job's stream, decides and appends with the
 * expected version; a request id makes it idempotent (a retry answers the first outcome).
 * Queries: GetJob reads the job's stream; ListJobs reads the JobBoard (a projection of the log).
 */
export class JobIntakeService {
  private readonly jobs: CommandHandler<JobCommand, JobEvent, JobState>;
  private readonly board: JobBoard;
  private readonly now: () => Date;

  constructor(private readonly options: JobIntakeServiceOptions) {
    this.jobs = new CommandHandler({ store: options.store, decider: jobDecider });
    this.board = new JobBoard(
      options.store,
      options.readStalenessMs !== undefined ? { maxStalenessMs: options.readStalenessMs } : {},
    );
    this.now = options.now ?? (() => new Date());
  }

  /**
   * A business (for itself), a coordinator of the job's region or an operator submits a job.
   * The job's id follows from the caller and the request id: a retry finds the job it made.
   */
  async submitJob(caller: Caller, input: SubmitJobInput, request: RequestContext): Promise<{ jobId: string }> {
    const actor = actorOf(caller);
    const key = commandKey(actor.id, request.requestId);
    const jobId = jobIdForCommand(key);
    const stream = jobStream(jobId);
    if (!isUuid(input.businessId))
      throw new ValidationError('job.invalid_business_id', `${JSON.stringify(input.businessId)} is not a business id`, {
        field: 'businessId',
      });
    const [regions, business] = await Promise.all([
      this.options.identity.regions(),
      this.options.identity.business(input.businessId, request.token),
    ]);
    const at = this.now();
    await this.run(
      stream,
      {
        type: 'SubmitJob',
        jobId,
        businessId: business.businessId,
        businessRegionId: business.regionId,
        title: input.title,
        description: input.description,
        workCategory: input.workCategory,
        pricing: input.pricing,
        amountYen: input.amountYen,
        deadline: input.deadline,
        regionId: input.regionId,
        localOnlyTownId: input.localOnlyTownId,
        skills: input.skills,
        regions,
        by: actor,
        at,
      },
      actor,
      key,
      request,
    );
    return { jobId };
  }

  /** A coordinator of the job's region quotes it (again, while the business has not answered). */
  async quoteJob(caller: Caller, jobId: string, input: QuoteInput, request: RequestContext): Promise<void> {
    const actor = actorOf(caller);
    await this.command(jobId, actor, request, { type: 'QuoteJob', ...input, by: actor, at: this.now() });
  }

  /** The job's business accepts the quote: the order terms are fixed (and answered, on a retry too). */
  async acceptQuote(
    caller: Caller,
    jobId: string,
    request: RequestContext,
  ): Promise<AcceptedTerms & { readonly acceptedAt: Date }> {
    const actor = actorOf(caller);
    const result = await this.command(jobId, actor, request, { type: 'AcceptQuote', by: actor, at: this.now() });
    const accepted = result.events.find((e) => e.type === 'JobAccepted');
    const state = result.state;
    if (!isJob(state) || state.terms === undefined || accepted === undefined) {
      throw new DomainError('job.not_acceptable', 'this request did not accept the quote', 'rule');
    }
    return { ...state.terms, acceptedAt: accepted.occurredAt };
  }

  async declineQuote(caller: Caller, jobId: string, reason: string, request: RequestContext): Promise<void> {
    const actor = actorOf(caller);
    await this.command(jobId, actor, request, { type: 'DeclineQuote', reason, by: actor });
  }

  async startJob(caller: Caller, jobId: string, request: RequestContext): Promise<void> {
    const actor = actorOf(caller);
    await this.command(jobId, actor, request, { type: 'StartJob', by: actor });
  }

  async deliverJob(caller: Caller, jobId: string, note: string, request: RequestContext): Promise<void> {
    const actor = actorOf(caller);
    await this.command(jobId, actor, request, { type: 'DeliverJob', note, by: actor });
  }

  async inspectJob(caller: Caller, jobId: string, inspection: InspectionInput, request: RequestContext): Promise<void> {
    const actor = actorOf(caller);
    await this.command(jobId, actor, request, {
      type: 'InspectJob',
      accepted: inspection.accepted,
      reason: inspection.reason,
      by: actor,
    });
  }

  async closeJob(caller: Caller, jobId: string, request: RequestContext): Promise<void> {
    const actor = actorOf(caller);
    await this.command(jobId, actor, request, { type: 'CloseJob', by: actor });
  }

  async cancelJob(caller: Caller, jobId: string, reason: string, request: RequestContext): Promise<void> {
    const actor = actorOf(caller);
    await this.command(jobId, actor, request, { type: 'CancelJob', reason, by: actor });
  }

  /**
   * The process manager's command: work starts once the job's tasks are planned (TasksPlanned,
   * round 1). Idempotent by the event's id; a job that cannot start (started by its coordinator
   * already, or cancelled meanwhile) is left as it is.
   */
  async startPlannedJob(
    jobId: string,
    cause: { readonly eventId: string; readonly correlationId?: string; readonly traceparent?: string },
  ): Promise<PlannedStart> {
    const stream = jobStream(this.jobIdOf(jobId));
    const metadata: EventMetadata = { actor: SYSTEM_ACTOR.id, causationId: cause.eventId };
    if (cause.correlationId !== undefined) metadata.correlationId = cause.correlationId;
    if (cause.traceparent !== undefined) metadata.traceparent = cause.traceparent;
    try {
      const result = await this.jobs.handle(
        stream,
        { type: 'StartJob', by: SYSTEM_ACTOR },
        { commandId: cause.eventId, metadata, now: this.now },
      );
      await this.board.observe(result.events);
      return result.alreadyHandled ? 'already_handled' : 'started';
    } catch (error) {
      if (error instanceof DomainError && error.code === 'job.not_startable') return 'not_startable';
      throw error;
    }
  }

  /** One job, for its business, coordinators of its region, the accountant and operators. */
  async getJob(caller: Caller, jobId: string): Promise<JobView> {
    const actor = actorOf(caller);
    const view = jobViewOf(await this.options.store.readStream(jobStream(this.jobIdOf(jobId))));
    if (view === undefined) throw new DomainError('job.not_found', 'no such job', 'not_found');
    if (!mayView(actor, view)) throw new DomainError('job.forbidden', 'you may not see this job', 'forbidden');
    return view;
  }

  /**
   * The jobs the caller may see (a business: its own; a coordinator: her regions'; accountant
   * and operators: all), newest first, filtered, a page at a time.
   */
  async listJobs(caller: Caller, query: ListJobsQuery = {}): Promise<JobPage> {
    const actor = actorOf(caller);
    const pageSize = query.pageSize === undefined || query.pageSize === 0 ? DEFAULT_PAGE_SIZE : query.pageSize;
    if (!Number.isSafeInteger(pageSize) || pageSize < 0)
      throw new ValidationError('request.invalid_page_size', 'the page size is a whole number ≥ 0', {
        field: 'page_size',
      });
    const size = Math.min(pageSize, MAX_PAGE_SIZE);
    if (query.status !== undefined && !JOB_STATUSES.includes(query.status))
      throw new ValidationError('job.invalid_status', `status is one of ${JOB_STATUSES.join(', ')}`, {
        field: 'status',
      });
    const cursor = query.pageToken ? decodeCursor(query.pageToken) : undefined;
    await this.board.ensureFresh();
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

  private jobIdOf(jobId: string): string {
    if (!isUuid(jobId))
      throw new ValidationError('job.invalid_id', `${JSON.stringify(jobId)} is not a job id`, { field: 'job_id' });
    return jobId;
  }

  private command(jobId: string, actor: Actor, request: RequestContext, command: JobCommand) {
    const stream = jobStream(this.jobIdOf(jobId));
    return this.run(stream, command, actor, commandKey(actor.id, request.requestId), request);
  }

  private async run(stream: string, command: JobCommand, actor: Actor, key: string, request: RequestContext) {
    // A job's id is new for a new request: SubmitJob appends without reading first (a retry
    // finds its stream and is answered from it, see CommandHandler's assumeNewStream).
    const assumeNewStream = command.type === 'SubmitJob';
    const metadata: EventMetadata = { actor: actor.id };
    if (request.correlationId) metadata.correlationId = request.correlationId;
    if (request.causationId) metadata.causationId = request.causationId;
    if (request.traceparent) metadata.traceparent = request.traceparent;
    const result = await this.jobs.handle(stream, command, {
      commandId: key,
      metadata,
      now: this.now,
      assumeNewStream,
    });
    await this.board.observe(result.events as readonly RecordedEvent[]);
    return result;
  }
}
