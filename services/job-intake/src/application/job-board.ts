import {
  FollowedReadModel,
  StreamViews,
  type EventStore,
  type LogFollowerOptions,
  type RecordedEvent,
} from '@workshare/eventsourcing';
import { isJobEvent, projectJob, type JobView } from './job-view.js';

export { DEFAULT_MAX_STALENESS_MS } from '@workshare/eventsourcing';

/**
 * The read model behind ListJobs: every job's view, folded from the `job-*` events of the
 * store's global log (see LogFollower and StreamViews in @workshare/eventsourcing: write-through
 * for this process's appends, catch-up passes for other processes', gaps reloaded). It starts
 * from nothing, so it can be rebuilt at any time by making a new one.
 */
export class JobBoard extends FollowedReadModel {
  private readonly views: StreamViews<JobView>;

  constructor(store: Pick<EventStore, 'readAll' | 'readStream'>, options: LogFollowerOptions = {}) {
    super(store, options);
    this.views = new StreamViews<JobView>(store, {
      accepts: isJobEvent,
      project: (known, event) => projectJob(known, event as Parameters<typeof projectJob>[1]),
    });
  }

  protected apply(event: RecordedEvent): Promise<void> {
    return this.views.apply(event);
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
