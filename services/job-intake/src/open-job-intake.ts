import type { EventStore } from '@workshare/eventsourcing';
import { openServiceProjections } from '@workshare/eventstore';
import type { Clock } from '@workshare/time';
import { IdentityGrpcLookup } from './adapters/identity/identity-lookup.js';
import { JobIntakeService } from './application/job-intake-service.js';

export interface OpenJobIntakeOptions {
  /** The event store (opened and closed by the caller: the launcher shares one). */
  readonly store: EventStore;
  /** host:port of identity's gRPC API (regions, towns, businesses). */
  readonly identityAddress: string;
  /** The platform's clock (default systemClock): the rules (a deadline in the future...) and the events' occurred-at. */
  readonly now?: Clock;
  /** How stale ListJobs may be for other processes' writes (default 100 ms). */
  readonly readStalenessMs?: number;
  /** Where the job board keeps its state: PROJECTIONS_URL when set, else the store's own database (schema `job_intake`). */
  readonly projectionsUrl?: string | undefined;
}

export interface JobIntakeRuntime {
  readonly service: JobIntakeService;
  /** Lets go of the connection to identity and of the projection store; the store stays open (its opener closes it). */
  close(): Promise<void>;
}

/** Composition of the job intake service: the store, identity over gRPC, the facade. */
export const openJobIntakeService = async (options: OpenJobIntakeOptions): Promise<JobIntakeRuntime> => {
  const projections = await openServiceProjections(options.store, 'job-intake', options.projectionsUrl);
  const identity = new IdentityGrpcLookup({ identityAddress: options.identityAddress });
  const service = new JobIntakeService({
    store: options.store,
    projections,
    identity,
    ...(options.now ? { now: options.now } : {}),
    ...(options.readStalenessMs !== undefined ? { readStalenessMs: options.readStalenessMs } : {}),
  });
  return {
    service,
    close: async () => {
      identity.close();
      for (const model of service.readModels) await model.flush().catch(() => undefined);
      await projections.close();
    },
  };
};
