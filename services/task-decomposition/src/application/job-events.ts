import { isUuid, ValidationError, type JsonObject, type RecordedEvent } from '@workshare/eventsourcing';
import type { AcceptedJob } from '../domain/plan.js';
import { isWorkCategory } from '../domain/templates.js';

/**
 * Job intake's integration events (streams `job-<jobId>`), read as this service needs them.
 * The shape is checked here, at the edge: a malformed event is refused (ValidationError
 * `plan.malformed_job_event`) rather than half understood; the bus retries it and then
 * dead-letters it where it can be looked at.
 */

export const JOB_EVENT_TYPES = ['JobAccepted', 'JobInspected', 'JobCancelled'] as const;

const malformed = (event: RecordedEvent, why: string): ValidationError =>
  new ValidationError('plan.malformed_job_event', `${event.type} ${event.id}: ${why}`, {
    eventId: event.id,
    type: event.type,
  });

const text = (event: RecordedEvent, data: JsonObject, field: string): string => {
  const value = data[field];
  if (typeof value !== 'string') throw malformed(event, `${field} is not a string`);
  return value;
};

const isoTime = (event: RecordedEvent, data: JsonObject, field: string): string => {
  const value = text(event, data, field);
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(ms))
    throw malformed(event, `${field} is not an ISO-8601 time`);
  return new Date(ms).toISOString();
};

/** The job's id: data.jobId, a UUID, and the id of the stream it was recorded on. */
const jobIdOf = (event: RecordedEvent): string => {
  const jobId = text(event, event.data, 'jobId');
  if (!isUuid(jobId)) throw malformed(event, 'jobId is not a UUID');
  if (event.streamName !== `job-${jobId}`)
    throw malformed(event, `jobId ${jobId} is not the id of stream ${event.streamName}`);
  return jobId;
};

/** Minutes as a whole number ≥ 1 (a JSON number, or its decimal string). */
const minutes = (event: RecordedEvent, data: JsonObject, field: string): number => {
  const value = data[field];
  const n = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1)
    throw malformed(event, `${field} is not a whole number of minutes ≥ 1`);
  return n;
};

/** JobAccepted → the job to plan; accepted at the event's occurred-at. */
export const acceptedJobOf = (event: RecordedEvent): AcceptedJob => {
  const data = event.data;
  const jobId = jobIdOf(event);
  const workCategory = data.workCategory;
  if (!isWorkCategory(workCategory)) throw malformed(event, 'workCategory is not a known work category');
  const skills = data.skills;
  if (!Array.isArray(skills) || !skills.every((s): s is string => typeof s === 'string'))
    throw malformed(event, 'skills is not a list of strings');
  const town = data.localOnlyTownId;
  if (town !== null && town !== undefined && typeof town !== 'string')
    throw malformed(event, 'localOnlyTownId is not a string or null');
  return {
    jobId,
    businessId: text(event, data, 'businessId'),
    regionId: text(event, data, 'regionId'),
    localOnlyTownId: typeof town === 'string' && town !== '' ? town : null,
    workCategory,
    title: text(event, data, 'title'),
    skills,
    estimatedMinutes: minutes(event, data, 'estimatedMinutes'),
    deadline: isoTime(event, data, 'deadline'),
    acceptedAt: event.occurredAt.toISOString(),
  };
};

export interface JobInspection {
  readonly jobId: string;
  readonly accepted: boolean;
  readonly reason: string;
}

export const inspectionOf = (event: RecordedEvent): JobInspection => {
  const jobId = jobIdOf(event);
  const accepted = event.data.accepted;
  if (typeof accepted !== 'boolean') throw malformed(event, 'accepted is not a boolean');
  const reason = event.data.reason;
  return { jobId, accepted, reason: typeof reason === 'string' ? reason : '' };
};

export interface JobCancellation {
  readonly jobId: string;
  readonly reason: string;
}

export const cancellationOf = (event: RecordedEvent): JobCancellation => {
  const jobId = jobIdOf(event);
  const reason = event.data.reason;
  return { jobId, reason: typeof reason === 'string' ? reason : '' };
};
