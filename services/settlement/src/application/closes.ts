import {
  DurableReadModel,
  type DurableReadModelOptions,
  type ProjectionDefinition,
  type ProjectionStore,
  type ReadModelSource,
  type RecordedEvent,
  type StreamViews,
} from '@workshare/eventsourcing';
import { monthOfStream } from '../domain/month.js';

/** The closed months: settlement's own `settlement` streams (raise the version when the folding changes). */
export const CLOSES_PROJECTION: ProjectionDefinition = { name: 'closes', version: 1, categories: ['settlement'] };

/** A closed month, as the index of a region's closes holds it (the settlement itself stays on its stream). */
export interface ClosedMonthView {
  readonly regionId: string;
  readonly month: string;
  readonly closedAt: Date;
}

/**
 * Which months of which region are closed, as a durable read model of settlement's own month
 * streams (written through by this process's closes; a close reads it caught up under the
 * region's lease, so it knows every close decided before).
 */
export class Closes extends DurableReadModel {
  private readonly views: StreamViews<ClosedMonthView>;

  constructor(store: ReadModelSource, projections: ProjectionStore, options: DurableReadModelOptions = {}) {
    super(store, projections, CLOSES_PROJECTION, options);
    this.views = this.streamViews<ClosedMonthView>('months', {
      accepts: (event) => event.type === 'MonthClosed' && monthOfStream(event.streamName) !== undefined,
      project: (_known, event) => ({ ...monthOfStream(event.streamName)!, closedAt: event.occurredAt }),
    });
  }

  protected apply(event: RecordedEvent): Promise<void> {
    return this.views.apply(event);
  }

  /** The region's closed months, oldest first. */
  closedMonths(regionId: string): string[] {
    const months: string[] = [];
    for (const [, { view }] of this.views.entries()) if (view.regionId === regionId) months.push(view.month);
    return months.sort();
  }
}
