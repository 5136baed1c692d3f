import type { EventStore, KeyedLocks } from '@workshare/eventsourcing';
import { openServiceProjections } from '@workshare/eventstore';
import { DEFAULT_IDENTITY_ADDRESS } from '@workshare/service-host';
import type { Clock } from '@workshare/time';
import { IdentityTextsClient } from '@workshare/identity/texts';
import type { PersonalTexts } from './application/personal-texts.js';
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
  /**
   * Where members' free texts are sealed and opened: identity's texts port. Default: identity's
   * SealTexts and OpenTexts over gRPC at `identityAddress` (IDENTITY_ADDRESS), with the token of
   * the person each command or read is for.
   */
  readonly texts?: PersonalTexts;
  /** host:port of identity (default DEFAULT_IDENTITY_ADDRESS), when `texts` is not given. */
  readonly identityAddress?: string;
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
  const client =
    options.texts === undefined
      ? new IdentityTextsClient({ identityAddress: options.identityAddress ?? DEFAULT_IDENTITY_ADDRESS })
      : undefined;
  const service = new TeamSchedulingService({
    store: options.store,
    projections,
    texts: options.texts ?? client!,
    ...(options.now ? { now: options.now } : {}),
    ...(options.readStalenessMs !== undefined ? { readStalenessMs: options.readStalenessMs } : {}),
    ...(options.locks ? { locks: options.locks } : {}),
  });
  try {
    await service.refreshRoster();
  } catch (error) {
    client?.close();
    await projections.close().catch(() => undefined);
    throw error;
  }
  return {
    service,
    close: async () => {
      for (const model of service.readModels) await model.flush().catch(() => undefined);
      client?.close();
      await projections.close();
    },
  };
};
