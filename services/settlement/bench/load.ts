/**
 * Loads the generated region (region.ts) into the event store, as its producers write it:
 * - identity, for real (the test cooperative of @workshare/identity, in process, on the same
 *   store): the businesses (RegisterBusiness) and the members (RegisterMember: her personal data
 *   sealed with a key of her own, her bank account, her MemberRegistered published), because the
 *   close asks identity for the businesses' names and numbers and the Zengin file for the
 *   contractors' bank accounts, over gRPC with the caller's token;
 * - settlement, through its facade: the region's configuration and the registered contractors'
 *   own numbers (RegisterPayee);
 * - job intake's job streams (JobSubmitted, JobQuoted, JobAccepted v2, JobStarted, JobDelivered,
 *   JobInspected) and time tracking's timesheets (TimeEntryRecorded per entry, TaskMarkedDone per
 *   task done, WeekApproved per member-week), appended as those services write them (their
 *   published events checked against their catalogues first, as test/producers.ts does), one
 *   append per stream and week (many events per append), week after week as weeks are approved;
 * - the same approved entries as rows (member, job, Tokyo day, minutes) of a plain table, for the
 *   SQL baseline.
 */
import { randomUUID } from 'node:crypto';
import { createProgress, type Progress } from '@workshare/bench';
import {
  JOB_INTAKE_PUBLISHED_EVENTS,
  parsePublished,
  TIME_TRACKING_PUBLISHED_EVENTS,
  type Catalogue,
} from '@workshare/contracts';
import {
  actorOf,
  uuidv7,
  type CommandContext,
  type EventStore,
  type JsonObject,
  type NewEvent,
  type RecordedEvent,
} from '@workshare/eventsourcing';
import type { SqlDriver } from '@workshare/eventstore';
import { corporateRegistrationNumber, type TestCast, type TestCooperative } from '@workshare/identity';
import type { RegionSettlementConfigInput } from '../src/domain/config.js';
import type { SettlementService } from '../src/application/settlement-service.js';
import { REGION_ID, tokyoDayOf, weekStartOf, type EntryPlan, type RegionPlan } from './region.js';

/** Fujisato's cooperative as the region's configuration says it (its number's check digit is valid). */
export const FUJISATO_CONFIG: RegionSettlementConfigInput = {
  regionId: REGION_ID,
  issuerName: '藤里ワークシェア協同組合',
  registrationNumber: 'T7123456789012',
  address: '秋田県山本郡藤里町藤琴字藤琴8',
  payerAccount: {
    bankCode: '0117',
    bankNameKana: 'アキタ',
    branchCode: '123',
    branchNameKana: 'フジサト',
    type: 'ordinary',
    number: '1234567',
  },
  zenginRequesterCode: '123456789',
  requesterNameKana: 'フジサトワークシェアキョウドウクミアイ',
  marginBasisPoints: 1500,
  payDay: 25,
  invoiceRounding: 'floor',
  payTimingReading: 'two_months',
  officePrefecture: 'akita',
};

export const BASELINE_TABLE = 'bench_approved_entries';
const MINUTE_MS = 60_000;
const PASSWORD = 'bench password, long enough';

/** How many appends or commands run at once while loading. */
const LOADERS = 4;

/** Runs `work` over 0..count-1, `concurrency` at a time. */
const forEachLimited = async (
  count: number,
  concurrency: number,
  work: (index: number) => Promise<void>,
): Promise<void> => {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await work(next++);
    }),
  );
};

interface Produced {
  readonly type: string;
  readonly schemaVersion?: number;
  readonly data: JsonObject;
  readonly occurredAt: Date;
  /** Not in the producer's catalogue: one of its internal events. */
  readonly internal?: boolean;
}

/** An event its producer could publish, or a failed bench (the same check as test/producers.ts). */
const checked = (catalogue: Catalogue, stream: string, event: Produced): NewEvent => {
  if (!event.internal) {
    const probe: RecordedEvent = {
      id: uuidv7(),
      type: event.type,
      schemaVersion: event.schemaVersion ?? 1,
      streamName: stream,
      streamVersion: 0,
      position: { commit: 0n, prepare: 0n },
      data: event.data,
      metadata: {},
      occurredAt: event.occurredAt,
      recordedAt: event.occurredAt,
      hash: '',
      previousHash: '',
    };
    const parsed = parsePublished(catalogue, probe);
    if (!parsed.ok) throw new Error(`a bench event its producer could not publish: ${parsed.error.message}`);
  }
  return {
    type: event.type,
    schemaVersion: event.schemaVersion ?? 1,
    data: event.data,
    metadata: { actor: 'bench-producer' },
    occurredAt: event.occurredAt,
  };
};

export interface LoadedRegion {
  /** Identity's ids, by the plan's index. */
  readonly memberIds: readonly string[];
  readonly businessIds: readonly string[];
  /** Events appended by the bench as job intake and time tracking (identity's and settlement's own not counted). */
  readonly producedEvents: number;
  readonly baselineRows: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Businesses and members registered in identity, for real. */
const registerInIdentity = async (
  plan: RegionPlan,
  coop: TestCooperative,
  cast: TestCast,
): Promise<{ memberIds: string[]; businessIds: string[] }> => {
  const operator = (): CommandContext => ({ actor: actorOf(cast.callers.operator), requestId: randomUUID() });
  const businessIds = new Array<string>(plan.businesses.length);
  let progress = createProgress({ label: '  identity: businesses', total: plan.businesses.length, unit: 'businesses' });
  await forEachLimited(plan.businesses.length, LOADERS, async (i) => {
    const b = plan.businesses[i]!;
    const view = await coop.service.registerBusiness(operator(), {
      name: b.name,
      registrationNumber: corporateRegistrationNumber(b.corporateBase),
      regionId: REGION_ID,
      address: `秋田県山本郡藤里町藤琴 ${i + 1}`,
    });
    businessIds[i] = view.businessId;
    progress.add(1);
  });
  progress.finish();

  const memberIds = new Array<string>(plan.members.length);
  const tag = randomUUID().slice(0, 8);
  progress = createProgress({ label: '  identity: members', total: plan.members.length, unit: 'members' });
  await forEachLimited(plan.members.length, LOADERS, async (i) => {
    const m = plan.members[i]!;
    const { memberId } = await coop.service.registerMember(operator(), {
      name: m.name,
      address: `秋田県山本郡藤里町 ${m.townId.split('/')[1]} ${i + 1}`,
      email: `bench.member.${i}.${tag}@fujisato.example`,
      password: PASSWORD,
      bankAccount: m.bankAccount,
      townId: m.townId,
      contractType: m.kind === 'employee' ? 'employee' : 'contractor',
      skills: m.skills,
      availability: [{ day: 'tue', start: '09:00', end: '17:00' }],
    });
    memberIds[i] = memberId;
    progress.add(1);
  });
  progress.finish();
  return { memberIds, businessIds };
};

/** The region configured and the registered contractors' own numbers recorded, through settlement's facade. */
const configureSettlement = async (
  plan: RegionPlan,
  settlement: SettlementService,
  cast: TestCast,
  memberIds: readonly string[],
): Promise<void> => {
  const as = (person: 'operator' | 'accountant'): CommandContext => ({
    actor: actorOf(cast.callers[person]),
    token: cast.actors[person].token,
    requestId: randomUUID(),
  });
  await settlement.configureRegion(as('operator'), FUJISATO_CONFIG);
  const registered = plan.members.filter((m) => m.registrationNumber !== null);
  const progress = createProgress({ label: '  settlement: payees', total: registered.length, unit: 'payees' });
  await forEachLimited(registered.length, LOADERS, async (i) => {
    const m = registered[i]!;
    await settlement.registerPayee(as('accountant'), {
      memberId: memberIds[m.index]!,
      invoiceRegistrationNumber: m.registrationNumber,
    });
    progress.add(1);
  });
  progress.finish();
};

/** Job intake's job streams, from submission to the accepted inspection (for the jobs inspected). */
const jobStreams = (plan: RegionPlan, businessIds: readonly string[]): { stream: string; events: NewEvent[] }[] =>
  plan.jobs.map((job) => {
    const stream = `job-${job.jobId}`;
    const businessId = businessIds[job.businessIndex]!;
    const pricing: JsonObject =
      job.pricing.kind === 'hourly'
        ? { kind: 'hourly', hourlyRateYen: String(job.pricing.hourlyRateYen) }
        : { kind: 'fixed_price' };
    const skills = ['translation'];
    const at = (local: string) => new Date(`${local}+09:00`);
    const by = `bench-business-${job.businessIndex}`;
    const events: Produced[] = [
      {
        type: 'JobSubmitted',
        internal: true,
        occurredAt: at('2026-10-20T10:00:00'),
        data: {
          jobId: job.jobId,
          businessId,
          title: job.title,
          description: `${job.title}のご依頼`,
          workCategory: job.workCategory,
          pricing,
          amountYen: String(job.feeYen),
          deadline: '2026-12-25T15:00:00.000Z',
          regionId: REGION_ID,
          localOnlyTownId: null,
          skills,
          submittedBy: by,
        },
      },
      {
        type: 'JobQuoted',
        internal: true,
        occurredAt: at('2026-10-22T10:00:00'),
        data: {
          jobId: job.jobId,
          amountYen: String(job.feeYen),
          estimatedMinutes: job.estimatedMinutes,
          deliveryDate: '2026-11-27T06:00:00.000Z',
          note: '',
          quotedBy: 'bench-coordinator',
        },
      },
      {
        type: 'JobAccepted',
        schemaVersion: 2,
        occurredAt: at('2026-10-25T10:00:00'),
        data: {
          jobId: job.jobId,
          businessId,
          regionId: REGION_ID,
          localOnlyTownId: null,
          workCategory: job.workCategory,
          title: job.title,
          skills,
          deadline: '2026-12-25T15:00:00.000Z',
          estimatedMinutes: job.estimatedMinutes,
          pricing,
          feeYen: String(job.feeYen),
          deliveryDate: '2026-11-27T06:00:00.000Z',
          inspectionDate: '2026-11-30T06:00:00.000Z',
          // 月末締め翌月末払い: 00:00 Tokyo of 31 December.
          paymentDate: at('2026-12-31T00:00:00').toISOString(),
          acceptedBy: by,
        },
      },
      {
        type: 'JobStarted',
        internal: true,
        occurredAt: at('2026-11-01T09:00:00'),
        data: { jobId: job.jobId, startedBy: 'bench-coordinator' },
      },
    ];
    if (job.pricing.kind === 'fixed_price' && job.pricing.inspectedAt !== null) {
      const delivered = (when: Date): Produced => ({
        type: 'JobDelivered',
        internal: true,
        occurredAt: new Date(when.getTime() - 3_600_000),
        data: { jobId: job.jobId, note: '', deliveredBy: 'bench-coordinator' },
      });
      const inspected = (when: Date, accepted: boolean): Produced => ({
        type: 'JobInspected',
        occurredAt: when,
        data: { jobId: job.jobId, accepted, reason: accepted ? '' : '表記揺れ', inspectedBy: by },
      });
      if (job.pricing.rejectedAt !== null)
        events.push(delivered(job.pricing.rejectedAt), inspected(job.pricing.rejectedAt, false));
      events.push(delivered(job.pricing.inspectedAt), inspected(job.pricing.inspectedAt, true));
    }
    return { stream, events: events.map((e) => checked(JOB_INTAKE_PUBLISHED_EVENTS, stream, e)) };
  });

/** The approved entries as the baseline table's rows, inserted 10,000 at a time. */
class BaselineRows {
  private members: string[] = [];
  private jobs: string[] = [];
  private days: string[] = [];
  private minutes: number[] = [];
  count = 0;

  constructor(private readonly sql: SqlDriver) {}

  async add(memberId: string, jobId: string, entry: EntryPlan): Promise<void> {
    this.members.push(memberId);
    this.jobs.push(jobId);
    this.days.push(tokyoDayOf(entry.startMs));
    this.minutes.push(entry.minutes);
    if (this.members.length >= 10_000) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.members.length === 0) return;
    const rows = [this.members, this.jobs, this.days, this.minutes];
    this.members = [];
    this.jobs = [];
    this.days = [];
    this.minutes = [];
    this.count += rows[0]!.length;
    await this.sql.query(
      `INSERT INTO ${BASELINE_TABLE} (member_id, job_id, day, minutes)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::integer[])`,
      rows,
    );
  }
}

/** Time tracking's timesheets, week by week: one append per member-week (entries, receipts, approval). */
const loadTimesheets = async (
  plan: RegionPlan,
  store: EventStore,
  memberIds: readonly string[],
  baseline: BaselineRows,
  progress: Progress,
): Promise<number> => {
  // Every member's entries and receipts by week (Monday, Tokyo).
  const weeks = new Set<string>();
  const byWeek = plan.months.map((month) => {
    const map = new Map<string, { entries: EntryPlan[]; receipts: typeof month.receipts }>();
    const of = (week: string) => {
      weeks.add(week);
      let w = map.get(week);
      if (w === undefined) map.set(week, (w = { entries: [], receipts: [] }));
      return w;
    };
    for (const e of month.entries) of(weekStartOf(e.startMs)).entries.push(e);
    for (const r of month.receipts) of(weekStartOf(r.atMs)).receipts.push(r);
    return map;
  });
  let appended = 0;
  for (const week of [...weeks].sort()) {
    // Approved on the Monday after, 10:00 Tokyo.
    const approvedAt = new Date(Date.parse(`${week}T10:00:00+09:00`) + 7 * 86_400_000);
    await forEachLimited(plan.members.length, LOADERS, async (i) => {
      const w = byWeek[i]!.get(week);
      if (w === undefined) return;
      const memberId = memberIds[i]!;
      const stream = `timesheet-${memberId}`;
      const entryData = w.entries.map((e) => {
        const job = plan.jobs[e.jobIndex]!;
        return {
          entryId: e.entryId,
          taskId: e.taskId,
          jobId: job.jobId,
          regionId: REGION_ID,
          start: iso(e.startMs),
          end: iso(e.startMs + e.minutes * MINUTE_MS),
          minutes: e.minutes,
        };
      });
      const events: Produced[] = [
        ...entryData.map((e) => ({
          type: 'TimeEntryRecorded',
          occurredAt: new Date(e.end),
          data: { memberId, ...e, source: 'manual' },
        })),
        ...w.receipts.map((r) => ({
          type: 'TaskMarkedDone',
          occurredAt: new Date(r.atMs),
          data: {
            memberId,
            taskId: r.taskId,
            jobId: plan.jobs[r.jobIndex]!.jobId,
            regionId: REGION_ID,
            at: iso(r.atMs),
          },
        })),
      ];
      if (entryData.length > 0)
        events.push({
          type: 'WeekApproved',
          occurredAt: approvedAt,
          data: { memberId, weekStart: week, entries: entryData },
        });
      await store.append(
        stream,
        events.map((e) => checked(TIME_TRACKING_PUBLISHED_EVENTS, stream, e)),
      );
      for (const e of w.entries) await baseline.add(memberId, plan.jobs[e.jobIndex]!.jobId, e);
      appended += events.length;
      progress.add(events.length);
    });
  }
  await baseline.flush();
  return appended;
};

/** Everything of the plan in the store (and the baseline table), with progress lines on stderr. */
export const loadRegion = async (options: {
  readonly plan: RegionPlan;
  readonly store: EventStore;
  readonly sql: SqlDriver;
  readonly coop: TestCooperative;
  readonly cast: TestCast;
  /** Settlement's facade for the configuration and the payees (its read models are not the measured ones). */
  readonly settlement: SettlementService;
}): Promise<LoadedRegion> => {
  const { plan, store, sql, coop, cast, settlement } = options;
  const { memberIds, businessIds } = await registerInIdentity(plan, coop, cast);
  await configureSettlement(plan, settlement, cast, memberIds);

  await sql.query(
    `CREATE TABLE ${BASELINE_TABLE} (member_id uuid NOT NULL, job_id uuid NOT NULL, day date NOT NULL, minutes integer NOT NULL)`,
  );
  const jobs = jobStreams(plan, businessIds);
  const jobEvents = jobs.reduce((n, j) => n + j.events.length, 0);
  // Entries, receipts and one approval per member-week.
  const timesheetEvents =
    plan.entryCount +
    plan.months.reduce((n, m) => n + m.receipts.length + new Set(m.entries.map((e) => weekStartOf(e.startMs))).size, 0);
  const progress = createProgress({
    label: '  job intake and time tracking',
    total: jobEvents + timesheetEvents,
    unit: 'events',
  });
  await forEachLimited(jobs.length, LOADERS, async (i) => {
    const { stream, events } = jobs[i]!;
    await store.append(stream, events);
    progress.add(events.length);
  });
  const baseline = new BaselineRows(sql);
  const appended = await loadTimesheets(plan, store, memberIds, baseline, progress);
  progress.finish();
  await sql.query(`ANALYZE ${BASELINE_TABLE}`);
  return { memberIds, businessIds, producedEvents: jobEvents + appended, baselineRows: baseline.count };
};
