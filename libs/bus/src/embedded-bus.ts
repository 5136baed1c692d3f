import type { Logger } from '@workshare/telemetry/logger';
import { createHash } from 'node:crypto';
import {
  comparePositions,
  retry,
  type EventStore,
  type GlobalPosition,
  type JsonObject,
  type RecordedEvent,
  type Subscription,
} from '@workshare/eventsourcing';
import {
  assertSubjectPrefix,
  backoffDelay,
  cancellableDelay,
  categoryContext,
  consoleLogger,
  contextFor,
  DEAD_LETTER_CATEGORY,
  DEFAULT_SUBJECT_PREFIX,
  describeError,
  isBusInternalStream,
  matchesFilter,
  resolveListenOptions,
  resolveSubscribeOptions,
  subjectFor,
  type BusSubscription,
  type ContextOf,
  type DeadLetter,
  type EventBus,
  type ListenOptions,
  type ResolvedListenOptions,
  type ResolvedSubscribeOptions,
  type SubscribeOptions,
} from './bus.js';
import { ChainFaultError, ChainVerifier, describeChainFault, type BusFault, type ChainFault } from './chain.js';
import { fromWire, toWire } from './envelope.js';
import { inConsumerSpan } from './tracing.js';

export interface EmbeddedEventBusOptions {
  store: EventStore;
  /** Stream name → context (default: the stream's category). */
  contextOf?: ContextOf;
  /** Subject prefix reported to handlers (default `workshare`), as the NATS adapter would publish. */
  subjectPrefix?: string;
  /** How often an idle consumer looks for new events when no local append wakes it, in ms (default 50). */
  pollIntervalMs?: number;
  /** Wait before restarting a consumer whose store access failed, in ms (default 1,000). */
  restartDelayMs?: number;
  /** Streams whose last hash each consumer keeps to check the next event's link (default 50,000). */
  chainTails?: number;
  log?: Logger;
}

export const DEAD_LETTERED = 'EventDeadLettered';

/** `deadletter-<consumer>`: where the embedded adapter keeps a consumer's dead letters. */
export const deadLetterStream = (consumer: string): string => `${DEAD_LETTER_CATEGORY}-${consumer}`;

/** The durable cursor of a consumer's catch-up subscription. */
export const cursorCheckpointId = (consumer: string): string => `bus:${consumer}`;
/** The consumer's ledger: the position of the last event it settled (handled or dead-lettered). */
export const ledgerCheckpointId = (consumer: string): string => `bus:${consumer}:handled`;

/** A UUID fixed by (consumer, event id), so that dead-lettering the same event twice stores it once. */
const deadLetterId = (consumer: string, eventId: string): string => {
  const hex = createHash('sha256').update(`${consumer}\u0000${eventId}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

class Stopped extends Error {
  override readonly name = 'Stopped';
}

/**
 * The bus in process, for the one-command default: each consumer is a durable catch-up
 * subscription on the event store itself (no relay needed), with the NATS adapter's delivery
 * contract.
 *
 * - Events come in log order, one at a time. A failing event is retried with backoff up to
 *   maxDeliveries times (the consumer waits for it: later events queue behind), then appended to
 *   the dead-letter stream `deadletter-<consumer>` with the reason and attempts.
 * - The ledger: after each event it settles, the consumer stores that event's position as a
 *   checkpoint of its own. Delivery follows the log's total order, so "handled" is exactly
 *   "at or before the ledger position": an event read again after a crash (the cursor is saved
 *   once a second, and on stop) is skipped without calling the handler.
 * - Each event is checked against its stream's hash chain before anything else (ChainVerifier):
 *   at one that fails, the consumer stops for good, its cursor and ledger before that event, and
 *   reports the fault (logged, and in `faults()`); someone repairs the store and restarts it.
 */
export class EmbeddedEventBus implements EventBus {
  readonly kind = 'embedded';
  private readonly subscriptions = new Set<EmbeddedSubscription>();
  private readonly listeners = new Set<EmbeddedListener>();
  private readonly contextOf: ContextOf;
  private readonly prefix: string;
  private readonly log: Logger;
  private readonly faulted: BusFault[] = [];

  constructor(private readonly options: EmbeddedEventBusOptions) {
    this.contextOf = options.contextOf ?? categoryContext;
    this.prefix = assertSubjectPrefix(options.subjectPrefix ?? DEFAULT_SUBJECT_PREFIX);
    this.log = options.log ?? consoleLogger('bus');
  }

  subscribe(options: SubscribeOptions): BusSubscription {
    const resolved = resolveSubscribeOptions(options);
    for (const s of this.subscriptions) {
      if (s.consumer === resolved.consumer)
        throw new TypeError(`consumer ${resolved.consumer} is already subscribed on this bus`);
    }
    const subscription = new EmbeddedSubscription(this.options.store, resolved, {
      contextOf: this.contextOf,
      prefix: this.prefix,
      log: this.log,
      pollIntervalMs: this.options.pollIntervalMs ?? 50,
      restartDelayMs: this.options.restartDelayMs ?? 1_000,
      chainTails: this.options.chainTails,
      onStopped: (s) => this.subscriptions.delete(s),
      onFault: (consumer, fault) =>
        this.faulted.push({ component: 'consumer', name: consumer, ...fault, detectedAt: new Date() }),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  listen(options: ListenOptions): BusSubscription {
    const resolved = resolveListenOptions(options);
    const listener = new EmbeddedListener(this.options.store, resolved, {
      contextOf: this.contextOf,
      // With the default mapping a context is a stream category: the store reads only those.
      categories: this.contextOf === categoryContext ? resolved.filter?.contexts : undefined,
      prefix: this.prefix,
      log: this.log,
      pollIntervalMs: this.options.pollIntervalMs ?? 50,
      restartDelayMs: this.options.restartDelayMs ?? 1_000,
      onStopped: (l) => this.listeners.delete(l),
    });
    this.listeners.add(listener);
    return listener;
  }

  async deadLetters(consumer: string): Promise<DeadLetter[]> {
    const events = await this.options.store.readStream(deadLetterStream(consumer));
    return events
      .filter((e) => e.type === DEAD_LETTERED)
      .map((e) => {
        const data = e.data;
        return {
          consumer,
          event: fromWire(data.event),
          reason: typeof data.reason === 'string' ? data.reason : '',
          attempts: typeof data.attempts === 'number' ? data.attempts : 0,
          deadLetteredAt: e.recordedAt,
        };
      });
  }

  faults(): readonly BusFault[] {
    return [...this.faulted];
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions, ...this.listeners].map((s) => s.stop()));
  }
}

interface ListenerWiring {
  contextOf: ContextOf;
  categories: readonly string[] | undefined;
  prefix: string;
  log: Logger;
  pollIntervalMs: number;
  restartDelayMs: number;
  onStopped: (l: EmbeddedListener) => void;
}

/** Events a listener reads at a time. */
const LISTEN_PAGE = 500;

/**
 * A listener on the embedded bus: the store's log read from its head at the start, page after
 * page, then polled (no checkpoint, nothing stored: another listener, in this process or
 * another over the same store, reads the same events for itself). A store error waits and reads
 * on from the same place; a handler's error is logged and the event passed.
 */
class EmbeddedListener implements BusSubscription {
  readonly consumer: string;
  readonly ready: Promise<void>;
  private stopping = false;
  private waiting: { cancel: () => void } | undefined;
  private readonly loop: Promise<void>;
  private markReady: () => void = () => undefined;

  constructor(
    private readonly store: EventStore,
    private readonly options: ResolvedListenOptions,
    private readonly wiring: ListenerWiring,
  ) {
    this.consumer = options.name;
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    this.loop = this.run();
  }

  private async pause(ms: number): Promise<boolean> {
    const wait = cancellableDelay(ms);
    this.waiting = wait;
    const waited = await wait.promise;
    this.waiting = undefined;
    return waited && !this.stopping;
  }

  private async run(): Promise<void> {
    let after: GlobalPosition | undefined;
    while (!this.stopping && after === undefined) {
      try {
        after = await this.store.headPosition();
      } catch (error) {
        this.wiring.log.error(
          { listener: this.consumer, error: describeError(error), retryInMs: this.wiring.restartDelayMs },
          'bus listener cannot read the head of the log; retrying',
        );
        if (!(await this.pause(this.wiring.restartDelayMs))) return;
      }
    }
    this.markReady();
    const categories = this.wiring.categories?.length ? { categories: this.wiring.categories } : {};
    while (!this.stopping && after !== undefined) {
      let page: RecordedEvent[];
      try {
        page = await this.store.readAll({ after, limit: LISTEN_PAGE, ...categories });
      } catch (error) {
        if (this.stopping) return;
        this.wiring.log.error(
          { listener: this.consumer, error: describeError(error), retryInMs: this.wiring.restartDelayMs },
          'bus listener could not read the log; reading on from the same place',
        );
        if (!(await this.pause(this.wiring.restartDelayMs))) return;
        continue;
      }
      for (const event of page) {
        if (this.stopping) return;
        after = event.position;
        await this.hear(event);
      }
      if (page.length < LISTEN_PAGE && !(await this.pause(this.wiring.pollIntervalMs))) return;
    }
  }

  private async hear(event: RecordedEvent): Promise<void> {
    if (isBusInternalStream(event.streamName)) return;
    let context: string;
    try {
      context = contextFor(this.wiring.contextOf, event.streamName);
    } catch {
      return; // no context: never published, so never heard
    }
    if (!matchesFilter(this.options.filter, context, event.type)) return;
    try {
      await this.options.handle(event, { subject: subjectFor(this.wiring.prefix, context, event.type), context });
    } catch (error) {
      this.wiring.log.error(
        { listener: this.consumer, eventId: event.id, type: event.type, error: describeError(error) },
        'bus listener failed on an event; passing it',
      );
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.waiting?.cancel();
    this.markReady();
    await this.loop;
    this.wiring.onStopped(this);
  }
}

interface Wiring {
  contextOf: ContextOf;
  prefix: string;
  log: Logger;
  pollIntervalMs: number;
  restartDelayMs: number;
  chainTails: number | undefined;
  onStopped: (s: EmbeddedSubscription) => void;
  onFault: (consumer: string, fault: ChainFault) => void;
}

class EmbeddedSubscription implements BusSubscription {
  readonly consumer: string;
  readonly ready: Promise<void>;
  private stopping = false;
  private current: Subscription | undefined;
  private settled: GlobalPosition | undefined;
  private waiting: { cancel: () => void } | undefined;
  private readonly stopSignal = new AbortController();
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly verifier: ChainVerifier;

  constructor(
    private readonly store: EventStore,
    private readonly options: ResolvedSubscribeOptions,
    private readonly wiring: Wiring,
  ) {
    this.consumer = options.consumer;
    this.verifier = new ChainVerifier(store, wiring.chainTails);
    this.ready = this.start();
  }

  private async start(): Promise<void> {
    for (;;) {
      try {
        this.settled = await this.store.readCheckpoint(ledgerCheckpointId(this.consumer));
        break;
      } catch (error) {
        this.wiring.log.error(
          { consumer: this.consumer, error: describeError(error), retryInMs: this.wiring.restartDelayMs },
          'bus consumer cannot read its ledger; retrying',
        );
        const wait = cancellableDelay(this.wiring.restartDelayMs);
        this.waiting = wait;
        if (!(await wait.promise)) return;
      }
    }
    if (!this.stopping) this.run();
  }

  private run(): void {
    const subscription = this.store.subscribe({
      subscriptionId: cursorCheckpointId(this.consumer),
      handle: (event) => this.deliver(event),
      batchSize: 100,
      pollIntervalMs: this.wiring.pollIntervalMs,
      // The ledger already records each event settled: the cursor only saves re-reading, so it
      // is saved once a second rather than with every page (one write per event, not two).
      checkpointIntervalMs: 1_000,
    });
    this.current = subscription;
    subscription.done.then(
      () => undefined,
      (error: unknown) => {
        if (error instanceof ChainFaultError) return this.refuse(error.fault);
        if (this.stopping || error instanceof Stopped) return;
        this.wiring.log.error(
          { consumer: this.consumer, error: describeError(error), retryInMs: this.wiring.restartDelayMs },
          'bus consumer stopped on a store error; restarting',
        );
        this.restartTimer = setTimeout(() => {
          this.restartTimer = undefined;
          if (!this.stopping) this.run();
        }, this.wiring.restartDelayMs);
      },
    );
  }

  /** Stops the consumer for good at an event that failed its hash-chain check, loudly. */
  private refuse(fault: ChainFault): void {
    this.wiring.log.error(
      {
        consumer: this.consumer,
        streamName: fault.streamName,
        streamVersion: fault.streamVersion,
        eventId: fault.eventId,
        position: fault.position,
        reason: fault.reason,
      },
      `bus consumer ${this.consumer} stopped: ${describeChainFault(fault)}; neither it nor any later event is ` +
        'handled (the consumer stays before it). Repair the store, then start the consumer again',
    );
    this.wiring.onFault(this.consumer, fault);
  }

  private async deliver(event: RecordedEvent): Promise<void> {
    // Checked before anything acts on it (the store rows may have been changed behind its back).
    let fault = this.verifier.check(event);
    if (fault instanceof Promise) fault = await fault;
    if (fault) throw new ChainFaultError(fault, `bus consumer ${this.consumer} stopped`);
    if (isBusInternalStream(event.streamName)) return;
    if (this.settled && comparePositions(event.position, this.settled) <= 0) return; // handled before: the ledger says so
    let context: string;
    try {
      context = contextFor(this.wiring.contextOf, event.streamName);
    } catch (error) {
      await this.deadLetter(event, `no context for stream ${event.streamName}: ${describeError(error)}`, 0);
      return;
    }
    if (!matchesFilter(this.options.filter, context, event.type)) return;
    const subject = subjectFor(this.wiring.prefix, context, event.type);
    const traceparent = typeof event.metadata.traceparent === 'string' ? event.metadata.traceparent : undefined;
    const { maxDeliveries, backoffMs } = this.options;
    let lastError: unknown;
    let handled = false;
    try {
      await retry(
        async (attempt) => {
          if (this.stopping) throw new Stopped(`consumer ${this.consumer} stopped`);
          await inConsumerSpan(
            `${subject} process`,
            traceparent,
            {
              'messaging.system': 'workshare-embedded',
              'messaging.destination.name': subject,
              'messaging.consumer.group.name': this.consumer,
              'messaging.message.id': event.id,
            },
            async () =>
              this.options.handle(event, {
                consumer: this.consumer,
                attempt,
                maxDeliveries,
                subject,
                context,
                traceparent,
              }),
          );
        },
        {
          attempts: maxDeliveries,
          baseDelayMs: 0,
          delayMs: (attempt) => backoffDelay(backoffMs, attempt),
          signal: this.stopSignal.signal,
          retryIf: (error) => !(error instanceof Stopped),
          onRetry: (error, attempt, delay) => {
            lastError = error;
            this.wiring.log.warn(
              {
                consumer: this.consumer,
                eventId: event.id,
                type: event.type,
                attempt,
                retryInMs: delay,
                error: describeError(error),
              },
              'bus handler failed; retrying',
            );
          },
        },
      );
      handled = true;
    } catch (error) {
      if (error instanceof Stopped || this.stopping) throw new Stopped(`consumer ${this.consumer} stopped`);
      lastError = error;
    }
    if (handled) {
      // Handled: a failure to record it is the store's, and restarts the consumer (it is not the handler's).
      await this.markSettled(event.position);
      return;
    }
    await this.deadLetter(event, describeError(lastError), maxDeliveries);
  }

  private async deadLetter(event: RecordedEvent, reason: string, attempts: number): Promise<void> {
    this.wiring.log.error(
      { consumer: this.consumer, eventId: event.id, type: event.type, attempts, reason },
      'bus event dead-lettered',
    );
    const wire = JSON.parse(JSON.stringify(toWire(event))) as JsonObject;
    const traceparent = typeof event.metadata.traceparent === 'string' ? event.metadata.traceparent : undefined;
    await this.store
      .append(deadLetterStream(this.consumer), [
        {
          id: deadLetterId(this.consumer, event.id),
          type: DEAD_LETTERED,
          data: { consumer: this.consumer, reason, attempts, event: wire },
          metadata: {
            actor: `bus:${this.consumer}`,
            causationId: event.id,
            ...(typeof event.metadata.correlationId === 'string'
              ? { correlationId: event.metadata.correlationId }
              : {}),
            ...(traceparent ? { traceparent } : {}),
          },
        },
      ])
      .catch((error: unknown) => {
        // Dead-lettered already (the ledger write after it failed): the same id is refused, nothing is lost.
        if ((error as { code?: unknown }).code !== 'eventstore.event_id_conflict') throw error;
      });
    await this.markSettled(event.position);
  }

  private async markSettled(position: GlobalPosition): Promise<void> {
    await this.store.storeCheckpoint(ledgerCheckpointId(this.consumer), position);
    this.settled = position;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.stopSignal.abort();
    this.waiting?.cancel();
    if (this.restartTimer) clearTimeout(this.restartTimer);
    await this.ready.catch(() => undefined);
    await this.current?.stop();
    this.wiring.onStopped(this);
  }
}
