import {
  JOB_INTAKE_PUBLISHED_EVENTS,
  parsePublished,
  type ConsumedOf,
  type ContractViolation,
} from '@workshare/contracts';
import { ValidationError, type RecordedEvent } from '@workshare/eventsourcing';
import type { AcceptedJob } from '../domain/plan.js';

/**
 * Job intake's published events (streams `job-<jobId>`), read as this service needs them and
 * only through job intake's catalogue (@workshare/contracts): an event type job intake does not
 * publish is not consumed, and a published one that does not follow its schema is refused
 * (ValidationError `plan.malformed_job_event`, naming the field) rather than half understood;
 * the bus retries it and then dead-letters it where it can be looked at.
 */

export const JOB_EVENT_TYPES = ['JobAccepted', 'JobInspected', 'JobCancelled'] as const;

/** A job intake event this service reads: one of JOB_EVENT_TYPES, checked against its schema. */
export type PublishedJobEvent = Extract<
  ConsumedOf<typeof JOB_INTAKE_PUBLISHED_EVENTS>,
  { type: (typeof JOB_EVENT_TYPES)[number] }
>;

const malformed = (event: RecordedEvent, why: string, details: Record<string, unknown> = {}): ValidationError =>
  new ValidationError('plan.malformed_job_event', `${event.type} ${event.id}: ${why}`, {
    eventId: event.id,
    type: event.type,
    ...details,
  });

const refused = (event: RecordedEvent, violation: ContractViolation): ValidationError =>
  malformed(event, violation.message, {
    contractCode: violation.code,
    ...(violation.field === undefined ? {} : { field: violation.field }),
  });

/**
 * The event read through job intake's catalogue: undefined for a type it does not publish (or
 * this service does not read); a malformed one throws `plan.malformed_job_event`.
 */
export const jobEventOf = (event: RecordedEvent): PublishedJobEvent | undefined => {
  const result = parsePublished(JOB_INTAKE_PUBLISHED_EVENTS, event);
  if (!result.ok) {
    if (result.error.code === 'contract.unpublished_event') return undefined;
    throw refused(event, result.error);
  }
  return (JOB_EVENT_TYPES as readonly string[]).includes(result.value.type) ? result.value : undefined;
};

const readAs = <T extends PublishedJobEvent['type']>(
  event: RecordedEvent,
  type: T,
): Extract<PublishedJobEvent, { type: T }> => {
  const published = jobEventOf(event);
  if (published?.type !== type) throw malformed(event, `is not a published ${type}`);
  return published as Extract<PublishedJobEvent, { type: T }>;
};

/** JobAccepted → the job to plan; accepted at the event's occurred-at. */
export const acceptedJobOf = (event: RecordedEvent): AcceptedJob => {
  const { data } = readAs(event, 'JobAccepted');
  const deadline = Date.parse(data.deadline);
  if (Number.isNaN(deadline)) throw malformed(event, 'deadline is not an ISO-8601 time', { field: 'deadline' });
  return {
    jobId: data.jobId,
    businessId: data.businessId,
    regionId: data.regionId,
    localOnlyTownId: data.localOnlyTownId === '' ? null : data.localOnlyTownId,
    workCategory: data.workCategory,
    title: data.title,
    skills: data.skills,
    estimatedMinutes: data.estimatedMinutes,
    deadline: new Date(deadline).toISOString(),
    acceptedAt: event.occurredAt.toISOString(),
  };
};

export interface JobInspection {
  readonly jobId: string;
  readonly accepted: boolean;
  readonly reason: string;
}

export const inspectionOf = (event: RecordedEvent): JobInspection => {
  const { data } = readAs(event, 'JobInspected');
  return { jobId: data.jobId, accepted: data.accepted, reason: data.reason };
};

export interface JobCancellation {
  readonly jobId: string;
  readonly reason: string;
}

export const cancellationOf = (event: RecordedEvent): JobCancellation => {
  const { data } = readAs(event, 'JobCancelled');
  return { jobId: data.jobId, reason: data.reason };
};
