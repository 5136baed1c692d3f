import { performance } from 'node:perf_hooks';
import type { EventStore, GlobalPosition, RecordedEvent } from '@workshare/eventsourcing';
import { isJobEvent, jobViewOf, projectJob, type JobView } from './job-view.js';

export interface JobBoardOptions {
  /**
   * How old what a list sees may be, at most, for writes made by other processes (other pods
   * of this service): a read waits for a pass over the global log when the last one began
   * longer ago than this. Writes made through this process are seen at once (write-through).
   */
  readonly maxStalenessMs?: number;
}

export const DEFAULT_MAX_STALENESS_MS = 100;

/**
 * The read model behind ListJobs: every job's view, folded from the `job-*` events of the
 * store's global log. It learns of changes two ways, as identity's directory does:
 * - write-through: the service hands it the events it has just appended (`observe`);
 * - catch-up: passes over the global log from where the last one stopped (shared by the reads
 *   waiting for them), for what other processes wrote.
 * An event is applied only when it is the next version of its stream; one further ahead (a
 * gap) makes the board reload that stream. It starts from nothing, so it can be rebuilt at
 * any time by making a new one; applying an event twice changes nothing.
 */
export class JobBoard {
  private after: GlobalPosition | undefined;
  private readonly jobs = new Map<string, JobView>();
  private readonly maxStalenessMs: number;
  private freshAsOf = Number.NEGATIVE_INFINITY;
  private running: Promise<void> | undefined;
  private runningSince = Number.NEGATIVE_INFINITY;
  private queued: Promise<void> | undefined;

  constructor(
    private readonly store: Pick<EventStore, 'readAll' | 'readStream'>,
    options: JobBoardOptions = {},
  ) {
    this.maxStalenessMs = options.maxStalenessMs ?? DEFAULT_MAX_STALENESS_MS;
    if (!(this.maxStalenessMs >= 0)) throw new RangeError(`maxStalenessMs ${this.maxStalenessMs} is not a duration`);
  }

  /** Resolves once the board holds everything logged up to `maxStalenessMs` ago (or later). */
  ensureFresh(): Promise<void> {
    const now = performance.now();
    if (now - this.freshAsOf <= this.maxStalenessMs) return Promise.resolve();
    if (this.running !== undefined && this.runningSince >= now - this.maxStalenessMs) return this.running;
    return this.catchUp();
  }

  /** A pass over the log that begins after this call; calls made while a pass runs share the next one. */
  catchUp(): Promise<void> {
    if (this.running === undefined) {
      this.runningSince = performance.now();
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
    const began = performance.now();
    const limit = 1000;
    for (;;) {
      const events = await this.store.readAll({ ...(this.after ? { after: this.after } : {}), limit });
      for (const event of events) {
        await this.apply(event);
        this.after = event.position;
      }
      if (events.length < limit) break;
    }
    this.freshAsOf = Math.max(this.freshAsOf, began);
  }

  /** Write-through: events this process has just appended, in stream order. */
  async observe(events: readonly RecordedEvent[]): Promise<void> {
    for (const event of events) await this.apply(event);
  }

  private async apply(event: RecordedEvent): Promise<void> {
    if (!isJobEvent(event)) return;
    const known = this.jobs.get(event.streamName);
    const expected = known === undefined ? 0 : known.version + 1;
    if (event.streamVersion < expected) return; // seen already (write-through, then the log)
    if (event.streamVersion > expected) return this.reload(event.streamName);
    const view = projectJob(known, event);
    if (view !== undefined) this.jobs.set(event.streamName, view);
  }

  /** Reads one stream from the store and replaces what the board knows of it. */
  async reload(streamName: string): Promise<void> {
    const view = jobViewOf(await this.store.readStream(streamName));
    const current = this.jobs.get(streamName);
    if (view !== undefined && (current === undefined || current.version < view.version)) this.jobs.set(streamName, view);
  }

  /** Every job known, in no particular order. */
  all(): IterableIterator<JobView> {
    return this.jobs.values();
  }
}
