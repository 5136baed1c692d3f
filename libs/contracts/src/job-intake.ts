/**
 * Job intake's published events (streams `job-<jobId>`): a job accepted (what task
 * decomposition plans from), its inspection, its cancellation. Times are ISO-8601 UTC.
 */
import { Type } from 'typebox';
import { publishedEvent } from './published.js';

const PRODUCER = 'job-intake';
const CATEGORY = 'job';

/** What kind of work a job is (job intake's work categories). */
export const PUBLISHED_WORK_CATEGORIES = [
  'data_entry',
  'transcription',
  'writing',
  'design',
  'translation',
  'illustration',
  'proofreading',
] as const;

const jobId = Type.String({ format: 'uuid', description: 'The job; its stream is `job-<jobId>`.' });

const acceptedV1Fields = {
  jobId,
  businessId: Type.String(),
  regionId: Type.String(),
  localOnlyTownId: Type.Union([Type.String(), Type.Null()], {
    description: 'The one town whose members may work on it, or null.',
  }),
  workCategory: Type.Enum(PUBLISHED_WORK_CATEGORIES),
  title: Type.String(),
  skills: Type.Array(Type.String()),
  deadline: Type.String({ format: 'date-time' }),
  estimatedMinutes: Type.Integer({ minimum: 1, description: 'The accepted quote’s estimate.' }),
};

export const JobAcceptedV1 = publishedEvent({
  producer: PRODUCER,
  type: 'JobAccepted',
  schemaVersion: 1,
  category: CATEGORY,
  idField: 'jobId',
  schema: Type.Object(acceptedV1Fields),
});

/** Integer yen as a decimal string (money never travels as a float). */
const yen = (description: string) => Type.String({ pattern: '^[1-9]\\d*$', description });

/**
 * Version 2 adds what settlement bills from: the pricing (請負 at the fee, or 準委任 at an
 * hourly rate), the fee and the order terms' dates (フリーランス法 §3: fixed when the quote is
 * accepted).
 */
export const JobAcceptedV2 = publishedEvent({
  producer: PRODUCER,
  type: 'JobAccepted',
  schemaVersion: 2,
  category: CATEGORY,
  idField: 'jobId',
  schema: Type.Object({
    ...acceptedV1Fields,
    pricing: Type.Union(
      [
        Type.Object({ kind: Type.Literal('fixed_price') }),
        Type.Object({ kind: Type.Literal('hourly'), hourlyRateYen: yen('The hourly rate, tax excluded.') }),
      ],
      { description: '請負 (fixed_price: billed at the fee once its inspection is accepted) or 準委任 (hourly).' },
    ),
    feeYen: yen('The accepted quote’s amount, tax excluded: a fixed-price job’s price, an hourly job’s estimate.'),
    deliveryDate: Type.String({ format: 'date-time', description: 'The order terms’ delivery date.' }),
    inspectionDate: Type.String({ format: 'date-time', description: 'The business inspects by then.' }),
    paymentDate: Type.String({
      format: 'date-time',
      description: 'The order terms’ payment date: 00:00 Asia/Tokyo of the day.',
    }),
  }),
});

export const JobInspectedV1 = publishedEvent({
  producer: PRODUCER,
  type: 'JobInspected',
  schemaVersion: 1,
  category: CATEGORY,
  idField: 'jobId',
  schema: Type.Object({
    jobId,
    accepted: Type.Boolean({ description: 'false: the work was rejected and goes back to rework.' }),
    reason: Type.String({ description: 'Why it was rejected; empty when accepted.' }),
  }),
});

export const JobCancelledV1 = publishedEvent({
  producer: PRODUCER,
  type: 'JobCancelled',
  schemaVersion: 1,
  category: CATEGORY,
  idField: 'jobId',
  schema: Type.Object({ jobId, reason: Type.String() }),
});

/** Every event job intake publishes, each type at each version. */
export const JOB_INTAKE_PUBLISHED_EVENTS = [JobAcceptedV1, JobAcceptedV2, JobInspectedV1, JobCancelledV1] as const;
