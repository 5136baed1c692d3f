import fc from 'fast-check';
import type { MonthSettlement } from '@workshare/settlement';
import { reconcileMonth } from '../../src/domain/reconciliation.js';
import type { Reconciliation } from '../../src/contract.js';
import {
  closeWith,
  entry,
  reconInput,
  tokyo,
  type Facts,
  type JobSpec,
  type MemberSpec,
} from './reconciliation-fixtures.js';

const JOB_H = '0190a000-0000-7000-8000-000000000001';
const JOB_F = '0190a000-0000-7000-8000-000000000002';
const TASK_1 = '0190b000-0000-7000-8000-000000000001';
const TASK_2 = '0190b000-0000-7000-8000-000000000002';
const TASK_3 = '0190b000-0000-7000-8000-000000000003';

const month: Facts = {
  jobs: [
    { jobId: JOB_H, pricing: { kind: 'hourly', hourlyRateYen: 2_500n } },
    {
      jobId: JOB_F,
      businessId: 'b-fujisato-kikaku',
      workCategory: 'design',
      pricing: { kind: 'fixed_price', feeYen: 120_000n },
      inspectedAt: tokyo('2026-04-24T16:00'),
    },
  ],
  members: [
    { memberId: 'm-hanako', kind: 'registered' },
    { memberId: 'm-yui', kind: 'unregistered' },
    { memberId: 'm-kenta', kind: 'employee' },
  ],
  entries: [
    entry('m-hanako', JOB_H, TASK_1, '2026-04-06T09:00', 95),
    entry('m-yui', JOB_H, TASK_1, '2026-04-07T23:20', 70), // crosses midnight: two Tokyo days
    entry('m-kenta', JOB_H, TASK_2, '2026-04-08T10:00', 40),
    entry('m-hanako', JOB_F, TASK_3, '2026-03-30T10:00', 200), // March: a fixed price's pool counts it
    entry('m-yui', JOB_F, TASK_3, '2026-04-20T13:00', 125),
  ],
};

const nonZero = (r: Reconciliation) => r.documents.filter((d) => d.differenceYen !== 0);
const sourcesSum = (d: Reconciliation['documents'][number]) => d.sources.reduce((s, x) => s + x.amountYen, 0);

/** A copy of a close with one invoice's amount due changed. */
const withInvoiceAmount = (close: MonthSettlement, index: number, delta: bigint): MonthSettlement => ({
  ...close,
  invoices: close.invoices.map((i, n) => (n === index ? { ...i, amountDueYen: i.amountDueYen + delta } : i)),
});

describe('reconciliation of a month', () => {
  it('given a month closed from the same facts, when reconciled, then every yen of every document is traced with difference 0', () => {
    const close = closeWith(month, '2026-04');
    const r = reconcileMonth(reconInput(month, '2026-04', close));
    expect(r.closed).toBe(true);
    expect(r.closedAt).toBe(close.closedAt.toISOString());
    expect(r.differences).toEqual([]);
    expect(nonZero(r)).toEqual([]);
    expect(r.documents.filter((d) => d.kind === 'invoice')).toHaveLength(close.invoices.length);
    expect(r.documents.filter((d) => d.kind === 'statement')).toHaveLength(close.statements.length);
    expect(r.documents.filter((d) => d.kind === 'journal')).toHaveLength(
      close.journal.reduce((n, e) => n + e.lines.length, 0),
    );
    for (const d of r.documents) expect(sourcesSum(d)).toBe(d.tracedYen);
    expect(r.totals.invoicedYen).toBe(Number(close.invoices.reduce((s, i) => s + i.amountDueYen, 0n)));
    expect(r.totals.journalDebitYen).toBe(r.totals.journalCreditYen);
  });

  it('given the hourly job, then its invoice traces to its tasks and their approved entries', () => {
    const close = closeWith(month, '2026-04');
    const r = reconcileMonth(reconInput(month, '2026-04', close));
    const invoice = r.documents.find((d) => d.kind === 'invoice' && d.counterparty === '株式会社あきた商事')!;
    // 95 + 70 + 40 = 205 minutes × ¥2,500 / 60 = ¥8,541 (floored), tax ⌊854.1⌋ = ¥854.
    expect(invoice.amountYen).toBe(8_541 + 854);
    const byTask = invoice.sources.filter((s) => s.taskId !== null);
    expect(byTask.map((s) => [s.taskId, s.minutes, s.entryIds.length])).toEqual([
      [TASK_1, 165, 2],
      [TASK_2, 40, 1],
    ]);
    expect(byTask.reduce((s, x) => s + x.amountYen, 0)).toBe(8_541);
    expect(invoice.sources.find((s) => s.taskId === null)!.note).toContain('消費税');
  });

  it('given an invoice whose amount was changed by ¥100, then exactly that document differs by ¥100, explained', () => {
    const close = closeWith(month, '2026-04');
    const r = reconcileMonth(reconInput(month, '2026-04', withInvoiceAmount(close, 0, 100n)));
    expect(nonZero(r).map((d) => [d.id, d.differenceYen])).toEqual([[close.invoices[0]!.invoiceNumber, 100]]);
    expect(r.differences).toHaveLength(1);
    expect(r.differences[0]).toMatchObject({ documentId: close.invoices[0]!.invoiceNumber, differenceYen: 100 });
    expect(r.differences[0]!.explanation).toContain('行の合計');
  });

  it('given a statement line changed, then the statement differs by it and the line is named', () => {
    const close = closeWith(month, '2026-04');
    const s = close.statements[0]!;
    const changed: MonthSettlement = {
      ...close,
      statements: close.statements.map((x, i) =>
        i === 0
          ? {
              ...x,
              lines: x.lines.map((l, n) => (n === 0 ? { ...l, shareYen: l.shareYen - 7n } : l)),
              payableYen: x.payableYen - 7n,
            }
          : x,
      ),
    };
    const r = reconcileMonth(reconInput(month, '2026-04', changed));
    const doc = r.documents.find((d) => d.id === s.statementNumber)!;
    expect(doc.differenceYen).toBe(-7);
    const transfer = r.documents.find((d) => d.kind === 'transfer' && d.counterparty === s.memberId);
    if (transfer) expect(transfer.differenceYen).toBe(-7);
    expect(r.differences.find((d) => d.documentId === s.statementNumber)!.explanation).toContain('差額 −¥7');
  });

  it('given an invoice no fact calls for, then it traces to nothing: traced ¥0, difference its whole amount', () => {
    const close = closeWith(month, '2026-04');
    const extra = {
      ...close.invoices[0]!,
      invoiceNumber: 'INV-fujisato-202604-099',
      recipient: { businessId: 'b-ghost', name: '幽霊商会', registrationNumber: 'T0000000000000' },
    };
    const r = reconcileMonth(reconInput(month, '2026-04', { ...close, invoices: [...close.invoices, extra] }));
    const doc = r.documents.find((d) => d.id === 'INV-fujisato-202604-099')!;
    expect(doc).toMatchObject({ tracedYen: 0, differenceYen: Number(extra.amountDueYen), sources: [] });
    expect(r.differences.find((d) => d.documentId === doc.id)!.explanation).toContain('traces to nothing');
  });

  it('given approved time no document carries (an invoice missing), then a difference without a document names the amount', () => {
    const close = closeWith(month, '2026-04');
    const dropped = close.invoices[1]!;
    const r = reconcileMonth(reconInput(month, '2026-04', { ...close, invoices: [close.invoices[0]!] }));
    const missing = r.differences.find(
      (d) => d.documentId === null && d.explanation.includes('no document carries it'),
    )!;
    expect(missing.differenceYen).toBe(-Number(dropped.amountDueYen));
  });

  it('given a journal entry that does not balance, then the check fails, naming the entry', () => {
    const close = closeWith(month, '2026-04');
    const journal = close.journal.map((e, i) =>
      i === 0 ? { ...e, lines: e.lines.map((l, n) => (n === 0 ? { ...l, amountYen: l.amountYen + 1n } : l)) } : e,
    );
    const r = reconcileMonth(reconInput(month, '2026-04', { ...close, journal }));
    expect(r.differences.some((d) => d.explanation.includes('unbalanced'))).toBe(true);
    expect(nonZero(r)).toHaveLength(1);
  });

  it('given the month not closed yet, then closed=false and the documents the facts so far call for, numbered as the close would', () => {
    const r = reconcileMonth(reconInput(month, '2026-04', null));
    const close = closeWith(month, '2026-04');
    expect(r).toMatchObject({ closed: false, closedAt: null, differences: [] });
    expect(r.documents.filter((d) => d.kind === 'invoice').map((d) => [d.id, d.amountYen])).toEqual(
      close.invoices.map((i) => [i.invoiceNumber, Number(i.amountDueYen)]),
    );
    expect(r.documents.filter((d) => d.kind === 'statement').map((d) => [d.id, d.amountYen])).toEqual(
      close.statements.map((s) => [s.statementNumber, Number(s.payableYen)]),
    );
    expect(nonZero(r)).toEqual([]);
  });

  it('given time approved in a closed month after its close, then the next month’s adjustment lines trace to the correction', () => {
    const march: Facts = { ...month, entries: month.entries.filter((e) => e.start < tokyo('2026-04-01T00:00')) };
    const marchHourly: Facts = {
      ...march,
      entries: [...march.entries, entry('m-hanako', JOB_H, TASK_1, '2026-03-10T09:00', 60)],
    };
    const marchClose = closeWith(marchHourly, '2026-03');
    const later: Facts = {
      ...month,
      entries: [
        ...month.entries,
        ...marchHourly.entries.slice(-1),
        entry('m-yui', JOB_H, TASK_2, '2026-03-12T09:00', 30),
      ],
    };
    const aprilClose = closeWith(later, '2026-04', [marchClose]);
    expect(aprilClose.invoices.some((i) => i.lines.some((l) => l.origin.kind === 'adjustment'))).toBe(true);
    const r = reconcileMonth(reconInput(later, '2026-04', aprilClose, [marchClose]));
    expect(r.differences).toEqual([]);
    const adjustment = r.documents.flatMap((d) => d.sources).find((s) => s.note.startsWith('2026-03分の訂正'));
    expect(adjustment).toBeDefined();
  });

  it('given an employee paid below the minimum wage, then her top-up is traced to her minutes and the day rates', () => {
    const low: Facts = {
      jobs: [{ jobId: JOB_H, pricing: { kind: 'hourly', hourlyRateYen: 900n } }],
      members: [{ memberId: 'm-kenta', kind: 'employee' }],
      entries: [entry('m-kenta', JOB_H, TASK_1, '2026-04-08T10:00', 600)],
    };
    const close = closeWith(low, '2026-04');
    expect(close.statements[0]!.topUpYen).toBeGreaterThan(0n);
    const r = reconcileMonth(reconInput(low, '2026-04', close));
    expect(r.differences).toEqual([]);
    const statement = r.documents.find((d) => d.kind === 'statement')!;
    expect(statement.sources.find((s) => s.note.startsWith('最低賃金'))!.amountYen).toBe(
      Number(close.statements[0]!.topUpYen),
    );
  });
});

// ---- properties -------------------------------------------------------------------------------------

const DAYS = ['2026-03-20', '2026-03-31', '2026-04-01', '2026-04-15', '2026-04-30'];
const JOB_IDS = [JOB_H, JOB_F, '0190a000-0000-7000-8000-000000000003', '0190a000-0000-7000-8000-000000000004'];
const TASKS = [TASK_1, TASK_2, TASK_3];

const factsArb = fc
  .record({
    marginless: fc.boolean(),
    jobs: fc.array(
      fc.record({
        fixed: fc.boolean(),
        feeYen: fc.bigInt({ min: 1n, max: 3_000_000n }),
        rate: fc.bigInt({ min: 1n, max: 12_000n }),
        inspected: fc.option(fc.constantFrom('2026-03-25', '2026-04-10', '2026-04-30', '2026-05-02'), { nil: null }),
        category: fc.constantFrom('data_entry', 'writing', 'design', 'transcription' as const),
        business: fc.constantFrom('b-akita-shoji', 'b-fujisato-kikaku'),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    members: fc.array(fc.constantFrom('registered', 'unregistered', 'employee' as const), {
      minLength: 1,
      maxLength: 5,
    }),
    entries: fc.array(
      fc.record({
        member: fc.nat(),
        job: fc.nat(),
        task: fc.nat(),
        day: fc.constantFrom(...DAYS),
        hour: fc.integer({ min: 0, max: 23 }),
        minutes: fc.integer({ min: 1, max: 900 }),
      }),
      { maxLength: 25 },
    ),
  })
  .map((s): Facts => {
    const members: MemberSpec[] = s.members.map((kind, i) => ({ memberId: `m-${i}`, kind }));
    const jobs: JobSpec[] = s.jobs.map((j, i) => ({
      jobId: JOB_IDS[i]!,
      businessId: j.business,
      workCategory: j.category,
      pricing: j.fixed ? { kind: 'fixed_price', feeYen: j.feeYen } : { kind: 'hourly', hourlyRateYen: j.rate },
      inspectedAt: j.fixed && j.inspected ? tokyo(`${j.inspected}T15:00`) : null,
    }));
    return {
      jobs,
      members,
      entries: s.entries.map((e) =>
        entry(
          members[e.member % members.length]!.memberId,
          jobs[e.job % jobs.length]!.jobId,
          TASKS[e.task % TASKS.length]!,
          `${e.day}T${String(e.hour).padStart(2, '0')}:00`,
          e.minutes,
        ),
      ),
    };
  });

describe('reconciliation: properties', () => {
  it('every yen of a month closed from the same facts is traced, difference 0, sources adding up to what they trace', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const close = closeWith(facts, '2026-04');
        const r = reconcileMonth(reconInput(facts, '2026-04', close));
        expect(r.differences).toEqual([]);
        for (const d of r.documents) {
          expect(d.differenceYen).toBe(0);
          expect(sourcesSum(d)).toBe(d.tracedYen);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('with an earlier closed month corrected since (time added, time withdrawn), the adjustments and 返還 are traced too (difference 0)', () => {
    const marchEntry = fc.record({
      member: fc.nat(),
      job: fc.nat(),
      day: fc.constantFrom('2026-03-02', '2026-03-16', '2026-03-31'),
      minutes: fc.integer({ min: 1, max: 600 }),
    });
    let adjusted = 0;
    let returned = 0;
    fc.assert(
      fc.property(
        factsArb,
        fc.array(marchEntry, { maxLength: 4 }),
        fc.array(marchEntry, { maxLength: 4 }),
        (facts, added, withdrawn) => {
          const march = (e: { member: number; job: number; day: string; minutes: number }) =>
            entry(
              facts.members[e.member % facts.members.length]!.memberId,
              facts.jobs[e.job % facts.jobs.length]!.jobId,
              TASK_1,
              `${e.day}T10:00`,
              e.minutes,
            );
          const later = added.map(march);
          const gone = withdrawn.map(march);
          const atMarchClose: Facts = { ...facts, entries: [...facts.entries, ...gone] };
          const now: Facts = { ...facts, entries: [...facts.entries, ...later] };
          const marchClose = closeWith(atMarchClose, '2026-03');
          const april = closeWith(now, '2026-04', [marchClose]);
          if (april.jobs.some((j) => j.origin.kind === 'adjustment')) adjusted++;
          if (april.invoices.some((i) => i.returns.length > 0)) returned++;
          const r = reconcileMonth(reconInput(now, '2026-04', april, [marchClose]));
          expect(r.differences).toEqual([]);
          for (const d of r.documents) expect(sourcesSum(d)).toBe(d.tracedYen);
        },
      ),
      { numRuns: 150 },
    );
    // The property is not vacuous: adjustments and returns were exercised.
    expect(adjusted).toBeGreaterThan(20);
    expect(returned).toBeGreaterThan(5);
  });

  it('any change of one invoice’s amount yields exactly that difference on that document and nowhere else', () => {
    fc.assert(
      fc.property(
        factsArb,
        fc.nat(),
        fc.bigInt({ min: -1_000_000n, max: 1_000_000n }).filter((d) => d !== 0n),
        (facts, pick, delta) => {
          const close = closeWith(facts, '2026-04');
          fc.pre(close.invoices.length > 0);
          const index = pick % close.invoices.length;
          const r = reconcileMonth(reconInput(facts, '2026-04', withInvoiceAmount(close, index, delta)));
          expect(nonZero(r).map((d) => [d.id, d.differenceYen])).toEqual([
            [close.invoices[index]!.invoiceNumber, Number(delta)],
          ]);
        },
      ),
      { numRuns: 100 },
    );
  });
  it('any change of one journal line’s amount yields exactly that difference on that line, and its entry no longer balances', () => {
    fc.assert(
      fc.property(factsArb, fc.nat(), fc.bigInt({ min: 1n, max: 500_000n }), (facts, pick, delta) => {
        const close = closeWith(facts, '2026-04');
        const lines = close.journal.flatMap((e) => e.lines.map((_, i) => [e.number, i] as const));
        fc.pre(lines.length > 0);
        const [number, index] = lines[pick % lines.length]!;
        const changed: MonthSettlement = {
          ...close,
          journal: close.journal.map((e) =>
            e.number === number
              ? { ...e, lines: e.lines.map((l, i) => (i === index ? { ...l, amountYen: l.amountYen + delta } : l)) }
              : e,
          ),
        };
        const r = reconcileMonth(reconInput(facts, '2026-04', changed));
        expect(nonZero(r).map((d) => [d.kind, d.differenceYen])).toEqual([['journal', Number(delta)]]);
        expect(r.differences.filter((d) => d.explanation.includes('unbalanced'))).toHaveLength(1);
      }),
      { numRuns: 100 },
    );
  });
});
