import { performance } from 'node:perf_hooks';
import { breathe } from './breathing.js';
import type { GlobalPosition, RecordedEvent } from './envelope.js';
import type { EventStore } from './store.js';

/**
 * Read models (projections) of a service: folded from the store's global log, rebuildable at
 * any time by starting from nothing, and applying an event twice changes nothing. They learn of
 * changes two ways:
 * - **write-through**: the service hands them the events it has just appended, so what this
 *   process wrote is read back at once;
 * - **catch-up**: passes over the global log from where the last one stopped, shared by the
 *   reads waiting for them, for what other processes (other pods) wrote.
 */

export interface LogFollowerOptions {
  /**
   * How old what a read sees may be, at most, for writes made by other processes: a read waits
   * for a pass over the global log when the last one began longer ago than this (default 100
   * ms; 0: every read waits for a pass that began after it).
   */
  readonly maxStalenessMs?: number;
  /** Events read per page of a pass (default 1,000). */
  readonly pageSize?: number;
  /** The clock the bound is measured with, in milliseconds (default `performance.now`). */
  readonly now?: () => number;
}

export const DEFAULT_MAX_STALENESS_MS = 100;

/**
 * Follows the global log for a read model: `ensureFresh()` before a read resolves once
 * everything logged up to `maxStalenessMs` ago has been handed to `handle`, in log order. Once
 * half the bound has gone by, a read also starts a pass in the background, so that under steady
 * load reads seldom wait at all.
 */
export class LogFollower {
  private after: GlobalPosition | undefined;
  private readonly maxStalenessMs: number;
  private readonly pageSize: number;
  /** When the last completed pass began (on `now`). */
  private freshAsOf = Number.NEGATIVE_INFINITY;
  private running: Promise<void> | undefined;
  private runningSince = Number.NEGATIVE_INFINITY;
  private queued: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(
    private readonly store: Pick<EventStore, 'readAll'>,
    private readonly handle: (event: RecordedEvent) => Promise<void> | void,
    options: LogFollowerOptions = {},
  ) {
    this.maxStalenessMs = options.maxStalenessMs ?? DEFAULT_MAX_STALENESS_MS;
    this.pageSize = options.pageSize ?? 1_000;
    this.now = options.now ?? (() => performance.now());
    if (!(this.maxStalenessMs >= 0)) throw new RangeError(`maxStalenessMs ${this.maxStalenessMs} is not a duration`);
  }

  ensureFresh(): Promise<void> {
    const now = this.now();
    const age = now - this.freshAsOf;
    if (age <= this.maxStalenessMs) {
      if (age > this.maxStalenessMs / 2 && this.running === undefined) this.catchUp().catch(() => undefined);
      return Promise.resolve();
    }
    if (this.running !== undefined && this.runningSince >= now - this.maxStalenessMs) return this.running;
    return this.catchUp();
  }

  /** A pass over the log that begins after this call; calls made while a pass runs share the next one. */
  catchUp(): Promise<void> {
    if (this.running === undefined) {
      this.runningSince = this.now();
      this.running = this.pass().finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.catchUp();
      });
    return this.queued;
  }

  private async pass(): Promise<void> {
    const began = this.now();
    for (;;) {
      const events = await this.store.readAll({ ...(this.after ? { after: this.after } : {}), limit: this.pageSize });
      for (const event of events) {
        await this.handle(event);
        this.after = event.position;
        await breathe();
      }
      if (events.length < this.pageSize) break;
    }
    this.freshAsOf = Math.max(this.freshAsOf, began);
  }
}

/**
 * A read model that follows the global log: `apply` folds one event (an event seen twice
 * changes nothing). It learns of this process's appends by `observe` (write-through) and of
 * other processes' by the passes of its LogFollower (`ensureFresh`, `catchUp`).
 */
export abstract class FollowedReadModel {
  private readonly follower: LogFollower;

  constructor(store: Pick<EventStore, 'readAll'>, options: LogFollowerOptions = {}) {
    this.follower = new LogFollower(store, (event) => this.apply(event), options);
  }

  /** Folds one event of the log into the read model. */
  protected abstract apply(event: RecordedEvent): Promise<void>;

  /**
   * Resolves once the read model holds everything logged up to `maxStalenessMs` ago (or later):
   * at once when the last pass is recent enough, else with a pass begun within the bound.
   */
  ensureFresh(): Promise<void> {
    return this.follower.ensureFresh();
  }

  /** A pass over the log that begins after this call; calls made while a pass runs share the next one. */
  catchUp(): Promise<void> {
    return this.follower.catchUp();
  }

  /** Write-through: events this process has just appended (in stream order). */
  async observe(events: readonly RecordedEvent[]): Promise<void> {
    for (const event of events) await this.apply(event);
  }
}

/** A stream as a read model knows it: its view and the stream version it is folded to. */
export interface StreamView<V> {
  readonly view: V;
  readonly version: number;
  /** When the stream's first event occurred. */
  readonly since: Date;
}

export interface StreamViewsOptions<V> {
  /** Whether the event belongs to this read model (its stream category and type). */
  accepts(event: RecordedEvent): boolean;
  /** The view after one more event (`known` undefined before the first); undefined: no view yet. */
  project(known: V | undefined, event: RecordedEvent): V | undefined;
}

/**
 * One view per stream, folded event by event. An event is applied only when it is the next
 * version of its stream; one already seen is skipped (write-through, then the log); one further
 * ahead (a gap: another process wrote in between) makes it reload that stream from the store.
 */
export class StreamViews<V> {
  private readonly views = new Map<string, StreamView<V>>();

  constructor(
    private readonly store: Pick<EventStore, 'readStream'>,
    private readonly options: StreamViewsOptions<V>,
  ) {}

  async apply(event: RecordedEvent): Promise<void> {
    if (!this.options.accepts(event)) return;
    const known = this.views.get(event.streamName);
    const expected = known === undefined ? 0 : known.version + 1;
    if (event.streamVersion < expected) return;
    if (event.streamVersion > expected) return this.reload(event.streamName);
    const view = this.options.project(known?.view, event);
    if (view !== undefined)
      this.views.set(event.streamName, { view, version: event.streamVersion, since: known?.since ?? event.occurredAt });
  }

  /** Reads one stream from the store and replaces what is known of it (never with an older version). */
  async reload(streamName: string): Promise<void> {
    const events = (await this.store.readStream(streamName)).filter((e) => this.options.accepts(e));
    const first = events[0];
    const last = events[events.length - 1];
    if (first === undefined || last === undefined) return;
    const current = this.views.get(streamName);
    if (current !== undefined && current.version >= last.streamVersion) return;
    let view: V | undefined;
    for (const event of events) view = this.options.project(view, event);
    if (view !== undefined) this.views.set(streamName, { view, version: last.streamVersion, since: first.occurredAt });
  }

  get(streamName: string): StreamView<V> | undefined {
    return this.views.get(streamName);
  }

  /** Every stream known, with its name. */
  entries(): IterableIterator<[string, StreamView<V>]> {
    return this.views.entries();
  }
}
