import type { Logger } from '@workshare/telemetry/logger';
import {
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  JetStreamApiCodes,
  type Consumer,
  type ConsumerConfig,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { randomBytes } from 'node:crypto';
import { headers, nanos, type NatsConnection } from '@nats-io/transport-node';
import { retry, type RecordedEvent } from '@workshare/eventsourcing';
import {
  assertSubjectPrefix,
  assertToken,
  backoffDelay,
  categoryContext,
  consoleLogger,
  DEAD_LETTER_CONTEXT,
  deadLetterSubject,
  DEFAULT_SUBJECT_PREFIX,
  describeError,
  listenSubjectsFor,
  matchesFilter,
  resolveListenOptions,
  resolveSubscribeOptions,
  subjectFilterFor,
  type BusSubscription,
  type ContextOf,
  type DeadLetter,
  type EventBus,
  type ListenOptions,
  type ResolvedListenOptions,
  type ResolvedSubscribeOptions,
  type SubscribeOptions,
} from '../bus.js';
import type { BusFault } from '../chain.js';
import { decodeEnvelope } from '../envelope.js';
import { inConsumerSpan } from '../tracing.js';
import { NatsLink, redactUrl, type ConnectRetryOptions } from './connection.js';
import { NatsLedger, type LedgerOutcome } from './ledger.js';
import { JetStreamRequests } from './requests.js';
import { EventRelay, EVENT_HEADERS, type RelayOptions } from './relay.js';
import { ensureStream, isApiError } from './streams.js';

/**
 * Runs `attempt` again after every failure until stopped: 500 ms after the first, doubling up to
 * 15 s while it keeps failing; an attempt that calls `gotGoing` (its consumer delivering) starts
 * the backoff afresh. What a consumer or a listener of the bus lives in.
 */
const superviseForever = (
  attempt: (gotGoing: () => void) => Promise<void>,
  options: {
    readonly signal: AbortSignal;
    readonly stopping: () => boolean;
    readonly onRetry: (error: unknown, delayMs: number) => void;
  },
): Promise<void> => {
  let failures = 0;
  return retry(
    () =>
      attempt(() => {
        failures = 0;
      }),
    {
      attempts: Number.POSITIVE_INFINITY,
      baseDelayMs: 500,
      delayMs: () => Math.min(500 * 2 ** failures++, 15_000),
      signal: options.signal,
      retryIf: () => !options.stopping(),
      onRetry: (error, _attempt, delay) => options.onRetry(error, delay),
    },
  ).catch((error: unknown) => {
    if (!options.stopping()) throw error;
  });
};

/** Headers of a dead letter (its payload is the original envelope). */
export const DEAD_LETTER_HEADERS = {
  reason: 'Workshare-Dead-Letter-Reason',
  attempts: 'Workshare-Dead-Letter-Attempts',
  consumer: 'Workshare-Dead-Letter-Consumer',
  subject: 'Workshare-Dead-Letter-Subject',
} as const;

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
export const DEFAULT_STREAM = 'WORKSHARE';

export interface NatsEventBusOptions {
  /** Default: NATS_URL, else nats://127.0.0.1:4222. */
  url?: string;
  /** JetStream stream holding the integration events and dead letters (default `WORKSHARE`). */
  stream?: string;
  /** Subjects are `<prefix>.<context>.<EventType>` (default `workshare`); the stream holds `<prefix>.>`. */
  subjectPrefix?: string;
  /** Stream name → context (default: the stream's category). */
  contextOf?: ContextOf;
  /** The stream's duplicate window for `Nats-Msg-Id`, in ms (default 2 minutes). */
  duplicateWindowMs?: number;
  /** The consumers' ledger bucket (default `<stream>_ledger`). */
  ledgerBucket?: string;
  /** How long the ledger remembers a handled event, in ms (default 7 days). */
  ledgerTtlMs?: number;
  /** Time a handler has before JetStream considers its delivery lost, in ms (default 30 s; kept alive while the handler runs). */
  ackWaitMs?: number;
  /** Retry schedule while NATS is unreachable. */
  connectRetry?: ConnectRetryOptions;
  /** Client name shown by the server's monitoring. */
  name?: string;
  log?: Logger;
}

interface Infra {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  requests: JetStreamRequests;
  ledger: NatsLedger;
}

/**
 * The bus on NATS JetStream: one stream (subjects `<prefix>.>`), a relay per store that publishes
 * its global log, and durable pull consumers with explicit acks, redelivery with backoff,
 * dead letters on `<prefix>.deadletter.<consumer>` and an idempotency ledger in a KV bucket.
 *
 * `NatsEventBus.start` returns at once and connects in the background: an unreachable server is
 * logged and retried with backoff, and subscriptions and relays start when it answers.
 */
export class NatsEventBus implements EventBus {
  readonly kind = 'nats';
  readonly url: string;
  readonly stream: string;
  readonly subjectPrefix: string;
  readonly contextOf: ContextOf;
  /** Resolves once connected, with the stream and the ledger in place. */
  readonly ready: Promise<void>;
  private readonly link: NatsLink;
  private readonly infra: Promise<Infra>;
  private readonly log: Logger;
  private readonly subscriptions = new Set<NatsSubscription>();
  private readonly listeners = new Set<NatsListener>();
  private readonly relays = new Set<EventRelay>();
  private readonly faulted: BusFault[] = [];
  private closed = false;
  private readonly closing = new AbortController();

  private constructor(private readonly options: NatsEventBusOptions) {
    this.url = options.url ?? process.env.NATS_URL ?? DEFAULT_NATS_URL;
    this.stream = assertToken('stream name', options.stream ?? DEFAULT_STREAM);
    this.subjectPrefix = assertSubjectPrefix(options.subjectPrefix ?? DEFAULT_SUBJECT_PREFIX);
    this.contextOf = options.contextOf ?? categoryContext;
    this.log = options.log ?? consoleLogger('bus');
    this.link = new NatsLink(this.url, this.log, options.connectRetry, options.name);
    this.infra = this.setup();
    this.infra.catch(() => undefined);
    this.ready = this.infra.then(() => undefined);
    this.ready.catch(() => undefined);
  }

  static start(options: NatsEventBusOptions = {}): NatsEventBus {
    return new NatsEventBus(options);
  }

  /** Failed connection attempts so far (0 once the first one succeeded straight away). */
  get failedConnectAttempts(): number {
    return this.link.failedAttempts;
  }

  private async setup(): Promise<Infra> {
    const nc = await this.link.connection;
    const js = jetstream(nc);
    return retry(
      async () => {
        const jsm = await jetstreamManager(nc);
        await ensureStream(jsm, this.stream, [`${this.subjectPrefix}.>`], {
          ...(this.options.duplicateWindowMs !== undefined
            ? { duplicateWindowMs: this.options.duplicateWindowMs }
            : {}),
        });
        const requests = new JetStreamRequests(nc);
        const ledger = await NatsLedger.open(
          requests,
          jsm,
          this.options.ledgerBucket ?? `${this.stream}_ledger`,
          this.options.ledgerTtlMs,
        );
        return { nc, js, jsm, requests, ledger };
      },
      {
        attempts: Number.POSITIVE_INFINITY,
        baseDelayMs: this.options.connectRetry?.initialDelayMs ?? 500,
        maxDelayMs: this.options.connectRetry?.maxDelayMs ?? 15_000,
        jitter: 'none',
        signal: this.closing.signal,
        retryIf: () => !this.closed,
        onRetry: (error, _attempt, delay) =>
          this.log.error(
            { url: redactUrl(this.url), stream: this.stream, retryInMs: delay, error: describeError(error) },
            `cannot set up JetStream stream ${this.stream} at ${redactUrl(this.url)}; retrying`,
          ),
      },
    );
  }

  subscribe(options: SubscribeOptions): BusSubscription {
    if (this.closed) throw new Error('the bus is closed');
    const resolved = resolveSubscribeOptions(options);
    for (const s of this.subscriptions) {
      if (s.consumer === resolved.consumer)
        throw new TypeError(`consumer ${resolved.consumer} is already subscribed on this bus`);
    }
    const subscription = new NatsSubscription(this.infra, resolved, {
      stream: this.stream,
      prefix: this.subjectPrefix,
      ackWaitMs: this.options.ackWaitMs ?? 30_000,
      log: this.log,
      onStopped: (s) => this.subscriptions.delete(s),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  listen(options: ListenOptions): BusSubscription {
    if (this.closed) throw new Error('the bus is closed');
    const resolved = resolveListenOptions(options);
    const listener = new NatsListener(this.infra, resolved, {
      stream: this.stream,
      prefix: this.subjectPrefix,
      log: this.log,
      onStopped: (l) => this.listeners.delete(l),
    });
    this.listeners.add(listener);
    return listener;
  }

  /** Starts a relay publishing `options.store`'s global log to this bus's stream. */
  startRelay(options: RelayOptions): EventRelay {
    if (this.closed) throw new Error('the bus is closed');
    const relay: EventRelay = new EventRelay(
      {
        requests: async () => (await this.infra).requests,
        subjectPrefix: this.subjectPrefix,
        contextOf: this.contextOf,
        log: this.log,
        onFault: (fault) =>
          this.faulted.push({ component: 'relay', name: relay.relayId, ...fault, detectedAt: new Date() }),
      },
      options,
    );
    this.relays.add(relay);
    relay.done.catch(() => undefined).finally(() => this.relays.delete(relay));
    return relay;
  }

  /** Relays of this bus that stopped at an event failing its hash-chain check (see EventRelay). */
  faults(): readonly BusFault[] {
    return [...this.faulted];
  }

  async deadLetters(consumer: string): Promise<DeadLetter[]> {
    const { jsm } = await this.infra;
    const subject = deadLetterSubject(this.subjectPrefix, assertToken('consumer name', consumer));
    const letters: DeadLetter[] = [];
    for (let seq = 1; ;) {
      const stored = await jsm.direct.getMessage(this.stream, { seq, next_by_subj: subject });
      if (!stored) break;
      const attempts = Number(stored.header?.get(DEAD_LETTER_HEADERS.attempts) ?? '0');
      letters.push({
        consumer,
        event: decodeEnvelope(stored.data),
        reason: stored.header?.get(DEAD_LETTER_HEADERS.reason) ?? '',
        attempts: Number.isFinite(attempts) ? attempts : 0,
        deadLetteredAt: stored.time,
      });
      seq = stored.seq + 1;
    }
    return letters;
  }

  /** The connection, once made (for tests and tools that need raw JetStream access). */
  async connection(): Promise<NatsConnection> {
    return (await this.infra).nc;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closing.abort();
    await Promise.all([...this.relays].map((r) => r.stop()));
    await Promise.all([...this.subscriptions, ...this.listeners].map((s) => s.stop()));
    await this.link.close();
  }
}

interface SubscriptionWiring {
  stream: string;
  prefix: string;
  ackWaitMs: number;
  log: Logger;
  onStopped: (s: NatsSubscription) => void;
}

const oneLine = (text: string): string => text.replace(/[\r\n]+/g, ' ').slice(0, 1_000);

type Prepared =
  | { kind: 'skip' }
  | { kind: 'undecodable'; reason: string }
  | { kind: 'event'; event: RecordedEvent; context: string; settled: Promise<LedgerOutcome | undefined> };

const RECENT_LIMIT = 10_000;
const noop = (): void => undefined;

/** Deliveries beyond maxDeliveries that JetStream still makes, used only to dead-letter an event whose last attempt left no outcome. */
const SPARE_DELIVERIES = 3;

class NatsSubscription implements BusSubscription {
  readonly consumer: string;
  readonly ready: Promise<void>;
  private stopping = false;
  private messages: ConsumerMessages | undefined;
  private readonly stopSignal = new AbortController();
  private readonly loop: Promise<void>;
  /** Messages between arrival and ack, at most `window`. */
  private inFlight = 0;
  private readonly window: number;
  private readonly slotWaiters: (() => void)[] = [];
  /** Handlers running, at most `concurrency`. */
  private handling = 0;
  private readonly handlerWaiters: (() => void)[] = [];
  private readonly chains = new Map<string, Promise<void>>();
  private readonly inProgress = new Set<Promise<void>>();
  /** Events this process settled lately: guards against a repeat arriving before the ledger write of the first is stored. */
  private readonly recent = new Map<string, LedgerOutcome>();
  /** The last error of events that failed here, so a dead letter made on a spare delivery still says why. */
  private readonly lastErrors = new Map<string, string>();
  private markReady: () => void = () => undefined;
  private signalStop: () => void = () => undefined;
  private readonly stopped = new Promise<void>((resolve) => (this.signalStop = resolve));

  constructor(
    private readonly infra: Promise<Infra>,
    private readonly options: ResolvedSubscribeOptions,
    private readonly wiring: SubscriptionWiring,
  ) {
    this.consumer = options.consumer;
    this.window = Math.max(64, options.concurrency * 16);
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    this.loop = this.run();
  }

  private consumerConfig(): Partial<ConsumerConfig> {
    const { maxDeliveries, backoffMs } = this.options;
    const ackWait = this.wiring.ackWaitMs;
    // JetStream's own redelivery schedule, used when a delivery ends without ack or nak (a crash,
    // a hang): each entry is the time allowed for that delivery plus the backoff before the next.
    const backoff: number[] = [];
    for (let attempt = 1; attempt < maxDeliveries + SPARE_DELIVERIES; attempt++)
      backoff.push(nanos(ackWait + backoffDelay(backoffMs, attempt)));
    return {
      durable_name: this.consumer,
      ack_policy: 'explicit',
      deliver_policy: 'all',
      replay_policy: 'instant',
      filter_subject: subjectFilterFor(this.wiring.prefix, this.options.filter),
      ack_wait: nanos(ackWait),
      max_deliver: maxDeliveries + SPARE_DELIVERIES,
      backoff,
      max_ack_pending: Math.max(1_000, this.window),
    };
  }

  private async ensureConsumer(jsm: JetStreamManager): Promise<void> {
    const config = this.consumerConfig();
    try {
      const info = await jsm.consumers.info(this.wiring.stream, this.consumer);
      if (info.config.filter_subject !== config.filter_subject) {
        // JetStream 2.9 cannot change a consumer's filter: say so rather than miss events quietly.
        this.wiring.log.error(
          { consumer: this.consumer, current: info.config.filter_subject, wanted: config.filter_subject },
          'bus consumer exists with another subject filter; delete it to apply the new filter',
        );
      }
      const {
        durable_name: _durable,
        deliver_policy: _deliver,
        replay_policy: _replay,
        ack_policy: _ack,
        filter_subject: _filter,
        ...updatable
      } = config;
      await jsm.consumers.update(this.wiring.stream, this.consumer, updatable);
    } catch (error) {
      if (!isApiError(error, JetStreamApiCodes.ConsumerNotFound)) throw error;
      await jsm.consumers.add(this.wiring.stream, config);
    }
  }

  private async run(): Promise<void> {
    // Wait for NATS (however long it takes), unless stopped or closed first.
    const infra = await Promise.race([this.infra, this.stopped.then(() => undefined)]).catch(() => undefined);
    if (!infra) return;
    // Restarts with backoff while the consumer keeps failing; a consumer that got going starts afresh.
    await superviseForever(
      async (gotGoing) => {
        if (this.stopping) return;
        await this.ensureConsumer(infra.jsm);
        const consumer = await infra.js.consumers.get(this.wiring.stream, this.consumer);
        if (this.stopping) return;
        const messages = await consumer.consume({ max_messages: this.window });
        this.messages = messages;
        if (this.stopping) {
          await messages.close(); // stopped while the consumer was being set up
          return;
        }
        this.markReady();
        gotGoing();
        for await (const m of messages) {
          await this.dispatch(m, infra);
          if (this.stopping) return;
        }
        if (!this.stopping) throw new Error('the JetStream consumer stopped delivering');
      },
      {
        signal: this.stopSignal.signal,
        stopping: () => this.stopping,
        onRetry: (error, delay) =>
          this.wiring.log.error(
            { consumer: this.consumer, retryInMs: delay, error: describeError(error) },
            'bus consumer failed; restarting it',
          ),
      },
    );
  }

  /**
   * Hands the message to its stream's chain. Streams run in parallel and each in order; the ledger
   * lookup of a message starts as soon as it arrives, and its ledger write and ack finish after
   * the chain has moved on, so one busy stream still flows at the pace of its handler.
   */
  private async dispatch(m: JsMsg, infra: Infra): Promise<void> {
    while (this.inFlight >= this.window) await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
    this.inFlight++;
    const prepared = this.prepare(m, infra.ledger);
    const key = m.headers?.get(EVENT_HEADERS.stream) || m.subject;
    const turn = this.takeTurn(this.chains.get(key), m, prepared, infra);
    const chained = turn.then(noop, noop);
    this.chains.set(key, chained);
    const done: Promise<void> = this.finish(turn, m, infra).finally(() => {
      this.inFlight--;
      this.slotWaiters.shift()?.();
      if (this.chains.get(key) === chained) this.chains.delete(key);
      this.inProgress.delete(done);
    });
    this.inProgress.add(done);
  }

  /** Waits for the stream's previous event, then takes this one's turn; resolves once the chain may move on. */
  private async takeTurn(
    previous: Promise<void> | undefined,
    m: JsMsg,
    prepared: Prepared,
    infra: Infra,
  ): Promise<{ rest?: Promise<void> }> {
    if (previous) await previous;
    return this.inTurn(m, prepared, infra);
  }

  /** Waits for the message's remaining work (ledger write, ack); a failure anywhere leaves it for redelivery. */
  private async finish(turn: Promise<{ rest?: Promise<void> }>, m: JsMsg, infra: Infra): Promise<void> {
    try {
      await (
        await turn
      ).rest;
    } catch (error) {
      this.unsettled(m, error, infra);
    }
  }

  private unsettled(m: JsMsg, error: unknown, infra: Infra): void {
    this.wiring.log.error(
      { consumer: this.consumer, seq: m.seq, error: describeError(error) },
      'bus could not settle a message; it will be redelivered',
    );
    const delay = backoffDelay(this.options.backoffMs, Math.max(1, m.info.deliveryCount));
    infra.requests.later(() => m.nak(delay));
  }

  /** What can be known of a message on arrival: whether it is for this consumer, and (started now) what the ledger says. */
  private prepare(m: JsMsg, ledger: NatsLedger): Prepared {
    const context = m.subject.slice(this.wiring.prefix.length + 1).split('.')[0] ?? '';
    if (context === DEAD_LETTER_CONTEXT) return { kind: 'skip' }; // dead letters share the stream; they are not events
    let event: RecordedEvent;
    try {
      event = decodeEnvelope(m.data);
    } catch (error) {
      return { kind: 'undecodable', reason: `undecodable envelope: ${describeError(error)}` };
    }
    if (!matchesFilter(this.options.filter, context, event.type)) return { kind: 'skip' };
    const settled = ledger.outcome(this.consumer, event.id);
    settled.catch(() => undefined); // awaited in turn
    return { kind: 'event', event, context, settled };
  }

  /** The message's turn in its stream's chain: settle it, or run the handler; returns the work left (ledger write, ack). */
  private async inTurn(m: JsMsg, prepared: Prepared, infra: Infra): Promise<{ rest?: Promise<void> }> {
    if (prepared.kind === 'skip') {
      infra.requests.later(() => m.ack());
      return {};
    }
    const attempt = m.info.deliveryCount;
    if (prepared.kind === 'undecodable') {
      await this.deadLetter(m, undefined, prepared.reason, attempt);
      return {};
    }
    const { event, context } = prepared;
    if (await prepared.settled) {
      infra.requests.later(() => m.ack()); // settled before: do not handle twice
      return {};
    }
    const here = this.recent.get(event.id);
    if (here) {
      // Settled by this process a moment ago, its ledger entry not stored yet (in flight, or its write failed).
      return {
        rest: infra.ledger.record(this.consumer, event.id, here).then(() => infra.requests.later(() => m.ack())),
      };
    }
    const { maxDeliveries } = this.options;
    if (attempt > maxDeliveries) {
      const reason =
        this.lastErrors.get(event.id) ??
        `no outcome after ${maxDeliveries} deliveries (the handler timed out or its process stopped)`;
      await this.deadLetter(m, event, reason, maxDeliveries);
      return {};
    }
    const traceparent =
      m.headers?.get('traceparent') ||
      (typeof event.metadata.traceparent === 'string' ? event.metadata.traceparent : undefined);
    while (this.handling >= this.options.concurrency)
      await new Promise<void>((resolve) => this.handlerWaiters.push(resolve));
    this.handling++;
    const keepAlive = setInterval(() => m.working(), Math.max(100, Math.floor(this.wiring.ackWaitMs / 3)));
    try {
      await inConsumerSpan(
        `${m.subject} process`,
        traceparent,
        {
          'messaging.system': 'nats',
          'messaging.destination.name': m.subject,
          'messaging.consumer.group.name': this.consumer,
          'messaging.message.id': event.id,
        },
        async () =>
          this.options.handle(event, {
            consumer: this.consumer,
            attempt,
            maxDeliveries,
            subject: m.subject,
            context,
            traceparent,
          }),
      );
    } catch (error) {
      const reason = describeError(error);
      if (attempt >= maxDeliveries) {
        await this.deadLetter(m, event, reason, attempt);
      } else {
        this.lastErrors.set(event.id, reason);
        const delay = backoffDelay(this.options.backoffMs, attempt);
        this.wiring.log.warn(
          { consumer: this.consumer, eventId: event.id, type: event.type, attempt, retryInMs: delay, error: reason },
          'bus handler failed; retrying',
        );
        infra.requests.later(() => m.nak(delay));
      }
      return {};
    } finally {
      clearInterval(keepAlive);
      this.handling--;
      this.handlerWaiters.shift()?.();
    }
    this.remember(event.id, 'handled');
    this.lastErrors.delete(event.id);
    return {
      rest: infra.ledger.record(this.consumer, event.id, 'handled').then(() => infra.requests.later(() => m.ack())),
    };
  }

  private remember(eventId: string, outcome: LedgerOutcome): void {
    this.recent.set(eventId, outcome);
    if (this.recent.size > RECENT_LIMIT) this.recent.delete(this.recent.keys().next().value!);
  }

  /** Publishes the message to the consumer's dead-letter subject with the reason, records it in the ledger, and terminates it. */
  private async deadLetter(
    m: JsMsg,
    event: RecordedEvent | undefined,
    reason: string,
    attempts: number,
  ): Promise<void> {
    const { js, ledger, requests } = await this.infra;
    this.wiring.log.error(
      { consumer: this.consumer, eventId: event?.id, seq: m.seq, attempts, reason },
      'bus event dead-lettered',
    );
    const h = headers();
    h.set(DEAD_LETTER_HEADERS.reason, oneLine(reason));
    h.set(DEAD_LETTER_HEADERS.attempts, String(attempts));
    h.set(DEAD_LETTER_HEADERS.consumer, this.consumer);
    h.set(DEAD_LETTER_HEADERS.subject, m.subject);
    const traceparent = m.headers?.get('traceparent');
    if (traceparent) h.set('traceparent', traceparent);
    await js.publish(deadLetterSubject(this.wiring.prefix, this.consumer), m.data, {
      headers: h,
      msgID: `deadletter:${this.consumer}:${event?.id ?? `seq-${m.info.streamSequence}`}`,
    });
    if (event) {
      this.remember(event.id, 'dead-lettered');
      await ledger.record(this.consumer, event.id, 'dead-lettered');
      this.lastErrors.delete(event.id);
    }
    requests.later(() => m.term());
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.signalStop();
    this.stopSignal.abort();
    await this.messages?.close();
    await this.loop;
    await Promise.all([...this.inProgress]);
    this.wiring.onStopped(this);
  }
}

interface ListenerWiring {
  stream: string;
  prefix: string;
  log: Logger;
  onStopped: (l: NatsListener) => void;
}

/** Messages an ordered consumer of a listener asks for at a time. */
const LISTEN_BATCH = 256;

/**
 * A listener on NATS: one ordered consumer per subject of its filter (listenSubjectsFor), each
 * ephemeral (no ack, in memory, deleted when the listener stops, or by the server a few minutes
 * after its process is gone), starting after the stream's last message at the time the listener
 * starts. An ordered consumer that misses a message or loses its server-side state is made again
 * by the client from where it was, so a reconnect loses nothing the stream still holds; if
 * delivery stops for good, the listener starts again from the newest message and says so
 * (`onGap`).
 */
class NatsListener implements BusSubscription {
  readonly consumer: string;
  readonly ready: Promise<void>;
  private stopping = false;
  private markReady: () => void = () => undefined;
  private signalStop: () => void = () => undefined;
  private readonly stopped = new Promise<void>((resolve) => (this.signalStop = resolve));
  private readonly stopSignal = new AbortController();
  private readonly open = new Set<{ messages: ConsumerMessages; consumer: Consumer }>();
  private readonly loop: Promise<void>;

  constructor(
    private readonly infra: Promise<Infra>,
    private readonly options: ResolvedListenOptions,
    private readonly wiring: ListenerWiring,
  ) {
    this.consumer = options.name;
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    const infra = await Promise.race([this.infra, this.stopped.then(() => undefined)]).catch(() => undefined);
    if (!infra) return;
    const subjects = listenSubjectsFor(this.wiring.prefix, this.options.filter);
    let started = false;
    await superviseForever(
      async (gotGoing) => {
        if (this.stopping) return;
        const info = await infra.jsm.streams.info(this.wiring.stream);
        const from = info.state.last_seq + 1;
        const opened: { messages: ConsumerMessages; consumer: Consumer }[] = [];
        try {
          for (const subject of subjects) {
            const consumer = await infra.js.consumers.get(this.wiring.stream, {
              name_prefix: `${this.consumer}_${nuidLike()}`,
              filter_subjects: subject,
              deliver_policy: DeliverPolicy.StartSequence,
              opt_start_seq: from,
            });
            opened.push({ consumer, messages: await consumer.consume({ max_messages: LISTEN_BATCH }) });
          }
        } catch (error) {
          await Promise.all(opened.map((o) => this.release(o)));
          throw error;
        }
        for (const o of opened) this.open.add(o);
        if (this.stopping) return;
        if (started) {
          this.wiring.log.warn({ listener: this.consumer }, 'bus listener started again from the newest event');
          this.options.onGap();
        }
        started = true;
        gotGoing();
        this.markReady();
        // One ordered consumer that stops for good stops them all: they start again together.
        await Promise.race(opened.map((o) => this.drain(o.messages)));
        for (const o of opened) {
          this.open.delete(o);
          await this.release(o);
        }
        if (!this.stopping) throw new Error("the listener's ordered consumers stopped delivering");
      },
      {
        signal: this.stopSignal.signal,
        stopping: () => this.stopping,
        onRetry: (error, delay) =>
          this.wiring.log.error(
            { listener: this.consumer, retryInMs: delay, error: describeError(error) },
            'bus listener failed; starting it again',
          ),
      },
    );
  }

  private async drain(messages: ConsumerMessages): Promise<void> {
    try {
      for await (const m of messages) {
        if (this.stopping) return;
        await this.hear(m);
      }
    } catch (error) {
      if (!this.stopping)
        this.wiring.log.error({ listener: this.consumer, error: describeError(error) }, 'bus listener delivery ended');
    }
  }

  private async hear(m: JsMsg): Promise<void> {
    const context = m.subject.slice(this.wiring.prefix.length + 1).split('.')[0] ?? '';
    if (context === DEAD_LETTER_CONTEXT) return;
    let event: RecordedEvent;
    try {
      event = decodeEnvelope(m.data);
    } catch (error) {
      this.wiring.log.error(
        { listener: this.consumer, seq: m.seq, error: describeError(error) },
        'bus listener passed an undecodable message',
      );
      return;
    }
    if (!matchesFilter(this.options.filter, context, event.type)) return;
    try {
      await this.options.handle(event, { subject: m.subject, context });
    } catch (error) {
      this.wiring.log.error(
        { listener: this.consumer, eventId: event.id, type: event.type, error: describeError(error) },
        'bus listener failed on an event; passing it',
      );
    }
  }

  private async release(o: { messages: ConsumerMessages; consumer: Consumer }): Promise<void> {
    await o.messages.close().catch(() => undefined);
    await o.consumer.delete().catch(() => undefined);
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.signalStop();
    this.stopSignal.abort();
    this.markReady();
    await Promise.all([...this.open].map((o) => this.release(o)));
    this.open.clear();
    await this.loop;
    this.wiring.onStopped(this);
  }
}

/** A short random suffix for a consumer name. */
const nuidLike = (): string => randomBytes(4).toString('hex');
