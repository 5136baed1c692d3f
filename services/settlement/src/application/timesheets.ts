import { TIME_TRACKING_PUBLISHED_EVENTS } from '@workshare/contracts';
import {
  DurableReadModel,
  type Documents,
  type DurableReadModelOptions,
  type ProjectionDefinition,
  type ProjectionStore,
  type ReadModelSource,
  type RecordedEvent,
} from '@workshare/eventsourcing';
import { approvedDaysOf, type ApprovedSpan } from '../domain/approved-time.js';
import type { ApprovedDay, WorkReceipt } from '../domain/model.js';
import { publishedEventOf } from './published.js';

/**
 * Approved time and receipts: time tracking's `timesheet` streams (raise the version when the
 * folding or the documents' layout changes: version 2 keeps a document per member and week, and
 * per member and task, where version 1 kept one per member).
 */
export const TIMESHEETS_PROJECTION: ProjectionDefinition = {
  name: 'timesheets',
  version: 2,
  categories: ['timesheet'],
};

/**
 * An entry of an approved week, as the close reads it: its job (and the job's home region, whose
 * month pays it), its span and its minutes. Its instants are kept as epoch milliseconds: a region
 * has hundreds of thousands of entries, and numbers are what their documents hold cheapest.
 */
export interface ApprovedEntryRecord {
  readonly jobId: string;
  readonly regionId: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly minutes: number;
}

/**
 * A member's week (document `<memberId>/<weekStart>`, its Monday `YYYY-MM-DD`): the entries of
 * its latest WeekApproved, or null once it was reopened (until it is approved again).
 */
export interface ApprovedWeek {
  readonly entries: readonly ApprovedEntryRecord[] | null;
}

/** When the cooperative received a member's work on a task (document `<memberId>/<taskId>`): her TaskMarkedDone. */
export interface ReceiptRecord {
  readonly jobId: string;
  readonly regionId: string;
  readonly receivedAt: Date;
}

/** The published events of a timesheet that pay uses: no other is read (nor checked against its schema). */
const READ_TYPES: ReadonlySet<string> = new Set(['WeekApproved', 'WeekReopened', 'TaskMarkedDone']);

const memberOfStream = (streamName: string): string => streamName.slice('timesheet-'.length);

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** `<memberId>/<rest>` → its member and the rest (a week's Monday, a task id). */
const splitKey = (key: string): { readonly memberId: string; readonly rest: string } => {
  const slash = key.lastIndexOf('/');
  return { memberId: key.slice(0, slash), rest: key.slice(slash + 1) };
};

/**
 * Approved time and receipts, as a durable read model of the `timesheet` category (settlement's
 * schema, with its checkpoint), folded from time tracking's published events only
 * (TIME_TRACKING_PUBLISHED_EVENTS), and of those only what pay uses: WeekApproved (the week's full
 * set of approved entries, replacing an earlier approval of the same week), WeekReopened (the week
 * is no longer approved until approved again) and TaskMarkedDone (when the cooperative received
 * her work: the earliest, once per member and task). Entries recorded, corrected or deleted are
 * not approved time: they count only through the next WeekApproved. Events of any other type are
 * not read at all (so not checked against their schemas either: nothing of them is used).
 *
 * The documents are as small as the changes: one per member and week (`weeks`), one per member
 * and task (`receipts`), each stored at the version of its member's stream that last changed it
 * (an event at or below it is one already folded). A page of the log writes the weeks approved or
 * reopened and the receipts recorded in it, never a member's whole history. In memory beside
 * them, rebuilt on load: which weeks and receipts each region's jobs have, so that a close reads
 * its region's only.
 */
export class Timesheets extends DurableReadModel {
  private readonly weeks: Documents<ApprovedWeek>;
  private readonly receiptDocuments: Documents<ReceiptRecord>;
  /** Region → the keys of the weeks holding entries on its jobs. */
  private readonly weeksOfRegion = new Map<string, Set<string>>();
  /** Region → the keys of the receipts of its jobs. */
  private readonly receiptsOfRegion = new Map<string, Set<string>>();

  constructor(store: ReadModelSource, projections: ProjectionStore, options: DurableReadModelOptions = {}) {
    super(store, projections, TIMESHEETS_PROJECTION, options);
    this.weeks = this.documents<ApprovedWeek>('weeks');
    this.receiptDocuments = this.documents<ReceiptRecord>('receipts');
  }

  protected override restored(): void {
    this.weeksOfRegion.clear();
    this.receiptsOfRegion.clear();
    for (const [key, week] of this.weeks.entries()) this.indexWeek(key, week, true);
    for (const [key, receipt] of this.receiptDocuments.entries()) index(this.receiptsOfRegion, receipt.regionId, key);
  }

  protected apply(event: RecordedEvent): Promise<void> {
    if (!READ_TYPES.has(event.type) || !event.streamName.startsWith('timesheet-')) return Promise.resolve();
    const published = publishedEventOf(TIME_TRACKING_PUBLISHED_EVENTS, event);
    if (published === undefined) return Promise.resolve();
    const memberId = memberOfStream(event.streamName);
    const folded = (documents: Documents<unknown>, key: string): boolean =>
      (documents.version(key) ?? -1) >= event.streamVersion;
    switch (published.type) {
      case 'WeekApproved': {
        const key = `${memberId}/${published.data.weekStart}`;
        if (folded(this.weeks, key)) break;
        const entries = published.data.entries.map((e): ApprovedEntryRecord => ({
          jobId: e.jobId,
          regionId: e.regionId,
          startMs: Date.parse(e.start),
          endMs: Date.parse(e.end),
          minutes: e.minutes,
        }));
        this.setWeek(key, { entries }, event.streamVersion);
        break;
      }
      case 'WeekReopened': {
        const key = `${memberId}/${published.data.weekStart}`;
        const known = this.weeks.get(key);
        // A week never approved, or reopened already, has nothing to drop.
        if (known === undefined || known.entries === null || folded(this.weeks, key)) break;
        this.setWeek(key, { entries: null }, event.streamVersion);
        break;
      }
      case 'TaskMarkedDone': {
        const { taskId, jobId, regionId, at } = published.data;
        const key = `${memberId}/${taskId}`;
        const receivedAt = new Date(at);
        if (folded(this.receiptDocuments, key)) break;
        const earlier = this.receiptDocuments.get(key);
        if (earlier !== undefined && earlier.receivedAt.getTime() <= receivedAt.getTime()) break;
        if (earlier !== undefined) this.receiptsOfRegion.get(earlier.regionId)?.delete(key);
        this.receiptDocuments.set(key, { jobId, regionId, receivedAt }, event.streamVersion);
        index(this.receiptsOfRegion, regionId, key);
        break;
      }
      default:
        break;
    }
    return Promise.resolve();
  }

  private setWeek(key: string, week: ApprovedWeek, version: number): void {
    const known = this.weeks.get(key);
    if (known !== undefined) this.indexWeek(key, known, false);
    this.weeks.set(key, week, version);
    this.indexWeek(key, week, true);
  }

  private indexWeek(key: string, week: ApprovedWeek, add: boolean): void {
    for (const regionId of new Set(week.entries?.map((e) => e.regionId) ?? []))
      if (add) index(this.weeksOfRegion, regionId, key);
      else this.weeksOfRegion.get(regionId)?.delete(key);
  }

  /** Every approved entry on the region's jobs, as spans of their members (with `throughDay`, of the weeks begun by then). */
  *approvedSpans(regionId: string, throughDay?: string): Generator<ApprovedSpan> {
    for (const key of this.weeksOfRegion.get(regionId) ?? []) {
      const { memberId, rest: weekStart } = splitKey(key);
      // A week's entries begin on or after its Monday (00:00 Tokyo): a later week has none up to the day.
      if (throughDay !== undefined && weekStart > throughDay) continue;
      for (const e of this.weeks.get(key)?.entries ?? [])
        if (e.regionId === regionId)
          yield { memberId, jobId: e.jobId, start: new Date(e.startMs), end: new Date(e.endMs), minutes: e.minutes };
    }
  }

  /** Approved minutes on the region's jobs by member, job and Tokyo day, up to `throughDay` (inclusive). */
  approvedDays(regionId: string, throughDay: string): ApprovedDay[] {
    return approvedDaysOf(this.approvedSpans(regionId, throughDay), throughDay);
  }

  /** Every receipt of work on the region's jobs (one per member and task), by member, job and time. */
  receipts(regionId: string): WorkReceipt[] {
    const receipts: WorkReceipt[] = [];
    for (const key of this.receiptsOfRegion.get(regionId) ?? []) {
      const r = this.receiptDocuments.get(key);
      if (r !== undefined)
        receipts.push({ memberId: splitKey(key).memberId, jobId: r.jobId, receivedAt: r.receivedAt });
    }
    return receipts.sort(
      (a, b) =>
        compare(a.memberId, b.memberId) || compare(a.jobId, b.jobId) || a.receivedAt.getTime() - b.receivedAt.getTime(),
    );
  }
}

const index = (byRegion: Map<string, Set<string>>, regionId: string, key: string): void => {
  let keys = byRegion.get(regionId);
  if (keys === undefined) byRegion.set(regionId, (keys = new Set()));
  keys.add(key);
};
