import { LogFollower, StreamViews, type EventStore, type LogFollowerOptions, type RecordedEvent } from '@workshare/eventsourcing';
import { isJobEvent, projectJob, type JobView } from './job-view.js';

export { DEFAULT_MAX_STALENESS_MS } from '@workshare/eventsourcing';

/**
 * The read model behind ListJobs: every job's view, folded from the `job-*` events of the
 * store's global log (see LogFollower and StreamViews in @workshare/eventsourcing: write-through
 * for this process's appends, catch-up passes for other processes', gaps reloaded). It starts
 * from nothing, so it can be rebuilt at any time by making a new one.
 */
export class JobBoard {
  private readonly views: StreamViews<JobView>;
  private readonly follower: LogFollower;

  constructor(store: Pick<EventStore, 'readAll' | 'readStream'>, options: LogFollowerOptions = {}) {
    this.views = new StreamViews<JobView>(store, { accepts: isJobEvent, project: (known, event) => projectJob(known, event as Parameters<typeof projectJob>[1]) });
    this.follower = new LogFollower(store, (event) => this.views.apply(event), options);
  }

  /** Resolves once the board holds everything logged up to `maxStalenessMs` ago (or later). */
  ensureFresh(): Promise<void> {
    return this.follower.ensureFresh();
  }

  /** A pass over the log that begins after this call. */
  catchUp(): Promise<void> {
    return this.follower.catchUp();
  }

  /** Write-through: events this process has just appended, in stream order. */
  async observe(events: readonly RecordedEvent[]): Promise<void> {
    for (const event of events) await this.views.apply(event);
  }

  /** Reads one stream from the store and replaces what the board knows of it. */
  reload(streamName: string): Promise<void> {
    return this.views.reload(streamName);
  }

  /** Every job known, in no particular order. */
  *all(): IterableIterator<JobView> {
    for (const [, entry] of this.views.entries()) yield entry.view;
  }
}
