import { DomainError } from '@workshare/eventsourcing';
import { closeMonth, TOP_UP_SUB_ACCOUNT } from '../../src/domain/close.js';
import type { CloseInput, JournalEntry, MonthSettlement } from '../../src/domain/model.js';
import {
  BUSINESS,
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

const balanced = (entry: JournalEntry): boolean => {
  const side = (s: 'debit' | 'credit') =>
    entry.lines.filter((l) => l.side === s).reduce((sum, l) => sum + l.amountYen, 0n);
  return side('debit') === side('credit') && entry.lines.every((l) => l.amountYen >= 0n);
};

const statementOf = (settlement: MonthSettlement, memberId: string) => {
  const statement = settlement.statements.find((s) => s.memberId === memberId);
  if (!statement) throw new Error(`no statement for ${memberId}`);
  return statement;
};

const codes = (settlement: MonthSettlement) => settlement.findings.map((f) => f.code);

const refusalOf = (input: CloseInput): string => {
  try {
    closeMonth(input);
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error('expected the close to be refused');
};

describe('closing a month', () => {
  describe('given a fixed-price design job inspected in April, worked on in March and April', () => {
    const facts = {
      jobs: [fixedJob('job-fixed', 100_000n, tokyo('2026-04-20T15:00:00'))],
      approved: [
        worked('hanako', 'job-fixed', '2026-03-20', 120),
        worked('hanako', 'job-fixed', '2026-04-10', 60),
        worked('yuki', 'job-fixed', '2026-04-15', 180),
      ],
      receipts: [
        received('hanako', 'job-fixed', tokyo('2026-04-12T11:00:00')),
        received('yuki', 'job-fixed', tokyo('2026-04-16T20:00:00')),
      ],
      members: [contractor('hanako', HANAKO_NUMBER), contractor('yuki')],
    };

    it('when March closes, then nothing is billed or paid (the job bills in its inspection month)', () => {
      const march = closeMonth(closeInput('2026-03', facts));
      expect(march.invoices).toEqual([]);
      expect(march.statements).toEqual([]);
      expect(march.jobs).toEqual([]);
    });

    describe('when April closes', () => {
      const april = closeMonth(closeInput('2026-04', facts));

      it('then the job bills its fee once; margin ⌊100,000 × 15%⌋ = 15,000; the pool 85,000 splits 180:180 minutes over both months', () => {
        expect(april.jobs).toEqual([
          {
            jobId: 'job-fixed',
            businessId: BUSINESS,
            billedYen: 100_000n,
            marginYen: 15_000n,
            poolYen: 85_000n,
            shares: [
              { memberId: 'hanako', minutes: 180, shareYen: 42_500n },
              { memberId: 'yuki', minutes: 180, shareYen: 42_500n },
            ],
            origin: { kind: 'current' },
          },
        ]);
      });

      it('then the business receives a qualified invoice: the six items, tax once per rate, due by the order terms', () => {
        expect(april.invoices).toEqual([
          {
            invoiceNumber: 'INV-fujisato-202604-001',
            month: '2026-04',
            issueDate: '2026-05-01',
            issuer: { name: CONFIG.issuerName, registrationNumber: CONFIG.registrationNumber, address: CONFIG.address },
            recipient: { businessId: BUSINESS, name: '株式会社あきた商事', registrationNumber: 'T4011001098993' },
            period: { from: '2026-04-01', to: '2026-04-30' },
            lines: [
              {
                jobId: 'job-fixed',
                title: '請負 job-fixed',
                pricing: 'fixed_price',
                minutes: null,
                hourlyRateYen: null,
                amountYen: 100_000n,
                taxRatePercent: 10,
                dueDate: '2026-05-31',
                origin: { kind: 'current' },
              },
            ],
            totals: [{ taxRatePercent: 10, amountYen: 100_000n, taxYen: 10_000n }],
            returns: [],
            returnTotals: [],
            amountDueYen: 110_000n,
            dueDate: '2026-05-31',
          },
        ]);
      });

      it('then the registered contractor is paid fee + 10% − withholding: 42,500 + 4,250 − 4,339 = 42,411', () => {
        const hanako = statementOf(april, 'hanako');
        expect(hanako).toMatchObject({
          statementNumber: 'PAY-fujisato-202604-0001',
          contractType: 'contractor',
          invoiceRegistrationNumber: HANAKO_NUMBER,
          feeYen: 42_500n,
          consumptionTaxYen: 4_250n,
          // ⌊42,500 × 10.21%⌋ = ⌊4,339.25⌋: design is withheld on.
          withholdingYen: 4_339n,
          topUpYen: 0n,
          payableYen: 42_411n,
          minimumWage: null,
          minutes: 60,
          payTiming: {
            receivedOn: '2026-04-12',
            latestLawfulDay: '2026-06-10',
            reading: 'two_months',
            payDay: '2026-05-25',
            late: false,
          },
        });
        expect(hanako.lines).toEqual([
          {
            jobId: 'job-fixed',
            title: '請負 job-fixed',
            workCategory: 'design',
            minutes: 180,
            shareYen: 42_500n,
            withholdingApplies: true,
            origin: { kind: 'current' },
          },
        ]);
      });

      it('then the unregistered contractor is paid the fee alone, less withholding: 42,500 − 4,339 = 38,161', () => {
        expect(statementOf(april, 'yuki')).toMatchObject({
          statementNumber: 'PAY-fujisato-202604-0002',
          invoiceRegistrationNumber: null,
          feeYen: 42_500n,
          consumptionTaxYen: 0n,
          withholdingYen: 4_339n,
          payableYen: 38_161n,
        });
      });

      it('then the journal has the sale, and each fee with its purchase tax category (qualified / 80% transitional)', () => {
        expect(april.journal).toEqual([
          {
            number: 1,
            date: '2026-04-30',
            kind: 'sale',
            counterparty: '株式会社あきた商事',
            description: '2026年4月分 請求 INV-fujisato-202604-001',
            lines: [
              {
                side: 'debit',
                account: 'receivable',
                subAccount: null,
                taxCategory: 'none',
                amountYen: 110_000n,
                taxYen: 0n,
              },
              {
                side: 'credit',
                account: 'sales',
                subAccount: null,
                taxCategory: 'sales_10',
                amountYen: 110_000n,
                taxYen: 10_000n,
              },
            ],
          },
          {
            number: 2,
            date: '2026-05-25',
            kind: 'contractor_fee',
            counterparty: 'hanako',
            description: '2026年4月分 報酬 PAY-fujisato-202604-0001',
            lines: [
              {
                side: 'debit',
                account: 'outsourcing',
                subAccount: null,
                taxCategory: 'purchase_10_qualified',
                amountYen: 46_750n,
                taxYen: 4_250n,
              },
              {
                side: 'credit',
                account: 'bank',
                subAccount: null,
                taxCategory: 'none',
                amountYen: 42_411n,
                taxYen: 0n,
              },
              {
                side: 'credit',
                account: 'withholding_payable',
                subAccount: '源泉所得税',
                taxCategory: 'none',
                amountYen: 4_339n,
                taxYen: 0n,
              },
            ],
          },
          {
            number: 3,
            date: '2026-05-25',
            kind: 'contractor_fee',
            counterparty: 'yuki',
            description: '2026年4月分 報酬 PAY-fujisato-202604-0002',
            lines: [
              {
                side: 'debit',
                account: 'outsourcing',
                subAccount: null,
                taxCategory: { kind: 'purchase_10_transitional', creditPercent: 80 },
                amountYen: 42_500n,
                // The tax a price of 42,500 is deemed to contain: ⌊42,500 × 10 / 110⌋ = 3,863 (80% of it credited).
                taxYen: 3_863n,
              },
              {
                side: 'credit',
                account: 'bank',
                subAccount: null,
                taxCategory: 'none',
                amountYen: 38_161n,
                taxYen: 0n,
              },
              {
                side: 'credit',
                account: 'withholding_payable',
                subAccount: '源泉所得税',
                taxCategory: 'none',
                amountYen: 4_339n,
                taxYen: 0n,
              },
            ],
          },
        ]);
        expect(april.journal.every(balanced)).toBe(true);
      });

      it('then the totals agree: billed 100,000 = Σ shares 85,000 + margin 15,000; payable 80,572; no findings', () => {
        expect(april.totals).toEqual({
          billedYen: 100_000n,
          taxYen: 10_000n,
          marginYen: 15_000n,
          topUpYen: 0n,
          keptYen: 15_000n,
          payableYen: 80_572n,
        });
        expect(april.payDay).toBe('2026-05-25');
        expect(april.findings).toEqual([]);
      });
    });
  });

  describe('given an hourly data-entry job at ¥2,000/h with 95 + 50 approved minutes in April', () => {
    const april = closeMonth(
      closeInput('2026-04', {
        jobs: [hourlyJob('job-hourly', 2_000n)],
        approved: [worked('hanako', 'job-hourly', '2026-04-03', 95), worked('yuki', 'job-hourly', '2026-04-04', 50)],
        members: [contractor('hanako', HANAKO_NUMBER), contractor('yuki')],
      }),
    );

    it('then it bills ⌊145 × 2,000 / 60⌋ = ⌊4,833.3⌋ = 4,833 (floor) with tax ⌊483.3⌋ = 483', () => {
      expect(april.invoices[0]!.lines[0]).toMatchObject({ minutes: 145, hourlyRateYen: 2_000n, amountYen: 4_833n });
      expect(april.invoices[0]!.totals).toEqual([{ taxRatePercent: 10, amountYen: 4_833n, taxYen: 483n }]);
    });

    it('then margin ⌊724.95⌋ = 724, pool 4,109: 2,692 and 1,417 (the residue yen to the larger remainder, 130 > 15)', () => {
      expect(april.jobs[0]).toMatchObject({
        billedYen: 4_833n,
        marginYen: 724n,
        poolYen: 4_109n,
        shares: [
          { memberId: 'hanako', minutes: 95, shareYen: 2_692n },
          { memberId: 'yuki', minutes: 50, shareYen: 1_417n },
        ],
      });
    });

    it('then data entry is never withheld on: hanako 2,692 + 269 = 2,961; yuki 1,417', () => {
      expect(statementOf(april, 'hanako')).toMatchObject({
        withholdingYen: 0n,
        consumptionTaxYen: 269n,
        payableYen: 2_961n,
      });
      expect(statementOf(april, 'yuki')).toMatchObject({
        withholdingYen: 0n,
        consumptionTaxYen: 0n,
        payableYen: 1_417n,
      });
      expect(statementOf(april, 'yuki').lines[0]!.withholdingApplies).toBe(false);
    });
  });

  describe('given one contractor on a design job and a data-entry job', () => {
    const april = closeMonth(
      closeInput('2026-04', {
        jobs: [
          fixedJob('job-design', 50_000n, tokyo('2026-04-28T10:00:00')),
          hourlyJob('job-entry', 1_800n, { businessId: OTHER_BUSINESS }),
        ],
        approved: [worked('mika', 'job-design', '2026-04-20', 60), worked('mika', 'job-entry', '2026-04-21', 600)],
        members: [contractor('mika')],
      }),
    );

    it('then withholding is on the design share only: ⌊42,500 × 10.21%⌋ = 4,339 of a 57,800 fee', () => {
      const mika = statementOf(april, 'mika');
      expect(mika.lines.map((l) => [l.jobId, l.shareYen, l.withholdingApplies])).toEqual([
        ['job-design', 42_500n, true],
        ['job-entry', 15_300n, false],
      ]);
      expect(mika).toMatchObject({ feeYen: 57_800n, withholdingYen: 4_339n, payableYen: 53_461n });
    });

    it('then each business gets its own invoice, numbered by business id', () => {
      expect(april.invoices.map((i) => [i.invoiceNumber, i.recipient.businessId, i.amountDueYen])).toEqual([
        ['INV-fujisato-202604-001', BUSINESS, 55_000n],
        ['INV-fujisato-202604-002', OTHER_BUSINESS, 19_800n],
      ]);
    });
  });

  describe('given an employee in Akita below the minimum wage across its change on 2026-03-31', () => {
    // 120 minutes on 03-30 (¥951) and 121 on 03-31 (¥1,031) on a writing job at ¥900/h.
    const march = closeMonth(
      closeInput('2026-03', {
        jobs: [hourlyJob('job-writing', 900n, { workCategory: 'writing' })],
        approved: [
          worked('sachi', 'job-writing', '2026-03-30', 120),
          worked('sachi', 'job-writing', '2026-03-31', 121),
        ],
        members: [employee('sachi')],
      }),
    );

    it('then her wages are her share: billed ⌊241 × 900 / 60⌋ = 3,615, margin 542, wages 3,073', () => {
      expect(march.jobs[0]).toMatchObject({ billedYen: 3_615n, marginYen: 542n, poolYen: 3_073n });
    });

    it('then the minimum is ⌈(120 × 951 + 121 × 1,031) / 60⌉ = ⌈3,981.18⌉ = 3,982, day by day, rounded up', () => {
      expect(statementOf(march, 'sachi').minimumWage).toEqual({
        prefecture: 'akita',
        minimumYen: 3_982n,
        wagesYen: 3_073n,
        topUpYen: 909n,
        below: true,
      });
    });

    it('then she is topped up by 909 on a line of its own, with no consumption tax and no withholding', () => {
      expect(statementOf(march, 'sachi')).toMatchObject({
        contractType: 'employee',
        feeYen: 3_073n,
        consumptionTaxYen: 0n,
        withholdingYen: 0n,
        topUpYen: 909n,
        payableYen: 3_982n,
        minutes: 241,
        payTiming: null,
      });
      expect(statementOf(march, 'sachi').lines[0]!.withholdingApplies).toBe(false);
      const wages = march.journal.find((e) => e.kind === 'wages')!;
      expect(wages).toMatchObject({
        date: '2026-03-31',
        counterparty: 'sachi',
        description: '2026年3月分 賃金 PAY-fujisato-202603-0001',
      });
      expect(wages.lines).toEqual([
        { side: 'debit', account: 'wages', subAccount: null, taxCategory: 'none', amountYen: 3_073n, taxYen: 0n },
        {
          side: 'debit',
          account: 'wages',
          subAccount: TOP_UP_SUB_ACCOUNT,
          taxCategory: 'none',
          amountYen: 909n,
          taxYen: 0n,
        },
        { side: 'credit', account: 'accrued', subAccount: null, taxCategory: 'none', amountYen: 3_982n, taxYen: 0n },
      ]);
    });

    it('then the top-up is paid out of the margin, shown as such: kept = 542 − 909 = −367, and flagged', () => {
      expect(march.totals).toMatchObject({ marginYen: 542n, topUpYen: 909n, keptYen: -367n, payableYen: 3_982n });
      expect(codes(march)).toEqual(['settlement.margin_below_top_ups', 'settlement.minimum_wage_topped_up']);
      expect(march.findings.find((f) => f.code === 'settlement.minimum_wage_topped_up')!.memberId).toBe('sachi');
    });

    it('and the same minutes all before the change, or all after, give 3,805 or 4,142: the rate is the day’s', () => {
      const allOn = (day: string) =>
        statementOf(
          closeMonth(
            closeInput('2026-03', {
              jobs: [hourlyJob('job-writing', 900n)],
              approved: [worked('sachi', 'job-writing', day, 241)],
              members: [employee('sachi')],
            }),
          ),
          'sachi',
        ).minimumWage!.minimumYen;
      // ⌈241 × 951 / 60⌉ = ⌈3,819.85⌉ and ⌈241 × 1,031 / 60⌉ = ⌈4,141.18⌉.
      expect(allOn('2026-03-30')).toBe(3_820n);
      expect(allOn('2026-03-31')).toBe(4_142n);
    });

    it('and an employee whose month bills nothing yet (a fixed-price job not inspected) is paid the minimum as top-up', () => {
      const april = closeMonth(
        closeInput('2026-04', {
          jobs: [fixedJob('job-later', 80_000n, null)],
          approved: [worked('sachi', 'job-later', '2026-04-07', 90)],
          members: [employee('sachi')],
        }),
      );
      // ⌈90 × 1,031 / 60⌉ = ⌈1,546.5⌉ = 1,547.
      expect(statementOf(april, 'sachi')).toMatchObject({
        lines: [],
        feeYen: 0n,
        topUpYen: 1_547n,
        payableYen: 1_547n,
      });
    });
  });

  describe('given work received on 1 July, paid on 30 August (pay day 30)', () => {
    const input = (reading: 'strict_60_days' | 'two_months', payDay: number) =>
      closeInput('2026-07', {
        config: { ...CONFIG, payTimingReading: reading, payDay },
        jobs: [fixedJob('job-july', 30_000n, tokyo('2026-07-20T12:00:00'), { paymentDate: '2026-08-31' })],
        approved: [worked('yuki', 'job-july', '2026-06-29', 60)],
        receipts: [received('yuki', 'job-july', tokyo('2026-07-01T18:00:00'))],
        members: [contractor('yuki')],
      });

    it('when the reading is strict, then the payment is late (latest 08-29) and listed with both days', () => {
      const july = closeMonth(input('strict_60_days', 30));
      expect(statementOf(july, 'yuki').payTiming).toEqual({
        receivedOn: '2026-07-01',
        latestLawfulDay: '2026-08-29',
        reading: 'strict_60_days',
        payDay: '2026-08-30',
        late: true,
      });
      expect(july.findings).toEqual([
        {
          code: 'settlement.payment_late',
          message:
            'member yuki, job job-july (2026-07): work received on 2026-07-01 must be paid by 2026-08-29 (strict_60_days), the pay day is 2026-08-30',
          memberId: 'yuki',
          jobId: 'job-july',
        },
      ]);
    });

    it('when the reading is strict and the pay day is 29, then the last lawful day is accepted', () => {
      const july = closeMonth(input('strict_60_days', 29));
      expect(statementOf(july, 'yuki').payTiming!.late).toBe(false);
      expect(july.findings).toEqual([]);
    });

    it('when the reading is two months, then 08-30 and 08-31 are lawful', () => {
      for (const payDay of [30, 31]) {
        const july = closeMonth(input('two_months', payDay));
        expect(statementOf(july, 'yuki').payTiming).toMatchObject({ latestLawfulDay: '2026-08-31', late: false });
        expect(july.findings).toEqual([]);
      }
    });

    it('when the work was received in early June and only inspected in July, then it is late under both readings', () => {
      for (const reading of ['two_months', 'strict_60_days'] as const) {
        const july = closeMonth({
          ...input(reading, 25),
          receipts: [received('yuki', 'job-july', tokyo('2026-06-10T09:00:00'))],
        });
        // strict: 06-10 + 59 = 08-08; two months: max(08-08, 07-31) = 08-08.
        expect(statementOf(july, 'yuki').payTiming).toMatchObject({ latestLawfulDay: '2026-08-08', late: true });
        expect(codes(july)).toEqual(['settlement.payment_late']);
      }
    });

    it('without a receipt, the first day of her approved work paid there counts as received', () => {
      const july = closeMonth({ ...input('two_months', 25), receipts: [] });
      expect(statementOf(july, 'yuki').payTiming!.receivedOn).toBe('2026-06-29');
    });
  });

  describe('adjustments of a closed month', () => {
    // April: an hourly data-entry job at ¥3,000/h, 120 minutes approved on 04-10.
    const job = hourlyJob('job-h', 3_000n);
    const members = [contractor('hanako', HANAKO_NUMBER)];
    const april = closeMonth(
      closeInput('2026-04', { jobs: [job], approved: [worked('hanako', 'job-h', '2026-04-10', 120)], members }),
    );

    it('given April closed at 6,000 (120 minutes)', () => {
      expect(april.totals.billedYen).toBe(6_000n);
      expect(statementOf(april, 'hanako').feeYen).toBe(5_100n);
    });

    describe('when 60 more April minutes are approved late and May closes (an increase)', () => {
      const facts = {
        jobs: [job],
        approved: [
          worked('hanako', 'job-h', '2026-04-10', 120),
          worked('hanako', 'job-h', '2026-04-28', 60),
          worked('hanako', 'job-h', '2026-05-12', 60),
        ],
        members,
        previous: [april],
      };
      const may = closeMonth(closeInput('2026-05', facts));

      it('then the difference is an invoice line naming April, beside May’s own', () => {
        expect(may.invoices).toHaveLength(1);
        expect(may.invoices[0]!.lines.map((l) => [l.origin, l.minutes, l.amountYen])).toEqual([
          [{ kind: 'current' }, 60, 3_000n],
          [{ kind: 'adjustment', correctsMonth: '2026-04' }, 60, 3_000n],
        ]);
        expect(may.invoices[0]!.totals).toEqual([{ taxRatePercent: 10, amountYen: 6_000n, taxYen: 600n }]);
        expect(may.invoices[0]!.returns).toEqual([]);
      });

      it('then the job settlement names April with the differences, and her pay has a line for it', () => {
        expect(may.jobs[1]).toEqual({
          jobId: 'job-h',
          businessId: BUSINESS,
          billedYen: 3_000n,
          marginYen: 450n,
          poolYen: 2_550n,
          shares: [{ memberId: 'hanako', minutes: 60, shareYen: 2_550n }],
          origin: { kind: 'adjustment', correctsMonth: '2026-04' },
        });
        expect(statementOf(may, 'hanako')).toMatchObject({
          feeYen: 5_100n,
          consumptionTaxYen: 510n,
          payableYen: 5_610n,
        });
        expect(statementOf(may, 'hanako').lines.map((l) => [l.origin.kind, l.shareYen])).toEqual([
          ['current', 2_550n],
          ['adjustment', 2_550n],
        ]);
      });

      it('then June, from the same facts, corrects nothing again (April’s adjustment counts as billed)', () => {
        const june = closeMonth(closeInput('2026-06', { ...facts, previous: [may, april] }));
        expect(june.jobs).toEqual([]);
        expect(june.invoices).toEqual([]);
        expect(june.statements).toEqual([]);
      });
    });

    describe('when April’s week is reopened and only 60 minutes stay approved, and May closes (a decrease, 返還)', () => {
      const facts = {
        jobs: [job],
        approved: [worked('hanako', 'job-h', '2026-04-10', 60), worked('hanako', 'job-h', '2026-05-12', 120)],
        members,
        previous: [april],
      };
      const may = closeMonth(closeInput('2026-05', facts));
      const invoice = may.invoices[0]!;

      it('then the decrease is a 返還 part naming April’s invoice, with its own tax per rate', () => {
        expect(invoice.lines.map((l) => [l.origin.kind, l.amountYen])).toEqual([['current', 6_000n]]);
        expect(invoice.returns).toEqual([
          {
            jobId: 'job-h',
            title: '準委任 job-h',
            pricing: 'hourly',
            minutes: 60,
            hourlyRateYen: 3_000n,
            amountYen: 3_000n,
            taxRatePercent: 10,
            dueDate: '2026-06-30',
            origin: { kind: 'adjustment', correctsMonth: '2026-04' },
            correctsInvoice: 'INV-fujisato-202604-001',
          },
        ]);
        expect(invoice.totals).toEqual([{ taxRatePercent: 10, amountYen: 6_000n, taxYen: 600n }]);
        expect(invoice.returnTotals).toEqual([{ taxRatePercent: 10, amountYen: 3_000n, taxYen: 300n }]);
        expect(invoice.amountDueYen).toBe(6_600n - 3_300n);
      });

      it('then her pay takes the difference off as a deduction within her statement', () => {
        const hanako = statementOf(may, 'hanako');
        expect(hanako.lines.map((l) => [l.origin.kind, l.minutes, l.shareYen])).toEqual([
          ['current', 120, 5_100n],
          ['adjustment', -60, -2_550n],
        ]);
        expect(hanako).toMatchObject({ feeYen: 2_550n, consumptionTaxYen: 255n, payableYen: 2_805n });
      });

      it('then the journal has the sale and the sale return, each balanced, and the totals are net', () => {
        expect(
          may.journal.map((e) => [e.kind, e.lines.map((l) => [l.side, l.account, l.amountYen, l.taxYen])]),
        ).toEqual([
          [
            'sale',
            [
              ['debit', 'receivable', 6_600n, 0n],
              ['credit', 'sales', 6_600n, 600n],
            ],
          ],
          [
            'sale_return',
            [
              ['debit', 'sales', 3_300n, 300n],
              ['credit', 'receivable', 3_300n, 0n],
            ],
          ],
          [
            'contractor_fee',
            [
              ['debit', 'outsourcing', 2_805n, 255n],
              ['credit', 'bank', 2_805n, 0n],
            ],
          ],
        ]);
        expect(may.journal[1]!.description).toBe('2026年5月分 返還 INV-fujisato-202605-001（2026年4月分の訂正）');
        expect(may.journal.every(balanced)).toBe(true);
        expect(may.totals).toMatchObject({ billedYen: 3_000n, taxYen: 300n, marginYen: 450n, payableYen: 2_805n });
      });

      it('then, without May work, her payable is negative: nothing is transferred, a finding carries it', () => {
        const alone = closeMonth(
          closeInput('2026-05', { ...facts, approved: [worked('hanako', 'job-h', '2026-04-10', 60)] }),
        );
        const hanako = statementOf(alone, 'hanako');
        expect(hanako).toMatchObject({
          feeYen: -2_550n,
          consumptionTaxYen: -255n,
          payableYen: -2_805n,
          payTiming: null,
        });
        expect(codes(alone)).toEqual(['settlement.payable_negative']);
        const fee = alone.journal.find((e) => e.kind === 'contractor_fee')!;
        expect(fee.lines.map((l) => [l.side, l.account, l.amountYen])).toEqual([
          ['credit', 'outsourcing', 2_805n],
          ['debit', 'accrued', 2_805n],
        ]);
        expect(balanced(fee)).toBe(true);
      });
    });

    it('an employee’s April minimum raised by late-approved minutes is topped up in May, naming April', () => {
      const facts = {
        jobs: [hourlyJob('job-e', 600n), fixedJob('job-f', 90_000n, null)],
        members: [employee('sachi')],
      };
      const closedApril = closeMonth(
        closeInput('2026-04', { ...facts, approved: [worked('sachi', 'job-e', '2026-04-10', 120)] }),
      );
      // April: wages 1,020 (1,200 less 15%), minimum ⌈120 × 1,031 / 60⌉ = 2,062 → top-up 1,042.
      expect(statementOf(closedApril, 'sachi').minimumWage).toMatchObject({ minimumYen: 2_062n, topUpYen: 1_042n });
      const may = closeMonth(
        closeInput('2026-05', {
          ...facts,
          approved: [worked('sachi', 'job-e', '2026-04-10', 120), worked('sachi', 'job-f', '2026-04-11', 60)],
          previous: [closedApril],
        }),
      );
      // Now April's minimum is ⌈180 × 1,031 / 60⌉ = 3,093 → top-up 2,073: 1,031 more.
      expect(statementOf(may, 'sachi')).toMatchObject({
        lines: [],
        feeYen: 0n,
        topUpAdjustments: [{ correctsMonth: '2026-04', topUpYen: 1_031n }],
        topUpYen: 1_031n,
        payableYen: 1_031n,
      });
      expect(may.totals).toMatchObject({ topUpYen: 1_031n, keptYen: -1_031n });
    });
  });

  describe('findings and refusals', () => {
    it('a job accepted without pricing (v1) is not billed and is listed', () => {
      const april = closeMonth(
        closeInput('2026-04', {
          jobs: [{ ...hourlyJob('job-v1', 1_000n), pricing: null, feeYen: null, paymentDate: null }],
          approved: [worked('yuki', 'job-v1', '2026-04-02', 60)],
          members: [contractor('yuki')],
        }),
      );
      expect(april.invoices).toEqual([]);
      expect(april.findings).toEqual([
        expect.objectContaining({ code: 'settlement.job_pricing_unknown', jobId: 'job-v1' }),
      ]);
    });

    it('a job billing without approved minutes keeps all it bills as margin, and is listed', () => {
      const april = closeMonth(
        closeInput('2026-04', { jobs: [fixedJob('job-empty', 20_000n, tokyo('2026-04-03T09:00:00'))] }),
      );
      expect(april.jobs[0]).toMatchObject({ billedYen: 20_000n, marginYen: 20_000n, poolYen: 0n, shares: [] });
      expect(codes(april)).toEqual(['settlement.no_approved_time']);
    });

    it('a forgotten member’s statement is computed and listed (her name and account cannot be read)', () => {
      const april = closeMonth(
        closeInput('2026-04', {
          jobs: [hourlyJob('job-h', 1_200n)],
          approved: [worked('gone', 'job-h', '2026-04-02', 60)],
          members: [{ ...contractor('gone'), forgotten: true }],
        }),
      );
      expect(statementOf(april, 'gone').payableYen).toBe(1_020n);
      expect(codes(april)).toEqual(['settlement.member_forgotten']);
    });

    it('jobs of other regions are not part of the close', () => {
      const april = closeMonth(
        closeInput('2026-04', {
          jobs: [hourlyJob('job-setagaya', 1_200n, { regionId: 'setagaya' })],
          approved: [worked('yuki', 'job-setagaya', '2026-04-02', 60)],
          members: [contractor('yuki')],
        }),
      );
      expect(april.jobs).toEqual([]);
      expect(april.statements).toEqual([]);
    });

    it('a line whose payment date has passed at issue is due at the end of the month after the close', () => {
      const april = closeMonth(
        closeInput('2026-04', {
          jobs: [fixedJob('job-late', 10_000n, tokyo('2026-04-30T20:00:00'), { paymentDate: '2026-04-30' })],
          approved: [worked('yuki', 'job-late', '2026-04-02', 60)],
          members: [contractor('yuki')],
        }),
      );
      expect(april.invoices[0]!.dueDate).toBe('2026-05-31');
    });

    it('from October 2026 an unregistered contractor’s purchase is credited 70%', () => {
      const october = closeMonth(
        closeInput('2026-10', {
          jobs: [hourlyJob('job-h', 1_200n, { paymentDate: '2026-11-30' })],
          approved: [worked('yuki', 'job-h', '2026-10-02', 60)],
          members: [contractor('yuki')],
        }),
      );
      expect(october.journal.find((e) => e.kind === 'contractor_fee')!.lines[0]!.taxCategory).toEqual({
        kind: 'purchase_10_transitional',
        creditPercent: 70,
      });
    });

    it.each([
      [
        'settlement.member_unknown',
        closeInput('2026-04', {
          jobs: [hourlyJob('job-h', 1_200n)],
          approved: [worked('who', 'job-h', '2026-04-02', 60)],
        }),
      ],
      [
        'settlement.business_unknown',
        closeInput('2026-04', {
          jobs: [hourlyJob('job-h', 1_200n)],
          approved: [worked('yuki', 'job-h', '2026-04-02', 60)],
          members: [contractor('yuki')],
          businesses: [],
        }),
      ],
      [
        'settlement.duplicate_input',
        closeInput('2026-04', { jobs: [hourlyJob('job-h', 1_200n), hourlyJob('job-h', 1_300n)] }),
      ],
      [
        'settlement.minimum_wage_unknown',
        closeInput('2026-04', {
          jobs: [hourlyJob('job-h', 1_200n)],
          approved: [worked('sachi', 'job-h', '2026-04-02', 60)],
          members: [employee('sachi')],
          minimumWages: [],
        }),
      ],
    ])('refuses %s', (code, input) => {
      expect(refusalOf(input)).toBe(code);
    });

    it('refuses to close a month that is closed, or one before a closed month, or with another region’s close', () => {
      const april = closeMonth(closeInput('2026-04'));
      expect(refusalOf(closeInput('2026-04', { previous: [april] }))).toBe('settlement.month_already_closed');
      expect(refusalOf(closeInput('2026-03', { previous: [april] }))).toBe('settlement.month_already_closed');
      expect(refusalOf(closeInput('2026-05', { previous: [{ ...april, regionId: 'setagaya' }] }))).toBe(
        'settlement.region_mismatch',
      );
      expect(refusalOf(closeInput('2026-05', { previous: [april, april] }))).toBe('settlement.duplicate_input');
    });

    it('an earlier close that billed a job the input lacks is refused, not returned in full', () => {
      const april = closeMonth(
        closeInput('2026-04', {
          jobs: [hourlyJob('job-h', 1_200n)],
          approved: [worked('yuki', 'job-h', '2026-04-02', 60)],
          members: [contractor('yuki')],
        }),
      );
      expect(refusalOf(closeInput('2026-05', { members: [contractor('yuki')], previous: [april] }))).toBe(
        'settlement.job_unknown',
      );
    });
  });
});
