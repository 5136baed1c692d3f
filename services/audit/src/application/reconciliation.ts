/**
 * Reconciliation of a region's Tokyo month, as a use case over query tables: the projection
 * `reconciliation` folds the source facts and the close's documents into tables of the audit's
 * schema, each row a fact of one event keyed by the event's log position, so that the facts as
 * they stood at any position can be read back (what the close saw: everything logged before its
 * MonthClosed); `Reconciliations.reconcile` reads the region-month's rows (never the log) and
 * hands them to the pure reconcileMonth (domain/reconciliation.ts).
 *
 * Tables (all in the audit's schema, keyed so that a page written twice changes nothing):
 * - `recon_week_events`: each WeekApproved and WeekReopened of a member's week (approved or not);
 * - `recon_entries`: the entries of each WeekApproved (the week's latest approval before a
 *   position, if not reopened after it, is the approved time then), by region and Tokyo month
 *   (first and last: a span crossing midnight of a month's end is in both) and by job;
 * - `recon_jobs`, `recon_inspections`: JobAccepted (v1 without pricing, v2 with it) and
 *   JobInspected of job intake;
 * - `recon_members`: identity's MemberRegistered (the contract type); `recon_payees`: settlement's
 *   PayeeRegistered (a contractor's registration number or none);
 * - `recon_region_configs`: settlement's RegionConfigured;
 * - `recon_close_parts`, `recon_closes`: a close's part events (InvoicesIssued, StatementsIssued,
 *   JobsSettled, JournalRecorded) and its MonthClosed, as stored.
 *
 * Which facts a reconciliation reads: for a closed month, those logged before its MonthClosed
 * (what the close's snapshot held: settlement catches its read models up before it closes); for a
 * month not closed yet, all of them (what it would bill so far: closed=false). Facts logged after
 * a close are the next close's adjustments, not differences of this one.
 */
import {
  IDENTITY_PUBLISHED_EVENTS,
  JOB_INTAKE_PUBLISHED_EVENTS,
  parsePublished,
  TIME_TRACKING_PUBLISHED_EVENTS,
  type Catalogue,
  type ConsumedOf,
} from '@workshare/contracts';
import {
  NotFoundError,
  ValidationError,
  type JsonValue,
  type ProjectedEvent,
  type RecordedEvent,
  type TableProjection,
  type TableRows,
} from '@workshare/eventsourcing';
import {
  MINIMUM_WAGES,
  monthClose,
  settlementFromJson,
  type MonthSettlement,
  type RoundingRule,
  type WorkCategory,
} from '@workshare/settlement';
import { tokyoDate } from '@workshare/time';
import type { Reconciliation } from '../contract.js';
import { reconcileMonth } from '../domain/reconciliation.js';
import {
  lastDayOfMonth,
  type ApprovedEntry,
  type ReconConfig,
  type ReconJob,
  type ReconMember,
} from '../domain/reconciliation-facts.js';
import type { AuditQueryDeps, AuditTables } from './ports.js';

export const RECONCILIATION_PROJECTION_NAME = 'reconciliation';

const POSITION_COLUMNS = [
  { name: 'commit_pos', type: 'bigint' },
  { name: 'prepare_pos', type: 'bigint' },
] as const;

/** The query tables of the reconciliation (raise the version when a table or the folding changes). */
export const reconciliationProjection: TableProjection = {
  definition: {
    name: RECONCILIATION_PROJECTION_NAME,
    version: 1,
    categories: ['timesheet', 'job', 'member', 'payee', 'region_settlement', 'settlement'],
  },
  tables: [
    {
      name: 'recon_week_events',
      columns: [
        { name: 'member_id', type: 'text' },
        { name: 'week_start', type: 'text' },
        ...POSITION_COLUMNS,
        { name: 'approved', type: 'boolean' },
      ],
      key: ['member_id', 'week_start', 'commit_pos', 'prepare_pos'],
    },
    {
      name: 'recon_entries',
      columns: [
        { name: 'member_id', type: 'text' },
        { name: 'week_start', type: 'text' },
        ...POSITION_COLUMNS,
        { name: 'entry_id', type: 'text' },
        { name: 'task_id', type: 'text' },
        { name: 'job_id', type: 'text' },
        { name: 'region_id', type: 'text' },
        { name: 'start_ms', type: 'bigint' },
        { name: 'end_ms', type: 'bigint' },
        { name: 'minutes', type: 'integer' },
        { name: 'first_month', type: 'text' },
        { name: 'last_month', type: 'text' },
      ],
      key: ['member_id', 'week_start', 'commit_pos', 'prepare_pos', 'entry_id'],
      indexes: [
        { name: 'recon_entries_first_month', on: '(region_id, first_month)' },
        { name: 'recon_entries_last_month', on: '(region_id, last_month)' },
        { name: 'recon_entries_job', on: '(job_id)' },
      ],
    },
    {
      name: 'recon_jobs',
      columns: [
        { name: 'job_id', type: 'text' },
        ...POSITION_COLUMNS,
        { name: 'region_id', type: 'text' },
        { name: 'business_id', type: 'text' },
        { name: 'title', type: 'text' },
        { name: 'work_category', type: 'text' },
        { name: 'pricing_kind', type: 'text', nullable: true },
        { name: 'hourly_rate_yen', type: 'bigint', nullable: true },
        { name: 'fee_yen', type: 'bigint', nullable: true },
      ],
      key: ['job_id', 'commit_pos', 'prepare_pos'],
      indexes: [{ name: 'recon_jobs_region', on: '(region_id)' }],
    },
    {
      name: 'recon_inspections',
      columns: [
        { name: 'job_id', type: 'text' },
        ...POSITION_COLUMNS,
        { name: 'accepted', type: 'boolean' },
        { name: 'occurred_at', type: 'timestamptz' },
      ],
      key: ['job_id', 'commit_pos', 'prepare_pos'],
    },
    {
      name: 'recon_members',
      columns: [{ name: 'member_id', type: 'text' }, ...POSITION_COLUMNS, { name: 'contract_type', type: 'text' }],
      key: ['member_id', 'commit_pos', 'prepare_pos'],
    },
    {
      name: 'recon_payees',
      columns: [{ name: 'member_id', type: 'text' }, ...POSITION_COLUMNS, { name: 'registered', type: 'boolean' }],
      key: ['member_id', 'commit_pos', 'prepare_pos'],
    },
    {
      name: 'recon_region_configs',
      columns: [{ name: 'region_id', type: 'text' }, ...POSITION_COLUMNS, { name: 'config', type: 'jsonb' }],
      key: ['region_id', 'commit_pos', 'prepare_pos'],
    },
    {
      name: 'recon_close_parts',
      columns: [
        { name: 'region_id', type: 'text' },
        { name: 'month', type: 'text' },
        { name: 'stream_version', type: 'integer' },
        { name: 'list', type: 'text' },
        { name: 'items', type: 'jsonb' },
      ],
      key: ['region_id', 'month', 'stream_version'],
    },
    {
      name: 'recon_closes',
      columns: [
        { name: 'region_id', type: 'text' },
        { name: 'month', type: 'text' },
        ...POSITION_COLUMNS,
        { name: 'summary', type: 'jsonb' },
      ],
      key: ['region_id', 'month'],
    },
  ],
  project: (page) => projectReconciliation(page),
};

const asRecorded = (event: ProjectedEvent): RecordedEvent => ({ ...event, hash: '', previousHash: '' });

/** A published event of another service, typed by its catalogue; undefined when it is not published. */
const published = <C extends Catalogue>(catalogue: C, event: ProjectedEvent): ConsumedOf<C> | undefined => {
  const result = parsePublished(catalogue, asRecorded(event));
  if (result.ok) return result.value;
  if (result.error.code === 'contract.unpublished_event') return undefined;
  throw new ValidationError('audit.malformed_event', `${event.type} ${event.id}: ${result.error.message}`, {
    eventId: event.id,
    type: event.type,
    streamName: event.streamName,
    contractCode: result.error.code,
  });
};

const monthOfMs = (ms: number): string => tokyoDate(new Date(ms)).slice(0, 7);

const PART_LISTS: Readonly<Record<string, string>> = {
  InvoicesIssued: 'invoices',
  StatementsIssued: 'statements',
  JobsSettled: 'jobs',
  JournalRecorded: 'journal',
};

/** One page of the log → the reconciliation's rows (pure). */
export const projectReconciliation = (page: readonly ProjectedEvent[]): TableRows => {
  const rows = new Map<string, unknown[][]>(reconciliationProjection.tables.map((t) => [t.name, []]));
  const add = (table: string, row: unknown[]) => rows.get(table)!.push(row);
  for (const event of page) {
    const { commit, prepare } = event.position;
    const stream = event.streamName;
    if (stream.startsWith('timesheet-')) {
      if (event.type !== 'WeekApproved' && event.type !== 'WeekReopened') continue;
      const p = published(TIME_TRACKING_PUBLISHED_EVENTS, event);
      if (p === undefined) continue;
      if (p.type === 'WeekApproved') {
        add('recon_week_events', [p.data.memberId, p.data.weekStart, commit, prepare, true]);
        for (const e of p.data.entries) {
          const startMs = Date.parse(e.start);
          const endMs = Date.parse(e.end);
          add('recon_entries', [
            p.data.memberId,
            p.data.weekStart,
            commit,
            prepare,
            e.entryId,
            e.taskId,
            e.jobId,
            e.regionId,
            startMs,
            endMs,
            e.minutes,
            monthOfMs(startMs),
            monthOfMs(endMs - 1),
          ]);
        }
      } else if (p.type === 'WeekReopened') {
        add('recon_week_events', [p.data.memberId, p.data.weekStart, commit, prepare, false]);
      }
    } else if (stream.startsWith('job-')) {
      const p = published(JOB_INTAKE_PUBLISHED_EVENTS, event);
      if (p === undefined) continue;
      if (p.type === 'JobAccepted') {
        const d = p.data;
        if (p.schemaVersion === 1)
          add('recon_jobs', [
            d.jobId,
            commit,
            prepare,
            d.regionId,
            d.businessId,
            d.title,
            d.workCategory,
            null,
            null,
            null,
          ]);
        else {
          const v2 = p.data;
          add('recon_jobs', [
            v2.jobId,
            commit,
            prepare,
            v2.regionId,
            v2.businessId,
            v2.title,
            v2.workCategory,
            v2.pricing.kind,
            v2.pricing.kind === 'hourly' ? BigInt(v2.pricing.hourlyRateYen) : null,
            BigInt(v2.feeYen),
          ]);
        }
      } else if (p.type === 'JobInspected') {
        add('recon_inspections', [p.data.jobId, commit, prepare, p.data.accepted, event.occurredAt]);
      }
    } else if (stream.startsWith('member-')) {
      if (event.type !== 'MemberRegistered') continue;
      const p = published(IDENTITY_PUBLISHED_EVENTS, event);
      if (p?.type === 'MemberRegistered') add('recon_members', [p.data.memberId, commit, prepare, p.data.contractType]);
    } else if (stream.startsWith('payee-')) {
      if (event.type !== 'PayeeRegistered') continue;
      const d = event.data as { memberId?: unknown; invoiceRegistrationNumber?: unknown };
      if (typeof d.memberId === 'string')
        add('recon_payees', [d.memberId, commit, prepare, typeof d.invoiceRegistrationNumber === 'string']);
    } else if (stream.startsWith('region_settlement-')) {
      if (event.type !== 'RegionConfigured') continue;
      const d = event.data as { regionId?: unknown; config?: unknown };
      if (typeof d.regionId === 'string') add('recon_region_configs', [d.regionId, commit, prepare, d.config]);
    } else if (stream.startsWith('settlement-')) {
      const ref = monthClose.monthOfStream(stream);
      if (ref === undefined) continue;
      const list = PART_LISTS[event.type];
      if (list !== undefined) {
        add('recon_close_parts', [
          ref.regionId,
          ref.month,
          event.streamVersion,
          list,
          (event.data as Record<string, unknown>)[list] ?? [],
        ]);
      } else if (event.type === 'MonthClosed') {
        add('recon_closes', [ref.regionId, ref.month, commit, prepare, event.data]);
      }
    }
  }
  return rows;
};

// ---- reading a region's month ---------------------------------------------------------------------

/** A position as two bigint parameters; `LATEST` stands above every position (a month not closed). */
interface Cutoff {
  readonly commit: string;
  readonly prepare: string;
}
const LATEST: Cutoff = { commit: '9223372036854775807', prepare: '9223372036854775807' };

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export class Reconciliations {
  constructor(private readonly deps: AuditQueryDeps) {}

  private get tables(): AuditTables {
    return this.deps.tables(RECONCILIATION_PROJECTION_NAME);
  }

  /** The month's reconciliation (see the module's comment); `audit.region_not_configured` (not found) for a region settlement was never configured for. */
  async reconcile(q: { readonly regionId: string; readonly month: string }): Promise<Reconciliation> {
    if (!MONTH.test(q.month))
      throw new ValidationError('audit.invalid_month', `${JSON.stringify(q.month)} is not a month YYYY-MM`, {
        field: 'month',
      });
    const t = this.tables;
    await t.ensureFresh();
    const { regionId, month } = q;
    const closes = await this.closes(regionId, month);
    const own = closes.find((c) => c.month === month);
    const earlier = closes.filter((c) => c.month < month);
    const cutoff: Cutoff = own ? own.cutoff : LATEST;

    const [configRow] = await t.query<{ config: JsonValue }>(
      `SELECT config FROM ${t.table('recon_region_configs')} WHERE region_id = $1 AND (commit_pos, prepare_pos) < ($2::bigint, $3::bigint)
       ORDER BY commit_pos DESC, prepare_pos DESC LIMIT 1`,
      [regionId, cutoff.commit, cutoff.prepare],
    );
    if (configRow === undefined && own === undefined)
      throw new NotFoundError(
        'audit.region_not_configured',
        `settlement of ${regionId} was never configured: there is no month to reconcile`,
        { regionId },
      );
    const config = configOf(configRow?.config, own?.settlement);

    const jobs = await this.jobs(regionId, cutoff);
    // The months whose approved time the recomputation reads: this one and every earlier closed one
    // (their adjustments), and every day up to the month's end of the fixed-price jobs they bill.
    const months = [month, ...earlier.map((c) => c.month)];
    const fixedJobs = jobs
      .filter(
        (j) =>
          j.pricing?.kind === 'fixed_price' &&
          j.inspectionAcceptedAt !== null &&
          months.includes(tokyoDate(j.inspectionAcceptedAt).slice(0, 7)),
      )
      .map((j) => j.jobId);
    const entries = await this.entries(regionId, months, fixedJobs, cutoff);
    const memberIds = [
      ...new Set([
        ...entries.map((e) => e.memberId),
        ...earlier.flatMap((c) => c.settlement.statements.map((s) => s.memberId)),
      ]),
    ];
    const members = await this.members(memberIds, cutoff);
    return reconcileMonth({
      regionId,
      month,
      config,
      jobs,
      entries,
      members,
      minimumWages: MINIMUM_WAGES,
      close: own?.settlement ?? null,
      earlier: earlier.map((c) => c.settlement),
    });
  }

  /** The region's closes up to the month, each whole (its MonthClosed and its parts), oldest first. */
  private async closes(
    regionId: string,
    month: string,
  ): Promise<{ month: string; cutoff: Cutoff; settlement: MonthSettlement }[]> {
    const t = this.tables;
    const closes = await t.query<{ month: string; commit_pos: string; prepare_pos: string; summary: JsonValue }>(
      `SELECT month, commit_pos::text AS commit_pos, prepare_pos::text AS prepare_pos, summary FROM ${t.table('recon_closes')}
       WHERE region_id = $1 AND month <= $2 ORDER BY month`,
      [regionId, month],
    );
    if (closes.length === 0) return [];
    const parts = await t.query<{ month: string; list: string; items: JsonValue[] }>(
      `SELECT month, list, items FROM ${t.table('recon_close_parts')} WHERE region_id = $1 AND month = ANY($2::text[]) ORDER BY month, stream_version`,
      [regionId, closes.map((c) => c.month)],
    );
    return closes.map((c) => {
      const lists: Record<string, JsonValue[]> = { invoices: [], statements: [], jobs: [], journal: [] };
      for (const p of parts) if (p.month === c.month) lists[p.list]!.push(...p.items);
      const summary = c.summary as Record<string, JsonValue>;
      return {
        month: c.month,
        cutoff: { commit: c.commit_pos, prepare: c.prepare_pos },
        settlement: settlementFromJson({ ...summary, ...lists }, `settlement-${regionId}.${c.month}`),
      };
    });
  }

  private async jobs(regionId: string, cutoff: Cutoff): Promise<ReconJob[]> {
    const t = this.tables;
    const rows = await t.query<{
      job_id: string;
      business_id: string;
      title: string;
      work_category: string;
      pricing_kind: string | null;
      hourly_rate_yen: string | null;
      fee_yen: string | null;
      inspected_ms: string | number | null;
    }>(
      `SELECT DISTINCT ON (j.job_id) j.job_id, j.business_id, j.title, j.work_category, j.pricing_kind,
              j.hourly_rate_yen::text AS hourly_rate_yen, j.fee_yen::text AS fee_yen,
              (SELECT (extract(epoch FROM i.occurred_at) * 1000)::float8 FROM ${t.table('recon_inspections')} i
                WHERE i.job_id = j.job_id AND i.accepted AND (i.commit_pos, i.prepare_pos) < ($2::bigint, $3::bigint)
                ORDER BY i.commit_pos DESC, i.prepare_pos DESC LIMIT 1) AS inspected_ms
       FROM ${t.table('recon_jobs')} j
       WHERE j.region_id = $1 AND (j.commit_pos, j.prepare_pos) < ($2::bigint, $3::bigint)
       ORDER BY j.job_id, j.commit_pos DESC, j.prepare_pos DESC`,
      [regionId, cutoff.commit, cutoff.prepare],
    );
    return rows.map((r) => ({
      jobId: r.job_id,
      businessId: r.business_id,
      regionId,
      title: r.title,
      workCategory: r.work_category as WorkCategory,
      pricing:
        r.pricing_kind === null
          ? null
          : r.pricing_kind === 'hourly'
            ? { kind: 'hourly', hourlyRateYen: BigInt(r.hourly_rate_yen ?? '0') }
            : { kind: 'fixed_price' },
      feeYen: r.fee_yen === null ? null : BigInt(r.fee_yen),
      inspectionAcceptedAt: r.inspected_ms === null ? null : new Date(Math.round(Number(r.inspected_ms))),
    }));
  }

  /**
   * Approved entries: of the weeks whose latest approval before the cutoff is not reopened, in the
   * months or on the jobs asked. Three reads, each on an index: the candidate entries (every
   * approval of their weeks, by region and month, and by job), the latest approval or reopening of
   * each of their weeks before the cutoff (by the week events' key), and the match of the two here.
   */
  private async entries(
    regionId: string,
    months: readonly string[],
    jobIds: readonly string[],
    cutoff: Cutoff,
  ): Promise<ApprovedEntry[]> {
    const t = this.tables;
    const lastDay = lastDayOfMonth([...months].sort().at(-1)!);
    const columns = `member_id, week_start, commit_pos::text AS commit_pos, prepare_pos::text AS prepare_pos, entry_id, task_id, job_id,
       start_ms::float8 AS start_ms, end_ms::float8 AS end_ms, minutes`;
    const before = `week_start <= $3 AND (commit_pos, prepare_pos) < ($4::bigint, $5::bigint)`;
    const entries = t.table('recon_entries');
    const rows = await t.query<{
      member_id: string;
      week_start: string;
      commit_pos: string;
      prepare_pos: string;
      entry_id: string;
      task_id: string;
      job_id: string;
      start_ms: number;
      end_ms: number;
      minutes: number;
    }>(
      `SELECT ${columns} FROM ${entries}
       WHERE region_id = $1 AND (first_month = ANY($2::text[]) OR last_month = ANY($2::text[])) AND ${before}
       UNION ALL
       SELECT ${columns} FROM ${entries}
       WHERE job_id = ANY($6::text[]) AND region_id = $1 AND NOT (first_month = ANY($2::text[]) OR last_month = ANY($2::text[])) AND ${before}`,
      [regionId, months, lastDay, cutoff.commit, cutoff.prepare, jobIds],
    );
    if (rows.length === 0) return [];
    const weeks = new Map<string, { member: string; week: string }>();
    for (const r of rows) weeks.set(`${r.member_id}\u0000${r.week_start}`, { member: r.member_id, week: r.week_start });
    const latest = await t.query<{
      member_id: string;
      week_start: string;
      commit_pos: string;
      prepare_pos: string;
      approved: boolean;
    }>(
      `SELECT DISTINCT ON (w.member_id, w.week_start) w.member_id, w.week_start, w.commit_pos::text AS commit_pos,
              w.prepare_pos::text AS prepare_pos, w.approved
       FROM unnest($1::text[], $2::text[]) AS p(member_id, week_start)
       JOIN ${t.table('recon_week_events')} w ON w.member_id = p.member_id AND w.week_start = p.week_start
       WHERE (w.commit_pos, w.prepare_pos) < ($3::bigint, $4::bigint)
       ORDER BY w.member_id, w.week_start, w.commit_pos DESC, w.prepare_pos DESC`,
      [[...weeks.values()].map((w) => w.member), [...weeks.values()].map((w) => w.week), cutoff.commit, cutoff.prepare],
    );
    const approvedAt = new Set(
      latest
        .filter((w) => w.approved)
        .map((w) => `${w.member_id}\u0000${w.week_start}\u0000${w.commit_pos}/${w.prepare_pos}`),
    );
    return rows
      .filter((r) => approvedAt.has(`${r.member_id}\u0000${r.week_start}\u0000${r.commit_pos}/${r.prepare_pos}`))
      .map((r) => ({
        entryId: r.entry_id,
        memberId: r.member_id,
        taskId: r.task_id,
        jobId: r.job_id,
        start: new Date(r.start_ms),
        end: new Date(r.end_ms),
        minutes: r.minutes,
      }));
  }

  private async members(memberIds: readonly string[], cutoff: Cutoff): Promise<ReconMember[]> {
    if (memberIds.length === 0) return [];
    const t = this.tables;
    const rows = await t.query<{ member_id: string; contract_type: string; registered: boolean | null }>(
      `SELECT m.member_id, m.contract_type,
              (SELECT p.registered FROM ${t.table('recon_payees')} p
                WHERE p.member_id = m.member_id AND (p.commit_pos, p.prepare_pos) < ($2::bigint, $3::bigint)
                ORDER BY p.commit_pos DESC, p.prepare_pos DESC LIMIT 1) AS registered
       FROM (SELECT DISTINCT ON (member_id) member_id, contract_type FROM ${t.table('recon_members')}
             WHERE member_id = ANY($1::text[]) AND (commit_pos, prepare_pos) < ($2::bigint, $3::bigint)
             ORDER BY member_id, commit_pos DESC, prepare_pos DESC) m`,
      [memberIds, cutoff.commit, cutoff.prepare],
    );
    return rows.map((r) => ({
      memberId: r.member_id,
      contractType: r.contract_type === 'employee' ? 'employee' : 'contractor',
      registered: r.registered === true,
    }));
  }
}

const ROUNDINGS: readonly RoundingRule[] = ['floor', 'round_half_up', 'ceil'];

/** The region's configuration as the amounts read it (the one in force at the close), or the close's own when none was recorded before it. */
const configOf = (stored: JsonValue | undefined, close: MonthSettlement | undefined): ReconConfig => {
  const c = (stored ?? null) as {
    marginBasisPoints?: unknown;
    invoiceRounding?: unknown;
    officePrefecture?: unknown;
  } | null;
  if (c !== null && typeof c.marginBasisPoints === 'number' && typeof c.officePrefecture === 'string')
    return {
      marginBasisPoints: c.marginBasisPoints,
      invoiceRounding: ROUNDINGS.includes(c.invoiceRounding as RoundingRule)
        ? (c.invoiceRounding as RoundingRule)
        : 'floor',
      officePrefecture: c.officePrefecture,
    };
  if (close !== undefined)
    return {
      marginBasisPoints: close.config.marginBasisPoints,
      invoiceRounding: close.config.invoiceRounding,
      officePrefecture: close.config.officePrefecture,
    };
  throw new ValidationError('audit.region_config_unreadable', 'the region’s settlement configuration cannot be read');
};
