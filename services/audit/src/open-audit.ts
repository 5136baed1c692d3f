import type { EventStore } from '@workshare/eventsourcing';
import { openServiceProjections, type SealKey } from '@workshare/eventstore';
import { IdentityPeople } from './adapters/identity/identity-people.js';
import { openSealing } from './adapters/seals/sealing.js';
import { AuditApplication } from './application/audit-service.js';

export interface OpenAuditOptions {
  /** The event store (opened and closed by the caller: the launcher shares one). */
  readonly store: EventStore;
  /** host:port of identity's gRPC API (members' names, personal texts). */
  readonly identityAddress: string;
  /** Where the query tables live: PROJECTIONS_URL when set, else the store's own database (schema `audit`). */
  readonly projectionsUrl?: string | undefined;
  /** The seal key (WORKSHARE_SEAL_KEY); without it nothing is sealed. */
  readonly sealKey?: SealKey | undefined;
  /** The seal log file (WORKSHARE_SEAL_LOG). */
  readonly sealLogPath?: string | undefined;
  /** NATS_URL: seals are also kept in the NATS seal stream. */
  readonly natsUrl?: string | undefined;
  /** How often new events are sealed (default 60 s). */
  readonly sealIntervalMs?: number;
  /** How often the whole log is verified in the background (default 1 h; 0: not in the background). */
  readonly verifyIntervalMs?: number;
  readonly now?: () => Date;
  /** How stale answers may be for what other processes logged (default 100 ms). */
  readonly readStalenessMs?: number;
  /** Told of background failures (sealing, verification, projections' passes). */
  readonly onError?: (error: unknown) => void;
}

export interface AuditRuntime {
  readonly service: AuditApplication;
  /** Stops the sealer and the background verification, lets go of identity and the projection store; the store stays open. */
  close(): Promise<void>;
}

/**
 * Composition of the audit service: its projection store (schema `audit`) and query tables, identity
 * over gRPC for names and personal texts, the sealer and the verifier, the facade. The
 * projections catch up from their checkpoints in the background at once.
 */
export const openAuditService = async (options: OpenAuditOptions): Promise<AuditRuntime> => {
  const onError = options.onError ?? (() => undefined);
  const projections = await openServiceProjections(options.store, 'audit', options.projectionsUrl);
  const people = new IdentityPeople({ identityAddress: options.identityAddress });
  const sealing = await openSealing({
    store: options.store,
    key: options.sealKey,
    sealLogPath: options.sealLogPath,
    natsUrl: options.natsUrl,
    intervalMs: options.sealIntervalMs ?? 60_000,
    onError,
    ...(options.now ? { now: options.now } : {}),
  });
  const service = new AuditApplication({
    store: options.store,
    projections,
    texts: people,
    names: people,
    verifier: sealing.verifier,
    ...(options.now ? { now: options.now } : {}),
    ...(options.readStalenessMs !== undefined ? { readStalenessMs: options.readStalenessMs } : {}),
  });
  const verifyIntervalMs = options.verifyIntervalMs ?? 60 * 60_000;
  if (verifyIntervalMs > 0) service.verifications.start(verifyIntervalMs, onError);
  service.refreshReadModels().catch(onError);
  return {
    service,
    close: async () => {
      await service.verifications.stop();
      await sealing.close();
      people.close();
      for (const model of service.readModels) await model.flush().catch(() => undefined);
      await projections.close();
    },
  };
};
