import { systemClock, type Clock } from '@workshare/time';
import { eventMetadataOf, type CommandContext } from './context.js';
import { fold, type Decider } from './decider.js';
import { retryDelayMs } from './retry.js';
import type { DomainEvent, EventMetadata, RecordedEvent } from './envelope.js';
import { WrongExpectedVersionError } from './errors.js';
import type { EventStore, ExpectedVersion } from './store.js';
import { noUpcasting, type Upcaster } from './upcasting.js';
import { uuidv7 } from './uuid.js';

export interface CommandHandlerOptions<Command, Event extends DomainEvent, State> {
  store: EventStore;
  decider: Decider<Command, Event, State>;
  upcast?: Upcaster;
  /** How many times to reload and decide again after a version conflict (default 3). */
  maxRetries?: number;
  /** Base delay between retries in ms; doubled each time, with jitter (default 5). */
  retryDelayMs?: number;
  /**
   * The clock of the service this handler decides for: the events' occurred-at (default
   * systemClock). A command's own `now` (HandleOptions) comes first.
   */
  now?: Clock;
}

export interface HandleOptions {
  /**
   * Id of this command. A command with an id already seen on the stream is not decided again:
   * the events it produced the first time are returned (safe retries after a lost answer).
   */
  commandId?: string;
  /** Who acts and the command's trace: its metadata (eventMetadataOf) is stamped on every event produced. */
  context?: CommandContext;
  /** Metadata stamped on every event produced, besides the context's (actor, correlation id, traceparent...). */
  metadata?: EventMetadata;
  /**
   * The version the caller's decision was based on. When given, a conflict is reported
   * instead of retried: the caller saw a stale state.
   */
  expectedVersion?: number | 'no_stream';
  /** Clock for occurred-at (default the handler's, see CommandHandlerOptions.now; tests pass a fixed one). */
  now?: Clock;
  /**
   * The command creates its stream (a fresh id): decide on the initial state without reading
   * the stream and append with `no_stream`. Should the stream exist after all (a retried
   * request), the handler reads it and goes on as usual, idempotency by command id included.
   * Saves a read on the commonest command of all, the first one.
   */
  assumeNewStream?: boolean;
}

export interface HandleResult<Event extends DomainEvent, State> {
  readonly state: State;
  readonly events: readonly RecordedEvent<Event>[];
  /** Version of the stream after the command; undefined when the stream is still empty. */
  readonly streamVersion: number | undefined;
  /** True when the command id had been handled before and nothing new was decided. */
  readonly alreadyHandled: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A decision on a stream's current state, as Emmett's `handle(store, id, state => events)`
 * takes it: for use cases whose command needs what only the caller has gathered (a roster, say).
 * It must be pure, like a decider's `decide`: it may run again on a fresher state after a conflict.
 */
export type Decision<Event, State> = (state: State) => Event[];

/**
 * Load → decide → append with the expected version. The decision is the decider's `decide` of a
 * command, or a `Decision` function; the stream is read once per attempt. Retries a bounded number of times when
 * another writer got in between; idempotent by command id.
 */
export class CommandHandler<Command, Event extends DomainEvent, State> {
  private readonly upcast: Upcaster;
  private readonly maxRetries: number;
  private readonly retryDelayMs: number;

  constructor(private readonly options: CommandHandlerOptions<Command, Event, State>) {
    this.upcast = options.upcast ?? noUpcasting;
    this.maxRetries = options.maxRetries ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 5;
  }

  /** Current state of a stream, folded from its events. */
  async load(
    streamName: string,
  ): Promise<{ state: State; version: number | undefined; events: RecordedEvent<Event>[] }> {
    const { decider, store } = this.options;
    const events = (await store.readStream(streamName)).map(this.upcast) as unknown as RecordedEvent<Event>[];
    const state = fold(decider, events as unknown as Event[]);
    const last = events[events.length - 1];
    return { state, version: last?.streamVersion, events };
  }

  async handle(
    streamName: string,
    command: Command | Decision<Event, State>,
    options: HandleOptions = {},
  ): Promise<HandleResult<Event, State>> {
    const { decider, store } = this.options;
    const now = options.now ?? this.options.now ?? systemClock;
    for (let attempt = 0; ; attempt++) {
      const assumeNew = attempt === 0 && options.assumeNewStream === true && options.expectedVersion === undefined;
      const {
        state,
        version,
        events: history,
      } = assumeNew ? { state: decider.initialState(), version: undefined, events: [] } : await this.load(streamName);
      if (options.commandId !== undefined) {
        const earlier = history.filter((e) => e.metadata.commandId === options.commandId);
        if (earlier.length > 0) return { state, events: earlier, streamVersion: version, alreadyHandled: true };
      }
      if (options.expectedVersion !== undefined && options.expectedVersion !== (version ?? 'no_stream')) {
        throw new WrongExpectedVersionError(streamName, String(options.expectedVersion), version);
      }
      let decided: Event[];
      try {
        decided =
          typeof command === 'function' ? (command as Decision<Event, State>)(state) : decider.decide(command, state);
      } catch (error) {
        // Refused on the assumed-empty stream: only the stream as it is may refuse it.
        if (assumeNew) continue;
        throw error;
      }
      // Nothing to do on the assumed-empty stream may still be something to do on the real one.
      if (decided.length === 0 && assumeNew) continue;
      if (decided.length === 0) return { state, events: [], streamVersion: version, alreadyHandled: false };
      const occurredAt = now();
      const metadata: EventMetadata = {
        ...(options.context ? eventMetadataOf(options.context) : {}),
        ...options.metadata,
      };
      if (options.commandId !== undefined) metadata.commandId = options.commandId;
      const expected: ExpectedVersion = version ?? 'no_stream';
      try {
        const result = await store.append(
          streamName,
          decided.map((e) => ({
            id: uuidv7(),
            type: e.type,
            schemaVersion: this.upcast.currentVersion?.(e.type),
            data: e.data,
            metadata,
            occurredAt,
          })),
          { expectedVersion: expected },
        );
        const next = fold(decider, decided, state);
        return {
          state: next,
          events: result.events as unknown as RecordedEvent<Event>[],
          streamVersion: result.nextExpectedVersion,
          alreadyHandled: false,
        };
      } catch (error) {
        const retry =
          error instanceof WrongExpectedVersionError &&
          options.expectedVersion === undefined &&
          attempt < this.maxRetries;
        if (!retry) throw error;
        // A stream assumed new that exists is no contention: read it at once.
        if (!assumeNew)
          await sleep(
            retryDelayMs(
              { attempts: this.maxRetries + 1, baseDelayMs: this.retryDelayMs * 2, jitter: 'equal' },
              attempt + 1,
            ),
          );
      }
    }
  }
}
