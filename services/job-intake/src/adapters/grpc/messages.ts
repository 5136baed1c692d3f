import { ValidationError } from '@workshare/eventsourcing';
import { jobIntakeV1, moneyFromYen, yenFromMoney, type commonV1 } from '@workshare/proto';
import type { AcceptedTerms, JobStatus, Pricing, WorkCategory } from '../../domain/job.js';
import type { ListJobsQuery, QuoteInput, SubmitJobInput } from '../../application/job-intake-service.js';
import type { JobView } from '../../application/job-view.js';
import { missingField, requiredText } from '@workshare/grpc';

export { missingField, requiredText, requestIdOf } from '@workshare/grpc';

/**
 * Proto messages ↔ the facade's inputs and views, and the checks that belong to the edge: a
 * required field left empty or absent (`request.missing_field`, with the field's proto name),
 * money that is not a whole number of yen (`request.invalid_money`), an enum left unspecified.
 * What the values mean (amounts ≥ 1, deadlines in the future, towns of the region...) is the
 * domain's to check. All of it happens before the facade is called: a bad request stores nothing.
 */

const { WorkCategory: ProtoWorkCategory, PricingKind, JobStatus: ProtoJobStatus } = jobIntakeV1;

/** A required Money, as bigint yen: absent is missing, a value that is not a whole number of yen is refused. */
export const yenOf = (money: commonV1.Money | undefined, field: string): bigint => {
  if (money === undefined) throw missingField(field);
  try {
    return yenFromMoney(money);
  } catch {
    throw new ValidationError('request.invalid_money', `${field} must be a whole number of yen`, { field });
  }
};

/** A required Timestamp. */
export const instantOf = (value: Date | undefined, field: string): Date => {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw missingField(field);
  return value;
};

const WORK_CATEGORY_OF: ReadonlyMap<jobIntakeV1.WorkCategory, WorkCategory> = new Map([
  [ProtoWorkCategory.WORK_CATEGORY_DATA_ENTRY, 'data_entry'],
  [ProtoWorkCategory.WORK_CATEGORY_TRANSCRIPTION, 'transcription'],
  [ProtoWorkCategory.WORK_CATEGORY_WRITING, 'writing'],
  [ProtoWorkCategory.WORK_CATEGORY_DESIGN, 'design'],
  [ProtoWorkCategory.WORK_CATEGORY_TRANSLATION, 'translation'],
  [ProtoWorkCategory.WORK_CATEGORY_ILLUSTRATION, 'illustration'],
  [ProtoWorkCategory.WORK_CATEGORY_PROOFREADING, 'proofreading'],
]);
const WORK_CATEGORY_MESSAGE: ReadonlyMap<WorkCategory, jobIntakeV1.WorkCategory> = new Map(
  [...WORK_CATEGORY_OF].map(([proto, domain]) => [domain, proto]),
);

export const workCategoryOf = (value: jobIntakeV1.WorkCategory): WorkCategory => {
  const category = WORK_CATEGORY_OF.get(value);
  if (category === undefined)
    throw new ValidationError('job.invalid_work_category', 'work_category is not set to a work category', {
      field: 'work_category',
    });
  return category;
};

const STATUS_OF: ReadonlyMap<jobIntakeV1.JobStatus, JobStatus> = new Map([
  [ProtoJobStatus.JOB_STATUS_SUBMITTED, 'submitted'],
  [ProtoJobStatus.JOB_STATUS_QUOTED, 'quoted'],
  [ProtoJobStatus.JOB_STATUS_ACCEPTED, 'accepted'],
  [ProtoJobStatus.JOB_STATUS_DECLINED, 'declined'],
  [ProtoJobStatus.JOB_STATUS_IN_PROGRESS, 'in_progress'],
  [ProtoJobStatus.JOB_STATUS_DELIVERED, 'delivered'],
  [ProtoJobStatus.JOB_STATUS_INSPECTED, 'inspected'],
  [ProtoJobStatus.JOB_STATUS_CLOSED, 'closed'],
  [ProtoJobStatus.JOB_STATUS_CANCELLED, 'cancelled'],
]);
const STATUS_MESSAGE: ReadonlyMap<JobStatus, jobIntakeV1.JobStatus> = new Map(
  [...STATUS_OF].map(([proto, domain]) => [domain, proto]),
);

/** A status filter: UNSPECIFIED means none; a value this contract does not know is refused. */
export const statusFilterOf = (value: jobIntakeV1.JobStatus): JobStatus | undefined => {
  if (value === ProtoJobStatus.JOB_STATUS_UNSPECIFIED) return undefined;
  const status = STATUS_OF.get(value);
  if (status === undefined)
    throw new ValidationError('job.invalid_status', 'status is not a job status', { field: 'status' });
  return status;
};

export const pricingOf = (pricing: jobIntakeV1.Pricing | undefined): Pricing => {
  if (pricing === undefined) throw missingField('pricing');
  switch (pricing.kind) {
    case PricingKind.PRICING_KIND_FIXED_PRICE:
      if (pricing.hourlyRate !== undefined)
        throw new ValidationError('job.invalid_pricing', 'a fixed price (請負) job has no hourly_rate', {
          field: 'pricing.hourly_rate',
        });
      return { kind: 'fixed_price' };
    case PricingKind.PRICING_KIND_HOURLY:
      return { kind: 'hourly', hourlyRateYen: yenOf(pricing.hourlyRate, 'pricing.hourly_rate') };
    default:
      throw new ValidationError(
        'job.invalid_pricing',
        'pricing.kind is PRICING_KIND_FIXED_PRICE (請負) or PRICING_KIND_HOURLY (準委任)',
        { field: 'pricing.kind' },
      );
  }
};

export const submitJobInput = (request: jobIntakeV1.SubmitJobRequest): SubmitJobInput => ({
  businessId: requiredText(request.businessId, 'business_id'),
  title: request.title,
  description: request.description,
  workCategory: workCategoryOf(request.workCategory),
  pricing: pricingOf(request.pricing),
  amountYen: yenOf(request.amount, 'amount'),
  deadline: instantOf(request.deadline, 'deadline'),
  regionId: requiredText(request.regionId, 'region_id'),
  localOnlyTownId: request.localOnlyTownId.trim() === '' ? null : request.localOnlyTownId.trim(),
  skills: request.skills,
});

export const quoteInput = (request: jobIntakeV1.QuoteJobRequest): QuoteInput => ({
  jobId: requiredText(request.jobId, 'job_id'),
  amountYen: yenOf(request.amount, 'amount'),
  estimatedMinutes: request.estimatedMinutes,
  deliveryDate: instantOf(request.deliveryDate, 'delivery_date'),
  note: request.note,
});

export const listJobsQuery = (request: jobIntakeV1.ListJobsRequest): ListJobsQuery => {
  const status = statusFilterOf(request.status);
  return {
    ...(request.regionId.trim() !== '' ? { regionId: request.regionId.trim() } : {}),
    ...(request.businessId.trim() !== '' ? { businessId: request.businessId.trim() } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(request.page?.pageSize ? { pageSize: request.page.pageSize } : {}),
    ...(request.page?.pageToken ? { pageToken: request.page.pageToken } : {}),
  };
};

// ---- views → messages -----------------------------------------------------------------------

export const termsMessage = (terms: AcceptedTerms, acceptedAt: Date | undefined): jobIntakeV1.OrderTerms => ({
  fee: moneyFromYen(terms.feeYen),
  deliveryDate: terms.deliveryDate,
  inspectionDate: terms.inspectionDate,
  paymentDate: terms.paymentDate,
  ...(acceptedAt !== undefined ? { acceptedAt } : {}),
});

const pricingMessage = (pricing: Pricing): jobIntakeV1.Pricing =>
  pricing.kind === 'hourly'
    ? { kind: PricingKind.PRICING_KIND_HOURLY, hourlyRate: moneyFromYen(pricing.hourlyRateYen) }
    : { kind: PricingKind.PRICING_KIND_FIXED_PRICE };

export const jobMessage = (view: JobView): jobIntakeV1.Job => ({
  jobId: view.jobId,
  businessId: view.businessId,
  title: view.title,
  description: view.description,
  workCategory: WORK_CATEGORY_MESSAGE.get(view.workCategory) ?? ProtoWorkCategory.WORK_CATEGORY_UNSPECIFIED,
  pricing: pricingMessage(view.pricing),
  amount: moneyFromYen(view.amountYen),
  deadline: view.deadline,
  regionId: view.regionId,
  localOnlyTownId: view.localOnlyTownId ?? '',
  skills: [...view.skills],
  status: STATUS_MESSAGE.get(view.status) ?? ProtoJobStatus.JOB_STATUS_UNSPECIFIED,
  ...(view.quote !== undefined
    ? {
        quote: {
          amount: moneyFromYen(view.quote.amountYen),
          estimatedMinutes: view.quote.estimatedMinutes,
          deliveryDate: view.quote.deliveryDate,
          note: view.quote.note,
          ...(view.quotedAt !== undefined ? { quotedAt: view.quotedAt } : {}),
          quotedBy: view.quote.quotedBy,
        },
      }
    : {}),
  ...(view.terms !== undefined ? { terms: termsMessage(view.terms, view.acceptedAt) } : {}),
  inspections: view.inspections.map((i) => ({
    accepted: i.accepted,
    reason: i.reason,
    inspectedAt: i.inspectedAt,
    inspectedBy: i.inspectedBy,
  })),
  reason: view.reason ?? '',
  submittedAt: view.submittedAt,
  updatedAt: view.updatedAt,
  version: String(view.version),
});
