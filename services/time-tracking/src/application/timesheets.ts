import {
  DurableReadModel,
  type DurableReadModelOptions,
  type ProjectionDefinition,
  type ProjectionStore,
  type ReadModelSource,
  type RecordedEvent,
  type StreamViews,
} from '@workshare/eventsourcing';
import {
  evolve,
  initialState,
  TIMESHEET_EVENT_TYPES,
  timesheetStream,
  type Timesheet,
  type TimesheetEvent,
} from '../domain/timesheet.js';

/** The members' timesheets, from the `timesheet` streams (raise the version when the folding changes). */
export const TIMESHEETS_PROJECTION: ProjectionDefinition = {
  name: 'timesheets',
  version: 1,
  categories: ['timesheet'],
};

const TIMESHEET_EVENTS = new Set<string>(TIMESHEET_EVENT_TYPES);
const PREFIX = 'timesheet-';

/**
 * Every member's timesheet, folded with the decider's own evolve: what GetWeek ("my hours this
 * week in Tokyo time") and ListApprovedTime read. A durable read model in time tracking's
 * schema: write-through for this process's appends, catch-up passes for other replicas'.
 */
export class Timesheets extends DurableReadModel {
  private readonly sheets: StreamViews<Timesheet>;

  constructor(store: ReadModelSource, projections: ProjectionStore, options: DurableReadModelOptions = {}) {
    super(store, projections, TIMESHEETS_PROJECTION, options);
    this.sheets = this.streamViews<Timesheet>('sheets', {
      accepts: (event) => event.streamName.startsWith(PREFIX) && TIMESHEET_EVENTS.has(event.type),
      project: (known, event) =>
        evolve(known ?? initialState(), { type: event.type, data: event.data } as TimesheetEvent),
    });
  }

  protected apply(event: RecordedEvent): Promise<void> {
    return this.sheets.apply(event);
  }

  /** A member's sheet (empty when she has recorded nothing). */
  sheet(memberId: string): Timesheet {
    return this.sheets.get(timesheetStream(memberId))?.view ?? initialState();
  }

  /** Every sheet with its member's id. */
  *all(): Generator<readonly [string, Timesheet]> {
    for (const [streamName, { view }] of this.sheets.entries()) yield [streamName.slice(PREFIX.length), view];
  }
}
