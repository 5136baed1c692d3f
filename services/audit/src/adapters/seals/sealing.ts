import { categoryOf, type EventStore, type RecordedEvent } from '@workshare/eventsourcing';
import { NatsSealLog } from '@workshare/bus';
import { FileSealLog, LogSealer, verifyLog, type SealKey, type SealSink } from '@workshare/eventstore';
import type { VerificationReport } from '../../contract.js';
import type { LogVerifier, SealSummary } from '../../application/ports.js';

/**
 * The log's tamper evidence as the audit runs it (the event store's LogSealer, FileSealLog and
 * verifyLog; the bus's NatsSealLog): the sealer seals the log at an interval and at once after
 * every month's close (settlement's `MonthClosed`), into the append-only seal log file and, with
 * NATS, the seal stream; verification recomputes every chain and checks them against the seals
 * of the file. Without a seal key nothing is sealed and verification checks the chains alone.
 */

export interface SealingOptions {
  readonly store: EventStore;
  /** WORKSHARE_SEAL_KEY: the Ed25519 key seals are signed with (never in the database). */
  readonly key: SealKey | undefined;
  /** WORKSHARE_SEAL_LOG: the append-only file seals are kept in. */
  readonly sealLogPath: string | undefined;
  /** NATS_URL: seals are also kept in the NATS seal stream. */
  readonly natsUrl?: string | undefined;
  /** How often new events are sealed (AUDIT_SEAL_INTERVAL_MS). */
  readonly intervalMs: number;
  readonly now?: () => Date;
  readonly onError: (error: unknown) => void;
  /** Hashing threads of verification (default: verifyLog's). */
  readonly workers?: number;
}

export interface Sealing {
  readonly verifier: LogVerifier;
  /** The running sealer, when sealing is configured. */
  readonly sealer: LogSealer | undefined;
  close(): Promise<void>;
}

/** Whether an event closes a month: its seal is made at once. */
export const closesMonth = (event: Pick<RecordedEvent, 'type' | 'streamName'>): boolean =>
  event.type === 'MonthClosed' && categoryOf(event.streamName) === 'settlement';

const summaryOf = (seal: unknown): SealSummary | undefined => {
  const s = seal as { sequence?: unknown; position?: unknown; sealedAt?: unknown };
  return typeof s?.sequence === 'number' && typeof s.position === 'string' && typeof s.sealedAt === 'string'
    ? { sequence: s.sequence, position: s.position, sealedAt: s.sealedAt }
    : undefined;
};

export const openSealing = async (options: SealingOptions): Promise<Sealing> => {
  const file = options.sealLogPath !== undefined ? new FileSealLog(options.sealLogPath) : undefined;
  const sinks: SealSink[] = [];
  let nats: NatsSealLog | undefined;
  if (file !== undefined) sinks.push(file);
  if (options.key !== undefined && file !== undefined && options.natsUrl !== undefined && options.natsUrl !== '') {
    nats = await NatsSealLog.connect(options.natsUrl);
    sinks.push(nats);
  }
  const sealer =
    options.key !== undefined && sinks.length > 0
      ? LogSealer.start({
          store: options.store,
          key: options.key,
          sinks,
          intervalMs: options.intervalMs,
          monthClose: closesMonth,
          onError: options.onError,
          ...(options.now ? { now: options.now } : {}),
        })
      : undefined;
  sealer?.done.catch(options.onError);
  const now = options.now ?? (() => new Date());

  const verifier: LogVerifier = {
    async seals() {
      const kept = file === undefined ? [] : await file.readAll();
      return kept.flatMap((s) => {
        const summary = summaryOf(s);
        return summary === undefined ? [] : [summary];
      });
    },
    async verify(range, onProgress): Promise<VerificationReport> {
      const seals = file === undefined || options.key === undefined ? [] : await file.readAll();
      const sealed = seals.length > 0 && options.key !== undefined;
      const result = await verifyLog(options.store, {
        ...(sealed ? { seals, publicKey: options.key!.publicKey } : {}),
        ...(sealed && range.fromSeal !== undefined ? { from: range.fromSeal } : {}),
        ...(sealed && range.toSeal !== undefined ? { to: range.toSeal } : {}),
        onProgress,
        every: 10_000,
        ...(options.workers !== undefined ? { workers: options.workers } : {}),
      });
      const last = result.seals.last;
      return {
        status: result.intact ? 'intact' : 'broken',
        checkedEvents: result.events,
        sealsChecked: result.seals.checked,
        lastSeal:
          last === undefined ? null : { sequence: last.sequence, position: last.position, sealedAt: last.sealedAt },
        unsealedEvents: result.unsealed.events,
        breaks: result.breaks.map((b) => ({
          kind: b.kind,
          streamName: b.streamName ?? null,
          streamVersion: b.streamVersion ?? null,
          position: b.position ?? null,
          eventId: b.eventId ?? null,
          reason: b.reason,
        })),
        verifiedAt: now().toISOString(),
        range: { fromSeal: sealed ? (range.fromSeal ?? null) : null, toSeal: sealed ? (range.toSeal ?? null) : null },
        running: null,
      };
    },
  };

  return {
    verifier,
    sealer,
    close: async () => {
      await sealer?.stop();
      await nats?.close();
    },
  };
};
