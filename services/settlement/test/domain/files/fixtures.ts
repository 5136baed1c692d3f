/**
 * A closed month written by hand (not by closeMonth): Fujisato, April 2026. Its numbers agree
 * with each other the way a close makes them agree, so that the files can be checked against the
 * invoices and statements:
 * - INV-001 (あきた商事): 18,000 (600 min × ¥1,800/h) + 100,000 → tax floor(118,000 × 10%) = 11,800, due 129,800;
 * - INV-002 (ふじさと企画): 50,000 → tax 5,000; 返還 of March's 3,000 (tax 300): due 55,000 − 3,300 = 51,700;
 * - PAY-0001 (registered contractor): fee 85,000 + tax 8,500 − withholding floor(85,000 × 10.21%) = 8,678 → 84,822;
 * - PAY-0002 (unregistered contractor): fee 57,800 (15,300 data entry + 42,500 translation), tax 0,
 *   withholding on the translation only: floor(42,500 × 10.21%) = 4,339 → 53,461;
 * - PAY-0003 (employee, Akita): wages 1,000 for 120 min; minimum ceil(120 × ¥1,031 / 60) = 2,062 → top-up 1,062.
 */
import type { Invoice, JournalEntry, MonthSettlement, PaymentStatement } from '../../../src/domain/model.js';
import type { ZenginBankAccount } from '../../../src/domain/files/zengin.js';

export const CONFIG: MonthSettlement['config'] = {
  regionId: 'fujisato',
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

const ISSUER = { name: CONFIG.issuerName, registrationNumber: CONFIG.registrationNumber, address: CONFIG.address };
const PERIOD = { from: '2026-04-01', to: '2026-04-30' };

export const INVOICES: Invoice[] = [
  {
    invoiceNumber: 'INV-fujisato-202604-001',
    month: '2026-04',
    issueDate: '2026-05-01',
    issuer: ISSUER,
    recipient: { businessId: 'b-0001', name: '株式会社あきた商事', registrationNumber: 'T4011001098993' },
    period: PERIOD,
    lines: [
      {
        jobId: 'job-1',
        title: '顧客名簿のデータ入力（4月分）',
        pricing: 'hourly',
        minutes: 600,
        hourlyRateYen: 1800n,
        amountYen: 18_000n,
        taxRatePercent: 10,
        dueDate: '2026-05-31',
        origin: { kind: 'current' },
      },
      {
        jobId: 'job-2',
        title: '観光パンフレットのデザイン',
        pricing: 'fixed_price',
        minutes: null,
        hourlyRateYen: null,
        amountYen: 100_000n,
        taxRatePercent: 10,
        dueDate: '2026-05-31',
        origin: { kind: 'current' },
      },
    ],
    totals: [{ taxRatePercent: 10, amountYen: 118_000n, taxYen: 11_800n }],
    returns: [],
    returnTotals: [],
    amountDueYen: 129_800n,
    dueDate: '2026-05-31',
  },
  {
    invoiceNumber: 'INV-fujisato-202604-002',
    month: '2026-04',
    issueDate: '2026-05-01',
    issuer: ISSUER,
    recipient: { businessId: 'b-0002', name: '合同会社ふじさと企画', registrationNumber: 'T8010401088436' },
    period: PERIOD,
    lines: [
      {
        jobId: 'job-3',
        title: '町史の英訳',
        pricing: 'fixed_price',
        minutes: null,
        hourlyRateYen: null,
        amountYen: 50_000n,
        taxRatePercent: 10,
        dueDate: '2026-05-31',
        origin: { kind: 'current' },
      },
    ],
    totals: [{ taxRatePercent: 10, amountYen: 50_000n, taxYen: 5_000n }],
    returns: [
      {
        jobId: 'job-4',
        title: '議事録の文字起こし',
        pricing: 'hourly',
        minutes: 120,
        hourlyRateYen: 1500n,
        amountYen: 3_000n,
        taxRatePercent: 10,
        dueDate: '2026-04-30',
        origin: { kind: 'adjustment', correctsMonth: '2026-03' },
        correctsInvoice: 'INV-fujisato-202603-002',
      },
    ],
    returnTotals: [{ taxRatePercent: 10, amountYen: 3_000n, taxYen: 300n }],
    amountDueYen: 51_700n,
    dueDate: '2026-05-31',
  },
];

export const STATEMENTS: PaymentStatement[] = [
  {
    statementNumber: 'PAY-fujisato-202604-0001',
    memberId: 'member-a',
    contractType: 'contractor',
    invoiceRegistrationNumber: 'T2120901007402',
    lines: [
      {
        jobId: 'job-2',
        title: '観光パンフレットのデザイン',
        workCategory: 'design',
        minutes: 1_500,
        shareYen: 85_000n,
        withholdingApplies: true,
        origin: { kind: 'current' },
      },
    ],
    feeYen: 85_000n,
    consumptionTaxYen: 8_500n,
    withholdingYen: 8_678n,
    minimumWage: null,
    topUpYen: 0n,
    payableYen: 84_822n,
    minutes: 1_500,
    payTiming: {
      receivedOn: '2026-04-20',
      latestLawfulDay: '2026-06-18',
      reading: 'two_months',
      payDay: '2026-05-25',
      late: false,
    },
  },
  {
    statementNumber: 'PAY-fujisato-202604-0002',
    memberId: 'member-b',
    contractType: 'contractor',
    invoiceRegistrationNumber: null,
    lines: [
      {
        jobId: 'job-1',
        title: '顧客名簿のデータ入力（4月分）',
        workCategory: 'data_entry',
        minutes: 510,
        shareYen: 15_300n,
        withholdingApplies: false,
        origin: { kind: 'current' },
      },
      {
        jobId: 'job-3',
        title: '町史の英訳',
        workCategory: 'translation',
        minutes: 900,
        shareYen: 42_500n,
        withholdingApplies: true,
        origin: { kind: 'current' },
      },
    ],
    feeYen: 57_800n,
    consumptionTaxYen: 0n,
    withholdingYen: 4_339n,
    minimumWage: null,
    topUpYen: 0n,
    payableYen: 53_461n,
    minutes: 1_410,
    payTiming: {
      receivedOn: '2026-04-30',
      latestLawfulDay: '2026-06-28',
      reading: 'two_months',
      payDay: '2026-05-25',
      late: false,
    },
  },
  {
    statementNumber: 'PAY-fujisato-202604-0003',
    memberId: 'member-c',
    contractType: 'employee',
    invoiceRegistrationNumber: null,
    lines: [
      {
        jobId: 'job-1',
        title: '顧客名簿のデータ入力（4月分）',
        workCategory: 'data_entry',
        minutes: 90,
        shareYen: 700n,
        withholdingApplies: false,
        origin: { kind: 'current' },
      },
      {
        jobId: 'job-4',
        title: '議事録の文字起こし',
        workCategory: 'transcription',
        minutes: 30,
        shareYen: 300n,
        withholdingApplies: false,
        origin: { kind: 'adjustment', correctsMonth: '2026-03' },
      },
    ],
    feeYen: 1_000n,
    consumptionTaxYen: 0n,
    withholdingYen: 0n,
    minimumWage: { prefecture: 'akita', minimumYen: 2_062n, wagesYen: 1_000n, topUpYen: 1_062n, below: true },
    topUpYen: 1_062n,
    payableYen: 2_062n,
    minutes: 120,
    payTiming: null,
  },
];

const none = 'none' as const;

export const JOURNAL: JournalEntry[] = [
  {
    number: 1,
    date: '2026-04-30',
    kind: 'sale',
    counterparty: '株式会社あきた商事',
    description: '2026年4月分 請求 INV-fujisato-202604-001',
    lines: [
      { side: 'debit', account: 'receivable', subAccount: null, taxCategory: none, amountYen: 129_800n, taxYen: 0n },
      {
        side: 'credit',
        account: 'sales',
        subAccount: null,
        taxCategory: 'sales_10',
        amountYen: 129_800n,
        taxYen: 11_800n,
      },
    ],
  },
  {
    number: 2,
    date: '2026-04-30',
    kind: 'sale',
    counterparty: '合同会社ふじさと企画',
    description: '2026年4月分 請求 INV-fujisato-202604-002',
    lines: [
      { side: 'debit', account: 'receivable', subAccount: null, taxCategory: none, amountYen: 55_000n, taxYen: 0n },
      {
        side: 'credit',
        account: 'sales',
        subAccount: null,
        taxCategory: 'sales_10',
        amountYen: 55_000n,
        taxYen: 5_000n,
      },
    ],
  },
  {
    number: 3,
    date: '2026-04-30',
    kind: 'sale_return',
    counterparty: '合同会社ふじさと企画',
    description: '2026年3月分の返還 INV-fujisato-202603-002',
    lines: [
      { side: 'debit', account: 'sales', subAccount: null, taxCategory: 'sales_10', amountYen: 3_300n, taxYen: 300n },
      { side: 'credit', account: 'receivable', subAccount: null, taxCategory: none, amountYen: 3_300n, taxYen: 0n },
    ],
  },
  {
    number: 4,
    date: '2026-04-30',
    kind: 'contractor_fee',
    counterparty: 'member-a',
    description: '2026年4月分 報酬 PAY-fujisato-202604-0001',
    lines: [
      {
        side: 'debit',
        account: 'outsourcing',
        subAccount: null,
        taxCategory: 'purchase_10_qualified',
        amountYen: 93_500n,
        taxYen: 8_500n,
      },
      { side: 'credit', account: 'accrued', subAccount: null, taxCategory: none, amountYen: 84_822n, taxYen: 0n },
      {
        side: 'credit',
        account: 'withholding_payable',
        subAccount: '源泉所得税',
        taxCategory: none,
        amountYen: 8_678n,
        taxYen: 0n,
      },
    ],
  },
  {
    number: 5,
    date: '2026-04-30',
    kind: 'contractor_fee',
    counterparty: 'member-b',
    description: '2026年4月分 報酬 PAY-fujisato-202604-0002',
    lines: [
      {
        side: 'debit',
        account: 'outsourcing',
        subAccount: null,
        taxCategory: { kind: 'purchase_10_transitional', creditPercent: 80 },
        amountYen: 57_800n,
        taxYen: 5_254n,
      },
      { side: 'credit', account: 'accrued', subAccount: null, taxCategory: none, amountYen: 53_461n, taxYen: 0n },
      {
        side: 'credit',
        account: 'withholding_payable',
        subAccount: '源泉所得税',
        taxCategory: none,
        amountYen: 4_339n,
        taxYen: 0n,
      },
    ],
  },
  {
    number: 6,
    date: '2026-04-30',
    kind: 'wages',
    counterparty: 'member-c',
    description: '2026年4月分 賃金 PAY-fujisato-202604-0003（最低賃金補填 1,062円を含む）',
    lines: [
      { side: 'debit', account: 'wages', subAccount: null, taxCategory: none, amountYen: 2_062n, taxYen: 0n },
      { side: 'credit', account: 'accrued', subAccount: null, taxCategory: none, amountYen: 2_062n, taxYen: 0n },
    ],
  },
];

export const SETTLEMENT: MonthSettlement = {
  regionId: 'fujisato',
  month: '2026-04',
  closedAt: new Date('2026-05-01T01:00:00.000Z'),
  config: CONFIG,
  invoices: INVOICES,
  statements: STATEMENTS,
  jobs: [],
  journal: JOURNAL,
  payDay: '2026-05-25',
  totals: {
    billedYen: 171_000n,
    taxYen: 16_500n,
    marginYen: 25_650n,
    topUpYen: 1_062n,
    keptYen: 24_588n,
    payableYen: 140_345n,
  },
  findings: [],
};

/** The contractors' accounts, as the caller would decrypt them for the file. */
export const ACCOUNTS: ReadonlyMap<string, ZenginBankAccount> = new Map([
  ['member-a', { bankCode: '0117', branchCode: '001', type: 'ordinary', number: '7654321', holder: 'ヤマダ ハナコ' }],
  ['member-b', { bankCode: '9900', branchCode: '100', type: 'current', number: '12345', holder: 'サトウ　ジュンイチ' }],
]);
