/**
 * Other services' published events, read as this service needs them: identity's members
 * (streams `member-<id>`), task decomposition's TasksPlanned (`plan-<jobId>`), job intake's
 * inspections and cancellations (`job-<jobId>`). They are read only through the producers'
 * catalogues (@workshare/contracts): an event type its producer does not publish is not
 * consumed (undefined: acknowledged and left alone), and a published event that does not follow
 * its schema is refused (`schedule.malformed_event`, naming the field) rather than half
 * understood; the bus retries it and then dead-letters it where it can be looked at.
 */
import {
  IDENTITY_PUBLISHED_EVENTS,
  JOB_INTAKE_PUBLISHED_EVENTS,
  parsePublished,
  publishedTypes,
  TASK_DECOMPOSITION_PUBLISHED_EVENTS,
  type Catalogue,
  type ConsumedOf,
  type ContractViolation,
} from '@workshare/contracts';
import { ValidationError, type RecordedEvent } from '@workshare/eventsourcing';
import type { PlannedTask } from '../domain/job-schedule.js';
import type { WeeklyWindow } from '../domain/scheduler/model.js';

const malformed = (event: RecordedEvent, why: string, details: Record<string, unknown> = {}): ValidationError =>
  new ValidationError('schedule.malformed_event', `${event.type} ${event.id}: ${why}`, {
    eventId: event.id,
    type: event.type,
    ...details,
  });

const refused = (event: RecordedEvent, violation: ContractViolation): ValidationError =>
  malformed(event, violation.message, {
    contractCode: violation.code,
    ...(violation.field === undefined ? {} : { field: violation.field }),
  });

/** The event read through a producer's catalogue; undefined if its type is not published. */
const consume = <C extends Catalogue>(catalogue: C, event: RecordedEvent): ConsumedOf<C> | undefined => {
  const result = parsePublished(catalogue, event);
  if (result.ok) return result.value;
  if (result.error.code === 'contract.unpublished_event') return undefined;
  throw refused(event, result.error);
};

/** A window ends after it starts (what a schema cannot say). */
const windowsOf = (
  event: RecordedEvent,
  windows: readonly { day: WeeklyWindow['day']; start: string; end: string }[],
): WeeklyWindow[] =>
  windows.map((window, index) => {
    if (window.end <= window.start)
      throw malformed(event, `availability[${index}] does not end after it starts`, {
        field: `availability[${index}]`,
      });
    return { day: window.day, start: window.start, end: window.end };
  });

export const IDENTITY_EVENT_TYPES = publishedTypes(IDENTITY_PUBLISHED_EVENTS);

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
  const published = consume(IDENTITY_PUBLISHED_EVENTS, event);
  if (published === undefined) return undefined;
  switch (published.type) {
    case 'MemberRegistered': {
      const data = published.data;
      return {
        kind: 'registered',
        memberId: data.memberId,
        regionId: data.regionId,
        townId: data.townId,
        contractType: data.contractType,
        skills: data.skills,
        availability: windowsOf(event, data.availability),
      };
    }
    case 'MemberAvailabilityUpdated':
      return {
        kind: 'availability',
        memberId: published.data.memberId,
        availability: windowsOf(event, published.data.availability),
      };
    case 'MemberForgotten':
      return { kind: 'forgotten', memberId: published.data.memberId };
    default:
      return undefined;
  }
};

export interface PlannedTasks {
  readonly jobId: string;
  readonly businessId: string;
  readonly regionId: string;
  readonly localOnlyTownId: string | null;
  readonly round: number;
  readonly tasks: readonly PlannedTask[];
}

/** TasksPlanned (task decomposition, stream `plan-<jobId>`); undefined for an event it does not publish. */
export const plannedTasksOf = (event: RecordedEvent): PlannedTasks | undefined => {
  const published = consume(TASK_DECOMPOSITION_PUBLISHED_EVENTS, event);
  if (published === undefined || published.type !== 'TasksPlanned') return undefined;
  const data = published.data;
  return {
    jobId: data.jobId,
    businessId: data.businessId,
    regionId: data.regionId,
    localOnlyTownId: data.localOnlyTownId === '' ? null : data.localOnlyTownId,
    round: data.round,
    tasks: data.tasks.map((t, index): PlannedTask => {
      const deadline = Date.parse(t.deadline);
      if (Number.isNaN(deadline))
        throw malformed(event, `tasks[${index}].deadline is not an ISO-8601 time`, {
          field: `tasks[${index}].deadline`,
        });
      return {
        taskId: t.taskId,
        key: t.key,
        title: t.title,
        estimatedMinutes: t.estimatedMinutes,
        skills: t.skills,
        dependsOn: t.dependsOn,
        deadline,
      };
    }),
  };
};

export type JobOutcome =
  | { readonly kind: 'inspected'; readonly jobId: string; readonly accepted: boolean; readonly reason: string }
  | { readonly kind: 'cancelled'; readonly jobId: string; readonly reason: string };

/** JobInspected or JobCancelled (job intake, stream `job-<jobId>`); undefined for another type. */
export const jobOutcomeOf = (event: RecordedEvent): JobOutcome | undefined => {
  const published = consume(JOB_INTAKE_PUBLISHED_EVENTS, event);
  if (published === undefined) return undefined;
  switch (published.type) {
    case 'JobInspected':
      return {
        kind: 'inspected',
        jobId: published.data.jobId,
        accepted: published.data.accepted,
        reason: published.data.reason,
      };
    case 'JobCancelled':
      return { kind: 'cancelled', jobId: published.data.jobId, reason: published.data.reason };
    default:
      return undefined;
  }
};
