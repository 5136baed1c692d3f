/**
 * Recording test doubles of the job intake, task decomposition and team scheduling services: real
 * gRPC servers (defineService + startGrpcServer, real token verification by identity) that
 * implement the three contracts on maps, with the authorisation rules and the DomainErrors the
 * real services answer (`job.forbidden`, `job.not_found`, `job.not_quotable`,
 * `plan.version_mismatch`, `task.not_held`, `member.forbidden`...). They
 * record every call that reached them and can say whether anything changed, so a test can show
 * that a refused request stored nothing. They live in test/ only.
 */
import {
  callerHasRole as hasRole,
  DomainError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '@workshare/eventsourcing';
import {
  defineService,
  IdentityTokenVerifierClient,
  jsonLogger,
  startGrpcServer,
  type AuthenticatedCallContext,
  type Caller,
  type GrpcServer,
} from '@workshare/grpc';
import { jobIntakeV1, moneyFromYen, taskDecompositionV1, teamSchedulingV1, yenFromMoney } from '@workshare/proto';
import { randomUUID } from 'node:crypto';

const { JobStatus } = jobIntakeV1;
const { PlanStatus } = taskDecompositionV1;
const { AssignmentStatus } = teamSchedulingV1;
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
    calls.push({
      method,
      request,
      subject: ctx.caller.subject,
      requestId: typeof requestId === 'string' ? requestId : undefined,
    });
  };
  return { calls, record };
};

/** One outcome per request id: a retried command is answered as the first time, never applied twice. */
const idempotent = () => {
  const outcomes = new Map<string, unknown>();
  return async <T>(subject: string, requestId: string, apply: () => T): Promise<T> => {
    if (!requestId)
      throw new ValidationError('request.missing_field', 'request_id is required', { field: 'request_id' });
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
      if (
        !hasRole(ctx.caller, 'business', { businessId: request.businessId }) &&
        !hasRole(ctx.caller, 'coordinator', { region: request.regionId })
      ) {
        throw new ForbiddenError('job.forbidden', 'you may not submit jobs for this business');
      }
      if (request.deadline === undefined || request.deadline.getTime() <= Date.now())
        throw new ValidationError('job.deadline_passed', 'the deadline must be in the future');
      if (yenFromMoney(request.amount) <= 0n)
        throw new ValidationError('job.invalid_amount', 'the budget must be more than 0 yen');
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
          quote: {
            amount: request.amount,
            estimatedMinutes: request.estimatedMinutes,
            deliveryDate: request.deliveryDate,
            note: request.note,
            quotedAt: now,
            quotedBy: ctx.caller.subject,
          },
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
    declineQuote: async (request, ctx) =>
      this.transition('declineQuote', request, ctx, 'business', [JobStatus.JOB_STATUS_QUOTED], 'job.not_declinable', {
        status: JobStatus.JOB_STATUS_DECLINED,
        reason: request.reason,
      }),
    startJob: async (request, ctx) =>
      this.transition('startJob', request, ctx, 'coordinator', [JobStatus.JOB_STATUS_ACCEPTED], 'job.not_startable', {
        status: JobStatus.JOB_STATUS_IN_PROGRESS,
      }),
    deliverJob: async (request, ctx) =>
      this.transition(
        'deliverJob',
        request,
        ctx,
        'coordinator',
        [JobStatus.JOB_STATUS_IN_PROGRESS],
        'job.not_deliverable',
        { status: JobStatus.JOB_STATUS_DELIVERED },
      ),
    inspectJob: async (request, ctx) => {
      const job = this.jobs.get(request.jobId);
      const inspection = {
        accepted: request.accepted,
        reason: request.reason,
        inspectedAt: new Date(),
        inspectedBy: ctx.caller.subject,
      };
      const check = () => {
        if (!request.accepted && request.reason.trim() === '')
          throw new ValidationError('job.rejection_reason_required', 'say why the work is rejected');
      };
      return this.transition(
        'inspectJob',
        request,
        ctx,
        'business',
        [JobStatus.JOB_STATUS_DELIVERED],
        'job.not_inspectable',
        {
          status: request.accepted ? JobStatus.JOB_STATUS_INSPECTED : JobStatus.JOB_STATUS_IN_PROGRESS,
          inspections: [...(job?.inspections ?? []), inspection],
        },
        check,
      );
    },
    closeJob: async (request, ctx) =>
      this.transition('closeJob', request, ctx, 'coordinator', [JobStatus.JOB_STATUS_INSPECTED], 'job.not_closable', {
        status: JobStatus.JOB_STATUS_CLOSED,
      }),
    cancelJob: async (request, ctx) => {
      this.recording.record('cancelJob', request, ctx);
      const job = this.visible(request.jobId, ctx.caller);
      const coordinates = hasRole(ctx.caller, 'coordinator', { region: job.regionId });
      const owns = hasRole(ctx.caller, 'business', { businessId: job.businessId });
      if (!coordinates && !owns) throw new ForbiddenError('job.forbidden', 'you may not cancel this job');
      const allowed = [
        JobStatus.JOB_STATUS_SUBMITTED,
        JobStatus.JOB_STATUS_QUOTED,
        ...(coordinates ? [JobStatus.JOB_STATUS_ACCEPTED] : []),
      ];
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
        .filter(
          (job) =>
            (request.regionId === '' || job.regionId === request.regionId) &&
            (request.businessId === '' || job.businessId === request.businessId),
        )
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
    return (
      mayReadAll(caller) ||
      hasRole(caller, 'coordinator', { region: job.regionId }) ||
      hasRole(caller, 'business', { businessId: job.businessId })
    );
  }

  private visible(jobId: string, caller: Caller): jobIntakeV1.Job {
    const job = this.jobs.get(jobId);
    if (job === undefined) throw new NotFoundError('job.not_found', `no job ${jobId}`, { jobId });
    if (!this.mayRead(job, caller)) throw new ForbiddenError('job.forbidden', 'you may not see this job', { jobId });
    return job;
  }

  private coordinated(jobId: string, caller: Caller): jobIntakeV1.Job {
    const job = this.visible(jobId, caller);
    if (!hasRole(caller, 'coordinator', { region: job.regionId }))
      throw new ForbiddenError('job.forbidden', 'only a coordinator of the job’s region may do this', { jobId });
    return job;
  }

  private owned(jobId: string, caller: Caller): jobIntakeV1.Job {
    const job = this.visible(jobId, caller);
    if (!hasRole(caller, 'business', { businessId: job.businessId }))
      throw new ForbiddenError('job.forbidden', 'only the job’s business may do this', { jobId });
    return job;
  }

  private expect(job: jobIntakeV1.Job, statuses: readonly jobIntakeV1.JobStatus[], code: string): void {
    if (!statuses.includes(job.status))
      throw new DomainError(code, `the job is ${jobIntakeV1.jobStatusToJSON(job.status)}`, 'rule', {
        jobId: job.jobId,
      });
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
        if (entry.plan.status !== PlanStatus.PLAN_STATUS_PROPOSED)
          throw new DomainError('plan.not_open', 'no round is open', 'rule');
        const reasons: string[] = [];
        const keys = new Set(request.tasks.map((t) => t.key));
        for (const t of request.tasks) {
          if (t.estimatedMinutes > entry.plan.maxTaskMinutes) reasons.push(`${t.key} is longer than one window`);
          for (const d of t.dependsOn) if (!keys.has(d)) reasons.push(`${t.key} depends on unknown ${d}`);
        }
        const total = request.tasks.reduce((sum, t) => sum + t.estimatedMinutes, 0);
        if (total !== entry.plan.jobEstimatedMinutes)
          reasons.push(`the estimates add up to ${total}, not ${entry.plan.jobEstimatedMinutes}`);
        if (reasons.length > 0) throw new ValidationError('plan.invalid', 'the plan is not valid', { reasons });
        const plan: taskDecompositionV1.Plan = {
          ...entry.plan,
          tasks: request.tasks.map((t) => ({
            taskId: '',
            key: t.key,
            title: t.title,
            estimatedMinutes: t.estimatedMinutes,
            skills: t.skills,
            dependsOn: t.dependsOn,
            deadline: t.deadline,
            round: entry.plan.round,
          })),
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
          tasks: entry.plan.tasks.map((t) => ({
            ...t,
            taskId: ids.get(t.key) ?? '',
            dependsOn: t.dependsOn.map((d) => ids.get(d) ?? d),
          })),
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
  propose(job: {
    jobId: string;
    businessId: string;
    regionId: string;
    estimatedMinutes: number;
    deadline: Date;
  }): taskDecompositionV1.Plan {
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
      tasks: [
        draft('prepare', 'Prepare the material', half, []),
        draft('enter', 'Enter the data', job.estimatedMinutes - half, ['prepare']),
      ],
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
    const may =
      mayReadAll(caller) ||
      hasRole(caller, 'coordinator', { region: entry.plan.regionId }) ||
      hasRole(caller, 'business', { businessId: entry.businessId });
    if (!may) throw new ForbiddenError('plan.forbidden', 'you may not see this plan', { jobId });
    return entry;
  }

  private coordinated(jobId: string, caller: Caller) {
    const entry = this.visible(jobId, caller);
    if (!hasRole(caller, 'coordinator', { region: entry.plan.regionId }))
      throw new ForbiddenError('plan.forbidden', 'only a coordinator of the job’s region may plan it', { jobId });
    return entry;
  }

  private expectVersion(plan: taskDecompositionV1.Plan, expected: string): void {
    if (plan.version !== expected)
      throw new DomainError('plan.version_mismatch', `the plan is at version ${plan.version}`, 'conflict', {
        actual: Number(plan.version),
      });
  }
}

/** A job team scheduling knows of (from TasksPlanned), and the regions whose teams may work on it. */
interface ScheduledJob {
  readonly jobId: string;
  readonly businessId: string;
  readonly regionId: string;
  readonly localOnlyTownId: string;
  readonly sharedWith: string[];
}

interface TeamMember {
  readonly memberId: string;
  readonly regionId: string;
  readonly townId: string;
  skills: string[];
  wishedMinutesPerWeek: number;
  readonly unavailable: { from: number; to: number }[];
}

interface TaskRecord {
  task: teamSchedulingV1.ScheduledTask;
  readonly history: teamSchedulingV1.TaskHistoryEntry[];
}

/** One task of a plan, as TasksPlanned brings it. */
export interface PlannedTask {
  readonly title: string;
  readonly estimatedMinutes: number;
  readonly skills: readonly string[];
  /** Indexes of earlier tasks of the same plan. */
  readonly dependsOn?: readonly number[];
  readonly deadline: Date;
}

const MINUTE_MS = 60_000;

/**
 * Team scheduling on maps: jobs and tasks as TasksPlanned would bring them (`plan`), members as
 * identity would (`enrol`), and a plain scheduler (each task to the least loaded member of the
 * job's teams with its skills, in her town for a local-only job, after its predecessors and her
 * previous task, by its deadline; or unassignable with the reasons). Every fact is kept as a
 * history entry, so the holder at any instant is answered from the history, as the service does.
 */
export class TeamSchedulingDouble {
  readonly jobs = new Map<string, ScheduledJob>();
  readonly members = new Map<string, TeamMember>();
  readonly tasks = new Map<string, TaskRecord>();
  private readonly recording = recorder();
  private readonly once = idempotent();

  /** @param notBefore nothing is planned before it (default: the next whole hour a day from now). */
  constructor(private readonly notBefore: number = Math.ceil((Date.now() + 24 * 3_600_000) / 3_600_000) * 3_600_000) {}

  readonly registration = defineService(teamSchedulingV1.TeamSchedulingServiceService, {
    scheduleJob: async (request, ctx) => {
      this.recording.record('scheduleJob', request, ctx);
      const job = this.coordinatedJob(request.jobId, ctx.caller);
      return this.once(ctx.caller.subject, request.requestId, () => ({
        tasks: this.schedule(job, ctx.caller.subject, [AssignmentStatus.ASSIGNMENT_STATUS_WAITING]),
      }));
    },
    getJobSchedule: async (request, ctx) => {
      this.recording.record('getJobSchedule', request, ctx);
      const job = this.visibleJob(request.jobId, ctx.caller);
      const tasks = this.tasksOf(job.jobId);
      const minutes = new Map<string, number>();
      for (const t of tasks)
        if (t.status === AssignmentStatus.ASSIGNMENT_STATUS_ASSIGNED)
          minutes.set(t.memberId, (minutes.get(t.memberId) ?? 0) + t.estimatedMinutes);
      const loads = [...minutes].map(([memberId, assignedMinutes]) => ({
        memberId,
        assignedMinutes,
        wishedMinutesPerWeek: this.members.get(memberId)?.wishedMinutesPerWeek ?? 0,
      }));
      return { tasks, loads };
    },
    getMemberSchedule: async (request, ctx) => {
      this.recording.record('getMemberSchedule', request, ctx);
      const member = this.selfOrCoordinated(request.memberId, ctx.caller);
      if (request.from === undefined || request.to === undefined || request.to <= request.from)
        throw new ValidationError('schedule.invalid_period', 'from and to are required, to after from');
      const from = request.from.getTime();
      const to = request.to.getTime();
      return {
        tasks: this.heldBy(member.memberId).filter(
          (t) => (t.span?.start?.getTime() ?? 0) < to && (t.span?.end?.getTime() ?? 0) > from,
        ),
      };
    },
    listMyTasks: async (request, ctx) => {
      this.recording.record('listMyTasks', request, ctx);
      return { tasks: this.heldBy(ctx.caller.subject) };
    },
    handOffTask: async (request, ctx) => {
      this.recording.record('handOffTask', request, ctx);
      const record = this.knownTask(request.taskId);
      const job = this.jobOf(record);
      const ofTeam =
        record.task.memberId === ctx.caller.subject ||
        this.teamRegions(job).some((region) => this.members.get(ctx.caller.subject)?.regionId === region);
      if (!ofTeam)
        throw new ForbiddenError('task.forbidden', 'this task is not your team’s', { taskId: request.taskId });
      // The rules are decided inside: a retried hand-off is answered as the first time, though she no longer holds the task.
      return this.once(ctx.caller.subject, request.requestId, () => {
        if (record.task.memberId !== ctx.caller.subject)
          throw new DomainError('task.not_held', 'you do not hold this task', 'rule', { taskId: request.taskId });
        if (request.reason.trim() === '')
          throw new ValidationError('task.reason_required', 'say why you hand the task off');
        this.handOff(record, ctx.caller.subject, request.reason, request.progressNote);
        return { task: record.task };
      });
    },
    declareUnavailable: async (request, ctx) => {
      this.recording.record('declareUnavailable', request, ctx);
      const member = this.selfOrCoordinated(request.memberId, ctx.caller);
      if (request.from === undefined || request.to === undefined || request.to <= request.from)
        throw new ValidationError('schedule.invalid_period', 'to must be after from');
      const from = request.from.getTime();
      const to = request.to.getTime();
      return this.once(ctx.caller.subject, request.requestId, () => {
        member.unavailable.push({ from, to });
        const affected = this.heldBy(member.memberId).filter(
          (t) => (t.span?.start?.getTime() ?? 0) < to && (t.span?.end?.getTime() ?? 0) > from,
        );
        for (const task of affected) this.handOff(this.knownTask(task.taskId), ctx.caller.subject, request.reason, '');
        return { tasks: affected.map((t) => this.knownTask(t.taskId).task) };
      });
    },
    overrideAssignment: async (request, ctx) => {
      this.recording.record('overrideAssignment', request, ctx);
      const record = this.knownTask(request.taskId);
      const job = this.coordinatedJob(record.task.jobId, ctx.caller, 'task.forbidden');
      const member = this.knownMember(request.memberId);
      return this.once(ctx.caller.subject, request.requestId, () => {
        if (!this.qualified(member, record.task, job))
          throw new DomainError('task.member_not_qualified', 'she is not of the job’s teams or lacks a skill', 'rule', {
            memberId: member.memberId,
          });
        const from = record.task.memberId;
        const span = this.slotFor(member, record.task);
        record.task = {
          ...record.task,
          status: AssignmentStatus.ASSIGNMENT_STATUS_ASSIGNED,
          memberId: member.memberId,
          span,
          reasons: [],
          teamRegionId: member.regionId,
        };
        record.history.push(
          entry('overridden', ctx.caller.subject, request.reason, {
            memberId: member.memberId,
            fromMemberId: from,
            span,
          }),
        );
        return { task: record.task };
      });
    },
    getTaskHistory: async (request, ctx) => {
      this.recording.record('getTaskHistory', request, ctx);
      return { entries: this.visibleTask(request.taskId, ctx.caller).history };
    },
    getTaskHolder: async (request, ctx) => {
      this.recording.record('getTaskHolder', request, ctx);
      const record = this.visibleTask(request.taskId, ctx.caller);
      const at = (request.at ?? new Date()).getTime();
      let holder = '';
      for (const e of record.history) {
        if ((e.at?.getTime() ?? 0) > at) break;
        if (e.kind === 'assigned' || e.kind === 'handed_off' || e.kind === 'overridden') holder = e.memberId;
        else if (e.kind === 'released' || e.kind === 'unassignable') holder = '';
      }
      return { memberId: holder };
    },
    setWishedHours: async (request, ctx) => {
      this.recording.record('setWishedHours', request, ctx);
      const member = this.selfOrCoordinated(request.memberId, ctx.caller);
      if (request.minutesPerWeek <= 0)
        throw new ValidationError('member.invalid_wished_hours', 'wished hours must be more than 0');
      return this.once(ctx.caller.subject, request.requestId, () => {
        member.wishedMinutesPerWeek = request.minutesPerWeek;
        return {};
      });
    },
    grantSkill: async (request, ctx) => {
      this.recording.record('grantSkill', request, ctx);
      const member = this.knownMember(request.memberId);
      if (!hasRole(ctx.caller, 'coordinator', { region: member.regionId }))
        throw new ForbiddenError('member.forbidden', 'only a coordinator of her region may grant her a skill', {
          memberId: member.memberId,
        });
      if (!this.jobs.has(request.jobId))
        throw new NotFoundError('schedule.not_found', `no job ${request.jobId}`, { jobId: request.jobId });
      return this.once(ctx.caller.subject, request.requestId, () => {
        if (!member.skills.includes(request.skill)) member.skills = [...member.skills, request.skill];
        return {};
      });
    },
    pairForTraining: async (request, ctx) => {
      this.recording.record('pairForTraining', request, ctx);
      const record = this.knownTask(request.taskId);
      const job = this.coordinatedJob(record.task.jobId, ctx.caller, 'task.forbidden');
      const trainee = this.knownMember(request.traineeMemberId);
      return this.once(ctx.caller.subject, request.requestId, () => {
        if (record.task.status !== AssignmentStatus.ASSIGNMENT_STATUS_ASSIGNED)
          throw new DomainError('task.not_assigned', 'nobody holds the task to train with', 'rule');
        if (trainee.memberId === record.task.memberId || !this.teamRegions(job).includes(trainee.regionId))
          throw new DomainError('task.trainee_not_eligible', 'the trainee must be another member of the team', 'rule');
        record.task = { ...record.task, traineeMemberId: trainee.memberId };
        record.history.push(entry('paired', ctx.caller.subject, request.reason, { memberId: trainee.memberId }));
        return {};
      });
    },
    shareJob: async (request, ctx) => {
      this.recording.record('shareJob', request, ctx);
      const job = this.coordinatedJob(request.jobId, ctx.caller);
      if (job.localOnlyTownId !== '')
        throw new DomainError('schedule.local_only', 'a local-only job stays with its town', 'rule', {
          jobId: job.jobId,
        });
      if (request.partnerRegionId === job.regionId)
        throw new ValidationError('schedule.same_region', 'the partner region is the job’s own');
      return this.once(ctx.caller.subject, request.requestId, () => {
        if (!job.sharedWith.includes(request.partnerRegionId)) job.sharedWith.push(request.partnerRegionId);
        return {
          tasks: this.schedule(job, ctx.caller.subject, [
            AssignmentStatus.ASSIGNMENT_STATUS_UNASSIGNABLE,
            AssignmentStatus.ASSIGNMENT_STATUS_WAITING,
          ]),
        };
      });
    },
  });

  get calls(): readonly RecordedCall[] {
    return this.recording.calls;
  }

  snapshot(): string {
    return JSON.stringify([[...this.jobs.values()], [...this.members.values()], [...this.tasks.values()]]);
  }

  /** A member of a region's team, as identity registers her. */
  enrol(member: {
    memberId: string;
    regionId: string;
    townId: string;
    skills: readonly string[];
    wishedMinutesPerWeek?: number;
  }): void {
    this.members.set(member.memberId, {
      ...member,
      skills: [...member.skills],
      wishedMinutesPerWeek: member.wishedMinutesPerWeek ?? 600,
      unavailable: [],
    });
  }

  /** A job's tasks as TasksPlanned brings them: waiting to be scheduled. Answers their ids, in order. */
  plan(job: {
    jobId: string;
    businessId: string;
    regionId: string;
    localOnlyTownId?: string;
    tasks: readonly PlannedTask[];
  }): string[] {
    this.jobs.set(job.jobId, {
      jobId: job.jobId,
      businessId: job.businessId,
      regionId: job.regionId,
      localOnlyTownId: job.localOnlyTownId ?? '',
      sharedWith: [],
    });
    const ids = job.tasks.map(() => randomUUID());
    job.tasks.forEach((t, i) => {
      const task: teamSchedulingV1.ScheduledTask = {
        taskId: ids[i] as string,
        jobId: job.jobId,
        title: t.title,
        estimatedMinutes: t.estimatedMinutes,
        skills: [...t.skills],
        dependsOn: (t.dependsOn ?? []).map((d) => ids[d] as string),
        deadline: t.deadline,
        status: AssignmentStatus.ASSIGNMENT_STATUS_WAITING,
        memberId: '',
        span: undefined,
        reasons: [],
        traineeMemberId: '',
        teamRegionId: '',
      };
      this.tasks.set(task.taskId, { task, history: [] });
    });
    return ids;
  }

  private tasksOf(jobId: string): teamSchedulingV1.ScheduledTask[] {
    return [...this.tasks.values()].filter((r) => r.task.jobId === jobId).map((r) => r.task);
  }

  /** A member's assigned tasks, soonest first. */
  private heldBy(memberId: string): teamSchedulingV1.ScheduledTask[] {
    return [...this.tasks.values()]
      .map((r) => r.task)
      .filter((t) => t.status === AssignmentStatus.ASSIGNMENT_STATUS_ASSIGNED && t.memberId === memberId)
      .sort((a, b) => (a.span?.start?.getTime() ?? 0) - (b.span?.start?.getTime() ?? 0));
  }

  private teamRegions(job: ScheduledJob): string[] {
    return [job.regionId, ...job.sharedWith];
  }

  private qualified(member: TeamMember, task: teamSchedulingV1.ScheduledTask, job: ScheduledJob): boolean {
    return (
      this.teamRegions(job).includes(member.regionId) &&
      (job.localOnlyTownId === '' || member.townId === job.localOnlyTownId) &&
      task.skills.every((skill) => member.skills.includes(skill))
    );
  }

  /** The first span after her other tasks and the task's predecessors, clear of her unavailability. */
  private slotFor(member: TeamMember, task: teamSchedulingV1.ScheduledTask): teamSchedulingV1.Span {
    let start = Math.max(
      this.notBefore,
      ...this.heldBy(member.memberId)
        .filter((t) => t.taskId !== task.taskId)
        .map((t) => t.span?.end?.getTime() ?? 0),
      ...task.dependsOn.map((d) => this.tasks.get(d)?.task.span?.end?.getTime() ?? 0),
    );
    for (const period of [...member.unavailable].sort((a, b) => a.from - b.from)) {
      if (start < period.to && start + task.estimatedMinutes * MINUTE_MS > period.from) start = period.to;
    }
    return { start: new Date(start), end: new Date(start + task.estimatedMinutes * MINUTE_MS) };
  }

  /** The least loaded qualified member who can finish by the deadline (ties: member id), and her span. */
  private best(
    task: teamSchedulingV1.ScheduledTask,
    job: ScheduledJob,
    except: string,
  ): { member: TeamMember; span: teamSchedulingV1.Span } | teamSchedulingV1.UnassignableReason {
    const candidates = [...this.members.values()].filter((m) => m.memberId !== except && this.qualified(m, task, job));
    if (candidates.length === 0) {
      return job.localOnlyTownId === ''
        ? { code: 'schedule.no_skill_in_region', message: 'nobody of the job’s teams has the skills' }
        : { code: 'schedule.no_skill_in_town', message: `nobody living in ${job.localOnlyTownId} has the skills` };
    }
    const load = (m: TeamMember) =>
      this.heldBy(m.memberId).reduce((sum, t) => sum + t.estimatedMinutes, 0) / m.wishedMinutesPerWeek;
    const fitting = candidates
      .map((member) => ({ member, span: this.slotFor(member, task) }))
      .filter(({ span }) => (span.end?.getTime() ?? 0) <= (task.deadline?.getTime() ?? 0))
      .sort((a, b) => load(a.member) - load(b.member) || a.member.memberId.localeCompare(b.member.memberId));
    return fitting[0] ?? { code: 'schedule.deadline_unreachable', message: 'nobody can finish it by its deadline' };
  }

  private schedule(
    job: ScheduledJob,
    actor: string,
    statuses: readonly teamSchedulingV1.AssignmentStatus[],
  ): teamSchedulingV1.ScheduledTask[] {
    for (const record of [...this.tasks.values()].filter(
      (r) => r.task.jobId === job.jobId && statuses.includes(r.task.status),
    )) {
      const choice = this.best(record.task, job, '');
      if ('member' in choice) {
        record.task = {
          ...record.task,
          status: AssignmentStatus.ASSIGNMENT_STATUS_ASSIGNED,
          memberId: choice.member.memberId,
          span: choice.span,
          reasons: [],
          teamRegionId: choice.member.regionId,
        };
        record.history.push(entry('assigned', actor, '', { memberId: choice.member.memberId, span: choice.span }));
      } else {
        record.task = { ...record.task, status: AssignmentStatus.ASSIGNMENT_STATUS_UNASSIGNABLE, reasons: [choice] };
        record.history.push(entry('unassignable', actor, choice.code, { reasons: [choice] }));
      }
    }
    return this.tasksOf(job.jobId);
  }

  /** The holder lets the task go: the best teammate takes it at once, or it is unassignable. */
  private handOff(record: TaskRecord, actor: string, reason: string, progressNote: string): void {
    const from = record.task.memberId;
    const choice = this.best(record.task, this.jobOf(record), from);
    if ('member' in choice) {
      record.task = {
        ...record.task,
        memberId: choice.member.memberId,
        span: choice.span,
        teamRegionId: choice.member.regionId,
        traineeMemberId: '',
      };
      record.history.push(
        entry('handed_off', actor, reason, {
          memberId: choice.member.memberId,
          fromMemberId: from,
          progressNote,
          span: choice.span,
        }),
      );
    } else {
      record.task = {
        ...record.task,
        status: AssignmentStatus.ASSIGNMENT_STATUS_UNASSIGNABLE,
        memberId: '',
        span: undefined,
        reasons: [choice],
        teamRegionId: '',
        traineeMemberId: '',
      };
      record.history.push(
        entry('released', actor, reason, { fromMemberId: from, progressNote }),
        entry('unassignable', actor, choice.code, { reasons: [choice] }),
      );
    }
  }

  private jobOf(record: TaskRecord): ScheduledJob {
    const job = this.jobs.get(record.task.jobId);
    if (job === undefined) throw new Error(`task ${record.task.taskId} of no known job`);
    return job;
  }

  private knownJob(jobId: string): ScheduledJob {
    const job = this.jobs.get(jobId);
    if (job === undefined) throw new NotFoundError('schedule.not_found', `no schedule for job ${jobId}`, { jobId });
    return job;
  }

  private knownTask(taskId: string): TaskRecord {
    const record = this.tasks.get(taskId);
    if (record === undefined) throw new NotFoundError('task.not_found', `no task ${taskId}`, { taskId });
    return record;
  }

  private knownMember(memberId: string): TeamMember {
    const member = this.members.get(memberId);
    if (member === undefined) throw new NotFoundError('member.not_found', `no member ${memberId}`, { memberId });
    return member;
  }

  private visibleJob(jobId: string, caller: Caller): ScheduledJob {
    const job = this.knownJob(jobId);
    const may =
      mayReadAll(caller) ||
      hasRole(caller, 'coordinator', { region: job.regionId }) ||
      hasRole(caller, 'business', { businessId: job.businessId });
    if (!may) throw new ForbiddenError('schedule.forbidden', 'you may not see this job’s schedule', { jobId });
    return job;
  }

  private coordinatedJob(jobId: string, caller: Caller, code = 'schedule.forbidden'): ScheduledJob {
    const job = this.knownJob(jobId);
    if (!hasRole(caller, 'coordinator', { region: job.regionId }))
      throw new ForbiddenError(code, 'only a coordinator of the job’s region may do this', { jobId });
    return job;
  }

  /** Its job's readers, and the members who ever held it or trained on it. */
  private visibleTask(taskId: string, caller: Caller): TaskRecord {
    const record = this.knownTask(taskId);
    const job = this.jobOf(record);
    const involved = record.history.some((e) => e.memberId === caller.subject || e.fromMemberId === caller.subject);
    const may =
      involved ||
      mayReadAll(caller) ||
      hasRole(caller, 'coordinator', { region: job.regionId }) ||
      hasRole(caller, 'business', { businessId: job.businessId });
    if (!may) throw new ForbiddenError('task.forbidden', 'you may not see this task', { taskId });
    return record;
  }

  private selfOrCoordinated(memberId: string, caller: Caller): TeamMember {
    const member = this.knownMember(memberId);
    if (caller.subject !== memberId && !hasRole(caller, 'coordinator', { region: member.regionId }))
      throw new ForbiddenError('member.forbidden', 'only she or a coordinator of her region may do this', { memberId });
    return member;
  }
}

const entry = (
  kind: string,
  actor: string,
  reason: string,
  fields: Partial<
    Pick<teamSchedulingV1.TaskHistoryEntry, 'memberId' | 'fromMemberId' | 'progressNote' | 'span' | 'reasons'>
  > = {},
): teamSchedulingV1.TaskHistoryEntry => ({
  kind,
  memberId: '',
  fromMemberId: '',
  actor,
  reason,
  progressNote: '',
  at: new Date(),
  span: undefined,
  reasons: [],
  // The double keeps its texts plain: every caller it answers reads them.
  reasonStatus: teamSchedulingV1.TextStatus.TEXT_STATUS_READABLE,
  progressNoteStatus: teamSchedulingV1.TextStatus.TEXT_STATUS_READABLE,
  ...fields,
});

export interface Doubles {
  readonly jobIntake: JobIntakeDouble;
  readonly taskDecomposition: TaskDecompositionDouble;
  readonly teamScheduling: TeamSchedulingDouble;
  readonly jobIntakeServer: GrpcServer;
  readonly taskDecompositionServer: GrpcServer;
  readonly teamSchedulingServer: GrpcServer;
  close(): Promise<void>;
}

/** The three doubles on loopback ports, verifying tokens with the identity at `identityAddress`. */
export const startDoubles = async (identityAddress: string): Promise<Doubles> => {
  const verifier = new IdentityTokenVerifierClient({ identityAddress });
  const jobIntake = new JobIntakeDouble();
  const taskDecomposition = new TaskDecompositionDouble();
  const teamScheduling = new TeamSchedulingDouble();
  const logger = jsonLogger('error');
  const jobIntakeServer = await startGrpcServer({
    name: 'job-intake',
    port: 0,
    host: '127.0.0.1',
    services: [jobIntake.registration],
    verifier,
    logger,
  });
  const taskDecompositionServer = await startGrpcServer({
    name: 'task-decomposition',
    port: 0,
    host: '127.0.0.1',
    services: [taskDecomposition.registration],
    verifier,
    logger,
  });
  const teamSchedulingServer = await startGrpcServer({
    name: 'team-scheduling',
    port: 0,
    host: '127.0.0.1',
    services: [teamScheduling.registration],
    verifier,
    logger,
  });
  return {
    jobIntake,
    taskDecomposition,
    teamScheduling,
    jobIntakeServer,
    taskDecompositionServer,
    teamSchedulingServer,
    close: async () => {
      await jobIntakeServer.shutdown(500);
      await taskDecompositionServer.shutdown(500);
      await teamSchedulingServer.shutdown(500);
      verifier.close();
    },
  };
};
