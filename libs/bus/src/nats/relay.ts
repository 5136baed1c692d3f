import type { Logger } from '@workshare/telemetry/logger';
import { headers } from '@nats-io/transport-node';
import { performance } from 'node:perf_hooks';
import {
  comparePositions,
  formatPosition,
  START,
  type EventStore,
  type GlobalPosition,
  type RecordedEvent,
} from '@workshare/eventsourcing';
import {
  cancellableDelay,
  contextFor,
  describeError,
  isBusInternalStream,
  subjectFor,
  type ContextOf,
} from '../bus.js';
import { ChainFaultError, ChainVerifier, describeChainFault, type ChainFault, type PendingTails } from '../chain.js';
import { encodeEnvelope } from '../envelope.js';
import type { JetStreamRequests, PublishAck } from './requests.js';

/** Headers every published event carries besides `Nats-Msg-Id` (the event id) and `traceparent` (when the event has one). */
export const EVENT_HEADERS = {
  /** The event's stream: consumers handle the events of one stream in order. */
  stream: 'Workshare-Stream',
} as const;

export interface RelayOptions {
  /** The store whose global log is relayed (the outbox: no dual writes). */
  store: Pick<EventStore, 'readAll' | 'readStream' | 'readCheckpoint' | 'storeCheckpoint' | 'headPosition'>;
  /** Name of the relay's durable checkpoint in the store (default `workshare-relay`). */
  relayId?: string;
  /** Events read and published per page (default 500). */
  batchSize?: number;
  /**
   * Longest wait between reads of the log, in ms (default 20): after a read that found events the
   * relay reads again within 2 ms, and backs off to this while the log stays quiet.
   */
  pollIntervalMs?: number;
  /**
   * The checkpoint is saved after a page whose publishes are all acknowledged, at most this often
   * while events keep coming (default 100 ms; 0: after every page), and whenever the log goes quiet.
   * A relay that dies republishes what came after it: JetStream and the ledgers drop the repeats.
   */
  checkpointIntervalMs?: number;
  /** Wait before retrying a page after a failure (store or NATS), in ms (default 1,000). */
  retryDelayMs?: number;
  /** Publishes awaiting their acknowledgement at once (default 256). */
  maxInFlight?: number;
  /**
   * Streams whose last hash the relay keeps to check the next event's link (default 50,000; least
   * recently used out first): the previous event of a stream not kept is read from the store.
   */
  chainTails?: number;
  /** Told after each publish is acknowledged, before the page's checkpoint (awaited): for metrics and fault tests. */
  onPublished?: (event: RecordedEvent, ack: PublishAck) => void | Promise<void>;
}

export interface RelayStats {
  /** Publishes acknowledged as new messages. */
  readonly published: number;
  /** Publishes the stream dropped as duplicates (same `Nats-Msg-Id` within the duplicate window). */
  readonly duplicates: number;
  /** The checkpoint saved last, as text. */
  readonly checkpoint: string;
  /** Set when the relay stopped at an event that failed its hash-chain check (nothing from it on is published). */
  readonly fault: ChainFault | undefined;
}

interface Refused {
  fault: ChainFault;
  /** The position of the event before the refused one: where the checkpoint may go. */
  before: GlobalPosition;
}

export interface RelayWiring {
  /** JetStream calls, once connected and the stream exists. */
  requests: () => Promise<JetStreamRequests>;
  subjectPrefix: string;
  contextOf: ContextOf;
  log: Logger;
  /** Told when the relay stops at an event that failed its hash-chain check. */
  onFault?: (fault: ChainFault) => void;
}

/**
 * Tails the store's global log from a durable checkpoint and publishes each event to
 * `<prefix>.<context>.<EventType>` with `Nats-Msg-Id` = event id and the event's `traceparent`
 * as a header. A page is checkpointed only after every publish in it is acknowledged, so a relay
 * that dies mid-page publishes that page again on restart: JetStream drops the repeats inside its
 * duplicate window, and the consumers' ledgers absorb any that get through later.
 *
 * Each event is checked against its stream's hash chain before it is published (ChainVerifier).
 * At an event that fails, the relay stops for good: what came before it is published and
 * checkpointed, nothing from it on is; the fault is logged, kept in `stats.fault`, and `done`
 * rejects with a ChainFaultError. Someone repairs the store and starts the relay again.
 *
 * A dropped connection fails the publishes in flight at once (JetStreamRequests); the relay then
 * waits for the client to reconnect and publishes the page again straight away.
 */
export class EventRelay {
  readonly done: Promise<void>;
  /** Where publishing has got to: every event up to here is acknowledged by JetStream. */
  private position: GlobalPosition = START;
  /** The checkpoint in the store (at most checkpointIntervalMs behind `position` while busy). */
  private saved: GlobalPosition = START;
  private savedAt = 0;
  private positionLoaded = false;
  private stopping = false;
  private idle: { cancel: () => void } | undefined;
  private published = 0;
  private duplicates = 0;
  private faulted: ChainFault | undefined;
  private readonly verifier: ChainVerifier;
  private readonly waiters: { target: GlobalPosition; resolve: () => void; reject: (error: Error) => void }[] = [];
  /** The relay's durable checkpoint name in the store. */
  readonly relayId: string;
  private signalStop: () => void = () => undefined;
  private readonly stopped = new Promise<void>((resolve) => (this.signalStop = resolve));

  constructor(
    private readonly wiring: RelayWiring,
    private readonly options: RelayOptions,
  ) {
    this.relayId = options.relayId ?? 'workshare-relay';
    this.verifier = new ChainVerifier(options.store, options.chainTails);
    this.done = this.run();
  }

  get stats(): RelayStats {
    return {
      published: this.published,
      duplicates: this.duplicates,
      checkpoint: formatPosition(this.saved),
      fault: this.faulted,
    };
  }

  /** The event the relay stopped at, and why; undefined while it is healthy. */
  get fault(): ChainFault | undefined {
    return this.faulted;
  }

  private async run(): Promise<void> {
    const batchSize = this.options.batchSize ?? 500;
    const maxPollMs = this.options.pollIntervalMs ?? 20;
    const minPollMs = Math.min(2, maxPollMs);
    const checkpointEveryMs = this.options.checkpointIntervalMs ?? 100;
    const retryMs = this.options.retryDelayMs ?? 1_000;
    // Wait for NATS (however long it takes), unless stopped first.
    const js = await Promise.race([this.wiring.requests(), this.stopped.then(() => undefined)]);
    if (!js) return;
    // Back on the broker: cut a wait short (a retry after a failure), so publishing resumes at once.
    const unlisten = js.onReconnect(() => this.idle?.cancel());
    try {
      await this.loop(js, { batchSize, maxPollMs, minPollMs, checkpointEveryMs, retryMs });
    } finally {
      unlisten();
    }
    // Stopping: save what was acknowledged.
    if (this.positionLoaded && comparePositions(this.position, this.saved) > 0) {
      try {
        await this.options.store.storeCheckpoint(this.relayId, this.position);
        this.saved = this.position;
      } catch (error) {
        if (!this.faulted) throw error;
        this.wiring.log.error(
          { relayId: this.relayId, checkpoint: formatPosition(this.saved), error: describeError(error) },
          'relay could not save its checkpoint before the faulty event; it will publish again from the last one saved',
        );
      }
    }
    if (this.faulted) {
      const error = this.faultError();
      for (const w of this.waiters.splice(0)) w.reject(error);
      throw error;
    }
  }

  private faultError(): ChainFaultError {
    return new ChainFaultError(this.faulted!, `relay ${this.relayId} stopped`);
  }

  private async loop(
    js: JetStreamRequests,
    timing: { batchSize: number; maxPollMs: number; minPollMs: number; checkpointEveryMs: number; retryMs: number },
  ): Promise<void> {
    const { batchSize, maxPollMs, minPollMs, checkpointEveryMs, retryMs } = timing;
    let pollMs = minPollMs;
    let prefetched: Promise<RecordedEvent[]> | undefined;
    while (!this.stopping) {
      const drops = js.drops;
      try {
        if (!this.positionLoaded) {
          this.position = (await this.options.store.readCheckpoint(this.relayId)) ?? START;
          this.saved = this.position;
          this.positionLoaded = true;
        }
        const page = await (prefetched ?? this.options.store.readAll({ after: this.position, limit: batchSize }));
        prefetched = undefined;
        let refused: Refused | undefined;
        if (page.length > 0) {
          const last = page[page.length - 1]!.position;
          const tails: PendingTails = new Map();
          const publishing = this.publishPage(js, page, tails);
          if (page.length === batchSize) {
            // More is likely waiting: read the next page while this one's acknowledgements come in.
            prefetched = this.options.store.readAll({ after: last, limit: batchSize });
            prefetched.catch(() => undefined);
          }
          try {
            refused = await publishing;
          } catch (error) {
            prefetched = undefined; // the page goes again: read on from the last acknowledged position
            throw error;
          }
          this.verifier.commit(tails);
          // Every publish of the page is acknowledged (up to the refused event, if any).
          this.position = refused ? refused.before : last;
        }
        if (refused) {
          prefetched = undefined;
          this.refuse(refused.fault);
          return; // for good: the run saves the checkpoint and reports the fault
        }
        const unsaved = comparePositions(this.position, this.saved) > 0;
        if (
          unsaved &&
          (page.length === 0 || this.waiters.length > 0 || performance.now() - this.savedAt >= checkpointEveryMs)
        ) {
          const position = this.position;
          await this.options.store.storeCheckpoint(this.relayId, position);
          this.saved = position;
          this.savedAt = performance.now();
        }
        this.settleWaiters();
        // Busy: read again soon; idle: back off to pollIntervalMs.
        pollMs = page.length > 0 ? minPollMs : Math.min(maxPollMs, pollMs * 2);
        if (page.length < batchSize) await this.pause(pollMs);
      } catch (error) {
        if (this.stopping) break;
        // The connection dropped during the page: retry as soon as the client has reconnected (a
        // reconnect cuts the wait short), or at once if it already has; else after retryDelayMs.
        const waitMs = !js.connected ? Math.max(retryMs, 60_000) : js.drops !== drops ? 0 : retryMs;
        this.wiring.log.error(
          {
            relayId: this.relayId,
            checkpoint: formatPosition(this.saved),
            ...(js.connected ? { retryInMs: waitMs } : { retry: 'once reconnected to NATS' }),
            error: describeError(error),
          },
          'relay could not publish a page; retrying it from the last acknowledged position',
        );
        if (waitMs > 0) await this.pause(waitMs);
      }
    }
  }

  /** Stops the relay at `fault` (called once the events before it are acknowledged), loudly. */
  private refuse(fault: ChainFault): void {
    this.faulted = fault;
    this.stopping = true;
    this.wiring.log.error(
      {
        relayId: this.relayId,
        streamName: fault.streamName,
        streamVersion: fault.streamVersion,
        eventId: fault.eventId,
        position: fault.position,
        reason: fault.reason,
        checkpoint: formatPosition(this.position),
      },
      `relay ${this.relayId} stopped: ${describeChainFault(fault)}; nothing from this event on is published ` +
        `(checkpoint kept at ${formatPosition(this.position)}, before it). Repair the store, then start the relay again`,
    );
    try {
      this.wiring.onFault?.(fault);
    } catch {
      // a listener's failure does not hide the fault
    }
  }

  /**
   * Publishes the page, each event checked against its stream's chain first, up to the first that
   * fails (nothing from it on is published): returns it, with the position just before it.
   */
  private async publishPage(
    js: JetStreamRequests,
    page: readonly RecordedEvent[],
    tails: PendingTails,
  ): Promise<Refused | undefined> {
    const maxInFlight = this.options.maxInFlight ?? 256;
    const inFlight = new Set<Promise<void>>();
    let failure: { error: unknown } | undefined;
    let refused: Refused | undefined;
    for (let i = 0; i < page.length; i++) {
      if (failure) break;
      const event = page[i]!;
      let fault = this.verifier.check(event, tails);
      if (fault instanceof Promise) {
        try {
          fault = await fault; // the stream's previous event, read from the store
        } catch (error) {
          failure ??= { error };
          break;
        }
      }
      if (fault) {
        refused = { fault, before: i === 0 ? this.position : page[i - 1]!.position };
        break;
      }
      if (isBusInternalStream(event.streamName)) continue;
      let subject: string;
      try {
        subject = subjectFor(
          this.wiring.subjectPrefix,
          contextFor(this.wiring.contextOf, event.streamName),
          event.type,
        );
      } catch (error) {
        failure = { error };
        break;
      }
      const h = headers();
      h.set(EVENT_HEADERS.stream, event.streamName);
      const traceparent = event.metadata.traceparent;
      if (typeof traceparent === 'string' && traceparent.length > 0) h.set('traceparent', traceparent);
      const tracestate = event.metadata.tracestate;
      if (typeof tracestate === 'string' && tracestate.length > 0) h.set('tracestate', tracestate);
      const onPublished = this.options.onPublished;
      const publish: Promise<void> = js.publish(subject, encodeEnvelope(event), { msgId: event.id, headers: h }).then(
        (ack) => {
          if (ack.duplicate) this.duplicates++;
          else this.published++;
          if (!onPublished) return void inFlight.delete(publish);
          return Promise.resolve(onPublished(event, ack)).then(
            () => void inFlight.delete(publish),
            (error: unknown) => {
              failure ??= { error };
              inFlight.delete(publish);
            },
          );
        },
        (error: unknown) => {
          failure ??= { error };
          inFlight.delete(publish);
        },
      );
      inFlight.add(publish);
      if (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (failure) throw failure.error;
    return refused;
  }

  private async pause(ms: number): Promise<void> {
    if (this.stopping) return;
    const wait = cancellableDelay(ms);
    this.idle = wait;
    await wait.promise;
    this.idle = undefined;
  }

  /** Cuts the idle wait short: call it after an append in this process for the lowest latency. */
  notify(): void {
    this.idle?.cancel();
  }

  private settleWaiters(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i]!;
      if (comparePositions(this.saved, w.target) >= 0) {
        this.waiters.splice(i, 1);
        w.resolve();
      }
    }
  }

  /** Resolves once everything in the log at the call is published and checkpointed. */
  async caughtUp(): Promise<void> {
    const target = await this.options.store.headPosition();
    if (this.positionLoaded && comparePositions(this.saved, target) >= 0) return;
    if (this.faulted) throw this.faultError();
    if (this.stopping) throw new Error(`relay ${this.relayId} is stopped`);
    await new Promise<void>((resolve, reject) => {
      this.waiters.push({ target, resolve, reject });
      this.notify();
    });
  }

  /** Stops after the page in hand is published and checkpointed. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.signalStop();
    this.idle?.cancel();
    await this.done.catch(() => undefined);
    for (const w of this.waiters.splice(0)) w.reject(new Error(`relay ${this.relayId} stopped before catching up`));
  }
}
