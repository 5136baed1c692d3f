import {
  CHAIN_START,
  chainLinkFault,
  formatPosition,
  type ChainTail,
  type EventStore,
  type RecordedEvent,
} from '@workshare/eventsourcing';

/** Why an event read from the store was refused: it does not match its hash or does not chain to its stream's previous event. */
export interface ChainFault {
  readonly streamName: string;
  readonly streamVersion: number;
  readonly eventId: string;
  /** The event's global position, as `<commit>/<prepare>`. */
  readonly position: string;
  /** What failed (the store's hash-chain check, or a predecessor missing from the store). */
  readonly reason: string;
}

/** A relay or a consumer of the embedded bus stopped at an event that failed its hash-chain check. */
export interface BusFault extends ChainFault {
  readonly component: 'relay' | 'consumer';
  /** The relay's id or the consumer's name. */
  readonly name: string;
  readonly detectedAt: Date;
}

export const describeChainFault = (fault: ChainFault): string =>
  `event ${fault.streamVersion} of stream ${fault.streamName} (id ${fault.eventId}, log position ${fault.position}) ` +
  `fails its hash-chain check: ${fault.reason}`;

/** Thrown (or rejected with) where an event failed its hash-chain check; `fault` says which and why. */
export class ChainFaultError extends Error {
  override readonly name = 'ChainFaultError';
  readonly code = 'bus.chain_fault';
  constructor(
    readonly fault: ChainFault,
    context: string,
  ) {
    super(`${context}: ${describeChainFault(fault)}`);
  }
}

/** Default bound of the streams whose last hash a verifier keeps. */
export const DEFAULT_CHAIN_TAILS = 50_000;

/** Tails learnt from events not yet settled (a page in flight): kept only once `commit`ted. */
export type PendingTails = Map<string, ChainTail>;

/**
 * Checks each event read from the store's log, in log order, before it goes anywhere: its hash is
 * recomputed and its previous hash must be the hash of its stream's previous event (the genesis
 * hash for version 0), with the store's own check (`chainLinkFault`). The last hash of the streams
 * seen lately is kept in a bounded map (least recently used out first); a stream not in it has its
 * previous event read from the store.
 */
export class ChainVerifier {
  private readonly tails = new Map<string, ChainTail>();

  constructor(
    private readonly store: Pick<EventStore, 'readStream'>,
    private readonly maxStreams = DEFAULT_CHAIN_TAILS,
  ) {
    if (!Number.isSafeInteger(maxStreams) || maxStreams < 1)
      throw new TypeError(`a chain verifier keeps at least one stream (got ${maxStreams})`);
  }

  /**
   * The fault of `event`, or undefined when it is intact and follows its stream's previous event.
   * Synchronous when that event is known; a promise when it has to be read from the store. With
   * `pending`, what is learnt goes there (see `commit`); without, it is kept at once.
   */
  check(event: RecordedEvent, pending?: PendingTails): ChainFault | undefined | Promise<ChainFault | undefined> {
    const known = pending?.get(event.streamName) ?? this.tails.get(event.streamName);
    if (event.streamVersion === 0) return this.link(CHAIN_START, event, pending);
    if (known && known.version === event.streamVersion - 1) return this.link(known, event, pending);
    return this.predecessor(event).then((tail) =>
      typeof tail === 'string' ? faultOf(event, tail) : this.link(tail, event, pending),
    );
  }

  /** Keeps what a settled page taught. */
  commit(pending: PendingTails): void {
    for (const [stream, tail] of pending) this.remember(stream, tail);
    pending.clear();
  }

  private link(tail: ChainTail, event: RecordedEvent, pending: PendingTails | undefined): ChainFault | undefined {
    const reason = chainLinkFault(tail, event);
    if (reason !== undefined) return faultOf(event, reason);
    const next = { version: event.streamVersion, hash: event.hash };
    if (pending) pending.set(event.streamName, next);
    else this.remember(event.streamName, next);
    return undefined;
  }

  /** The stream's event before `event`, from the store; or why there is none. */
  private async predecessor(event: RecordedEvent): Promise<ChainTail | string> {
    const version = event.streamVersion - 1;
    if (!Number.isSafeInteger(version) || version < 0) return `stream version ${event.streamVersion} is not a version`;
    const [previous] = await this.store.readStream(event.streamName, { fromVersion: version, limit: 1 });
    if (!previous || previous.streamVersion !== version)
      return `the stream's previous event (version ${version}) is not in the store`;
    return { version: previous.streamVersion, hash: previous.hash };
  }

  private remember(stream: string, tail: ChainTail): void {
    this.tails.delete(stream); // re-inserted: the most recently used comes last
    this.tails.set(stream, tail);
    if (this.tails.size > this.maxStreams) this.tails.delete(this.tails.keys().next().value!);
  }
}

const faultOf = (event: RecordedEvent, reason: string): ChainFault => ({
  streamName: event.streamName,
  streamVersion: event.streamVersion,
  eventId: event.id,
  position: formatPosition(event.position),
  reason,
});
