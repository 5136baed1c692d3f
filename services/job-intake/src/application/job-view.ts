import type { RecordedEvent } from '@workshare/eventsourcing';
import { evolve, isJob, JOB_EVENT_TYPES, type InspectionRecord, type Job, type JobEvent } from '../domain/job.js';

/** A job as queries answer it: the decider's state with the times its events occurred and its version. */
export interface JobView extends Job {
  readonly inspections: readonly (InspectionRecord & { readonly inspectedAt: Date })[];
  readonly submittedAt: Date;
  readonly updatedAt: Date;
  readonly quotedAt?: Date;
  readonly acceptedAt?: Date;
  /** The job stream's version (number of events minus one). */
  readonly version: number;
}

const JOB_EVENTS = new Set<string>(JOB_EVENT_TYPES);

export const isJobEvent = (event: RecordedEvent): event is RecordedEvent<JobEvent> =>
  event.streamName.startsWith('job-') && JOB_EVENTS.has(event.type);

/**
 * Folds one more recorded event of the job's stream into its view (the decider's own evolve,
 * plus the envelope's occurred-at). Undefined until the job was submitted.
 */
export const projectJob = (view: JobView | undefined, event: RecordedEvent<JobEvent>): JobView | undefined => {
  const domainEvent = { type: event.type, data: event.data } as JobEvent;
  const state = evolve(view ?? { status: 'none' }, domainEvent);
  if (!isJob(state)) return view;
  const at = event.occurredAt;
  const inspections = view?.inspections ?? [];
  return {
    ...state,
    inspections:
      domainEvent.type === 'JobInspected'
        ? [
            ...inspections,
            {
              accepted: domainEvent.data.accepted,
              reason: domainEvent.data.reason,
              inspectedBy: domainEvent.data.inspectedBy,
              inspectedAt: at,
            },
          ]
        : inspections,
    submittedAt: view?.submittedAt ?? at,
    updatedAt: at,
    ...(domainEvent.type === 'JobQuoted'
      ? { quotedAt: at }
      : view?.quotedAt !== undefined
        ? { quotedAt: view.quotedAt }
        : {}),
    ...(domainEvent.type === 'JobAccepted'
      ? { acceptedAt: at }
      : view?.acceptedAt !== undefined
        ? { acceptedAt: view.acceptedAt }
        : {}),
    version: event.streamVersion,
  };
};

/** A whole stream's view, or undefined for a stream without a submission. */
export const jobViewOf = (events: readonly RecordedEvent[]): JobView | undefined => {
  let view: JobView | undefined;
  for (const event of events) if (isJobEvent(event)) view = projectJob(view, event);
  return view;
};
