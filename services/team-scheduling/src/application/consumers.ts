import type { BusSubscription, EventBus } from '@workshare/bus';
import { contextOfEvent, DomainError, type RecordedEvent } from '@workshare/eventsourcing';
import { createLogger, type Logger } from '@workshare/telemetry';
import type { UnavailabilityDeclared } from '../domain/crew.js';
import { PROCESS_MANAGER } from '../domain/job-schedule.js';
import { identityFactOf, IDENTITY_EVENT_TYPES, jobOutcomeOf, plannedTasksOf } from './integration-events.js';
import type { TeamSchedulingService } from './team-scheduling-service.js';

/** identity's members → crew streams. */
export const IDENTITY_CONSUMER = 'team-scheduling-identity';
/** task decomposition's TasksPlanned → the job's schedule. */
export const PLANS_CONSUMER = 'team-scheduling-plans';
/** job intake's JobInspected and JobCancelled → recorded on the job's schedule. */
export const JOBS_CONSUMER = 'team-scheduling-jobs';
/** this service's UnavailabilityDeclared → the hand-offs completed after a crash. */
export const UNAVAILABILITY_CONSUMER = 'team-scheduling-unavailability';

/** Without a logger given, the process managers log nothing. */
const silent: Logger = createLogger('team-scheduling', { level: 'silent' });

export interface TeamSchedulingConsumersOptions {
  readonly service: TeamSchedulingService;
  readonly bus: EventBus;
  /** Structured logs, ids only (the process's pino logger; default: none). */
  readonly logger?: Logger;
}

/** The process managers act as `system:team-scheduling`, caused by the event they react to. */
const contextOf = (event: RecordedEvent) => contextOfEvent(PROCESS_MANAGER, event);

/**
 * Other services' events are read through their producers' published catalogues only
 * (integration-events.ts): one not published is left alone. A refusal for good (a rule, or an
 * unknown job: an inspection of a job never planned) is logged and acknowledged, since
 * delivering the event again cannot change the answer; anything else (a store outage, a
 * malformed event) is thrown for the bus to retry and dead-letter.
 */
const acknowledgingRefusals =
  (logger: Logger, handle: (event: RecordedEvent) => Promise<void>) => async (event: RecordedEvent) => {
    try {
      await handle(event);
    } catch (error) {
      if (error instanceof DomainError && (error.kind === 'rule' || error.kind === 'not_found')) {
        logger.warn(
          { eventId: event.id, type: event.type, code: error.code },
          'event refused by the schedule: acknowledged',
        );
        return;
      }
      throw error;
    }
  };

/**
 * The process managers of team scheduling, durable consumers each handling an event once:
 * identity's members join, change and leave teams; TasksPlanned is scheduled at once;
 * inspections and cancellations are recorded; declared unavailability is carried through.
 */
export const startTeamSchedulingConsumers = (options: TeamSchedulingConsumersOptions): BusSubscription[] => {
  const { service, bus } = options;
  const logger = options.logger ?? silent;
  return [
    bus.subscribe({
      consumer: IDENTITY_CONSUMER,
      filter: { types: IDENTITY_EVENT_TYPES, contexts: ['member'] },
      handle: acknowledgingRefusals(logger, async (event) => {
        const fact = identityFactOf(event);
        if (fact === undefined) return;
        await service.recordIdentityFact(contextOf(event), fact);
        logger.info({ memberId: fact.memberId, fact: fact.kind, eventId: event.id }, 'team member recorded');
      }),
    }),
    bus.subscribe({
      consumer: PLANS_CONSUMER,
      filter: { types: ['TasksPlanned'], contexts: ['plan'] },
      handle: acknowledgingRefusals(logger, async (event) => {
        const planned = plannedTasksOf(event);
        if (planned === undefined) return;
        const tasks = await service.receivePlannedTasks(contextOf(event), planned);
        logger.info(
          {
            jobId: planned.jobId,
            round: planned.round,
            assigned: tasks.filter((t) => t.status === 'assigned').length,
            unassignable: tasks.filter((t) => t.status === 'unassignable').length,
            eventId: event.id,
          },
          'planned tasks scheduled',
        );
      }),
    }),
    bus.subscribe({
      consumer: JOBS_CONSUMER,
      filter: { types: ['JobInspected', 'JobCancelled'], contexts: ['job'] },
      handle: acknowledgingRefusals(logger, async (event) => {
        const outcome = jobOutcomeOf(event);
        if (outcome?.kind === 'inspected')
          await service.recordInspection(contextOf(event), {
            jobId: outcome.jobId,
            accepted: outcome.accepted,
            reason: outcome.reason,
          });
        else if (outcome?.kind === 'cancelled')
          await service.recordCancellation(contextOf(event), { jobId: outcome.jobId, reason: outcome.reason });
      }),
    }),
    bus.subscribe({
      consumer: UNAVAILABILITY_CONSUMER,
      filter: { types: ['UnavailabilityDeclared'], contexts: ['crew'] },
      handle: acknowledgingRefusals(logger, async (event) => {
        const tasks = await service.completeUnavailability(
          contextOf(event),
          event as RecordedEvent<UnavailabilityDeclared>,
        );
        logger.info(
          { memberId: String(event.data.memberId), tasks: tasks.length, eventId: event.id },
          'unavailability carried through',
        );
      }),
    }),
  ];
};
