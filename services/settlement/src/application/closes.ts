import {
  DurableReadModel,
  type Documents,
  type DurableReadModelOptions,
  type ProjectionDefinition,
  type ProjectionStore,
  type ReadModelSource,
  type RecordedEvent,
} from '@workshare/eventsourcing';
import { monthOfStream } from '../domain/month.js';

/** The closed months: settlement's own `settlement` streams (raise the version when the folding changes). */
export const CLOSES_PROJECTION: ProjectionDefinition = { name: 'closes', version: 2, categories: ['settlement'] };

/** A closed month, as the index of a region's closes holds it (the settlement itself stays on its stream). */
export interface ClosedMonthView {
  readonly regionId: string;
  readonly month: string;
  readonly closedAt: Date;
}

/**
 * Which months of which region are closed, as a durable read model of settlement's own month
 * streams (written through by this process's closes; a close reads it caught up under the
 * region's lease, so it knows every close decided before). A month is closed by its MonthClosed,
 * the last event of its close's one append: the parts before it (InvoicesIssued, ...) are not
 * read, and a page of the log that ends inside a close's parts has not closed the month yet. One
 * document per closed month, written once (at MonthClosed's version of its stream).
 */
export class Closes extends DurableReadModel {
  private readonly months: Documents<ClosedMonthView>;

  constructor(store: ReadModelSource, projections: ProjectionStore, options: DurableReadModelOptions = {}) {
    super(store, projections, CLOSES_PROJECTION, options);
    this.months = this.documents<ClosedMonthView>('months');
  }

  protected apply(event: RecordedEvent): Promise<void> {
    const month = event.type === 'MonthClosed' ? monthOfStream(event.streamName) : undefined;
    if (month !== undefined && this.months.get(event.streamName) === undefined)
      this.months.set(event.streamName, { ...month, closedAt: event.occurredAt }, event.streamVersion);
    return Promise.resolve();
  }

  /** The region's closed months, oldest first. */
  closedMonths(regionId: string): string[] {
    const months: string[] = [];
    for (const [, view] of this.months.entries()) if (view.regionId === regionId) months.push(view.month);
    return months.sort();
  }
}
