import { DomainError, type RecordedEvent } from '@workshare/eventsourcing';
import type { BusSubscription, EventBus } from '@workshare/bus';
import { acceptedJobOf, cancellationOf, inspectionOf, JOB_EVENT_TYPES } from './job-events.js';
import type { CommandContext, TaskDecompositionService } from './task-decomposition-service.js';

/** The durable consumer of job intake's events. */
export const JOBS_CONSUMER = 'task-decomposition-jobs';
/** The actor stamped on what the process manager writes. */
export const PROCESS_MANAGER_ACTOR = 'system:task-decomposition';

/** Structured logs (a pino logger fits); ids only. */
export interface ProcessLogger {
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
}

const silent: ProcessLogger = { info: () => undefined, warn: () => undefined };

export interface TaskDecompositionConsumersOptions {
  readonly service: TaskDecompositionService;
  readonly bus: EventBus;
  readonly logger?: ProcessLogger;
}

/** The command's context: the event's id as the command id, so a redelivered event is done once. */
const contextOf = (event: RecordedEvent): CommandContext => ({
  commandId: event.id,
  actor: PROCESS_MANAGER_ACTOR,
  causationId: event.id,
  correlationId: typeof event.metadata.correlationId === 'string' ? event.metadata.correlationId : event.id,
  ...(typeof event.metadata.traceparent === 'string' ? { traceparent: event.metadata.traceparent } : {}),
});

/**
 * One job intake event → the plan's command: JobAccepted proposes the plan, a rejected
 * JobInspected asks for rework, JobCancelled cancels it. A command the plan refuses for good
 * (a rule or an unknown plan: rework asked of a cancelled or never-planned job) is logged and
 * acknowledged, since delivering the event again cannot change the answer; anything else (a
 * store outage, a malformed event) is thrown for the bus to retry and, in the end, dead-letter.
 */
export const reactToJobEvent = async (
  service: TaskDecompositionService,
  event: RecordedEvent,
  logger: ProcessLogger = silent,
): Promise<void> => {
  try {
    switch (event.type) {
      case 'JobAccepted': {
        const plan = await service.proposePlan(acceptedJobOf(event), contextOf(event));
        logger.info(
          { jobId: plan.jobId, round: plan.round, tasks: plan.tasks.length, eventId: event.id },
          'plan proposed',
        );
        return;
      }
      case 'JobInspected': {
        const inspection = inspectionOf(event);
        if (inspection.accepted) return;
        const plan = await service.requestRework(inspection.jobId, inspection.reason, contextOf(event));
        logger.info({ jobId: plan.jobId, round: plan.round, eventId: event.id }, 'rework requested');
        return;
      }
      case 'JobCancelled': {
        const cancellation = cancellationOf(event);
        const plan = await service.cancelPlan(cancellation.jobId, cancellation.reason, contextOf(event));
        if (plan !== undefined) logger.info({ jobId: plan.jobId, eventId: event.id }, 'plan cancelled');
        return;
      }
      default:
        return;
    }
  } catch (error) {
    if (error instanceof DomainError && (error.kind === 'rule' || error.kind === 'not_found')) {
      logger.warn(
        { eventId: event.id, type: event.type, code: error.code },
        'job event refused by the plan: acknowledged',
      );
      return;
    }
    throw error;
  }
};

/**
 * The process manager (DESIGN §2: JobAccepted → decompose): a durable consumer of JobAccepted,
 * JobInspected and JobCancelled from job intake, each handled once per event id.
 */
export const startTaskDecompositionConsumers = (options: TaskDecompositionConsumersOptions): BusSubscription[] => {
  const logger = options.logger ?? silent;
  return [
    options.bus.subscribe({
      consumer: JOBS_CONSUMER,
      filter: { types: JOB_EVENT_TYPES, contexts: ['job'] },
      handle: (event) => reactToJobEvent(options.service, event, logger),
    }),
  ];
};
