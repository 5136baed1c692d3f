import type { EventStore, KeyedLocks } from '@workshare/eventsourcing';
import { openServiceProjections } from '@workshare/eventstore';
import type { Clock } from '@workshare/time';
import { TeamSchedulingService } from './application/team-scheduling-service.js';

export interface OpenTeamSchedulingOptions {
  /** The event store (opened and closed by the caller: the launcher shares one). */
  readonly store: EventStore;
  /** The platform's clock (default systemClock): notBefore, the rules and the events' occurred-at. */
  readonly now?: Clock;
  /** How stale reads may be for other processes' writes (default 100 ms). */
  readonly readStalenessMs?: number;
  /** The regions' leases (default: the store's own, else in process: see TeamSchedulingServiceOptions.locks). */
  readonly locks?: KeyedLocks;
  /** Where the roster keeps its state: PROJECTIONS_URL when set, else the store's own database (schema `team_scheduling`). */
  readonly projectionsUrl?: string | undefined;
}

export interface TeamSchedulingRuntime {
  readonly service: TeamSchedulingService;
  /** Lets go of the projection store; the store stays open (its opener closes it). */
  close(): Promise<void>;
}

/**
 * Composition of the team scheduling service: the store and the facade, its roster caught up
 * with the log before the first call (the teams and schedules known so far).
 */
export const openTeamSchedulingService = async (options: OpenTeamSchedulingOptions): Promise<TeamSchedulingRuntime> => {
  const projections = await openServiceProjections(options.store, 'team-scheduling', options.projectionsUrl);
  const service = new TeamSchedulingService({
    store: options.store,
    projections,
    ...(options.now ? { now: options.now } : {}),
    ...(options.readStalenessMs !== undefined ? { readStalenessMs: options.readStalenessMs } : {}),
    ...(options.locks ? { locks: options.locks } : {}),
  });
  try {
    await service.refreshRoster();
  } catch (error) {
    await projections.close().catch(() => undefined);
    throw error;
  }
  return {
    service,
    close: async () => {
      for (const model of service.readModels) await model.flush().catch(() => undefined);
      await projections.close();
    },
  };
};
