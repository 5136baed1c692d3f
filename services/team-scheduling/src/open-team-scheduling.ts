import type { EventStore } from '@workshare/eventsourcing';
import { TeamSchedulingService } from './application/team-scheduling-service.js';

export interface OpenTeamSchedulingOptions {
  /** The event store (opened and closed by the caller: the launcher shares one). */
  readonly store: EventStore;
  readonly now?: () => Date;
  /** How stale reads may be for other processes' writes (default 100 ms). */
  readonly readStalenessMs?: number;
}

export interface TeamSchedulingRuntime {
  readonly service: TeamSchedulingService;
  /** Nothing of its own to let go of yet; the store stays open (its opener closes it). */
  close(): Promise<void>;
}

/**
 * Composition of the team scheduling service: the store and the facade, its roster caught up
 * with the log before the first call (the teams and schedules known so far).
 */
export const openTeamSchedulingService = async (options: OpenTeamSchedulingOptions): Promise<TeamSchedulingRuntime> => {
  const service = new TeamSchedulingService({
    store: options.store,
    ...(options.now ? { now: options.now } : {}),
    ...(options.readStalenessMs !== undefined ? { readStalenessMs: options.readStalenessMs } : {}),
  });
  await service.refreshRoster();
  return { service, close: async () => undefined };
};
