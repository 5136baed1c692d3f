import type { BusSubscription, EventBus } from '@workshare/bus';
import { parsePublished, TASK_DECOMPOSITION_PUBLISHED_EVENTS } from '@workshare/contracts';
import { contextOfEvent, SYSTEM_ACTORS, ValidationError, type RecordedEvent } from '@workshare/eventsourcing';
import type { JobIntakeService } from './job-intake-service.js';

/** The durable consumer that starts jobs once their tasks are planned. */
export const TASKS_PLANNED_CONSUMER = 'job-intake-tasks-planned';

/** Who this service's process manager acts as: `system:job-intake`. */
export const PROCESS_MANAGER_ACTOR = SYSTEM_ACTORS.processManager('job-intake');

export interface JobIntakeConsumersOptions {
  readonly service: JobIntakeService;
  readonly bus: EventBus;
}

/**
 * Task decomposition's TasksPlanned, read through its published catalogue
 * (@workshare/contracts): the job and the round; undefined for an event it does not publish. A
 * TasksPlanned that does not follow its schema is refused (`job.malformed_event`, naming the
 * field).
 */
export const tasksPlannedOf = (event: RecordedEvent): { jobId: string; round: number } | undefined => {
  const result = parsePublished(TASK_DECOMPOSITION_PUBLISHED_EVENTS, event);
  if (!result.ok) {
    if (result.error.code === 'contract.unpublished_event') return undefined;
    throw new ValidationError('job.malformed_event', `${event.type} ${event.id}: ${result.error.message}`, {
      eventId: event.id,
      type: event.type,
      contractCode: result.error.code,
      ...(result.error.field === undefined ? {} : { field: result.error.field }),
    });
  }
  return { jobId: result.value.data.jobId, round: result.value.data.round };
};

/**
 * The process manager of job intake: TasksPlanned (task decomposition, stream `plan-<jobId>`)
 * of round 1 starts the job (JobStarted by `system:job-intake`, caused by the event and known
 * by its id, so a redelivery changes nothing). A rework round's TasksPlanned needs nothing: the
 * rejected inspection already sent the job back to work. A job no longer waiting to start (its
 * coordinator started it first, or it was cancelled) is left as it is; anything else (a
 * malformed event, an outage) fails the delivery, which the bus retries and then dead-letters.
 */
export const startJobIntakeConsumers = (options: JobIntakeConsumersOptions): BusSubscription[] => [
  options.bus.subscribe({
    consumer: TASKS_PLANNED_CONSUMER,
    filter: { types: ['TasksPlanned'], contexts: ['plan'] },
    handle: async (event) => {
      const planned = tasksPlannedOf(event);
      if (planned === undefined || planned.round !== 1) return;
      await options.service.startPlannedJob(contextOfEvent(PROCESS_MANAGER_ACTOR, event), planned.jobId);
    },
  }),
];
