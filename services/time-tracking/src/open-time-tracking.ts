import type { EventStore } from '@workshare/eventsourcing';
import { openServiceProjections } from '@workshare/eventstore';
import type { Clock } from '@workshare/time';
import { DEFAULT_IDENTITY_ADDRESS } from '@workshare/service-host';
import { IdentityTextsClient, type PersonalTexts } from '@workshare/identity/texts';
import { TimeTrackingService } from './application/time-tracking-service.js';

export interface OpenTimeTrackingOptions {
  /** The event store (opened and closed by the caller: the launcher shares one). */
  readonly store: EventStore;
  /** The platform's clock (default systemClock): the rules (spans not in the future, weeks over) and the events' occurred-at. */
  readonly now?: Clock;
  /** How stale the read models may be for other processes' writes (default 100 ms). */
  readonly readStalenessMs?: number;
  /** Where the read models keep their state: PROJECTIONS_URL when set, else the store's own database (schema `time_tracking`). */
  readonly projectionsUrl?: string | undefined;
  /**
   * Where members' reasons are sealed: identity's texts port. Default: identity's SealTexts over
   * gRPC at `identityAddress` (IDENTITY_ADDRESS), with the token of the person each command is for.
   */
  readonly texts?: PersonalTexts;
  /** host:port of identity (default DEFAULT_IDENTITY_ADDRESS), when `texts` is not given. */
  readonly identityAddress?: string;
}

export interface TimeTrackingRuntime {
  readonly service: TimeTrackingService;
  /** Flushes the read models and lets go of the projection store; the store stays open (its opener closes it). */
  close(): Promise<void>;
}

/**
 * Composition of the time tracking service: the store and the facade, its read models caught up
 * with the log before the first call (the schedule's holds and the members' regions known so far).
 */
export const openTimeTrackingService = async (options: OpenTimeTrackingOptions): Promise<TimeTrackingRuntime> => {
  const projections = await openServiceProjections(options.store, 'time-tracking', options.projectionsUrl);
  const client =
    options.texts === undefined
      ? new IdentityTextsClient({ identityAddress: options.identityAddress ?? DEFAULT_IDENTITY_ADDRESS })
      : undefined;
  const service = new TimeTrackingService({
    store: options.store,
    projections,
    texts: options.texts ?? client!,
    ...(options.now ? { now: options.now } : {}),
    ...(options.readStalenessMs !== undefined ? { readStalenessMs: options.readStalenessMs } : {}),
  });
  try {
    await service.refreshReadModels();
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
