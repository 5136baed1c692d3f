/**
 * A job from a business, from submission to closing (issue 5, part 2). Pure: commands carry
 * everything decide needs (the acting person and her roles, the time, the regions served),
 * events are the integration events other services react to (JobAccepted → task
 * decomposition), and evolve folds them. No I/O, no clock.
 *
 * submitted → quoted (again while unanswered) → accepted | declined; accepted → in_progress →
 * delivered → inspected → closed, a rejected inspection sending the job back to in_progress
 * (rework); cancelled from submitted, quoted or accepted. See the README for who may do what.
 */
import {
  actsFor,
  assertStorableText,
  characterCount,
  coordinates,
  createUpcaster,
  DomainError,
  ForbiddenError,
  isOperator,
  isSystem,
  MAX_SKILL_LENGTH,
  NotFoundError,
  preview,
  ValidationError,
  type Actor,
  type Decider,
} from '@workshare/eventsourcing';
import { orderTermsFor } from './order-terms.js';

// ---- reference values -----------------------------------------------------------------------

/** What kind of work a job is; it decides the decomposition template and, later, withholding tax. */
export const WORK_CATEGORIES = [
  'data_entry',
  'transcription',
  'writing',
  'design',
  'translation',
  'illustration',
  'proofreading',
] as const;
export type WorkCategory = (typeof WORK_CATEGORIES)[number];
export const isWorkCategory = (value: unknown): value is WorkCategory =>
  typeof value === 'string' && (WORK_CATEGORIES as readonly string[]).includes(value);

/** 請負 (a fixed price for the result) or 準委任 (paid by the hour). */
export const PRICING_KINDS = ['fixed_price', 'hourly'] as const;
export type PricingKind = (typeof PRICING_KINDS)[number];
export type Pricing = { readonly kind: 'fixed_price' } | { readonly kind: 'hourly'; readonly hourlyRateYen: bigint };

export const JOB_STATUSES = [
  'submitted',
  'quoted',
  'accepted',
  'declined',
  'in_progress',
  'delivered',
  'inspected',
  'closed',
  'cancelled',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** A region served and its towns (`<region>/<town>`), as identity lists them. */
export interface RegionRef {
  readonly id: string;
  readonly townIds: readonly string[];
}

/**
 * What a job's fields may be (lengths in characters, counted after trimming; money in integer
 * yen, tax excluded). Written once here: the gRPC host's limits and the HTTP edge's schemas
 * read them (`@workshare/job-intake/contract`).
 */
export const LIMITS = Object.freeze({
  /** A title is 1 to this many characters. */
  titleLength: 200,
  /** A description is at most this many characters (it may be empty). */
  descriptionLength: 10_000,
  /** An amount (and an hourly rate) is at least ¥1. */
  minAmountYen: 1n,
  /** One trillion yen: far above any job, low enough to rule out typing accidents. */
  maxAmountYen: 1_000_000_000_000n,
  /** A job names 1 to this many skills, distinct. */
  skills: 20,
  /** A skill is 1 to this many characters: the platform's one skill length (@workshare/eventsourcing). */
  skillLength: MAX_SKILL_LENGTH,
  /** A reason (declining, rejecting, cancelling) is 1 to this many characters. */
  reasonLength: 1_000,
  /** A note (quote, delivery) is at most this many characters (it may be empty). */
  noteLength: 2_000,
  /** A quote's estimate is a whole number of minutes from minEstimatedMinutes to maxEstimatedMinutes. */
  minEstimatedMinutes: 1,
  maxEstimatedMinutes: 100_000,
});

export const jobStream = (jobId: string): string => `job-${jobId}`;

// ---- commands -------------------------------------------------------------------------------

export interface SubmitJob {
  readonly type: 'SubmitJob';
  readonly jobId: string;
  readonly businessId: string;
  /** The region whose cooperative serves the business (identity's record of it). */
  readonly businessRegionId: string;
  readonly title: string;
  readonly description: string;
  readonly workCategory: WorkCategory;
  readonly pricing: Pricing;
  readonly amountYen: bigint;
  readonly deadline: Date;
  readonly regionId: string;
  readonly localOnlyTownId: string | null;
  readonly skills: readonly string[];
  /** The regions served and their towns, from identity. */
  readonly regions: readonly RegionRef[];
  readonly by: Actor;
  readonly at: Date;
}

export interface QuoteJob {
  readonly type: 'QuoteJob';
  readonly amountYen: bigint;
  readonly estimatedMinutes: number;
  readonly deliveryDate: Date;
  readonly note: string;
  readonly by: Actor;
  readonly at: Date;
}

export interface AcceptQuote {
  readonly type: 'AcceptQuote';
  readonly by: Actor;
  readonly at: Date;
}

export interface DeclineQuote {
  readonly type: 'DeclineQuote';
  readonly reason: string;
  readonly by: Actor;
}

export interface StartJob {
  readonly type: 'StartJob';
  readonly by: Actor;
}

export interface DeliverJob {
  readonly type: 'DeliverJob';
  readonly note: string;
  readonly by: Actor;
}

export interface InspectJob {
  readonly type: 'InspectJob';
  readonly accepted: boolean;
  /** Required when the work is rejected; empty when it is accepted. */
  readonly reason: string;
  readonly by: Actor;
}

export interface CloseJob {
  readonly type: 'CloseJob';
  readonly by: Actor;
}

export interface CancelJob {
  readonly type: 'CancelJob';
  readonly reason: string;
  readonly by: Actor;
}

export type JobCommand =
  SubmitJob | QuoteJob | AcceptQuote | DeclineQuote | StartJob | DeliverJob | InspectJob | CloseJob | CancelJob;

// ---- events (the integration contract: money as decimal strings of yen, times ISO-8601 UTC) ----

export type PricingData = { kind: 'fixed_price' } | { kind: 'hourly'; hourlyRateYen: string };

export type JobSubmitted = {
  readonly type: 'JobSubmitted';
  readonly data: {
    jobId: string;
    businessId: string;
    title: string;
    description: string;
    workCategory: WorkCategory;
    pricing: PricingData;
    amountYen: string;
    deadline: string;
    regionId: string;
    localOnlyTownId: string | null;
    skills: string[];
    submittedBy: string;
  };
};

export type JobQuoted = {
  readonly type: 'JobQuoted';
  readonly data: {
    jobId: string;
    amountYen: string;
    estimatedMinutes: number;
    deliveryDate: string;
    note: string;
    quotedBy: string;
  };
};

/**
 * Carries everything task decomposition needs to propose a plan, and what settlement bills from:
 * the pricing (written since schema version 2: a version-1 event has none), the fee and the
 * order terms' dates.
 */
export type JobAccepted = {
  readonly type: 'JobAccepted';
  readonly data: {
    jobId: string;
    businessId: string;
    regionId: string;
    localOnlyTownId: string | null;
    workCategory: WorkCategory;
    title: string;
    skills: string[];
    deadline: string;
    estimatedMinutes: number;
    /** Absent from version-1 events (written before settlement read it). */
    pricing?: PricingData;
    feeYen: string;
    deliveryDate: string;
    inspectionDate: string;
    paymentDate: string;
    acceptedBy: string;
  };
};

export type QuoteDeclined = {
  readonly type: 'QuoteDeclined';
  readonly data: { jobId: string; reason: string; declinedBy: string };
};
export type JobStarted = { readonly type: 'JobStarted'; readonly data: { jobId: string; startedBy: string } };
export type JobDelivered = {
  readonly type: 'JobDelivered';
  readonly data: { jobId: string; note: string; deliveredBy: string };
};
export type JobInspected = {
  readonly type: 'JobInspected';
  readonly data: { jobId: string; accepted: boolean; reason: string; inspectedBy: string };
};
export type JobClosed = { readonly type: 'JobClosed'; readonly data: { jobId: string; closedBy: string } };
export type JobCancelled = {
  readonly type: 'JobCancelled';
  readonly data: { jobId: string; reason: string; cancelledBy: string };
};

export type JobEvent =
  | JobSubmitted
  | JobQuoted
  | JobAccepted
  | QuoteDeclined
  | JobStarted
  | JobDelivered
  | JobInspected
  | JobClosed
  | JobCancelled;
export const JOB_EVENT_TYPES: readonly JobEvent['type'][] = [
  'JobSubmitted',
  'JobQuoted',
  'JobAccepted',
  'QuoteDeclined',
  'JobStarted',
  'JobDelivered',
  'JobInspected',
  'JobClosed',
  'JobCancelled',
];

// ---- state ----------------------------------------------------------------------------------

export interface Quote {
  readonly amountYen: bigint;
  readonly estimatedMinutes: number;
  readonly deliveryDate: Date;
  readonly note: string;
  readonly quotedBy: string;
}

export interface AcceptedTerms {
  readonly feeYen: bigint;
  readonly deliveryDate: Date;
  readonly inspectionDate: Date;
  readonly paymentDate: Date;
  readonly acceptedBy: string;
}

export interface InspectionRecord {
  readonly accepted: boolean;
  readonly reason: string;
  readonly inspectedBy: string;
}

export interface Job {
  readonly status: JobStatus;
  readonly jobId: string;
  readonly businessId: string;
  readonly title: string;
  readonly description: string;
  readonly workCategory: WorkCategory;
  readonly pricing: Pricing;
  readonly amountYen: bigint;
  readonly deadline: Date;
  readonly regionId: string;
  readonly localOnlyTownId: string | null;
  readonly skills: readonly string[];
  readonly submittedBy: string;
  readonly quote?: Quote;
  readonly terms?: AcceptedTerms;
  /** Every inspection, oldest first. */
  readonly inspections: readonly InspectionRecord[];
  /** Why the quote was declined or the job cancelled. */
  readonly reason?: string;
}

export type JobState = { readonly status: 'none' } | Job;

export const isJob = (state: JobState): state is Job => state.status !== 'none';

// ---- checks on input ------------------------------------------------------------------------

const invalid = (
  code: string,
  field: string,
  message: string,
  details: Record<string, unknown> = {},
): ValidationError => new ValidationError(code, message, { field, ...details });

/**
 * A text field, trimmed: from `min` to `max` characters (code points, counted no further than
 * max + 1), and storable (no NUL, no invalid Unicode: `text.invalid_characters`).
 */
const text = (value: string, field: string, code: string, options: { min: number; max: number }): string => {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  const length = characterCount(trimmed, options.max);
  if (typeof value !== 'string' || length < options.min || length > options.max) {
    throw invalid(
      code,
      field,
      options.min > 0
        ? `${field} must be ${options.min} to ${options.max} characters`
        : `${field} must be at most ${options.max} characters`,
    );
  }
  return assertStorableText(trimmed, field);
};

const yen = (value: bigint, field: string): bigint => {
  if (typeof value !== 'bigint' || value < LIMITS.minAmountYen || value > LIMITS.maxAmountYen) {
    throw invalid(
      'job.invalid_amount',
      field,
      `${field} must be a whole number of yen from ${LIMITS.minAmountYen} to ${LIMITS.maxAmountYen}`,
    );
  }
  return value;
};

const instant = (value: Date, field: string, code: string): Date => {
  if (!(value instanceof Date) || Number.isNaN(value.getTime()))
    throw invalid(code, field, `${field} is not a point in time`);
  return value;
};

const skillsOf = (skills: readonly string[]): string[] => {
  if (!Array.isArray(skills) || skills.length < 1 || skills.length > LIMITS.skills) {
    throw invalid('job.invalid_skills', 'skills', `a job names 1 to ${LIMITS.skills} skills`);
  }
  const trimmed = skills.map((s, index) => {
    const skill = typeof s === 'string' ? s.trim() : '';
    if (skill === '' || characterCount(skill, LIMITS.skillLength) > LIMITS.skillLength) {
      throw invalid('job.invalid_skills', 'skills', `skills[${index}] must be 1 to ${LIMITS.skillLength} characters`, {
        index,
      });
    }
    return assertStorableText(skill, `skills[${index}]`);
  });
  if (new Set(trimmed).size !== trimmed.length)
    throw invalid('job.invalid_skills', 'skills', 'skills must be distinct');
  return trimmed;
};

const pricingOf = (pricing: Pricing): PricingData => {
  if (pricing?.kind === 'fixed_price') {
    if ('hourlyRateYen' in pricing)
      throw invalid('job.invalid_pricing', 'pricing', 'a fixed price (請負) job has no hourly rate');
    return { kind: 'fixed_price' };
  }
  if (pricing?.kind === 'hourly')
    return { kind: 'hourly', hourlyRateYen: yen(pricing.hourlyRateYen, 'pricing.hourlyRateYen').toString() };
  throw invalid(
    'job.invalid_pricing',
    'pricing',
    'pricing is fixed_price (請負) or hourly (準委任) with an hourly rate',
  );
};

// ---- decide ---------------------------------------------------------------------------------

const refuse = (code: string, message: string): DomainError => new DomainError(code, message, 'rule');
const forbidden = (message: string): ForbiddenError => new ForbiddenError('job.forbidden', message);

const existing = (state: JobState): Job => {
  if (!isJob(state)) throw new NotFoundError('job.not_found', 'no such job');
  return state;
};

const requireCoordinator = (job: Job, by: Actor, what: string): void => {
  if (!coordinates(by, job.regionId)) throw forbidden(`only a coordinator of ${job.regionId} may ${what} this job`);
};

const requireBusiness = (job: Job, by: Actor, what: string): void => {
  if (!actsFor(by, job.businessId)) throw forbidden(`only the job's business may ${what}`);
};

const requireStatus = (job: Job, allowed: readonly JobStatus[], code: string, what: string): void => {
  if (!allowed.includes(job.status)) throw refuse(code, `a ${job.status} job cannot be ${what}`);
};

const submit = (command: SubmitJob, state: JobState): JobEvent[] => {
  if (isJob(state)) throw refuse('job.already_submitted', `job ${state.jobId} was submitted already`);
  const { by } = command;
  if (!actsFor(by, command.businessId) && !coordinates(by, command.regionId) && !isOperator(by)) {
    throw forbidden('a job is submitted by its business, a coordinator of its region or an operator');
  }
  const title = text(command.title, 'title', 'job.invalid_title', { min: 1, max: LIMITS.titleLength });
  const description = text(command.description, 'description', 'job.invalid_description', {
    min: 0,
    max: LIMITS.descriptionLength,
  });
  if (!isWorkCategory(command.workCategory))
    throw invalid('job.invalid_work_category', 'workCategory', `work category is one of ${WORK_CATEGORIES.join(', ')}`);
  const pricing = pricingOf(command.pricing);
  const amountYen = yen(command.amountYen, 'amountYen');
  const deadline = instant(command.deadline, 'deadline', 'job.invalid_deadline');
  if (deadline.getTime() <= command.at.getTime())
    throw invalid('job.invalid_deadline', 'deadline', 'the deadline must be in the future');
  const region = command.regions.find((r) => r.id === command.regionId);
  if (region === undefined)
    throw invalid('job.unknown_region', 'regionId', `${preview(command.regionId)} is not a region served`);
  if (command.regionId !== command.businessRegionId) {
    throw invalid(
      'job.region_mismatch',
      'regionId',
      `the business is served by the cooperative of ${command.businessRegionId}, not ${preview(command.regionId)}`,
    );
  }
  const town = command.localOnlyTownId;
  if (town !== null && !region.townIds.includes(town)) {
    throw invalid(
      'job.unknown_town',
      'localOnlyTownId',
      `${preview(town)} is not a town of ${region.id} (towns are named <region>/<town>)`,
    );
  }
  return [
    {
      type: 'JobSubmitted',
      data: {
        jobId: command.jobId,
        businessId: command.businessId,
        title,
        description,
        workCategory: command.workCategory,
        pricing,
        amountYen: amountYen.toString(),
        deadline: deadline.toISOString(),
        regionId: command.regionId,
        localOnlyTownId: town,
        skills: skillsOf(command.skills),
        submittedBy: by.id,
      },
    },
  ];
};

const quote = (command: QuoteJob, job: Job): JobEvent[] => {
  requireCoordinator(job, command.by, 'quote');
  requireStatus(job, ['submitted', 'quoted'], 'job.not_quotable', 'quoted');
  const amountYen = yen(command.amountYen, 'amountYen');
  if (
    !Number.isSafeInteger(command.estimatedMinutes) ||
    command.estimatedMinutes < LIMITS.minEstimatedMinutes ||
    command.estimatedMinutes > LIMITS.maxEstimatedMinutes
  ) {
    throw invalid(
      'job.invalid_estimated_minutes',
      'estimatedMinutes',
      `the estimate is a whole number of minutes from ${LIMITS.minEstimatedMinutes} to ${LIMITS.maxEstimatedMinutes}`,
    );
  }
  const deliveryDate = instant(command.deliveryDate, 'deliveryDate', 'job.invalid_delivery_date');
  if (deliveryDate.getTime() <= command.at.getTime())
    throw invalid('job.invalid_delivery_date', 'deliveryDate', 'the delivery date must be in the future');
  if (deliveryDate.getTime() > job.deadline.getTime()) {
    throw invalid(
      'job.delivery_after_deadline',
      'deliveryDate',
      `the delivery date must be at or before the job's deadline ${job.deadline.toISOString()}`,
    );
  }
  const note = text(command.note, 'note', 'job.invalid_note', { min: 0, max: LIMITS.noteLength });
  return [
    {
      type: 'JobQuoted',
      data: {
        jobId: job.jobId,
        amountYen: amountYen.toString(),
        estimatedMinutes: command.estimatedMinutes,
        deliveryDate: deliveryDate.toISOString(),
        note,
        quotedBy: command.by.id,
      },
    },
  ];
};

const accept = (command: AcceptQuote, job: Job): JobEvent[] => {
  requireBusiness(job, command.by, 'accept its quote');
  requireStatus(job, ['quoted'], 'job.not_acceptable', 'accepted');
  const offered = job.quote!;
  // A quote whose delivery date has passed promises what can no longer be kept: ask for a new one.
  if (offered.deliveryDate.getTime() <= command.at.getTime())
    throw refuse('job.quote_expired', 'the quote’s delivery date has passed: ask the coordinator to quote again');
  const terms = orderTermsFor(offered);
  return [
    {
      type: 'JobAccepted',
      data: {
        jobId: job.jobId,
        businessId: job.businessId,
        regionId: job.regionId,
        localOnlyTownId: job.localOnlyTownId,
        workCategory: job.workCategory,
        title: job.title,
        skills: [...job.skills],
        deadline: job.deadline.toISOString(),
        estimatedMinutes: offered.estimatedMinutes,
        pricing: pricingOf(job.pricing),
        feeYen: terms.feeYen.toString(),
        deliveryDate: terms.deliveryDate.toISOString(),
        inspectionDate: terms.inspectionDate.toISOString(),
        paymentDate: terms.paymentDate.toISOString(),
        acceptedBy: command.by.id,
      },
    },
  ];
};

const decline = (command: DeclineQuote, job: Job): JobEvent[] => {
  requireBusiness(job, command.by, 'decline its quote');
  requireStatus(job, ['quoted'], 'job.not_declinable', 'declined');
  const reason = text(command.reason, 'reason', 'job.invalid_reason', { min: 1, max: LIMITS.reasonLength });
  return [{ type: 'QuoteDeclined', data: { jobId: job.jobId, reason, declinedBy: command.by.id } }];
};

const start = (command: StartJob, job: Job): JobEvent[] => {
  if (!coordinates(command.by, job.regionId) && !isSystem(command.by))
    throw forbidden(`only a coordinator of ${job.regionId} may start this job`);
  // The process manager starts a job once its tasks are planned; a job no longer waiting to start
  // (its coordinator started it first, or it was cancelled) is left as it is, so a redelivered
  // TasksPlanned changes nothing. A coordinator is told why her command does nothing.
  if (isSystem(command.by) && job.status !== 'accepted') return [];
  requireStatus(job, ['accepted'], 'job.not_startable', 'started');
  return [{ type: 'JobStarted', data: { jobId: job.jobId, startedBy: command.by.id } }];
};

const deliver = (command: DeliverJob, job: Job): JobEvent[] => {
  requireCoordinator(job, command.by, 'deliver');
  requireStatus(job, ['in_progress'], 'job.not_deliverable', 'delivered');
  const note = text(command.note, 'note', 'job.invalid_note', { min: 0, max: LIMITS.noteLength });
  return [{ type: 'JobDelivered', data: { jobId: job.jobId, note, deliveredBy: command.by.id } }];
};

const inspect = (command: InspectJob, job: Job): JobEvent[] => {
  requireBusiness(job, command.by, 'inspect the delivered work');
  requireStatus(job, ['delivered'], 'job.not_inspectable', 'inspected');
  if (typeof command.accepted !== 'boolean')
    throw invalid('job.invalid_inspection', 'accepted', 'an inspection accepts the work or rejects it');
  if (command.accepted && typeof command.reason === 'string' && command.reason.trim() !== '') {
    throw invalid('job.unexpected_reason', 'reason', 'a reason is given only when the work is rejected');
  }
  const reason = command.accepted
    ? ''
    : text(command.reason, 'reason', 'job.invalid_reason', { min: 1, max: LIMITS.reasonLength });
  return [
    {
      type: 'JobInspected',
      data: { jobId: job.jobId, accepted: command.accepted, reason, inspectedBy: command.by.id },
    },
  ];
};

const close = (command: CloseJob, job: Job): JobEvent[] => {
  requireCoordinator(job, command.by, 'close');
  requireStatus(job, ['inspected'], 'job.not_closable', 'closed');
  return [{ type: 'JobClosed', data: { jobId: job.jobId, closedBy: command.by.id } }];
};

const cancel = (command: CancelJob, job: Job): JobEvent[] => {
  const { by } = command;
  const coordinator = coordinates(by, job.regionId);
  if (!coordinator && !actsFor(by, job.businessId))
    throw forbidden('a job is cancelled by its business or a coordinator of its region');
  requireStatus(job, ['submitted', 'quoted', 'accepted'], 'job.not_cancellable', 'cancelled');
  // Once accepted, the cooperative has committed to the work: only its coordinator may call it off.
  if (job.status === 'accepted' && !coordinator)
    throw forbidden(`an accepted job is cancelled by a coordinator of ${job.regionId} only`);
  const reason = text(command.reason, 'reason', 'job.invalid_reason', { min: 1, max: LIMITS.reasonLength });
  return [{ type: 'JobCancelled', data: { jobId: job.jobId, reason, cancelledBy: by.id } }];
};

export const decide = (command: JobCommand, state: JobState): JobEvent[] => {
  if (command.type === 'SubmitJob') return submit(command, state);
  const job = existing(state);
  switch (command.type) {
    case 'QuoteJob':
      return quote(command, job);
    case 'AcceptQuote':
      return accept(command, job);
    case 'DeclineQuote':
      return decline(command, job);
    case 'StartJob':
      return start(command, job);
    case 'DeliverJob':
      return deliver(command, job);
    case 'InspectJob':
      return inspect(command, job);
    case 'CloseJob':
      return close(command, job);
    case 'CancelJob':
      return cancel(command, job);
  }
};

/**
 * The schema versions job intake writes: JobAccepted at 2 since it carries the pricing (a
 * version-1 event reads as it is: evolve takes nothing from the fields version 2 added).
 */
export const jobUpcaster = createUpcaster({ JobAccepted: { 1: (data) => data } });

// ---- evolve ---------------------------------------------------------------------------------

const pricingFrom = (data: PricingData): Pricing =>
  data.kind === 'hourly' ? { kind: 'hourly', hourlyRateYen: BigInt(data.hourlyRateYen) } : { kind: 'fixed_price' };

export const evolve = (state: JobState, event: JobEvent): JobState => {
  if (event.type === 'JobSubmitted') {
    const d = event.data;
    return {
      status: 'submitted',
      jobId: d.jobId,
      businessId: d.businessId,
      title: d.title,
      description: d.description,
      workCategory: d.workCategory,
      pricing: pricingFrom(d.pricing),
      amountYen: BigInt(d.amountYen),
      deadline: new Date(d.deadline),
      regionId: d.regionId,
      localOnlyTownId: d.localOnlyTownId,
      skills: [...d.skills],
      submittedBy: d.submittedBy,
      inspections: [],
    };
  }
  if (!isJob(state)) return state;
  switch (event.type) {
    case 'JobQuoted': {
      const d = event.data;
      return {
        ...state,
        status: 'quoted',
        quote: {
          amountYen: BigInt(d.amountYen),
          estimatedMinutes: d.estimatedMinutes,
          deliveryDate: new Date(d.deliveryDate),
          note: d.note,
          quotedBy: d.quotedBy,
        },
      };
    }
    case 'JobAccepted': {
      const d = event.data;
      return {
        ...state,
        status: 'accepted',
        terms: {
          feeYen: BigInt(d.feeYen),
          deliveryDate: new Date(d.deliveryDate),
          inspectionDate: new Date(d.inspectionDate),
          paymentDate: new Date(d.paymentDate),
          acceptedBy: d.acceptedBy,
        },
      };
    }
    case 'QuoteDeclined':
      return { ...state, status: 'declined', reason: event.data.reason };
    case 'JobStarted':
      return { ...state, status: 'in_progress' };
    case 'JobDelivered':
      return { ...state, status: 'delivered' };
    case 'JobInspected': {
      const { accepted, reason, inspectedBy } = event.data;
      // A rejection sends the job back to work (rework); the inspection stays on record.
      return {
        ...state,
        status: accepted ? 'inspected' : 'in_progress',
        inspections: [...state.inspections, { accepted, reason, inspectedBy }],
      };
    }
    case 'JobClosed':
      return { ...state, status: 'closed' };
    case 'JobCancelled':
      return { ...state, status: 'cancelled', reason: event.data.reason };
  }
};

export const initialState = (): JobState => ({ status: 'none' });

export const jobDecider: Decider<JobCommand, JobEvent, JobState> = { decide, evolve, initialState };
