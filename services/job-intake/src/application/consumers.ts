import type { BusSubscription, EventBus } from '@workshare/bus';
import { contextOfEvent, SYSTEM_ACTORS } from '@workshare/eventsourcing';
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
 * The process manager of job intake: TasksPlanned (task decomposition, stream `plan-<jobId>`)
 * of round 1 starts the job (JobStarted by `system:job-intake`, caused by the event and known
 * by its id, so a redelivery changes nothing). A rework round's TasksPlanned needs nothing: the
 * rejected inspection already sent the job back to work. A job no longer waiting to start (its
 * coordinator started it first, or it was cancelled) is left as it is; anything else fails the
 * delivery, which the bus retries and then dead-letters.
 */
export const startJobIntakeConsumers = (options: JobIntakeConsumersOptions): BusSubscription[] => [
  options.bus.subscribe({
    consumer: TASKS_PLANNED_CONSUMER,
    filter: { types: ['TasksPlanned'], contexts: ['plan'] },
    handle: async (event) => {
      const { jobId, round } = event.data;
      if (round !== 1) return;
      if (typeof jobId !== 'string') throw new TypeError(`TasksPlanned ${event.id} carries no job id`);
      await options.service.startPlannedJob(contextOfEvent(PROCESS_MANAGER_ACTOR, event), jobId);
    },
  }),
];
