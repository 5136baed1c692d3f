/**
 * The baseline: the questions answered the naive way, with nothing but the store's log — one full
 * scan through the store's own reads (readAll, pages of 10,000, every event decoded), folding in
 * memory what each question needs. One scan answers every question of the run at once, and notes
 * for each when it could have stopped:
 *
 * - who held T at t: the holder from the task's schedule events (TaskAssigned, TaskReleased,
 *   TaskHandedOff, AssignmentOverridden, TaskUnassignable), each at its occurredAt; the naive
 *   answer's time is the scan's time when it read the task's last such event ("scan until the
 *   task's events are all seen": the least any scan without an index can take for it);
 * - a month's reconciliation: each statement's minutes traced to the member's approved entries of
 *   the month on the region's jobs (the latest WeekApproved of each of her weeks), each hourly
 *   invoice line's minutes to its job's approved entries; the naive answer's time is the scan's
 *   time when it read the month's MonthClosed (nothing later changes a closed month);
 * - the rebuild: the scan's own rate (events/s) is what a rebuild reading the same log compares with.
 */
import { performance } from 'node:perf_hooks';
import type { EventStore, GlobalPosition, JsonObject } from '@workshare/eventsourcing';
import { createProgress } from '@workshare/bench';
import { TOKYO_OFFSET_MS } from '@workshare/time';

export interface WhoHeldQuestion {
  readonly taskId: string;
  readonly atMs: number;
}

export interface NaiveHolding {
  readonly memberId: string | null;
}

export interface NaiveReconciliation {
  readonly statements: number;
  readonly invoiceLines: number;
  /** Statements and hourly lines whose minutes are not the approved entries'. */
  readonly differences: number;
  readonly tracedEntries: number;
  readonly payableYen: bigint;
  readonly invoicedYen: bigint;
  /** The scan's ms when it read the month's MonthClosed. */
  readonly answeredAtMs: number;
}

export interface NaiveScan {
  readonly events: number;
  readonly ms: number;
  readonly eventsPerSecond: number;
  readonly holders: readonly (string | null)[];
  /** Per question: the scan's ms when it had read the task's last schedule event. */
  readonly whoHeldMs: readonly number[];
  readonly reconciliation: NaiveReconciliation | null;
}

const HOLDING_TYPES = new Set([
  'TaskAssigned',
  'TaskReleased',
  'TaskHandedOff',
  'AssignmentOverridden',
  'TaskUnassignable',
]);

const holderAfter = (type: string, data: JsonObject): string | null => {
  switch (type) {
    case 'TaskAssigned':
      return String(data.memberId);
    case 'TaskHandedOff':
    case 'AssignmentOverridden':
      return String(data.toMemberId);
    default:
      return null;
  }
};

const tokyoMonthOf = (iso: string): string => new Date(Date.parse(iso) + TOKYO_OFFSET_MS).toISOString().slice(0, 7);

interface ApprovedEntry {
  readonly jobId: string;
  readonly regionId: string;
  readonly start: string;
  readonly minutes: number;
}

export const naiveScan = async (options: {
  readonly store: EventStore;
  readonly questions: readonly WhoHeldQuestion[];
  readonly month: { readonly regionId: string; readonly month: string } | null;
  readonly total: number;
}): Promise<NaiveScan> => {
  const { store, questions } = options;
  const byTask = new Map<string, number[]>();
  questions.forEach((q, i) => {
    const list = byTask.get(q.taskId);
    if (list === undefined) byTask.set(q.taskId, [i]);
    else list.push(i);
  });
  const changes = new Map<string, { atMs: number; memberId: string | null }[]>();
  const lastSeen = new Map<string, number>();
  const month = options.month;
  const settlementStream = month === null ? '' : `settlement-${month.regionId}.${month.month}`;
  /** The latest approval of each member-week (entries of the month on the region's jobs). */
  const weeks = new Map<string, { memberId: string; entries: ApprovedEntry[] }>();
  const hourlyJobs = new Set<string>();
  let statements: JsonObject[] = [];
  let invoices: JsonObject[] = [];
  let reconciledAt: number | null = null;
  let reconciliation: NaiveReconciliation | null = null;

  const progress = createProgress({ label: '  naive scan', total: options.total, unit: 'events', eta: true });
  const started = performance.now();
  let events = 0;
  let after: GlobalPosition | undefined;
  for (;;) {
    const page = await store.readAll({ limit: 10_000, ...(after !== undefined ? { after } : {}) });
    for (const e of page) {
      events++;
      if (HOLDING_TYPES.has(e.type)) {
        const taskId = String(e.data.taskId);
        if (byTask.has(taskId)) {
          let list = changes.get(taskId);
          if (list === undefined) changes.set(taskId, (list = []));
          list.push({ atMs: e.occurredAt.getTime(), memberId: holderAfter(e.type, e.data) });
          lastSeen.set(taskId, performance.now() - started);
        }
      }
      if (month === null || reconciledAt !== null) continue;
      if (e.type === 'WeekApproved') {
        const entries = (e.data.entries as unknown as ApprovedEntry[]).filter(
          (x) => x.regionId === month.regionId && tokyoMonthOf(x.start) === month.month,
        );
        const key = `${String(e.data.memberId)}|${String(e.data.weekStart)}`;
        if (entries.length > 0 || weeks.has(key)) weeks.set(key, { memberId: String(e.data.memberId), entries });
      } else if (e.type === 'JobAccepted' && e.data.regionId === month.regionId) {
        const pricing = e.data.pricing as JsonObject | undefined;
        if (pricing?.kind === 'hourly') hourlyJobs.add(String(e.data.jobId));
      } else if (e.streamName === settlementStream) {
        if (e.type === 'StatementsIssued') statements = statements.concat(e.data.statements as JsonObject[]);
        else if (e.type === 'InvoicesIssued') invoices = invoices.concat(e.data.invoices as JsonObject[]);
        else if (e.type === 'MonthClosed') reconciledAt = performance.now() - started;
      }
    }
    progress.add(page.length);
    if (month !== null && reconciledAt !== null && reconciliation === null) {
      // Trace: minutes per member and per job from the approvals, against the close's documents.
      const byMember = new Map<string, number>();
      const byJob = new Map<string, number>();
      let traced = 0;
      for (const w of weeks.values())
        for (const x of w.entries) {
          traced++;
          byMember.set(w.memberId, (byMember.get(w.memberId) ?? 0) + x.minutes);
          byJob.set(x.jobId, (byJob.get(x.jobId) ?? 0) + x.minutes);
        }
      let differences = 0;
      let payableYen = 0n;
      let invoicedYen = 0n;
      let lines = 0;
      for (const s of statements) {
        payableYen += BigInt(String(s.payableYen));
        if (Number(s.minutes) !== (byMember.get(String(s.memberId)) ?? 0)) differences++;
      }
      for (const invoice of invoices)
        for (const line of invoice.lines as JsonObject[]) {
          lines++;
          invoicedYen += BigInt(String(line.amountYen));
          const origin = line.origin as JsonObject;
          if (line.pricing === 'hourly' && origin.kind === 'current' && hourlyJobs.has(String(line.jobId)))
            if (Number(line.minutes) !== (byJob.get(String(line.jobId)) ?? 0)) differences++;
        }
      reconciliation = {
        statements: statements.length,
        invoiceLines: lines,
        differences,
        tracedEntries: traced,
        payableYen,
        invoicedYen,
        answeredAtMs: performance.now() - started,
      };
    }
    if (page.length < 10_000) break;
    after = page[page.length - 1]!.position;
  }
  const ms = performance.now() - started;
  progress.finish();
  const holders = questions.map((q) => {
    let holder: string | null = null;
    for (const c of changes.get(q.taskId) ?? []) if (c.atMs <= q.atMs) holder = c.memberId;
    return holder;
  });
  return {
    events,
    ms,
    eventsPerSecond: (events * 1000) / ms,
    holders,
    whoHeldMs: questions.map((q) => lastSeen.get(q.taskId) ?? ms),
    reconciliation,
  };
};
