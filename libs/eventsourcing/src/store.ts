import type { DomainEvent, GlobalPosition, NewEvent, RecordedEvent } from './envelope.js';
import type { KeyedLocks } from './locks.js';

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

/**
 * The category of a stream: the part of its name before the first `-` (`job-42` → `job`,
 * `timesheet-m1-202604` → `timesheet`); a name without a dash is its own category. Reads by
 * category (`categories` of ReadAllOptions and SubscriptionOptions) select by this.
 */
export const categoryOf = (streamName: string): string => {
  const dash = streamName.indexOf('-');
  return dash < 0 ? streamName : streamName.slice(0, dash);
};

export interface ReadAllOptions {
  /** Read events strictly after this position; from the beginning when omitted. */
  after?: GlobalPosition;
  /** At most this many events (default 1,000; at most 10,000); with `categories`, of those categories. */
  limit?: number;
  /**
   * Only the events of streams in these categories (`categoryOf`), still in global order and with
   * their global positions. At least one and at most 50 categories, each a letter-led name of
   * letters, digits and `_` (no `-`); anything else is refused with a ValidationError
   * (`eventstore.invalid_categories`). `job` does not select `jobBoard-1`.
   *
   * readAll returns the matching events only: a caller paging by hand goes on after the last one
   * it got, and an empty or short page means there is nothing more of them for now. streamAll
   * pages the same way. A subscription also moves its checkpoint past the other categories' events
   * its reads went through (see SubscriptionOptions.categories).
   */
  categories?: readonly string[];
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
  /**
   * Only the events of streams in these categories, in log order (the same rules as
   * ReadAllOptions.categories; invalid ones make subscribe throw a ValidationError). The
   * checkpoint stays a global position, that of the last event *read*: after a read that reached
   * the end of what may be read, it moves on to the last event of any category that read could
   * see (no event of these categories can ever appear before it). So a subscription to a quiet
   * category passes long runs of other categories once and not again after a restart, and
   * caughtUp() resolves when the newest events are of other categories.
   */
  categories?: readonly string[];
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
  /**
   * The store's own leases (KeyedLocks), where it has them: on the SQL store, PostgreSQL's reach
   * every process on the same schema, the embedded store's every user of its folder in this
   * process. Undefined where the adapter has none (KurrentDB): callers fall back to
   * InProcessLocks, which keeps apart the callers of one process only.
   */
  readonly locks?: KeyedLocks;
  close(): Promise<void>;
}
