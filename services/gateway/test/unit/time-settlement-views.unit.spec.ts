import { settlementV1, timeTrackingV1 } from '@workshare/proto';
import { DOWNLOAD_KINDS } from '@workshare/settlement/contract';
import {
  DOWNLOAD_MEDIA_TYPES,
  ENTRY_SOURCES,
  JOURNAL_VENDORS,
  PAY_TIMING_READINGS,
  PAYER_ACCOUNT_TYPES,
  ROUNDING_RULES,
  WEEK_APPROVALS,
} from '../../src/adapters/http/schemas.js';
import {
  configureRegionRequest,
  downloadRequest,
  regionConfigView,
  settlementView,
  summaryView,
} from '../../src/adapters/http/settlement-views.js';
import { correctEntryRequest, stopWorkView, timeEntryView, weekView } from '../../src/adapters/http/time-views.js';
import { protoTable } from '../../src/adapters/http/views.js';

/** The values of a ts-proto enum other than UNSPECIFIED and UNRECOGNIZED. */
const known = (values: object): number[] =>
  Object.values(values).filter((v): v is number => typeof v === 'number' && v > 0);

const entry = (overrides: Partial<timeTrackingV1.TimeEntry> = {}): timeTrackingV1.TimeEntry => ({
  entryId: 'e1',
  taskId: 't1',
  jobId: 'j1',
  regionId: 'fujisato',
  start: new Date('2026-11-11T14:30:00Z'),
  end: new Date('2026-11-11T15:30:00Z'),
  startTokyo: '2026-11-11T23:30:00.000+09:00',
  endTokyo: '2026-11-12T00:30:00.000+09:00',
  minutes: 60,
  source: timeTrackingV1.EntrySource.ENTRY_SOURCE_MANUAL,
  days: [
    { day: '2026-11-11', minutes: 30 },
    { day: '2026-11-12', minutes: 30 },
  ],
  ...overrides,
});

describe('one contract: the edge’s names are the services’, and each is a value of their gRPC enums', () => {
  it.each([
    ['entry sources', ENTRY_SOURCES, timeTrackingV1.EntrySource, 'ENTRY_SOURCE_'],
    ['week approvals', WEEK_APPROVALS, timeTrackingV1.WeekApproval, 'WEEK_APPROVAL_'],
    ['invoice roundings', ROUNDING_RULES, settlementV1.RoundingRule, 'ROUNDING_RULE_'],
    ['pay-timing readings', PAY_TIMING_READINGS, settlementV1.PayTimingReading, 'PAY_TIMING_READING_'],
    ['payer account types', PAYER_ACCOUNT_TYPES, settlementV1.BankAccountType, 'BANK_ACCOUNT_TYPE_'],
    ['download kinds', DOWNLOAD_KINDS, settlementV1.DownloadKind, 'DOWNLOAD_KIND_'],
  ] as const)('%s: every name one value, every value one name', (_what, names, values, prefix) => {
    const t = protoTable<string, number>(names, values, prefix);
    expect([...t.toName.keys()].sort()).toEqual(known(values).sort());
    expect(t.toEnum.size).toBe(names.length);
  });

  it('a name the gRPC enum lacks fails at once', () => {
    expect(() => protoTable(['timer', 'stopwatch'], timeTrackingV1.EntrySource, 'ENTRY_SOURCE_')).toThrow(
      /ENTRY_SOURCE_STOPWATCH is not in the gRPC contract/,
    );
  });

  it('the journals are the download kinds’ (journal_<vendor>), and their media types settlement’s', () => {
    expect(JOURNAL_VENDORS.map((v) => `journal_${v}`).sort()).toEqual(
      DOWNLOAD_KINDS.filter((k) => k.startsWith('journal_')).sort(),
    );
    expect(DOWNLOAD_MEDIA_TYPES).toMatchObject({ pdf: 'application/pdf', zengin: 'text/plain; charset=Shift_JIS' });
    expect([...DOWNLOAD_MEDIA_TYPES.journals].sort()).toEqual([
      'text/csv; charset=Shift_JIS',
      'text/csv; charset=UTF-8',
    ]);
  });
});

describe('time tracking’s messages in the API’s words', () => {
  it('an entry: its times in Asia/Tokyo (+09:00), its source by name, its minutes per Tokyo day', () => {
    expect(timeEntryView(entry())).toEqual({
      entryId: 'e1',
      taskId: 't1',
      jobId: 'j1',
      regionId: 'fujisato',
      start: '2026-11-11T23:30:00.000+09:00',
      end: '2026-11-12T00:30:00.000+09:00',
      minutes: 60,
      source: 'manual',
      days: [
        { day: '2026-11-11', minutes: 30 },
        { day: '2026-11-12', minutes: 30 },
      ],
    });
  });

  it('a service breaking its contract is an error, never a guess', () => {
    expect(() => timeEntryView(entry({ source: timeTrackingV1.EntrySource.ENTRY_SOURCE_UNSPECIFIED }))).toThrow(
      /unknown entry source/,
    );
    expect(() => timeEntryView(entry({ end: undefined }))).toThrow(/no entry end/);
    expect(() => stopWorkView({ recorded: true, entry: undefined })).toThrow(/without the entry/);
    expect(() => weekView(undefined)).toThrow(/no week/);
  });

  it('a stop that recorded nothing: recorded false, entry null; a week with its running timer', () => {
    expect(stopWorkView({ recorded: false, entry: undefined })).toEqual({ recorded: false, entry: null });
    const week = weekView({
      memberId: 'm1',
      weekStart: '2026-11-09',
      weekEnd: '2026-11-15',
      approval: timeTrackingV1.WeekApproval.WEEK_APPROVAL_REOPENED,
      entries: [entry()],
      days: [{ day: '2026-11-09', minutes: 0 }],
      totalMinutes: 60,
      timer: { taskId: 't2', jobId: 'j1', start: new Date('2026-11-12T00:01:00Z'), startTokyo: '' },
    });
    expect(week).toMatchObject({
      approval: 'reopened',
      timer: { taskId: 't2', jobId: 'j1', start: '2026-11-12T09:01:00.000+09:00' },
    });
  });

  it('a correction: times of any offset become the instants they name', () => {
    expect(
      correctEntryRequest('r1', 'm1', 'e1', {
        start: '2026-11-12T09:00:00+09:00',
        end: '2026-11-12T00:45:00Z',
        reason: '打刻漏れ',
      }),
    ).toEqual({
      requestId: 'r1',
      memberId: 'm1',
      entryId: 'e1',
      start: new Date('2026-11-12T00:00:00Z'),
      end: new Date('2026-11-12T00:45:00Z'),
      reason: '打刻漏れ',
    });
  });
});

describe('settlement’s messages in the API’s words', () => {
  const body = {
    issuerName: '藤里ワークシェア協同組合',
    registrationNumber: 'T7123456789012',
    address: '秋田県山本郡藤里町藤琴字藤琴8',
    payerAccount: { bankCode: '0117', branchCode: '123', type: 'current', number: '1234567' },
    zenginRequesterCode: '123456789',
    requesterNameKana: 'フジサト',
    marginBasisPoints: 1500,
    payDay: 25,
    officePrefecture: 'akita',
  };

  it('a configuration: the region from the path; the rounding and reading left out are settlement’s defaults', () => {
    const request = configureRegionRequest('r1', 'fujisato', body);
    expect(request.config).toMatchObject({
      regionId: 'fujisato',
      payerAccount: {
        bankNameKana: '',
        branchNameKana: '',
        type: settlementV1.BankAccountType.BANK_ACCOUNT_TYPE_CURRENT,
      },
      invoiceRounding: settlementV1.RoundingRule.ROUNDING_RULE_UNSPECIFIED,
      payTimingReading: settlementV1.PayTimingReading.PAY_TIMING_READING_UNSPECIFIED,
    });
    const chosen = configureRegionRequest('r1', 'fujisato', {
      ...body,
      invoiceRounding: 'round_half_up',
      payTimingReading: 'strict_60_days',
    });
    expect(chosen.config).toMatchObject({
      invoiceRounding: settlementV1.RoundingRule.ROUNDING_RULE_ROUND_HALF_UP,
      payTimingReading: settlementV1.PayTimingReading.PAY_TIMING_READING_STRICT_60_DAYS,
    });
    expect(regionConfigView(chosen.config)).toMatchObject({
      payerAccount: { type: 'current' },
      invoiceRounding: 'round_half_up',
      payTimingReading: 'strict_60_days',
    });
    expect(() => regionConfigView(request.config)).toThrow(/unknown invoice rounding/);
  });

  const summary: settlementV1.SettlementSummary = {
    regionId: 'fujisato',
    month: '2026-11',
    closedAt: new Date('2026-12-01T01:00:00Z'),
    closedBy: 'c1',
    inputDigest: 'ab'.repeat(32),
    payDay: '2026-12-25',
    billed: { yen: '5000' },
    tax: { yen: '500' },
    margin: { yen: '750' },
    topUp: { yen: '1212' },
    kept: { yen: '-462' },
    payable: { yen: '5455' },
    invoiceCount: 1,
    statementCount: 2,
    findings: [{ code: 'settlement.minimum_wage_topped_up', count: 1 }],
  };

  it('a summary: yen as JSON numbers (kept may be negative), the close in Tokyo time', () => {
    expect(summaryView(summary)).toEqual({
      regionId: 'fujisato',
      month: '2026-11',
      closedAt: '2026-12-01T10:00:00.000+09:00',
      closedBy: 'c1',
      inputDigest: 'ab'.repeat(32),
      payDay: '2026-12-25',
      billedYen: 5000,
      taxYen: 500,
      marginYen: 750,
      topUpYen: 1212,
      keptYen: -462,
      payableYen: 5455,
      invoiceCount: 1,
      statementCount: 2,
      findings: [{ code: 'settlement.minimum_wage_topped_up', count: 1 }],
    });
    expect(() => summaryView({ ...summary, payable: { yen: '9007199254740993' } })).toThrow(/does not fit/);
  });

  it('a settlement: the JSON settlement stored, as an object; anything else is the service’s fault', () => {
    expect(settlementView({ summary, settlementJson: '{"month":"2026-11","totals":{"billedYen":"5000"}}' })).toEqual({
      summary: summaryView(summary),
      settlement: { month: '2026-11', totals: { billedYen: '5000' } },
    });
    expect(() => settlementView({ summary, settlementJson: '{"month":' })).toThrow(/not JSON/);
    expect(() => settlementView({ summary, settlementJson: '[1]' })).toThrow(/not a JSON object/);
  });

  it('a download by the kind settlement’s contract names', () => {
    expect(downloadRequest('journal_money_forward', { regionId: 'fujisato', month: '2026-11' })).toEqual({
      kind: settlementV1.DownloadKind.DOWNLOAD_KIND_JOURNAL_MONEY_FORWARD,
      regionId: 'fujisato',
      month: '2026-11',
      subjectId: '',
    });
    expect(downloadRequest('invoice_pdf', { regionId: 'fujisato', month: '2026-11' }, 'b1')).toMatchObject({
      kind: settlementV1.DownloadKind.DOWNLOAD_KIND_INVOICE_PDF,
      subjectId: 'b1',
    });
  });
});
