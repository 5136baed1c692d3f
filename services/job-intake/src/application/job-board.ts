import {
  DurableReadModel,
  type DurableReadModelOptions,
  type ProjectionDefinition,
  type ProjectionStore,
  type ReadModelSource,
  type RecordedEvent,
  type StreamViews,
} from '@workshare/eventsourcing';
import { isJobEvent, projectJob, type JobView } from './job-view.js';

export { DEFAULT_MAX_STALENESS_MS } from '@workshare/eventsourcing';

/** The job board as a durable read model: the `job` streams (raise the version when its folding changes). */
export const JOB_BOARD_PROJECTION: ProjectionDefinition = { name: 'job-board', version: 1, categories: ['job'] };

/**
 * The read model behind ListJobs: every job's view, folded from the events of the `job`
 * streams (a DurableReadModel of @workshare/eventsourcing: kept in job intake's schema with its
 * checkpoint, write-through for this process's appends, catch-up passes for other processes',
 * gaps reloaded). A restart reads only the job events after its checkpoint; `rebuild()` starts
 * it again from nothing.
 */
export class JobBoard extends DurableReadModel {
  private readonly views: StreamViews<JobView>;

  constructor(store: ReadModelSource, projections: ProjectionStore, options: DurableReadModelOptions = {}) {
    super(store, projections, JOB_BOARD_PROJECTION, options);
    this.views = this.streamViews<JobView>('jobs', {
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
