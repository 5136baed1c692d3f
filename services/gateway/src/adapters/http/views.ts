/**
 * The public JSON ↔ the services' proto messages: enums as lowercase snake words, money as
 * integer yen (JSON numbers; decimal strings in proto), times shown in Asia/Tokyo. A message
 * a service answers that breaks its contract (an unknown enum, a missing time, yen beyond what
 * JSON holds exactly) is a fault of the gateway's own making: it becomes 500, never a guess.
 */
import { ValidationError } from '@workshare/eventsourcing';
import {
  identityV1,
  jobIntakeV1,
  moneyFromYen,
  taskDecompositionV1,
  teamSchedulingV1,
  yenFromMoney,
} from '@workshare/proto';
import type { commonV1 } from '@workshare/proto';
import type { Caller, CallerRole } from '@workshare/grpc';
import {
  HISTORY_KINDS,
  type AssignmentStatusName,
  type HandOffBody,
  type HistoryKindName,
  type JobStatusName,
  type ListJobsQuery,
  type MemberScheduleQuery,
  type PlanStatusName,
  type PricingKindName,
  type QuoteBody,
  type RevisePlanBody,
  type SubmitJobBody,
  type UnavailabilityBody,
  type WorkCategoryName,
} from './schemas.js';

export type {
  HandOffBody,
  ListJobsQuery,
  MemberScheduleQuery,
  QuoteBody,
  RevisePlanBody,
  SubmitJobBody,
  UnavailabilityBody,
};
import { instantOf, tokyoTime, tokyoWeekOf } from './time.js';

const { WorkCategory, PricingKind, JobStatus } = jobIntakeV1;
const { PlanStatus } = taskDecompositionV1;
const { AssignmentStatus } = teamSchedulingV1;

/** A name ↔ enum table both ways. */
export const table = <N extends string, E extends number>(pairs: readonly (readonly [N, E])[]) => ({
  toEnum: new Map<N, E>(pairs.map(([n, e]) => [n, e])),
  toName: new Map<E, N>(pairs.map(([n, e]) => [e, n])),
});

const WORK_CATEGORY = table<WorkCategoryName, jobIntakeV1.WorkCategory>([
  ['data_entry', WorkCategory.WORK_CATEGORY_DATA_ENTRY],
  ['transcription', WorkCategory.WORK_CATEGORY_TRANSCRIPTION],
  ['writing', WorkCategory.WORK_CATEGORY_WRITING],
  ['design', WorkCategory.WORK_CATEGORY_DESIGN],
  ['translation', WorkCategory.WORK_CATEGORY_TRANSLATION],
  ['illustration', WorkCategory.WORK_CATEGORY_ILLUSTRATION],
  ['proofreading', WorkCategory.WORK_CATEGORY_PROOFREADING],
]);
const PRICING_KIND = table<PricingKindName, jobIntakeV1.PricingKind>([
  ['fixed_price', PricingKind.PRICING_KIND_FIXED_PRICE],
  ['hourly', PricingKind.PRICING_KIND_HOURLY],
]);
const JOB_STATUS = table<JobStatusName, jobIntakeV1.JobStatus>([
  ['submitted', JobStatus.JOB_STATUS_SUBMITTED],
  ['quoted', JobStatus.JOB_STATUS_QUOTED],
  ['accepted', JobStatus.JOB_STATUS_ACCEPTED],
  ['declined', JobStatus.JOB_STATUS_DECLINED],
  ['in_progress', JobStatus.JOB_STATUS_IN_PROGRESS],
  ['delivered', JobStatus.JOB_STATUS_DELIVERED],
  ['inspected', JobStatus.JOB_STATUS_INSPECTED],
  ['closed', JobStatus.JOB_STATUS_CLOSED],
  ['cancelled', JobStatus.JOB_STATUS_CANCELLED],
]);
const PLAN_STATUS = table<PlanStatusName, taskDecompositionV1.PlanStatus>([
  ['proposed', PlanStatus.PLAN_STATUS_PROPOSED],
  ['confirmed', PlanStatus.PLAN_STATUS_CONFIRMED],
  ['rework_needed', PlanStatus.PLAN_STATUS_REWORK_NEEDED],
  ['cancelled', PlanStatus.PLAN_STATUS_CANCELLED],
]);

const ASSIGNMENT_STATUS = table<AssignmentStatusName, teamSchedulingV1.AssignmentStatus>([
  ['assigned', AssignmentStatus.ASSIGNMENT_STATUS_ASSIGNED],
  ['unassignable', AssignmentStatus.ASSIGNMENT_STATUS_UNASSIGNABLE],
  ['waiting', AssignmentStatus.ASSIGNMENT_STATUS_WAITING],
]);

/**
 * A name ↔ enum table from a contract's names and the gRPC enum they name, its prefix taken off
 * and lowercased (`timer` ↔ ENTRY_SOURCE_TIMER): written once, by the contracts; a name the gRPC
 * enum lacks fails at once (the two contracts disagree).
 */
export const protoTable = <N extends string, E extends number>(names: readonly N[], values: object, prefix: string) =>
  table<N, E>(
    names.map((name) => {
      const key = `${prefix}${name.toUpperCase()}`;
      const value = (values as Record<string, unknown>)[key];
      if (typeof value !== 'number') throw new Error(`${key} is not in the gRPC contract`);
      return [name, value as E] as const;
    }),
  );

/** A contract breach by a service (not the caller's fault). */
export class UpstreamContractError extends Error {
  override readonly name = 'UpstreamContractError';
}

export const nameOf = <E extends number, N extends string>(t: { toName: Map<E, N> }, value: E, what: string): N => {
  const name = t.toName.get(value);
  if (name === undefined) throw new UpstreamContractError(`a service answered an unknown ${what}: ${value}`);
  return name;
};
export const enumOf = <N extends string, E extends number>(t: { toEnum: Map<N, E> }, name: N): E => {
  const value = t.toEnum.get(name);
  // The schema lets only known names through.
  if (value === undefined) throw new UpstreamContractError(`no enum value for ${name}`);
  return value;
};

export const workCategoryOf = (name: WorkCategoryName): jobIntakeV1.WorkCategory => enumOf(WORK_CATEGORY, name);
export const jobStatusOf = (name: JobStatusName): jobIntakeV1.JobStatus => enumOf(JOB_STATUS, name);

/** Proto money as a JSON number of yen; beyond 2^53 a JSON number would round, so it is refused. */
export const yenOf = (money: commonV1.Money | undefined): number => {
  const yen = yenFromMoney(money);
  if (yen > BigInt(Number.MAX_SAFE_INTEGER) || yen < BigInt(Number.MIN_SAFE_INTEGER))
    throw new UpstreamContractError(`${yen} yen does not fit a JSON number exactly`);
  return Number(yen);
};

export const timeOf = (date: Date | undefined, what: string): string => {
  if (date === undefined) throw new UpstreamContractError(`a service answered no ${what}`);
  return tokyoTime(date);
};

export const textOrNull = (value: string): string | null => (value === '' ? null : value);

export const int64 = (value: string, what: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n))
    throw new UpstreamContractError(`a service answered a ${what} that is not a whole number: ${value}`);
  return n;
};

// ---- identity ----------------------------------------------------------------------------------

export interface CallerView {
  subject: string;
  roles: { role: CallerRole['role']; region?: string; businessId?: string }[];
}

export const callerView = (caller: Caller): CallerView => ({
  subject: caller.subject,
  roles: caller.roles.map((r) => ({
    role: r.role,
    ...(r.region !== undefined ? { region: r.region } : {}),
    ...(r.businessId !== undefined ? { businessId: r.businessId } : {}),
  })),
});

const ROLE_OF_KIND: ReadonlyMap<identityV1.RoleKind, CallerRole['role']> = new Map([
  [identityV1.RoleKind.ROLE_KIND_MEMBER, 'member'],
  [identityV1.RoleKind.ROLE_KIND_COORDINATOR, 'coordinator'],
  [identityV1.RoleKind.ROLE_KIND_BUSINESS, 'business'],
  [identityV1.RoleKind.ROLE_KIND_ACCOUNTANT, 'accountant'],
  [identityV1.RoleKind.ROLE_KIND_OPERATOR, 'operator'],
]);

/** identity's Caller message in the API's words; a role of a kind this gateway does not know is left out. */
export const loginCallerView = (caller: identityV1.Caller | undefined): CallerView => ({
  subject: caller?.subject ?? '',
  roles: (caller?.roles ?? []).flatMap((r) => {
    const role = ROLE_OF_KIND.get(r.kind);
    if (role === undefined) return [];
    return [{ role, ...(r.region ? { region: r.region } : {}), ...(r.businessId ? { businessId: r.businessId } : {}) }];
  }),
});

export const regionsView = (response: identityV1.ListRegionsResponse) => ({
  regions: response.regions.map((r) => ({
    regionId: r.region,
    name: r.name,
    prefecture: r.prefecture,
    towns: r.towns.map((t) => ({ townId: `${r.region}/${t.town}`, name: t.name })),
  })),
});

// ---- jobs ----------------------------------------------------------------------------------------

export const submitJobRequest = (requestId: string, body: SubmitJobBody): jobIntakeV1.SubmitJobRequest => ({
  requestId,
  businessId: body.businessId,
  title: body.title,
  description: body.description,
  workCategory: workCategoryOf(body.workCategory),
  pricing: {
    kind: enumOf(PRICING_KIND, body.pricing.kind),
    hourlyRate: body.pricing.hourlyRateYen === undefined ? undefined : moneyFromYen(body.pricing.hourlyRateYen),
  },
  amount: moneyFromYen(body.amountYen),
  deadline: instantOf(body.deadline, 'body.deadline'),
  regionId: body.regionId,
  localOnlyTownId: body.localOnlyTownId ?? '',
  skills: body.skills,
});

export const quoteJobRequest = (requestId: string, jobId: string, body: QuoteBody): jobIntakeV1.QuoteJobRequest => ({
  requestId,
  jobId,
  amount: moneyFromYen(body.amountYen),
  estimatedMinutes: body.estimatedMinutes,
  deliveryDate: instantOf(body.deliveryDate, 'body.deliveryDate'),
  note: body.note ?? '',
});

export const orderTermsView = (terms: jobIntakeV1.OrderTerms) => ({
  feeYen: yenOf(terms.fee),
  deliveryDate: timeOf(terms.deliveryDate, 'delivery date'),
  inspectionDate: timeOf(terms.inspectionDate, 'inspection date'),
  paymentDate: timeOf(terms.paymentDate, 'payment date'),
  acceptedAt: timeOf(terms.acceptedAt, 'acceptance time'),
});

export const jobView = (job: jobIntakeV1.Job) => {
  const kind = nameOf(PRICING_KIND, job.pricing?.kind ?? PricingKind.PRICING_KIND_UNSPECIFIED, 'pricing kind');
  return {
    jobId: job.jobId,
    businessId: job.businessId,
    title: job.title,
    description: job.description,
    workCategory: nameOf(WORK_CATEGORY, job.workCategory, 'work category'),
    pricing: kind === 'hourly' ? { kind, hourlyRateYen: yenOf(job.pricing?.hourlyRate) } : { kind },
    amountYen: yenOf(job.amount),
    deadline: timeOf(job.deadline, 'deadline'),
    regionId: job.regionId,
    localOnlyTownId: textOrNull(job.localOnlyTownId),
    skills: job.skills,
    status: nameOf(JOB_STATUS, job.status, 'job status'),
    quote:
      job.quote === undefined
        ? null
        : {
            amountYen: yenOf(job.quote.amount),
            estimatedMinutes: job.quote.estimatedMinutes,
            deliveryDate: timeOf(job.quote.deliveryDate, 'delivery date'),
            note: job.quote.note,
            quotedAt: timeOf(job.quote.quotedAt, 'quote time'),
            quotedBy: job.quote.quotedBy,
          },
    terms: job.terms === undefined ? null : orderTermsView(job.terms),
    inspections: job.inspections.map((i) => ({
      accepted: i.accepted,
      reason: i.reason,
      inspectedAt: timeOf(i.inspectedAt, 'inspection time'),
      inspectedBy: i.inspectedBy,
    })),
    reason: textOrNull(job.reason),
    submittedAt: timeOf(job.submittedAt, 'submission time'),
    updatedAt: timeOf(job.updatedAt, 'update time'),
    version: int64(job.version, 'job version'),
  };
};

export const listJobsRequest = (query: ListJobsQuery): jobIntakeV1.ListJobsRequest => ({
  page: { pageSize: query.pageSize ?? 0, pageToken: query.pageToken ?? '' },
  regionId: query.regionId ?? '',
  businessId: query.businessId ?? '',
  status: query.status === undefined ? JobStatus.JOB_STATUS_UNSPECIFIED : jobStatusOf(query.status),
});

export const jobListView = (response: jobIntakeV1.ListJobsResponse) => ({
  jobs: response.jobs.map(jobView),
  nextPageToken: textOrNull(response.page?.nextPageToken ?? ''),
});

// ---- plans ---------------------------------------------------------------------------------------

export const revisePlanRequest = (
  requestId: string,
  jobId: string,
  body: RevisePlanBody,
): taskDecompositionV1.RevisePlanRequest => ({
  requestId,
  jobId,
  expectedVersion: String(body.expectedVersion),
  tasks: body.tasks.map((t, index) => ({
    key: t.key,
    title: t.title,
    estimatedMinutes: t.estimatedMinutes,
    skills: t.skills,
    dependsOn: t.dependsOn,
    deadline: instantOf(t.deadline, `body.tasks[${index}].deadline`),
  })),
});

export const planView = (plan: taskDecompositionV1.Plan) => ({
  jobId: plan.jobId,
  regionId: plan.regionId,
  localOnlyTownId: textOrNull(plan.localOnlyTownId),
  status: nameOf(PLAN_STATUS, plan.status, 'plan status'),
  tasks: plan.tasks.map((t) => ({
    taskId: textOrNull(t.taskId),
    key: t.key,
    title: t.title,
    estimatedMinutes: t.estimatedMinutes,
    skills: t.skills,
    dependsOn: t.dependsOn,
    deadline: timeOf(t.deadline, 'task deadline'),
    round: t.round,
  })),
  round: plan.round,
  jobEstimatedMinutes: plan.jobEstimatedMinutes,
  jobDeadline: timeOf(plan.jobDeadline, 'job deadline'),
  maxTaskMinutes: plan.maxTaskMinutes,
  reworkReason: textOrNull(plan.reworkReason),
  cancelReason: textOrNull(plan.cancelReason),
  version: int64(plan.version, 'plan version'),
});

/** A plan a service must have answered. */
export const requirePlan = (plan: taskDecompositionV1.Plan | undefined) => {
  if (plan === undefined) throw new UpstreamContractError('task decomposition answered no plan');
  return planView(plan);
};

// ---- schedules -----------------------------------------------------------------------------------

/** A second time that must come after a first; `field` names the second in the error. */
export const requireAfter = (from: Date, to: Date, field: string): void => {
  if (to.getTime() <= from.getTime())
    throw new ValidationError('request.invalid', `${field} must be after from`, {
      errors: [{ field, message: 'must be after from' }],
    });
};

const spanView = (span: teamSchedulingV1.Span | undefined) =>
  span === undefined ? null : { start: timeOf(span.start, 'span start'), end: timeOf(span.end, 'span end') };

export const scheduledTaskView = (task: teamSchedulingV1.ScheduledTask) => {
  const status = nameOf(ASSIGNMENT_STATUS, task.status, 'assignment status');
  const span = spanView(task.span);
  if (status === 'assigned' && (task.memberId === '' || span === null))
    throw new UpstreamContractError(`team scheduling answered task ${task.taskId} assigned without its member or span`);
  return {
    taskId: task.taskId,
    jobId: task.jobId,
    title: task.title,
    estimatedMinutes: task.estimatedMinutes,
    skills: task.skills,
    dependsOn: task.dependsOn,
    deadline: timeOf(task.deadline, 'task deadline'),
    status,
    memberId: textOrNull(task.memberId),
    span,
    reasons: task.reasons.map((r) => ({ code: r.code, message: r.message })),
    traineeMemberId: textOrNull(task.traineeMemberId),
    teamRegionId: textOrNull(task.teamRegionId),
  };
};

export const tasksView = (response: { tasks: teamSchedulingV1.ScheduledTask[] }) => ({
  tasks: response.tasks.map(scheduledTaskView),
});

export interface JobScheduleView {
  tasks: ReturnType<typeof scheduledTaskView>[];
  loads: { memberId: string; assignedMinutes: number; wishedMinutesPerWeek: number | null }[];
}

export const jobScheduleView = (response: teamSchedulingV1.GetJobScheduleResponse): JobScheduleView => ({
  tasks: response.tasks.map(scheduledTaskView),
  loads: response.loads.map((l) => ({
    memberId: l.memberId,
    assignedMinutes: l.assignedMinutes,
    wishedMinutesPerWeek: l.wishedMinutesPerWeek,
  })),
});

/**
 * A job's schedule as its business reads it: who holds each task, its status, and the minutes
 * each holder has planned on the job; never the members' weekly hours (their wished minutes a
 * week). Team scheduling strips them too; the edge does not rely on it.
 */
export const forBusiness = (view: JobScheduleView): JobScheduleView => ({
  tasks: view.tasks,
  loads: view.loads.map((l) => ({ ...l, wishedMinutesPerWeek: null })),
});

/** A task a service must have answered. */
export const requireTask = (task: teamSchedulingV1.ScheduledTask | undefined) => {
  if (task === undefined) throw new UpstreamContractError('team scheduling answered no task');
  return { task: scheduledTaskView(task) };
};

const HISTORY_KIND_NAMES: ReadonlySet<string> = new Set(HISTORY_KINDS);

export const historyView = (response: teamSchedulingV1.GetTaskHistoryResponse) => ({
  entries: response.entries.map((e) => {
    if (!HISTORY_KIND_NAMES.has(e.kind))
      throw new UpstreamContractError(`team scheduling answered an unknown history kind: ${e.kind}`);
    return {
      kind: e.kind as HistoryKindName,
      memberId: textOrNull(e.memberId),
      fromMemberId: textOrNull(e.fromMemberId),
      actor: e.actor,
      reason: textOrNull(e.reason),
      progressNote: textOrNull(e.progressNote),
      at: timeOf(e.at, 'history time'),
      span: spanView(e.span),
      reasons: e.reasons.map((r) => ({ code: r.code, message: r.message })),
    };
  }),
});

/**
 * A task's history as its business reads it: who held it when, never the reasons members (or
 * coordinators about them) gave for a hand-off, a release or an override, nor progress notes.
 * An unassignable fact keeps its reasons: why nobody could take the task (`schedule.no_skill_in_town`).
 */
export const historyForBusiness = (view: ReturnType<typeof historyView>): ReturnType<typeof historyView> => ({
  entries: view.entries.map((e) => ({
    ...e,
    reason: e.kind === 'unassignable' ? e.reason : null,
    progressNote: null,
  })),
});

/** Without from and to (the schema lets both or neither through), the Tokyo week of `now`. */
export const memberScheduleRequest = (
  memberId: string,
  query: MemberScheduleQuery,
  now: Date,
): teamSchedulingV1.GetMemberScheduleRequest => {
  if (query.from === undefined || query.to === undefined) return { memberId, ...tokyoWeekOf(now) };
  const from = instantOf(query.from, 'querystring.from');
  const to = instantOf(query.to, 'querystring.to');
  requireAfter(from, to, 'querystring.to');
  return { memberId, from, to };
};

export const handOffTaskRequest = (
  requestId: string,
  taskId: string,
  body: HandOffBody,
): teamSchedulingV1.HandOffTaskRequest => ({
  requestId,
  taskId,
  reason: body.reason,
  progressNote: body.progressNote ?? '',
});

export const declareUnavailableRequest = (
  requestId: string,
  memberId: string,
  body: UnavailabilityBody,
): teamSchedulingV1.DeclareUnavailableRequest => {
  const from = instantOf(body.from, 'body.from');
  const to = instantOf(body.to, 'body.to');
  requireAfter(from, to, 'body.to');
  return { requestId, memberId, from, to, reason: body.reason };
};
