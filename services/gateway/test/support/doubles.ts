/**
 * Recording test doubles of the job intake and task decomposition services: real gRPC servers
 * (defineService + startGrpcServer, real token verification by identity) that implement the
 * two contracts on a map, with the authorisation rules and the DomainErrors the real services
 * answer (`job.forbidden`, `job.not_found`, `job.not_quotable`, `plan.version_mismatch`...). They
 * record every call that reached them and can say whether anything changed, so a test can show
 * that a refused request stored nothing. They live in test/ only.
 */
import { DomainError, ForbiddenError, NotFoundError, ValidationError } from '@workshare/eventsourcing';
import { defineService, hasRole, IdentityTokenVerifierClient, jsonLogger, startGrpcServer, type AuthenticatedCallContext, type Caller, type GrpcServer } from '@workshare/grpc';
import { jobIntakeV1, moneyFromYen, taskDecompositionV1, yenFromMoney } from '@workshare/proto';
import { randomUUID } from 'node:crypto';

const { JobStatus } = jobIntakeV1;
const { PlanStatus } = taskDecompositionV1;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface RecordedCall {
  readonly method: string;
  readonly request: unknown;
  readonly subject: string;
  /** The x-request-id metadata the gateway sent. */
  readonly requestId: string | undefined;
}

const recorder = () => {
  const calls: RecordedCall[] = [];
  const record = (method: string, request: unknown, ctx: AuthenticatedCallContext): void => {
    const requestId = ctx.metadata.get('x-request-id')[0];
    calls.push({ method, request, subject: ctx.caller.subject, requestId: typeof requestId === 'string' ? requestId : undefined });
  };
  return { calls, record };
};

/** One outcome per request id: a retried command is answered as the first time, never applied twice. */
const idempotent = () => {
  const outcomes = new Map<string, unknown>();
  return async <T>(subject: string, requestId: string, apply: () => T): Promise<T> => {
    if (!requestId) throw new ValidationError('request.missing_field', 'request_id is required', { field: 'request_id' });
    const key = `${subject}:${requestId}`;
    if (outcomes.has(key)) return outcomes.get(key) as T;
    const outcome = apply();
    outcomes.set(key, outcome);
    return outcome;
  };
};

const mayReadAll = (caller: Caller): boolean => hasRole(caller, 'accountant') || hasRole(caller, 'operator');

export class JobIntakeDouble {
  readonly jobs = new Map<string, jobIntakeV1.Job>();
  private readonly recording = recorder();
  private readonly once = idempotent();
  readonly registration = defineService(jobIntakeV1.JobIntakeServiceService, {
    submitJob: async (request, ctx) => {
      this.recording.record('submitJob', request, ctx);
      if (!hasRole(ctx.caller, 'business', { businessId: request.businessId }) && !hasRole(ctx.caller, 'coordinator', { region: request.regionId })) {
        throw new ForbiddenError('job.forbidden', 'you may not submit jobs for this business');
      }
      if (request.deadline === undefined || request.deadline.getTime() <= Date.now()) throw new ValidationError('job.deadline_passed', 'the deadline must be in the future');
      if (yenFromMoney(request.amount) <= 0n) throw new ValidationError('job.invalid_amount', 'the budget must be more than 0 yen');
      return this.once(ctx.caller.subject, request.requestId, () => {
        const jobId = randomUUID();
        const now = new Date();
        this.jobs.set(jobId, {
          jobId,
          businessId: request.businessId,
          title: request.title,
          description: request.description,
          workCategory: request.workCategory,
          pricing: request.pricing,
          amount: request.amount,
          deadline: request.deadline,
          regionId: request.regionId,
          localOnlyTownId: request.localOnlyTownId,
          skills: request.skills,
          status: JobStatus.JOB_STATUS_SUBMITTED,
          quote: undefined,
          terms: undefined,
          inspections: [],
          reason: '',
          submittedAt: now,
          updatedAt: now,
          version: '0',
        });
        return { jobId };
      });
    },
    quoteJob: async (request, ctx) => {
      this.recording.record('quoteJob', request, ctx);
      const job = this.coordinated(request.jobId, ctx.caller);
      this.expect(job, [JobStatus.JOB_STATUS_SUBMITTED, JobStatus.JOB_STATUS_QUOTED], 'job.not_quotable');
      return this.once(ctx.caller.subject, request.requestId, () => {
        const now = new Date();
        this.change(job, {
          status: JobStatus.JOB_STATUS_QUOTED,
          quote: { amount: request.amount, estimatedMinutes: request.estimatedMinutes, deliveryDate: request.deliveryDate, note: request.note, quotedAt: now, quotedBy: ctx.caller.subject },
        });
        return {};
      });
    },
    acceptQuote: async (request, ctx) => {
      this.recording.record('acceptQuote', request, ctx);
      const job = this.owned(request.jobId, ctx.caller);
      this.expect(job, [JobStatus.JOB_STATUS_QUOTED], 'job.not_acceptable');
      return this.once(ctx.caller.subject, request.requestId, () => {
        const delivery = job.quote?.deliveryDate ?? new Date();
        const terms: jobIntakeV1.OrderTerms = {
          fee: job.quote?.amount ?? moneyFromYen(0),
          deliveryDate: delivery,
          inspectionDate: new Date(delivery.getTime() + 10 * DAY_MS),
          paymentDate: new Date(delivery.getTime() + 60 * DAY_MS),
          acceptedAt: new Date(),
        };
        this.change(job, { status: JobStatus.JOB_STATUS_ACCEPTED, terms });
        return { terms };
      });
    },
    declineQuote: async (request, ctx) => this.transition('declineQuote', request, ctx, 'business', [JobStatus.JOB_STATUS_QUOTED], 'job.not_declinable', { status: JobStatus.JOB_STATUS_DECLINED, reason: request.reason }),
    startJob: async (request, ctx) => this.transition('startJob', request, ctx, 'coordinator', [JobStatus.JOB_STATUS_ACCEPTED], 'job.not_startable', { status: JobStatus.JOB_STATUS_IN_PROGRESS }),
    deliverJob: async (request, ctx) => this.transition('deliverJob', request, ctx, 'coordinator', [JobStatus.JOB_STATUS_IN_PROGRESS], 'job.not_deliverable', { status: JobStatus.JOB_STATUS_DELIVERED }),
    inspectJob: async (request, ctx) => {
      const job = this.jobs.get(request.jobId);
      const inspection = { accepted: request.accepted, reason: request.reason, inspectedAt: new Date(), inspectedBy: ctx.caller.subject };
      const check = () => {
        if (!request.accepted && request.reason.trim() === '') throw new ValidationError('job.rejection_reason_required', 'say why the work is rejected');
      };
      return this.transition('inspectJob', request, ctx, 'business', [JobStatus.JOB_STATUS_DELIVERED], 'job.not_inspectable', {
        status: request.accepted ? JobStatus.JOB_STATUS_INSPECTED : JobStatus.JOB_STATUS_IN_PROGRESS,
        inspections: [...(job?.inspections ?? []), inspection],
      }, check);
    },
    closeJob: async (request, ctx) => this.transition('closeJob', request, ctx, 'coordinator', [JobStatus.JOB_STATUS_INSPECTED], 'job.not_closable', { status: JobStatus.JOB_STATUS_CLOSED }),
    cancelJob: async (request, ctx) => {
      this.recording.record('cancelJob', request, ctx);
      const job = this.visible(request.jobId, ctx.caller);
      const coordinates = hasRole(ctx.caller, 'coordinator', { region: job.regionId });
      const owns = hasRole(ctx.caller, 'business', { businessId: job.businessId });
      if (!coordinates && !owns) throw new ForbiddenError('job.forbidden', 'you may not cancel this job');
      const allowed = [JobStatus.JOB_STATUS_SUBMITTED, JobStatus.JOB_STATUS_QUOTED, ...(coordinates ? [JobStatus.JOB_STATUS_ACCEPTED] : [])];
      this.expect(job, allowed, 'job.not_cancellable');
      return this.once(ctx.caller.subject, request.requestId, () => {
        this.change(job, { status: JobStatus.JOB_STATUS_CANCELLED, reason: request.reason });
        return {};
      });
    },
    getJob: async (request, ctx) => {
      this.recording.record('getJob', request, ctx);
      return { job: this.visible(request.jobId, ctx.caller) };
    },
    listJobs: async (request, ctx) => {
      this.recording.record('listJobs', request, ctx);
      const jobs = [...this.jobs.values()]
        .filter((job) => this.mayRead(job, ctx.caller))
        .filter((job) => (request.regionId === '' || job.regionId === request.regionId) && (request.businessId === '' || job.businessId === request.businessId))
        .filter((job) => request.status === JobStatus.JOB_STATUS_UNSPECIFIED || job.status === request.status)
        .reverse();
      const size = Math.min(request.page?.pageSize || 50, 200);
      const start = request.page?.pageToken ? Number(request.page.pageToken) : 0;
      const page = jobs.slice(start, start + size);
      return { jobs: page, page: { nextPageToken: start + size < jobs.length ? String(start + size) : '' } };
    },
  });

  get calls(): readonly RecordedCall[] {
    return this.recording.calls;
  }

  /** Everything the double holds, to compare before and after a refused request. */
  snapshot(): string {
    return JSON.stringify([...this.jobs.values()]);
  }

  private mayRead(job: jobIntakeV1.Job, caller: Caller): boolean {
    return mayReadAll(caller) || hasRole(caller, 'coordinator', { region: job.regionId }) || hasRole(caller, 'business', { businessId: job.businessId });
  }

  private visible(jobId: string, caller: Caller): jobIntakeV1.Job {
    const job = this.jobs.get(jobId);
    if (job === undefined) throw new NotFoundError('job.not_found', `no job ${jobId}`, { jobId });
    if (!this.mayRead(job, caller)) throw new ForbiddenError('job.forbidden', 'you may not see this job', { jobId });
    return job;
  }

  private coordinated(jobId: string, caller: Caller): jobIntakeV1.Job {
    const job = this.visible(jobId, caller);
    if (!hasRole(caller, 'coordinator', { region: job.regionId })) throw new ForbiddenError('job.forbidden', 'only a coordinator of the job’s region may do this', { jobId });
    return job;
  }

  private owned(jobId: string, caller: Caller): jobIntakeV1.Job {
    const job = this.visible(jobId, caller);
    if (!hasRole(caller, 'business', { businessId: job.businessId })) throw new ForbiddenError('job.forbidden', 'only the job’s business may do this', { jobId });
    return job;
  }

  private expect(job: jobIntakeV1.Job, statuses: readonly jobIntakeV1.JobStatus[], code: string): void {
    if (!statuses.includes(job.status)) throw new DomainError(code, `the job is ${jobIntakeV1.jobStatusToJSON(job.status)}`, 'rule', { jobId: job.jobId });
  }

  private change(job: jobIntakeV1.Job, patch: Partial<jobIntakeV1.Job>): void {
    this.jobs.set(job.jobId, { ...job, ...patch, updatedAt: new Date(), version: String(Number(job.version) + 1) });
  }

  private async transition(
    method: string,
    request: { requestId: string; jobId: string },
    ctx: AuthenticatedCallContext,
    by: 'business' | 'coordinator',
    from: readonly jobIntakeV1.JobStatus[],
    code: string,
    patch: Partial<jobIntakeV1.Job>,
    check: () => void = () => undefined,
  ): Promise<Record<string, never>> {
    this.recording.record(method, request, ctx);
    const job = by === 'business' ? this.owned(request.jobId, ctx.caller) : this.coordinated(request.jobId, ctx.caller);
    check();
    this.expect(job, from, code);
    return this.once(ctx.caller.subject, request.requestId, () => {
      this.change(job, patch);
      return {};
    });
  }
}

export class TaskDecompositionDouble {
  readonly plans = new Map<string, { plan: taskDecompositionV1.Plan; businessId: string }>();
  private readonly recording = recorder();
  private readonly once = idempotent();
  readonly registration = defineService(taskDecompositionV1.TaskDecompositionServiceService, {
    getPlan: async (request, ctx) => {
      this.recording.record('getPlan', request, ctx);
      return { plan: this.visible(request.jobId, ctx.caller).plan };
    },
    revisePlan: async (request, ctx) => {
      this.recording.record('revisePlan', request, ctx);
      const entry = this.coordinated(request.jobId, ctx.caller);
      return this.once(ctx.caller.subject, request.requestId, () => {
        this.expectVersion(entry.plan, request.expectedVersion);
        if (entry.plan.status !== PlanStatus.PLAN_STATUS_PROPOSED) throw new DomainError('plan.not_open', 'no round is open', 'rule');
        const reasons: string[] = [];
        const keys = new Set(request.tasks.map((t) => t.key));
        for (const t of request.tasks) {
          if (t.estimatedMinutes > entry.plan.maxTaskMinutes) reasons.push(`${t.key} is longer than one window`);
          for (const d of t.dependsOn) if (!keys.has(d)) reasons.push(`${t.key} depends on unknown ${d}`);
        }
        const total = request.tasks.reduce((sum, t) => sum + t.estimatedMinutes, 0);
        if (total !== entry.plan.jobEstimatedMinutes) reasons.push(`the estimates add up to ${total}, not ${entry.plan.jobEstimatedMinutes}`);
        if (reasons.length > 0) throw new ValidationError('plan.invalid', 'the plan is not valid', { reasons });
        const plan: taskDecompositionV1.Plan = {
          ...entry.plan,
          tasks: request.tasks.map((t) => ({ taskId: '', key: t.key, title: t.title, estimatedMinutes: t.estimatedMinutes, skills: t.skills, dependsOn: t.dependsOn, deadline: t.deadline, round: entry.plan.round })),
          version: String(Number(entry.plan.version) + 1),
        };
        entry.plan = plan;
        return { plan };
      });
    },
    confirmPlan: async (request, ctx) => {
      this.recording.record('confirmPlan', request, ctx);
      const entry = this.coordinated(request.jobId, ctx.caller);
      return this.once(ctx.caller.subject, request.requestId, () => {
        this.expectVersion(entry.plan, request.expectedVersion);
        const ids = new Map(entry.plan.tasks.map((t) => [t.key, t.taskId || randomUUID()]));
        const plan: taskDecompositionV1.Plan = {
          ...entry.plan,
          status: PlanStatus.PLAN_STATUS_CONFIRMED,
          tasks: entry.plan.tasks.map((t) => ({ ...t, taskId: ids.get(t.key) ?? '', dependsOn: t.dependsOn.map((d) => ids.get(d) ?? d) })),
          version: String(Number(entry.plan.version) + 1),
        };
        entry.plan = plan;
        return { plan };
      });
    },
  });

  get calls(): readonly RecordedCall[] {
    return this.recording.calls;
  }

  snapshot(): string {
    return JSON.stringify([...this.plans.values()]);
  }

  /** A plan proposed from the template, as the real service does when it hears JobAccepted. */
  propose(job: { jobId: string; businessId: string; regionId: string; estimatedMinutes: number; deadline: Date }): taskDecompositionV1.Plan {
    const half = Math.floor(job.estimatedMinutes / 2);
    const draft = (key: string, title: string, minutes: number, dependsOn: string[]): taskDecompositionV1.Task => ({
      taskId: '',
      key,
      title,
      estimatedMinutes: minutes,
      skills: ['data entry'],
      dependsOn,
      deadline: job.deadline,
      round: 1,
    });
    const plan: taskDecompositionV1.Plan = {
      jobId: job.jobId,
      regionId: job.regionId,
      localOnlyTownId: '',
      status: PlanStatus.PLAN_STATUS_PROPOSED,
      tasks: [draft('prepare', 'Prepare the material', half, []), draft('enter', 'Enter the data', job.estimatedMinutes - half, ['prepare'])],
      round: 1,
      jobEstimatedMinutes: job.estimatedMinutes,
      jobDeadline: job.deadline,
      maxTaskMinutes: 120,
      reworkReason: '',
      cancelReason: '',
      version: '0',
    };
    this.plans.set(job.jobId, { plan, businessId: job.businessId });
    return plan;
  }

  private visible(jobId: string, caller: Caller) {
    const entry = this.plans.get(jobId);
    if (entry === undefined) throw new NotFoundError('plan.not_found', `no plan for job ${jobId}`, { jobId });
    const may = mayReadAll(caller) || hasRole(caller, 'coordinator', { region: entry.plan.regionId }) || hasRole(caller, 'business', { businessId: entry.businessId });
    if (!may) throw new ForbiddenError('plan.forbidden', 'you may not see this plan', { jobId });
    return entry;
  }

  private coordinated(jobId: string, caller: Caller) {
    const entry = this.visible(jobId, caller);
    if (!hasRole(caller, 'coordinator', { region: entry.plan.regionId })) throw new ForbiddenError('plan.forbidden', 'only a coordinator of the job’s region may plan it', { jobId });
    return entry;
  }

  private expectVersion(plan: taskDecompositionV1.Plan, expected: string): void {
    if (plan.version !== expected) throw new DomainError('plan.version_mismatch', `the plan is at version ${plan.version}`, 'conflict', { actual: Number(plan.version) });
  }
}

export interface Doubles {
  readonly jobIntake: JobIntakeDouble;
  readonly taskDecomposition: TaskDecompositionDouble;
  readonly jobIntakeServer: GrpcServer;
  readonly taskDecompositionServer: GrpcServer;
  close(): Promise<void>;
}

/** Both doubles on loopback ports, verifying tokens with the identity at `identityAddress`. */
export const startDoubles = async (identityAddress: string): Promise<Doubles> => {
  const verifier = new IdentityTokenVerifierClient({ identityAddress });
  const jobIntake = new JobIntakeDouble();
  const taskDecomposition = new TaskDecompositionDouble();
  const logger = jsonLogger('error');
  const jobIntakeServer = await startGrpcServer({ name: 'job-intake', port: 0, host: '127.0.0.1', services: [jobIntake.registration], verifier, logger });
  const taskDecompositionServer = await startGrpcServer({ name: 'task-decomposition', port: 0, host: '127.0.0.1', services: [taskDecomposition.registration], verifier, logger });
  return {
    jobIntake,
    taskDecomposition,
    jobIntakeServer,
    taskDecompositionServer,
    close: async () => {
      await jobIntakeServer.shutdown(500);
      await taskDecompositionServer.shutdown(500);
      verifier.close();
    },
  };
};
