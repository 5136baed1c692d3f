import { contextOfEvent, DomainError, SYSTEM_ACTORS, type RecordedEvent } from '@workshare/eventsourcing';
import type { BusSubscription, EventBus } from '@workshare/bus';
import { createLogger, type Logger } from '@workshare/telemetry';
import { acceptedJobOf, cancellationOf, inspectionOf, JOB_EVENT_TYPES } from './job-events.js';
import type { TaskDecompositionService } from './task-decomposition-service.js';

/** The durable consumer of job intake's events. */
export const JOBS_CONSUMER = 'task-decomposition-jobs';
/** Who the process manager acts as: `system:task-decomposition`. */
export const PROCESS_MANAGER_ACTOR = SYSTEM_ACTORS.processManager('task-decomposition');

/** Without a logger given, the process manager logs nothing. */
const silent: Logger = createLogger('task-decomposition', { level: 'silent' });

export interface TaskDecompositionConsumersOptions {
  readonly service: TaskDecompositionService;
  readonly bus: EventBus;
  /** Structured logs, ids only (the process's pino logger; default: none). */
  readonly logger?: Logger;
}

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
  logger: Logger = silent,
): Promise<void> => {
  // Caused by the event and known by its id (the facade's process manager commands), so a
  // redelivered event is done once.
  const context = contextOfEvent(PROCESS_MANAGER_ACTOR, event);
  try {
    switch (event.type) {
      case 'JobAccepted': {
        const plan = await service.proposePlan(context, acceptedJobOf(event));
        logger.info(
          { jobId: plan.jobId, round: plan.round, tasks: plan.tasks.length, eventId: event.id },
          'plan proposed',
        );
        return;
      }
      case 'JobInspected': {
        const inspection = inspectionOf(event);
        if (inspection.accepted) return;
        const plan = await service.requestRework(context, inspection);
        logger.info({ jobId: plan.jobId, round: plan.round, eventId: event.id }, 'rework requested');
        return;
      }
      case 'JobCancelled': {
        const cancellation = cancellationOf(event);
        const plan = await service.cancelPlan(context, cancellation);
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
