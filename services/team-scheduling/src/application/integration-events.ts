/**
 * Other services' integration events, read as this service needs them: identity's members
 * (streams `member-<id>`), task decomposition's TasksPlanned (`plan-<jobId>`), job intake's
 * inspections and cancellations (`job-<jobId>`). Shapes are checked here, at the edge: a
 * malformed event is refused (`schedule.malformed_event`) rather than half understood; the bus
 * retries it and then dead-letters it where it can be looked at.
 */
import { isUuid, ValidationError, type JsonObject, type RecordedEvent } from '@workshare/eventsourcing';
import type { PlannedTask } from '../domain/job-schedule.js';
import type { WeeklyWindow } from '../domain/scheduler/model.js';
import { WEEKDAYS } from '../domain/scheduler/windows.js';

const malformed = (event: RecordedEvent, why: string): ValidationError =>
  new ValidationError('schedule.malformed_event', `${event.type} ${event.id}: ${why}`, {
    eventId: event.id,
    type: event.type,
  });

const text = (event: RecordedEvent, data: JsonObject, field: string): string => {
  const value = data[field];
  if (typeof value !== 'string' || value === '') throw malformed(event, `${field} is not a text`);
  return value;
};

const texts = (event: RecordedEvent, value: unknown, field: string): string[] => {
  if (!Array.isArray(value) || !value.every((s): s is string => typeof s === 'string'))
    throw malformed(event, `${field} is not a list of texts`);
  return value;
};

const idOfStream = (event: RecordedEvent, category: string, field: string): string => {
  const id = text(event, event.data, field);
  if (event.streamName !== `${category}-${id}`)
    throw malformed(event, `${field} ${id} is not the id of stream ${event.streamName}`);
  return id;
};

const DAYS = new Set<string>(WEEKDAYS);
const CLOCK = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

const windowsOf = (event: RecordedEvent, value: unknown): WeeklyWindow[] => {
  if (!Array.isArray(value)) throw malformed(event, 'availability is not a list of windows');
  return value.map((w, index) => {
    const window = w as { day?: unknown; start?: unknown; end?: unknown } | null;
    if (
      typeof window !== 'object' ||
      window === null ||
      typeof window.day !== 'string' ||
      !DAYS.has(window.day) ||
      typeof window.start !== 'string' ||
      typeof window.end !== 'string' ||
      !CLOCK.test(window.start) ||
      !CLOCK.test(window.end) ||
      window.end <= window.start
    ) {
      throw malformed(event, `availability[${index}] is not a window {day, start, end}`);
    }
    return { day: window.day as WeeklyWindow['day'], start: window.start, end: window.end };
  });
};

export const IDENTITY_EVENT_TYPES = ['MemberRegistered', 'MemberAvailabilityUpdated', 'MemberForgotten'] as const;

export type IdentityFact =
  | {
      readonly kind: 'registered';
      readonly memberId: string;
      readonly regionId: string;
      readonly townId: string;
      readonly contractType: string;
      readonly skills: readonly string[];
      readonly availability: readonly WeeklyWindow[];
    }
  | { readonly kind: 'availability'; readonly memberId: string; readonly availability: readonly WeeklyWindow[] }
  | { readonly kind: 'forgotten'; readonly memberId: string };

/** MemberRegistered, MemberAvailabilityUpdated or MemberForgotten (identity, stream `member-<id>`); undefined for another type. */
export const identityFactOf = (event: RecordedEvent): IdentityFact | undefined => {
  const data = event.data;
  switch (event.type) {
    case 'MemberRegistered':
      return {
        kind: 'registered',
        memberId: idOfStream(event, 'member', 'memberId'),
        regionId: text(event, data, 'regionId'),
        townId: text(event, data, 'townId'),
        contractType: text(event, data, 'contractType'),
        skills: texts(event, data.skills, 'skills'),
        availability: windowsOf(event, data.availability),
      };
    case 'MemberAvailabilityUpdated':
      return {
        kind: 'availability',
        memberId: idOfStream(event, 'member', 'memberId'),
        availability: windowsOf(event, data.availability),
      };
    case 'MemberForgotten':
      return { kind: 'forgotten', memberId: idOfStream(event, 'member', 'memberId') };
    default:
      return undefined;
  }
};

const isoTime = (event: RecordedEvent, value: unknown, field: string): number => {
  const ms = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw malformed(event, `${field} is not an ISO-8601 time`);
  return ms;
};

export interface PlannedTasks {
  readonly jobId: string;
  readonly businessId: string;
  readonly regionId: string;
  readonly localOnlyTownId: string | null;
  readonly round: number;
  readonly tasks: readonly PlannedTask[];
}

/** TasksPlanned (task decomposition, stream `plan-<jobId>`). */
export const plannedTasksOf = (event: RecordedEvent): PlannedTasks => {
  const data = event.data;
  const jobId = idOfStream(event, 'plan', 'jobId');
  if (!isUuid(jobId)) throw malformed(event, 'jobId is not a UUID');
  const round = data.round;
  if (typeof round !== 'number' || !Number.isSafeInteger(round) || round < 1)
    throw malformed(event, 'round is not a whole number ≥ 1');
  const town = data.localOnlyTownId;
  if (town !== null && town !== undefined && typeof town !== 'string')
    throw malformed(event, 'localOnlyTownId is not a text or null');
  if (!Array.isArray(data.tasks) || data.tasks.length === 0) throw malformed(event, 'tasks is not a list of tasks');
  const tasks = data.tasks.map((value, index): PlannedTask => {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw malformed(event, `tasks[${index}] is not a task`);
    const t = value;
    const taskId = text(event, t, 'taskId');
    if (!isUuid(taskId)) throw malformed(event, `tasks[${index}].taskId is not a UUID`);
    const minutes = t.estimatedMinutes;
    if (typeof minutes !== 'number' || !Number.isSafeInteger(minutes) || minutes < 1)
      throw malformed(event, `tasks[${index}].estimatedMinutes is not a whole number ≥ 1`);
    return {
      taskId,
      key: text(event, t, 'key'),
      title: text(event, t, 'title'),
      estimatedMinutes: minutes,
      skills: texts(event, t.skills, `tasks[${index}].skills`),
      dependsOn: texts(event, t.dependsOn, `tasks[${index}].dependsOn`),
      deadline: isoTime(event, t.deadline, `tasks[${index}].deadline`),
    };
  });
  return {
    jobId,
    businessId: text(event, data, 'businessId'),
    regionId: text(event, data, 'regionId'),
    localOnlyTownId: typeof town === 'string' && town !== '' ? town : null,
    round,
    tasks,
  };
};

/** JobInspected or JobCancelled (job intake, stream `job-<jobId>`). */
export const jobOutcomeOf = (
  event: RecordedEvent,
): { readonly jobId: string; readonly accepted?: boolean; readonly reason: string } => {
  const jobId = idOfStream(event, 'job', 'jobId');
  const reason = typeof event.data.reason === 'string' ? event.data.reason : '';
  if (event.type !== 'JobInspected') return { jobId, reason };
  if (typeof event.data.accepted !== 'boolean') throw malformed(event, 'accepted is not a boolean');
  return { jobId, accepted: event.data.accepted, reason };
};
