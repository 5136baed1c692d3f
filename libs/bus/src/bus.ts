import { createLogger, type Logger } from '@workshare/telemetry/logger';
import type { RecordedEvent } from '@workshare/eventsourcing';
import type { BusFault } from './chain.js';

/**
 * The bus contract (DESIGN §2). Integration events are the event store's RecordedEvents, published
 * on `<prefix>.<context>.<EventType>` (prefix `workshare` in production). Every adapter (NATS
 * JetStream, embedded) passes the same contract tests (test/contract.ts).
 *
 * Delivery is at least once, but each consumer remembers what it handled (an idempotency ledger
 * per consumer), so an event delivered again after it was handled is acknowledged without calling
 * the handler. A handler that throws is retried with backoff up to `maxDeliveries` times; then the
 * event goes to the consumer's dead letters, with the reason, and the consumer moves on.
 */

/** Which events a consumer wants. Both lists empty or absent: every integration event. */
export interface EventFilter {
  /** Event types, e.g. `MemberRegistered`. */
  readonly types?: readonly string[];
  /** Contexts (the owning service of a stream category), e.g. `identity`. */
  readonly contexts?: readonly string[];
}

/**
 * Wait before the next delivery after a failed one: `backoff[attempt - 1]` ms after the
 * `attempt`-th delivery failed (the last value repeats), or a function of the failed attempt (1-based).
 */
export type Backoff = readonly number[] | ((failedAttempt: number) => number);

/** What a handler is told about the delivery in hand. */
export interface Delivery {
  readonly consumer: string;
  /** 1 for the first delivery of this event to this consumer. */
  readonly attempt: number;
  readonly maxDeliveries: number;
  /** `<prefix>.<context>.<EventType>`. */
  readonly subject: string;
  readonly context: string;
  /** The W3C trace context the event was recorded under (event metadata `traceparent`), if any. */
  readonly traceparent: string | undefined;
}

export type EventHandler = (event: RecordedEvent, delivery: Delivery) => Promise<void> | void;

export interface SubscribeOptions {
  /** Durable consumer name: letters, digits, `_` and `-`. The bus remembers its progress under it. */
  consumer: string;
  filter?: EventFilter;
  handle: EventHandler;
  /** Deliveries of one event before it is dead-lettered (default 5). */
  maxDeliveries?: number;
  /** Wait between deliveries of a failing event (default 200 ms, 1 s, 5 s, 15 s). */
  backoffMs?: Backoff;
  /**
   * Events handled at the same time (NATS adapter; default 16). Events of one stream are always
   * handled one after the other, in stream order on their first delivery. The embedded adapter
   * handles one event at a time, in log order.
   */
  concurrency?: number;
}

export interface BusSubscription {
  readonly consumer: string;
  /** Resolves once the consumer is set up and receiving (NATS: connected, durable consumer created). */
  readonly ready: Promise<void>;
  /** Stops after the events in hand; what they were doing is finished (or left for redelivery). */
  stop(): Promise<void>;
}

/** An event a consumer gave up on, with why. */
export interface DeadLetter {
  readonly consumer: string;
  readonly event: RecordedEvent;
  /** The handler's last error (or why the event could not be handled at all). */
  readonly reason: string;
  /** Deliveries made before giving up. */
  readonly attempts: number;
  readonly deadLetteredAt: Date;
}

/** What a listener is told of an event it hears, besides the event. */
export interface Heard {
  /** `<prefix>.<context>.<EventType>`. */
  readonly subject: string;
  readonly context: string;
}

export type Listener = (event: RecordedEvent, heard: Heard) => Promise<void> | void;

export interface ListenOptions {
  /** What listens, for logs (and the broker's name of its consumer): letters, digits, `_` and `-`. */
  name: string;
  filter?: EventFilter;
  handle: Listener;
  /**
   * Told when the listener may have missed events: it had to start again after its delivery
   * stopped (the broker lost its place), and picks up from the newest event. A cache forgets
   * everything here.
   */
  onGap?: () => void;
}

export interface EventBus {
  /** `nats` or `embedded`, for logs. */
  readonly kind: string;
  /** Starts a durable consumer. Never throws for an unreachable broker: the subscription waits and retries. */
  subscribe(options: SubscribeOptions): BusSubscription;
  /**
   * This process's own copy of every matching event published from the moment the listener is
   * ready (`ready`), for a cache that must hear of changes (identity's access revocations): not a
   * durable consumer, so nothing is remembered for it and nothing is shared, every listener of
   * every process hears every event (NATS: an ordered ephemeral consumer per subject, which
   * resumes after a reconnect where it stopped; embedded: the store's log read from its head).
   * No ledger, no retries, no dead letters: a handler that throws is logged and the event passed.
   * Events of one stream come in stream order. Never throws for an unreachable broker.
   */
  listen(options: ListenOptions): BusSubscription;
  /** A consumer's dead letters, oldest first. */
  deadLetters(consumer: string): Promise<DeadLetter[]>;
  /**
   * Where the bus stopped for good at an event that failed its hash-chain check (the NATS
   * adapter's relays, the embedded adapter's consumers): empty while healthy. For health checks.
   */
  faults(): readonly BusFault[];
  /** Stops every subscription (and relay) and lets go of the connection. */
  close(): Promise<void>;
}

/** JSON lines on stderr (the platform's pino logger): the default until a service passes its own. */
export const consoleLogger = (component = 'bus'): Logger =>
  createLogger(component, { destination: { write: (line) => void process.stderr.write(line) } });

export const DEFAULT_SUBJECT_PREFIX = 'workshare';
export const DEFAULT_MAX_DELIVERIES = 5;
export const DEFAULT_BACKOFF_MS: readonly number[] = [200, 1_000, 5_000, 15_000];
/** The context of dead letters: `<prefix>.deadletter.<consumer>`; no stream category may use it. */
export const DEAD_LETTER_CONTEXT = 'deadletter';
/** Stream category of the embedded adapter's dead letters (`deadletter-<consumer>`): never published or delivered. */
export const DEAD_LETTER_CATEGORY = 'deadletter';

/** Maps a stream name to the context (owning service) its events are published under. */
export type ContextOf = (streamName: string) => string;

/** The category of `<category>-<id>`. */
export const categoryOf = (streamName: string): string => {
  const dash = streamName.indexOf('-');
  return dash < 0 ? streamName : streamName.slice(0, dash);
};

/** Default mapping: the context is the stream's category (`member-42` → `member`). */
export const categoryContext: ContextOf = categoryOf;

/** Streams the bus keeps for itself (dead letters): never published, never delivered. */
export const isBusInternalStream = (streamName: string): boolean => categoryOf(streamName) === DEAD_LETTER_CATEGORY;

const TOKEN = /^[A-Za-z0-9_-]+$/;

/** A subject token (context, consumer name, prefix part): letters, digits, `_`, `-`. */
export const assertToken = (what: string, value: unknown): string => {
  if (typeof value !== 'string' || !TOKEN.test(value) || value.length > 128) {
    throw new TypeError(`${what} ${JSON.stringify(value)} must be 1–128 letters, digits, '_' or '-'`);
  }
  return value;
};

export const assertSubjectPrefix = (prefix: string): string => {
  for (const part of prefix.split('.')) assertToken('subject prefix part', part);
  return prefix;
};

/** Event types may hold dots (`Task.Created`); a subject token may not, so dots become `_`. */
export const typeToken = (type: string): string => type.replace(/\./g, '_');

export const subjectFor = (prefix: string, context: string, type: string): string =>
  `${prefix}.${context}.${typeToken(type)}`;

export const deadLetterSubject = (prefix: string, consumer: string): string =>
  `${prefix}.${DEAD_LETTER_CONTEXT}.${consumer}`;

/** The context of a stream, checked: a context names a subject token and is never the dead-letter one. */
export const contextFor = (contextOf: ContextOf, streamName: string): string => {
  const context = assertToken(`context of stream ${streamName}`, contextOf(streamName));
  if (context === DEAD_LETTER_CONTEXT)
    throw new TypeError(`stream ${streamName} maps to the reserved context '${DEAD_LETTER_CONTEXT}'`);
  return context;
};

export const matchesFilter = (filter: EventFilter | undefined, context: string, type: string): boolean => {
  if (!filter) return true;
  if (filter.types && filter.types.length > 0 && !filter.types.includes(type)) return false;
  if (filter.contexts && filter.contexts.length > 0 && !filter.contexts.includes(context)) return false;
  return true;
};

/**
 * The one subject filter a JetStream 2.9 consumer can hold (no multiple filter subjects before
 * 2.10): exact when the filter names at most one type and one context, else the widest matching
 * subject; the bus then checks each message against the full filter.
 */
export const subjectFilterFor = (prefix: string, filter: EventFilter | undefined): string => {
  const types = filter?.types ?? [];
  const contexts = filter?.contexts ?? [];
  const context = contexts.length === 1 ? contexts[0]! : '*';
  const type = types.length === 1 ? typeToken(types[0]!) : '*';
  return `${prefix}.${context}.${type}`;
};

export const backoffDelay = (backoff: Backoff, failedAttempt: number): number => {
  const raw =
    typeof backoff === 'function'
      ? backoff(failedAttempt)
      : (backoff[Math.min(failedAttempt, backoff.length) - 1] ?? 0);
  return Number.isFinite(raw) && raw > 0 ? Math.round(raw) : 0;
};

export interface ResolvedSubscribeOptions {
  consumer: string;
  filter: EventFilter | undefined;
  handle: EventHandler;
  maxDeliveries: number;
  backoffMs: Backoff;
  concurrency: number;
}

export const resolveSubscribeOptions = (options: SubscribeOptions): ResolvedSubscribeOptions => {
  const consumer = assertToken('consumer name', options.consumer);
  if (typeof options.handle !== 'function') throw new TypeError(`consumer ${consumer} needs a handle function`);
  const maxDeliveries = options.maxDeliveries ?? DEFAULT_MAX_DELIVERIES;
  if (!Number.isSafeInteger(maxDeliveries) || maxDeliveries < 1)
    throw new TypeError(`maxDeliveries ${maxDeliveries} is not a whole number ≥ 1`);
  const concurrency = options.concurrency ?? 16;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1)
    throw new TypeError(`concurrency ${concurrency} is not a whole number ≥ 1`);
  const backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  if (Array.isArray(backoffMs) && backoffMs.some((ms) => typeof ms !== 'number' || !(ms >= 0))) {
    throw new TypeError('backoffMs must hold numbers of milliseconds ≥ 0');
  }
  for (const context of options.filter?.contexts ?? []) assertToken('filter context', context);
  return { consumer, filter: options.filter, handle: options.handle, maxDeliveries, backoffMs, concurrency };
};

export interface ResolvedListenOptions {
  name: string;
  filter: EventFilter | undefined;
  handle: Listener;
  onGap: () => void;
}

export const resolveListenOptions = (options: ListenOptions): ResolvedListenOptions => {
  const name = assertToken('listener name', options.name);
  if (typeof options.handle !== 'function') throw new TypeError(`listener ${name} needs a handle function`);
  for (const context of options.filter?.contexts ?? []) assertToken('filter context', context);
  return { name, filter: options.filter, handle: options.handle, onGap: options.onGap ?? (() => undefined) };
};

/**
 * The subjects a listener's ordered consumers filter on, one each (JetStream 2.9 holds one filter
 * subject per consumer): one per event type named (exact in its context when one context is
 * named), else one per context, else every subject. The bus checks each event against the full
 * filter besides.
 */
export const listenSubjectsFor = (prefix: string, filter: EventFilter | undefined): string[] => {
  const types = [...new Set(filter?.types ?? [])];
  const contexts = [...new Set(filter?.contexts ?? [])];
  const context = contexts.length === 1 ? contexts[0]! : '*';
  if (types.length > 0) return types.map((type) => `${prefix}.${context}.${typeToken(type)}`);
  if (contexts.length > 0) return contexts.map((c) => `${prefix}.${c}.*`);
  return [`${prefix}.*.*`];
};

/** Why a handler failed, as one line for a dead letter. */
export const describeError = (error: unknown): string => {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${error.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${error.message}`.slice(0, 2_000);
  }
  return String(error).slice(0, 2_000);
};

/** A wait that `cancel()` cuts short (resolving false). */
export const cancellableDelay = (ms: number): { promise: Promise<boolean>; cancel: () => void } => {
  let cancel: () => void = () => undefined;
  const promise = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(true), ms);
    cancel = () => {
      clearTimeout(timer);
      resolve(false);
    };
  });
  return { promise, cancel };
};
