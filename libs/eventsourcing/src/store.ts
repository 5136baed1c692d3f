import type { DomainEvent, GlobalPosition, NewEvent, RecordedEvent } from './envelope.js';

/**
 * What the stream must look like for an append to go through:
 * - `any`: no check;
 * - `no_stream`: the stream has no event yet;
 * - `stream_exists`: it has at least one;
 * - a number: its last event has exactly this version (0 for the first event).
 */
export type ExpectedVersion = 'any' | 'no_stream' | 'stream_exists' | number;

export interface AppendOptions {
  expectedVersion?: ExpectedVersion;
}

export interface AppendResult {
  /** Version of the last event appended; pass it as the next expected version. */
  readonly nextExpectedVersion: number;
  /** Global position of the last event appended. */
  readonly position: GlobalPosition;
  /** The stored events, in order. */
  readonly events: readonly RecordedEvent[];
  /** True when every event id was already stored by an earlier, identical append (nothing new was written). */
  readonly idempotent: boolean;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** First version to read (inclusive); for backwards reads, the version to start down from. */
  fromVersion?: number;
  /** At most this many events. */
  limit?: number;
}

export interface ReadAllOptions {
  /** Read events strictly after this position; from the beginning when omitted. */
  after?: GlobalPosition;
  /** At most this many events (default 1,000; at most 10,000). */
  limit?: number;
}

export interface SubscriptionOptions {
  /** Durable name: the store remembers how far it got and resumes there. */
  subscriptionId: string;
  /** Called for each event, in log order. A throw stops the subscription (see onError); the event is delivered again on restart. */
  handle: (event: RecordedEvent) => Promise<void> | void;
  /** Events per read (default 500). */
  batchSize?: number;
  /** How long to wait between polls once caught up, in ms (default 100). */
  pollIntervalMs?: number;
  /**
   * Saves the checkpoint at most this often, in ms (default 0: after every page). Later saves
   * cost fewer writes and deliver more events again after a crash: for handlers that keep their
   * own record of what they handled. The checkpoint is always saved when the subscription stops.
   */
  checkpointIntervalMs?: number;
  /** Told when the subscription stops because of an error. */
  onError?: (error: unknown) => void;
}

export interface Subscription {
  /** Resolves once the subscription has processed every event committed before the call. */
  caughtUp(): Promise<void>;
  /** Stops after the event in hand; its checkpoint is saved. */
  stop(): Promise<void>;
  /** Resolves when the subscription has stopped (by stop() or by an error, which it rejects with). */
  readonly done: Promise<void>;
}

/** The event store contract (DESIGN §2). Every adapter passes the same contract tests. */
export interface EventStore {
  /** Which adapter this is, for logs: `postgres`, `embedded`, `kurrentdb`. */
  readonly kind: string;
  append<E extends DomainEvent>(
    stream: string,
    events: readonly NewEvent<E>[],
    options?: AppendOptions,
  ): Promise<AppendResult>;
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Version of the stream's last event; undefined for a stream with no events. */
  streamVersion(stream: string): Promise<number | undefined>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** The whole log after a position, page by page, without holding it in memory. */
  streamAll(options?: ReadAllOptions & { pageSize?: number }): AsyncIterable<RecordedEvent>;
  /** Position of the last event visible to readAll (START when empty). */
  headPosition(): Promise<GlobalPosition>;
  subscribe(options: SubscriptionOptions): Subscription;
  /** The checkpoint saved for a durable subscription, if any. */
  readCheckpoint(subscriptionId: string): Promise<GlobalPosition | undefined>;
  storeCheckpoint(subscriptionId: string, position: GlobalPosition): Promise<void>;
  close(): Promise<void>;
}
