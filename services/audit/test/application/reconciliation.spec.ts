/**
 * The reconciliation and the search over the embedded store with real events: other services'
 * events as their producers write them (settlement's test producers), settlement's own deciders
 * configuring the region, recording a payee and closing November from the same facts; the
 * audit's table projections fold the log into its query tables, and the use cases read them.
 */
import { randomUUID } from 'node:crypto';
import { type Actor, type EventStore } from '@workshare/eventsourcing';
import { openEventStore, openServiceProjections, SqlTableProjection } from '@workshare/eventstore';
import {
  closeMonth,
  MINIMUM_WAGES,
  monthClose,
  payee,
  regionSettlement,
  splitByTokyoDay,
  type ApprovedDay,
  type CloseInput,
  type JobFacts,
  type MemberFacts,
} from '@workshare/settlement';
import {
  acceptJob,
  approveWeek,
  inspectJob,
  registerMember,
  reopenWeek,
  tokyo,
} from '../../../settlement/test/producers.js';
import { CONFIG_INPUT } from '../../../settlement/test/domain/deciders-fixtures.js';
import type { PersonalText } from '../../src/contract.js';
import type { AuditQueryDeps, PersonNames } from '../../src/application/ports.js';
import { reconciliationProjection, Reconciliations } from '../../src/application/reconciliation.js';
import { searchProjection, Searches } from '../../src/application/search.js';
import { throwAwayDatabase, withPostgres } from '../postgres.js';

const operator: Actor = { id: 'op-1', roles: [{ kind: 'operator' }] };
const HOURLY = randomUUID();
const FIXED = randomUUID();
const TASK_A = randomUUID();
const TASK_B = randomUUID();
const HANAKO = `m-hanako-${randomUUID().slice(0, 6)}`;
const YUI = `m-yui-${randomUUID().slice(0, 6)}`;
const KENTA = `m-kenta-${randomUUID().slice(0, 6)}`;
const BUSINESS = { businessId: 'b-fujisato-kikaku', name: 'ふじさと企画', registrationNumber: 'T8010401088436' };

interface Span {
  readonly memberId: string;
  readonly jobId: string;
  readonly taskId: string;
  readonly start: Date;
  readonly end: Date;
}
/** The approved spans as the close sees them (the week reopened is not approved). */
const approved: Span[] = [];

let store: EventStore;
let reconTables: SqlTableProjection;
let searchTables: SqlTableProjection;
let deps: AuditQueryDeps;

const append = async (stream: string, events: readonly { type: string; data: unknown }[], at?: Date) => {
  await store.append(
    stream,
    events.map((e) => ({
      type: e.type,
      data: e.data as never,
      metadata: { actor: operator.id },
      ...(at === undefined ? {} : { occurredAt: at }),
    })),
  );
};

const approve = async (
  memberId: string,
  weekStart: string,
  spans: readonly Omit<Span, 'memberId'>[],
  counted = true,
) => {
  await approveWeek(store, memberId, weekStart, spans);
  if (counted) approved.push(...spans.map((s) => ({ ...s, memberId })));
};

const daysOf = (spans: readonly Span[]): ApprovedDay[] => {
  const sums = new Map<string, ApprovedDay>();
  for (const s of spans)
    for (const { day, minutes } of splitByTokyoDay(
      s.start,
      s.end,
      Math.round((s.end.getTime() - s.start.getTime()) / 60_000),
    )) {
      const key = `${s.memberId}|${s.jobId}|${day}`;
      sums.set(key, { memberId: s.memberId, jobId: s.jobId, day, minutes: (sums.get(key)?.minutes ?? 0) + minutes });
    }
  return [...sums.values()];
};

const job = (
  jobId: string,
  pricing: JobFacts['pricing'],
  feeYen: bigint,
  workCategory: JobFacts['workCategory'],
  inspectionAcceptedAt: Date | null,
): JobFacts => ({
  jobId,
  businessId: BUSINESS.businessId,
  regionId: 'fujisato',
  title: '観光パンフレットの英訳',
  workCategory,
  pricing,
  feeYen,
  paymentDate: '2026-12-31',
  inspectionAcceptedAt,
  cancelledAt: null,
});

let dropStore: () => Promise<void> = () => Promise.resolve();

const declareSuite = (openStore: () => Promise<{ readonly store: EventStore; readonly drop: () => Promise<void> }>) => {
  beforeAll(async () => {
    approved.length = 0;
    const opened = await openStore();
    store = opened.store;
    dropStore = opened.drop;
    const projections = await openServiceProjections(store, 'audit');
    reconTables = new SqlTableProjection(store, projections, reconciliationProjection, { maxStalenessMs: 0 });
    searchTables = new SqlTableProjection(store, projections, searchProjection, { maxStalenessMs: 0 });
    deps = {
      store,
      tables: (name) => {
        if (name === reconciliationProjection.definition.name) return reconTables;
        if (name === searchProjection.definition.name) return searchTables;
        throw new Error(`no projection ${name}`);
      },
    };

    await registerMember(store, HANAKO, 'contractor');
    await registerMember(store, YUI, 'contractor');
    await registerMember(store, KENTA, 'employee');
    const [configuredEvent] = regionSettlement.decide(
      { type: 'ConfigureRegion', config: CONFIG_INPUT, officePrefecture: 'akita', by: operator },
      regionSettlement.initialState(),
    );
    await append('region_settlement-fujisato', [configuredEvent!]);
    await append(
      `payee-${YUI}`,
      payee.decide(
        {
          type: 'RegisterPayee',
          memberId: YUI,
          invoiceRegistrationNumber: 'T1234567890123',
          member: { contractType: 'contractor', forgotten: false },
          by: operator,
        },
        payee.initialState(),
      ),
    );
    await acceptJob(store, {
      jobId: HOURLY,
      businessId: BUSINESS.businessId,
      pricing: { kind: 'hourly', hourlyRateYen: '2000' },
    });
    await acceptJob(store, {
      jobId: FIXED,
      businessId: BUSINESS.businessId,
      workCategory: 'translation',
      pricing: { kind: 'fixed_price' },
      feeYen: '60000',
    });
    await inspectJob(store, FIXED, false, tokyo('2026-11-20T10:00:00'));
    await inspectJob(store, FIXED, true, tokyo('2026-11-27T10:00:00'));

    await approve(HANAKO, '2026-11-23', [
      { jobId: HOURLY, taskId: TASK_A, start: tokyo('2026-11-24T23:30:00'), end: tokyo('2026-11-25T01:30:00') },
    ]);
    await approve(YUI, '2026-11-16', [
      { jobId: FIXED, taskId: TASK_B, start: tokyo('2026-11-17T10:00:00'), end: tokyo('2026-11-17T13:00:00') },
      { jobId: HOURLY, taskId: TASK_A, start: tokyo('2026-11-18T09:00:00'), end: tokyo('2026-11-18T09:50:00') },
    ]);
    await approve(KENTA, '2026-11-09', [
      { jobId: HOURLY, taskId: TASK_A, start: tokyo('2026-11-10T10:00:00'), end: tokyo('2026-11-10T16:00:00') },
    ]);
    // A week approved, then reopened by a correction and not approved again: not approved time.
    await approve(
      HANAKO,
      '2026-11-02',
      [{ jobId: HOURLY, taskId: TASK_A, start: tokyo('2026-11-03T10:00:00'), end: tokyo('2026-11-03T12:00:00') }],
      false,
    );
    await reopenWeek(store, HANAKO, '2026-11-02');

    // Settlement closes November on 1 December from these facts (its own close and decider).
    const closedAt = tokyo('2026-12-01T10:00:00');
    const members: MemberFacts[] = [
      {
        memberId: HANAKO,
        regionId: 'fujisato',
        contractType: 'contractor',
        invoiceRegistrationNumber: null,
        forgotten: false,
      },
      {
        memberId: YUI,
        regionId: 'fujisato',
        contractType: 'contractor',
        invoiceRegistrationNumber: 'T1234567890123',
        forgotten: false,
      },
      {
        memberId: KENTA,
        regionId: 'fujisato',
        contractType: 'employee',
        invoiceRegistrationNumber: null,
        forgotten: false,
      },
    ];
    const configured = regionSettlement.evolve(regionSettlement.initialState(), configuredEvent!);
    if (configured.status !== 'configured') throw new Error('the region is not configured');
    const input: CloseInput = {
      config: configured.config,
      month: '2026-11',
      closedAt,
      jobs: [
        job(HOURLY, { kind: 'hourly', hourlyRateYen: 2000n }, 100_000n, 'translation', null),
        job(FIXED, { kind: 'fixed_price' }, 60_000n, 'translation', tokyo('2026-11-27T10:00:00')),
      ],
      approved: daysOf(approved),
      receipts: [],
      members,
      businesses: [BUSINESS],
      minimumWages: MINIMUM_WAGES,
      previous: [],
    };
    expect(closeMonth(input).invoices).toHaveLength(1);
    const events = monthClose.decide(
      {
        type: 'CloseMonth',
        regionId: 'fujisato',
        month: '2026-11',
        at: closedAt,
        by: operator,
        configured: true,
        closedMonths: [],
        input,
      },
      monthClose.initialState(),
    );
    await append('settlement-fujisato.2026-11', events, closedAt);
    // After the close: more November time approved (the next close's adjustment, not a difference of this one).
    await approve(KENTA, '2026-11-30', [
      { jobId: HOURLY, taskId: TASK_A, start: tokyo('2026-11-30T10:00:00'), end: tokyo('2026-11-30T11:00:00') },
    ]);
  });

  afterAll(async () => {
    await reconTables?.flush();
    await searchTables?.flush();
    await store?.close();
    await dropStore();
  });

  describe('reconciliation of November from the query tables', () => {
    it('given the close of November, when reconciled, then every document traces to the facts as they stood at the close, difference 0', async () => {
      const r = await new Reconciliations(deps).reconcile({ regionId: 'fujisato', month: '2026-11' });
      expect(r.closed).toBe(true);
      expect(r.closedAt).toBe('2026-12-01T01:00:00.000Z');
      expect(r.differences).toEqual([]);
      expect(r.documents.map((d) => d.kind).filter((k, i, all) => all.indexOf(k) === i)).toEqual([
        'invoice',
        'statement',
        'transfer',
        'journal',
      ]);
      for (const d of r.documents) {
        expect(d.differenceYen).toBe(0);
        expect(d.sources.reduce((s, x) => s + x.amountYen, 0)).toBe(d.tracedYen);
      }
      const invoice = r.documents.find((d) => d.kind === 'invoice')!;
      // Hourly: 120 + 50 + 360 = 530 minutes × ¥2,000 / 60 = ¥17,666; fixed ¥60,000; tax ⌊7,766.6⌋.
      expect(invoice).toMatchObject({ counterparty: 'ふじさと企画', amountYen: 17_666 + 60_000 + 7_766 });
      const hourlyByTask = invoice.sources.filter((s) => s.jobId === HOURLY);
      expect(hourlyByTask).toEqual([expect.objectContaining({ taskId: TASK_A, minutes: 530, amountYen: 17_666 })]);
      expect(hourlyByTask[0]!.entryIds).toHaveLength(3);
      expect(r.totals.journalDebitYen).toBe(r.totals.journalCreditYen);
    });

    it('given December not closed, when reconciled, then closed=false and what the facts so far would bill (the time approved after November’s close as its adjustment)', async () => {
      const r = await new Reconciliations(deps).reconcile({ regionId: 'fujisato', month: '2026-12' });
      expect(r).toMatchObject({ closed: false, closedAt: null, differences: [] });
      const invoice = r.documents.find((d) => d.kind === 'invoice')!;
      // 60 more minutes of November: ¥2,000 billed more for November (¥17,666 → ¥19,666), tax ¥200.
      expect(invoice.amountYen).toBe(2_200);
      expect(invoice.sources[0]!.note).toContain('2026-11分の訂正');
    });

    it('a month of a region never configured is audit.region_not_configured; a malformed month is audit.invalid_month', async () => {
      await expect(
        new Reconciliations(deps).reconcile({ regionId: 'atlantis', month: '2026-11' }),
      ).rejects.toMatchObject({
        code: 'audit.region_not_configured',
      });
      await expect(
        new Reconciliations(deps).reconcile({ regionId: 'fujisato', month: '2026-13' }),
      ).rejects.toMatchObject({
        code: 'audit.invalid_month',
      });
    });
  });

  describe('search of the books', () => {
    /** Identity's answers for the asker: names, and a forgotten member's redacted. */
    const names: PersonNames = {
      names: (ids) =>
        Promise.resolve(
          new Map<string, PersonalText>(
            ids.map((id) => [
              id,
              id === HANAKO ? { kind: 'redacted' } : { kind: 'text', text: id === YUI ? '鈴木 結衣' : '佐藤 健太' },
            ]),
          ),
        ),
    };
    const searches = () => new Searches({ ...deps, names });

    it('by date, amount and counterparty combined, in a stable order, within the limit', async () => {
      const all = await searches().search({ limit: 1000 }, { kind: 'all' });
      expect(all.records.map((r) => r.kind)).toEqual(
        expect.arrayContaining(['invoice', 'statement', 'transfer', 'journal']),
      );
      const sorted = [...all.records].sort((a, b) =>
        a.date + a.kind + a.documentId < b.date + b.kind + b.documentId ? -1 : 1,
      );
      expect(all.records).toEqual(sorted);

      const invoices = await searches().search(
        { counterparty: 'ふじさと', minYen: 80_000, maxYen: 90_000, limit: 10 },
        { kind: 'all' },
      );
      expect(invoices.records.map((r) => [r.kind, r.amountYen, r.counterparty])).toEqual([
        // The sale's journal lines are dated the month's last day, the invoice its issue day.
        ['journal', 85_432, 'ふじさと企画'],
        ['journal', 85_432, 'ふじさと企画'],
        ['invoice', 85_432, 'ふじさと企画'],
      ]);
      expect(invoices.records[0]!.date).toBe('2026-11-30');
      expect(invoices.records[2]).toMatchObject({
        date: '2026-12-01',
        regionId: 'fujisato',
        month: '2026-11',
        stream: 'settlement-fujisato.2026-11',
      });

      const yui = await searches().search({ counterparty: '結衣', limit: 10 }, { kind: 'all' });
      expect(new Set(yui.records.map((r) => r.counterparty))).toEqual(new Set(['鈴木 結衣']));
      expect(yui.records.map((r) => r.kind)).toEqual(expect.arrayContaining(['statement', 'transfer', 'journal']));

      const transfers = await searches().search(
        { from: tokyo('2026-12-25T00:00:00'), to: tokyo('2026-12-26T00:00:00'), limit: 10 },
        { kind: 'all' },
      );
      expect(transfers.records.every((r) => r.date === '2026-12-25')).toBe(true);
      expect(transfers.records.length).toBeGreaterThan(0);

      const first = await searches().search({ limit: 2 }, { kind: 'all' });
      expect(first.records).toEqual(all.records.slice(0, 2));
    });

    it('a forgotten member’s name is redacted: not searchable, shown as （削除済み）', async () => {
      const all = await searches().search({ limit: 1000 }, { kind: 'all' });
      expect(all.records.filter((r) => r.counterparty === '（削除済み）').length).toBeGreaterThan(0);
      expect((await searches().search({ counterparty: '削除', limit: 10 }, { kind: 'all' })).records).toEqual([]);
    });

    it('a coordinator of another region finds nothing of Fujisato', async () => {
      expect((await searches().search({ limit: 10 }, { kind: 'regions', regionIds: ['setagaya'] })).records).toEqual(
        [],
      );
    });
  });
};

describe('on the embedded store', () =>
  declareSuite(async () => ({ store: await openEventStore('embedded:memory'), drop: () => Promise.resolve() })));

withPostgres('on PostgreSQL', (DATABASE_URL) =>
  describe('on PostgreSQL', () =>
    declareSuite(async () => {
      const database = await throwAwayDatabase(DATABASE_URL, 'reconciliation');
      return { store: await openEventStore(database.url), drop: database.drop };
    })),
);
