import fc from 'fast-check';
import { closeMonth, TOP_UP_SUB_ACCOUNT } from '../../src/domain/close.js';
import type { CloseInput, JobFacts, MemberFacts, MonthSettlement } from '../../src/domain/model.js';
import { ROUNDING_RULES, sumYen } from '../../src/domain/money.js';
import { consumptionTax, withholdingTax } from '../../src/domain/tax.js';
import {
  BUSINESS,
  CATEGORIES,
  CONFIG,
  closeInput,
  contractor,
  employee,
  fixedJob,
  HANAKO_NUMBER,
  hourlyJob,
  OTHER_BUSINESS,
  received,
  tokyo,
  worked,
} from './close-fixtures.js';

/** Every Tokyo day of March and April 2026 (Akita's minimum wage changes on 03-31). */
const DAYS = Array.from({ length: 61 }, (_, i) => new Date(Date.UTC(2026, 2, 1 + i)).toISOString().slice(0, 10));
const APRIL_DAYS = DAYS.filter((d) => d.startsWith('2026-04'));

const jobArb = fc.record({
  fixed: fc.boolean(),
  feeYen: fc.bigInt({ min: 1n, max: 3_000_000n }),
  hourlyRateYen: fc.bigInt({ min: 1n, max: 12_000n }),
  inspectedOn: fc.option(fc.constantFrom(...DAYS), { nil: null }),
  workCategory: fc.constantFrom(...CATEGORIES),
  businessId: fc.constantFrom(BUSINESS, OTHER_BUSINESS),
  /** One job in ten was accepted before pricing was published (JobAccepted v1). */
  unpriced: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
});

const scenarioArb = fc.record({
  marginBasisPoints: fc.integer({ min: 0, max: 10_000 }),
  invoiceRounding: fc.constantFrom(...ROUNDING_RULES),
  payTimingReading: fc.constantFrom('two_months' as const, 'strict_60_days' as const),
  payDay: fc.integer({ min: 1, max: 31 }),
  members: fc.array(fc.constantFrom('registered', 'unregistered', 'employee'), { minLength: 1, maxLength: 6 }),
  jobs: fc.array(jobArb, { minLength: 1, maxLength: 5 }),
  days: fc.array(
    fc.record({
      member: fc.nat(),
      job: fc.nat(),
      day: fc.constantFrom(...DAYS),
      minutes: fc.integer({ min: 1, max: 720 }),
    }),
    { maxLength: 40 },
  ),
  receipts: fc.array(fc.record({ member: fc.nat(), job: fc.nat(), day: fc.constantFrom(...DAYS) }), {
    maxLength: 8,
  }),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never;

const memberFacts = (s: Scenario): MemberFacts[] =>
  s.members.map((kind, i) =>
    kind === 'employee' ? employee(`m${i}`) : contractor(`m${i}`, kind === 'registered' ? HANAKO_NUMBER : null),
  );

const jobFacts = (s: Scenario): JobFacts[] =>
  s.jobs.map((j, i) => {
    const id = `job${i}`;
    const base = j.fixed
      ? fixedJob(id, j.feeYen, j.inspectedOn === null ? null : tokyo(`${j.inspectedOn}T12:00:00`))
      : hourlyJob(id, j.hourlyRateYen);
    const job = { ...base, workCategory: j.workCategory, businessId: j.businessId };
    return j.unpriced ? { ...job, pricing: null, feeYen: null, paymentDate: null } : job;
  });

const inputOf = (s: Scenario, month = '2026-04', days: Scenario['days'] = s.days): CloseInput =>
  closeInput(month, {
    config: {
      ...CONFIG,
      marginBasisPoints: s.marginBasisPoints,
      invoiceRounding: s.invoiceRounding,
      payTimingReading: s.payTimingReading,
      payDay: s.payDay,
    },
    jobs: jobFacts(s),
    members: memberFacts(s),
    approved: days.map((d) =>
      worked(`m${d.member % s.members.length}`, `job${d.job % s.jobs.length}`, d.day, d.minutes),
    ),
    receipts: s.receipts.map((r) =>
      received(`m${r.member % s.members.length}`, `job${r.job % s.jobs.length}`, tokyo(`${r.day}T18:30:00`)),
    ),
  });

/** A deterministic shuffle (Fisher–Yates on a linear congruential sequence). */
const shuffle = <T>(items: readonly T[], seed: number): T[] => {
  const out = [...items];
  let x = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
};

const shuffled = (input: CloseInput, seed: number): CloseInput => ({
  ...input,
  jobs: shuffle(input.jobs, seed),
  approved: shuffle(input.approved, seed + 1),
  receipts: shuffle(input.receipts, seed + 2),
  members: shuffle(input.members, seed + 3),
  businesses: shuffle(input.businesses, seed + 4),
  minimumWages: shuffle(input.minimumWages, seed + 5),
  previous: shuffle(input.previous, seed + 6),
});

/** The invariants every close keeps, whatever its facts. */
const expectInvariants = (settlement: MonthSettlement, members: readonly MemberFacts[]): void => {
  // For every job (and every adjustment): billed = Σ shares + margin, to the yen.
  for (const job of settlement.jobs) {
    expect(job.billedYen).toBe(sumYen(job.shares.map((s) => s.shareYen)) + job.marginYen);
    expect(job.poolYen).toBe(job.billedYen - job.marginYen);
  }
  // Each member's payable = fee + tax − withholding + top-up; fee = Σ lines; the taxes by their formulas.
  for (const s of settlement.statements) {
    const registered = members.find((m) => m.memberId === s.memberId)!.invoiceRegistrationNumber !== null;
    expect(s.feeYen).toBe(sumYen(s.lines.map((l) => l.shareYen)));
    expect(s.payableYen).toBe(s.feeYen + s.consumptionTaxYen - s.withholdingYen + s.topUpYen);
    if (s.contractType === 'contractor') {
      expect(s.consumptionTaxYen).toBe(registered ? consumptionTax(s.feeYen, 'floor') : 0n);
      expect(s.withholdingYen).toBe(
        withholdingTax(sumYen(s.lines.filter((l) => l.withholdingApplies).map((l) => l.shareYen))),
      );
      expect(s.topUpYen).toBe(0n);
    } else {
      expect(s.consumptionTaxYen).toBe(0n);
      expect(s.withholdingYen).toBe(0n);
      const check = s.minimumWage!;
      expect(check.wagesYen).toBe(sumYen(s.lines.filter((l) => l.origin.kind === 'current').map((l) => l.shareYen)));
      expect(check.topUpYen).toBe(check.minimumYen > check.wagesYen ? check.minimumYen - check.wagesYen : 0n);
      expect(s.topUpYen).toBe(check.topUpYen + sumYen((s.topUpAdjustments ?? []).map((t) => t.topUpYen)));
    }
  }
  // Top-ups are paid out of the margin and shown as such.
  const topUps = sumYen(settlement.statements.map((s) => s.topUpYen));
  expect(settlement.totals.topUpYen).toBe(topUps);
  expect(settlement.totals.keptYen).toBe(settlement.totals.marginYen - topUps);
  const topUpLines = settlement.journal.flatMap((e) =>
    e.kind === 'wages' ? e.lines.filter((l) => l.subAccount === TOP_UP_SUB_ACCOUNT) : [],
  );
  expect(sumYen(topUpLines.map((l) => (l.side === 'debit' ? l.amountYen : -l.amountYen)))).toBe(topUps);
  // What the jobs bill = Σ fees and wages + margin; = what the invoices bill less their returns.
  expect(settlement.totals.billedYen).toBe(
    sumYen(settlement.statements.map((s) => s.feeYen)) + settlement.totals.marginYen,
  );
  expect(settlement.totals.billedYen).toBe(
    sumYen(
      settlement.invoices.map(
        (i) => sumYen(i.lines.map((l) => l.amountYen)) - sumYen(i.returns.map((l) => l.amountYen)),
      ),
    ),
  );
  // Tax once per invoice per rate, with the region's rounding.
  for (const invoice of settlement.invoices) {
    for (const t of invoice.totals)
      expect(t.taxYen).toBe(consumptionTax(t.amountYen, settlement.config.invoiceRounding));
    expect(invoice.lines.every((l) => l.amountYen > 0n) && invoice.returns.every((l) => l.amountYen > 0n)).toBe(true);
  }
  expect(settlement.totals.payableYen).toBe(sumYen(settlement.statements.map((s) => s.payableYen)));
  // Every journal entry balances, in non-negative amounts.
  for (const entry of settlement.journal) {
    const side = (which: 'debit' | 'credit') =>
      sumYen(entry.lines.filter((l) => l.side === which).map((l) => l.amountYen));
    expect(side('debit')).toBe(side('credit'));
    expect(entry.lines.every((l) => l.amountYen >= 0n)).toBe(true);
  }
};

describe('closing a month: properties', () => {
  it('for every job billed = Σ shares + margin; payable = fee + tax − withholding + top-up; top-ups come out of the margin', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const input = inputOf(s);
        expectInvariants(closeMonth(input), input.members);
      }),
      { numRuns: 300 },
    );
  });

  it('closing twice from the same facts, in any order, gives deep-equal results', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 1, max: 2 ** 31 - 1 }), (s, seed) => {
        const input = inputOf(s);
        expect(closeMonth(shuffled(input, seed))).toEqual(closeMonth(input));
      }),
      { numRuns: 200 },
    );
  });

  it('adjustments bring a closed month to what its facts say now; a later close corrects nothing again', () => {
    const changes = fc.record({
      removed: fc.array(fc.nat(), { maxLength: 6 }),
      added: fc.array(
        fc.record({
          member: fc.nat(),
          job: fc.nat(),
          day: fc.constantFrom(...APRIL_DAYS),
          minutes: fc.integer({ min: 1, max: 600 }),
        }),
        { maxLength: 6 },
      ),
      may: fc.array(
        fc.record({
          member: fc.nat(),
          job: fc.nat(),
          day: fc.constantFrom('2026-05-07', '2026-05-20'),
          minutes: fc.integer({ min: 1, max: 600 }),
        }),
        { maxLength: 4 },
      ),
    });
    fc.assert(
      fc.property(scenarioArb, changes, fc.integer({ min: 1, max: 2 ** 31 - 1 }), (s, change, seed) => {
        const april = closeMonth(inputOf(s));
        const removed = new Set(change.removed.map((i) => i % Math.max(1, s.days.length)));
        const nowDays = [...s.days.filter((_, i) => !removed.has(i)), ...change.added, ...change.may];
        const mayInput = { ...inputOf(s, '2026-05', nowDays), previous: [april] };
        const may = closeMonth(mayInput);
        expectInvariants(may, mayInput.members);
        expect(closeMonth(shuffled(mayInput, seed))).toEqual(may);

        // April as the facts say now, against April's close plus May's adjustments naming it.
        const aprilNow = closeMonth(inputOf(s, '2026-04', nowDays));
        const corrected = (settlements: readonly MonthSettlement[]) => {
          const totals = new Map<string, bigint>();
          const add = (key: string, yen: bigint) => totals.set(key, (totals.get(key) ?? 0n) + yen);
          for (const settlement of settlements)
            for (const job of settlement.jobs) {
              if (
                job.origin.kind === 'adjustment'
                  ? job.origin.correctsMonth !== '2026-04'
                  : settlement.month !== '2026-04'
              )
                continue;
              add(`billed ${job.jobId}`, job.billedYen);
              add(`margin ${job.jobId}`, job.marginYen);
              for (const share of job.shares) add(`share ${job.jobId} ${share.memberId}`, share.shareYen);
            }
          for (const settlement of settlements)
            for (const statement of settlement.statements) {
              if (settlement.month === '2026-04' && statement.minimumWage)
                add(`top-up ${statement.memberId}`, statement.minimumWage.topUpYen);
              for (const t of statement.topUpAdjustments ?? [])
                if (t.correctsMonth === '2026-04') add(`top-up ${statement.memberId}`, t.topUpYen);
            }
          return new Map([...totals].filter(([, yen]) => yen !== 0n));
        };
        expect(corrected([april, may])).toEqual(corrected([aprilNow]));

        // June, from the same facts: nothing left to correct.
        const june = closeMonth({ ...inputOf(s, '2026-06', nowDays), previous: [may, april] });
        expect(june.jobs.filter((j) => j.origin.kind === 'adjustment')).toEqual([]);
        expect(june.statements.flatMap((st) => st.topUpAdjustments ?? [])).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
