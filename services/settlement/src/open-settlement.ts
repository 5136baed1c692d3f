import type { EventStore, KeyedLocks } from '@workshare/eventsourcing';
import { openServiceProjections } from '@workshare/eventstore';
import { IdentityGrpcLookup } from './adapters/identity/identity-lookup.js';
import { createPdfRenderer } from './adapters/pdf/index.js';
import type { PdfRenderer } from './application/downloads.js';
import { SettlementService } from './application/settlement-service.js';

export interface OpenSettlementOptions {
  /** The event store (opened and closed by the caller: the launcher shares one). */
  readonly store: EventStore;
  /** host:port of identity's gRPC API (regions, businesses, members' names and bank accounts). */
  readonly identityAddress: string;
  /** Where the read models keep their state: PROJECTIONS_URL when set, else the store's own database (schema `settlement`). */
  readonly projectionsUrl?: string | undefined;
  /** The PDFs' IPAexGothic font file (default: Debian's). */
  readonly fontPath?: string | undefined;
  readonly now?: () => Date;
  /** How stale queries may be for other processes' writes (default 100 ms). */
  readonly readStalenessMs?: number;
  readonly locks?: KeyedLocks;
}

export interface SettlementRuntime {
  readonly service: SettlementService;
  /** Lets go of the connection to identity and of the projection store; the store stays open (its opener closes it). */
  close(): Promise<void>;
}

/**
 * The PDF renderer, its font read at the first document (a missing font refuses that download
 * with `settlement.font_missing`, not the service's start), then kept.
 */
const lazyPdfRenderer = (fontPath: string | undefined): PdfRenderer => {
  let renderer: ReturnType<typeof createPdfRenderer> | undefined;
  const get = () => (renderer ??= createPdfRenderer(fontPath !== undefined ? { fontPath } : {}));
  return {
    invoice: (settlement, invoice) => get().invoice(settlement, invoice),
    statement: (settlement, statement, memberName) => get().statement(settlement, statement, memberName),
  };
};

/** Composition of the settlement service: the store, its projections, identity over gRPC, the PDFs, the facade. */
export const openSettlementService = async (options: OpenSettlementOptions): Promise<SettlementRuntime> => {
  const projections = await openServiceProjections(options.store, 'settlement', options.projectionsUrl);
  const identity = new IdentityGrpcLookup({ identityAddress: options.identityAddress });
  const service = new SettlementService({
    store: options.store,
    projections,
    identity,
    pdf: lazyPdfRenderer(options.fontPath),
    ...(options.now ? { now: options.now } : {}),
    ...(options.readStalenessMs !== undefined ? { readStalenessMs: options.readStalenessMs } : {}),
    ...(options.locks ? { locks: options.locks } : {}),
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
