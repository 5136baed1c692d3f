import { TIME_TRACKING_PUBLISHED_EVENTS } from '@workshare/contracts';
import {
  DurableReadModel,
  type DurableReadModelOptions,
  type ProjectionDefinition,
  type ProjectionStore,
  type ReadModelSource,
  type RecordedEvent,
  type StreamViews,
} from '@workshare/eventsourcing';
import { approvedDaysOf, type ApprovedSpan } from '../domain/approved-time.js';
import type { ApprovedDay, WorkReceipt } from '../domain/model.js';
import { publishedEventOf } from './published.js';

/** Approved time and receipts: time tracking's `timesheet` streams (raise the version when the folding changes). */
export const TIMESHEETS_PROJECTION: ProjectionDefinition = {
  name: 'timesheets',
  version: 1,
  categories: ['timesheet'],
};

/** An entry of an approved week. */
export interface ApprovedEntryRecord {
  readonly entryId: string;
  readonly taskId: string;
  readonly jobId: string;
  /** The job's home region: whose month pays it. */
  readonly regionId: string;
  readonly start: Date;
  readonly end: Date;
  readonly minutes: number;
}

/** A member's timesheet as settlement reads it. */
export interface TimesheetView {
  /** Her approved weeks by their Monday (`YYYY-MM-DD`): each the entries of its latest WeekApproved; a reopened week is absent. */
  readonly weeks: Readonly<Record<string, readonly ApprovedEntryRecord[]>>;
  /** Her work received, by task (TaskMarkedDone: once per member and task). */
  readonly receipts: Readonly<
    Record<string, { readonly jobId: string; readonly regionId: string; readonly receivedAt: Date }>
  >;
}

const EMPTY: TimesheetView = { weeks: {}, receipts: {} };

/**
 * One more event of a member's timesheet stream. Only time tracking's published events are read
 * (TIME_TRACKING_PUBLISHED_EVENTS), and of those only what pay uses: WeekApproved (the week's
 * full set of approved entries, replacing an earlier approval of the same week), WeekReopened
 * (the week is no longer approved until approved again) and TaskMarkedDone (when the cooperative
 * received her work). Entries recorded, corrected or deleted are not approved time: they count
 * only through the next WeekApproved. Every other event only moves the view's version.
 */
export const projectTimesheet = (known: TimesheetView | undefined, event: RecordedEvent): TimesheetView => {
  const view = known ?? EMPTY;
  const published = publishedEventOf(TIME_TRACKING_PUBLISHED_EVENTS, event);
  if (published === undefined) return view;
  switch (published.type) {
    case 'WeekApproved': {
      const entries = published.data.entries.map((e): ApprovedEntryRecord => ({
        entryId: e.entryId,
        taskId: e.taskId,
        jobId: e.jobId,
        regionId: e.regionId,
        start: new Date(e.start),
        end: new Date(e.end),
        minutes: e.minutes,
      }));
      return { ...view, weeks: { ...view.weeks, [published.data.weekStart]: entries } };
    }
    case 'WeekReopened': {
      if (!(published.data.weekStart in view.weeks)) return view;
      const weeks = { ...view.weeks };
      delete weeks[published.data.weekStart];
      return { ...view, weeks };
    }
    case 'TaskMarkedDone': {
      const { taskId, jobId, regionId, at } = published.data;
      const receivedAt = new Date(at);
      const earlier = view.receipts[taskId];
      if (earlier !== undefined && earlier.receivedAt.getTime() <= receivedAt.getTime()) return view;
      return { ...view, receipts: { ...view.receipts, [taskId]: { jobId, regionId, receivedAt } } };
    }
    default:
      return view;
  }
};

const memberOfStream = (streamName: string): string => streamName.slice('timesheet-'.length);

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Approved time and receipts, as a durable read model of the `timesheet` category (settlement's
 * schema, with its checkpoint): one view per member's timesheet stream, folded from time
 * tracking's published events only.
 */
export class Timesheets extends DurableReadModel {
  private readonly views: StreamViews<TimesheetView>;

  constructor(store: ReadModelSource, projections: ProjectionStore, options: DurableReadModelOptions = {}) {
    super(store, projections, TIMESHEETS_PROJECTION, options);
    this.views = this.streamViews<TimesheetView>('timesheets', {
      accepts: (event) => event.streamName.startsWith('timesheet-'),
      project: projectTimesheet,
    });
  }

  protected apply(event: RecordedEvent): Promise<void> {
    return this.views.apply(event);
  }

  /** Every approved entry on the region's jobs, as spans of their members. */
  *approvedSpans(regionId: string): Generator<ApprovedSpan> {
    for (const [stream, { view }] of this.views.entries()) {
      const memberId = memberOfStream(stream);
      for (const entries of Object.values(view.weeks))
        for (const e of entries)
          if (e.regionId === regionId)
            yield { memberId, jobId: e.jobId, start: e.start, end: e.end, minutes: e.minutes };
    }
  }

  /** Approved minutes on the region's jobs by member, job and Tokyo day, up to `throughDay` (inclusive). */
  approvedDays(regionId: string, throughDay: string): ApprovedDay[] {
    return approvedDaysOf(this.approvedSpans(regionId), throughDay);
  }

  /** Every receipt of work on the region's jobs (one per member and task), by member, job and time. */
  receipts(regionId: string): WorkReceipt[] {
    const receipts: WorkReceipt[] = [];
    for (const [stream, { view }] of this.views.entries()) {
      const memberId = memberOfStream(stream);
      for (const r of Object.values(view.receipts))
        if (r.regionId === regionId) receipts.push({ memberId, jobId: r.jobId, receivedAt: r.receivedAt });
    }
    return receipts.sort(
      (a, b) =>
        compare(a.memberId, b.memberId) || compare(a.jobId, b.jobId) || a.receivedAt.getTime() - b.receivedAt.getTime(),
    );
  }
}
