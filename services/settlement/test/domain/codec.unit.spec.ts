import { canonicalJson, type JsonObject } from '@workshare/eventsourcing';
import fc from 'fast-check';
import { closeMonth } from '../../src/domain/close.js';
import {
  closeInputDigest,
  closeInputFromJson,
  closeInputToJson,
  CodecError,
  settlementFromJson,
  settlementFromParts,
  settlementToJson,
  SETTLEMENT_LISTS,
  SETTLEMENT_SUMMARY_FIELDS,
  toJson,
} from '../../src/domain/codec.js';
import type { ApprovedDay, CloseInput, JobFacts, MemberFacts } from '../../src/domain/model.js';
import { tokyo } from './deciders-fixtures.js';
import { BUSINESS, HANAKO, JOB, novemberInput } from './month-fixtures.js';

const YUKI = '0191f0a0-0000-7000-8000-000000000002';
const AIKO = '0191f0a0-0000-7000-8000-000000000003';
const FIXED = '0191f0a0-0000-7000-8000-0000000000a2';

/** November closed, then December with a late correction of November (an adjustment) and a fixed-price job. */
const twoMonths = (): { november: CloseInput; december: CloseInput } => {
  const november = novemberInput();
  const fixed: JobFacts = {
    ...november.jobs[0]!,
    jobId: FIXED,
    title: 'ロゴのデザイン',
    workCategory: 'design',
    pricing: { kind: 'fixed_price' },
    feeYen: 55_555n,
    inspectionAcceptedAt: tokyo('2026-12-20T15:00:00'),
  };
  const members: MemberFacts[] = [
    ...november.members,
    {
      memberId: YUKI,
      regionId: 'fujisato',
      contractType: 'contractor',
      invoiceRegistrationNumber: 'T1234567890123',
      forgotten: false,
    },
    {
      memberId: AIKO,
      regionId: 'fujisato',
      contractType: 'employee',
      invoiceRegistrationNumber: null,
      forgotten: false,
    },
  ];
  const december: CloseInput = {
    ...november,
    month: '2026-12',
    closedAt: tokyo('2027-01-04T09:00:00'),
    jobs: [...november.jobs, fixed],
    approved: [
      ...november.approved,
      { memberId: HANAKO, jobId: JOB, day: '2026-11-20', minutes: 45 },
      { memberId: YUKI, jobId: FIXED, day: '2026-12-03', minutes: 200 },
      { memberId: AIKO, jobId: JOB, day: '2026-12-04', minutes: 300 },
      { memberId: HANAKO, jobId: FIXED, day: '2026-12-05', minutes: 100 },
    ],
    members,
    previous: [closeMonth(november)],
  };
  return { november, december };
};

describe('the codec (MonthSettlement and CloseInput as JSON)', () => {
  it('stores money as decimal strings and instants as ISO-8601 UTC', () => {
    const json = settlementToJson(closeMonth(novemberInput()));
    expect(json).toMatchObject({
      regionId: 'fujisato',
      month: '2026-11',
      closedAt: '2026-12-01T01:00:00.000Z',
      totals: { billedYen: '4000' },
    });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('reads a settlement back as it was: a close with adjustments, a fixed-price job, an employee', () => {
    const { december } = twoMonths();
    const settlement = closeMonth(december);
    expect(settlement.statements.map((s) => s.contractType).sort()).toEqual(['contractor', 'contractor', 'employee']);
    expect(settlement.invoices.flatMap((i) => i.lines).map((l) => l.origin)).toContainEqual({
      kind: 'adjustment',
      correctsMonth: '2026-11',
    });
    const stored = JSON.parse(JSON.stringify(settlementToJson(settlement))) as JsonObject;
    expect(settlementFromJson(stored)).toEqual(settlement);
  });

  it('reads a settlement back whatever order a store gives its keys in (PostgreSQL’s jsonb reorders them)', () => {
    const settlement = closeMonth(twoMonths().december);
    const reordered = JSON.parse(canonicalJson(settlementToJson(settlement))) as JsonObject;
    expect(settlementFromJson(reordered)).toEqual(settlement);
  });

  it('reads a close input back as it was, earlier closes included', () => {
    const { december } = twoMonths();
    expect(closeInputFromJson(JSON.parse(JSON.stringify(closeInputToJson(december))) as JsonObject)).toEqual(december);
  });

  it('digests an input by its facts, not the order of its keys', () => {
    const input = novemberInput();
    const { config, ...rest } = input;
    const reordered = {
      ...rest,
      config: Object.fromEntries(Object.entries(config).reverse()),
    } as unknown as CloseInput;
    expect(closeInputDigest(reordered)).toBe(closeInputDigest(input));
    expect(closeInputDigest(novemberInput({ month: '2026-10' }))).not.toBe(closeInputDigest(input));
  });

  it('leaves out the fields of the stored event it does not know (the digest, who closed)', () => {
    const settlement = closeMonth(novemberInput());
    expect(settlementFromJson({ ...settlementToJson(settlement), inputDigest: 'x', closedBy: 'y' })).toEqual(
      settlement,
    );
  });

  it('joins a settlement from its close’s parts: the summary’s own fields and the lists, each whole', () => {
    const settlement = closeMonth(twoMonths().december);
    const json = JSON.parse(canonicalJson(settlementToJson(settlement))) as JsonObject;
    expect([...SETTLEMENT_SUMMARY_FIELDS, ...SETTLEMENT_LISTS].sort()).toEqual(Object.keys(json).sort());
    const summary = { ...Object.fromEntries(SETTLEMENT_SUMMARY_FIELDS.map((f) => [f, json[f]!])), parts: {} };
    const lists = {
      invoices: json.invoices as JsonObject[],
      statements: json.statements as JsonObject[],
      jobs: json.jobs as JsonObject[],
      journal: json.journal as JsonObject[],
    };
    expect(settlementFromParts(summary, lists)).toEqual(settlement);
    // A field at fault inside a part is named as in the whole settlement.
    const statements = lists.statements.map((s, i) => (i === 1 ? { ...s, payableYen: 12 } : s));
    expect(() => settlementFromParts(summary, { ...lists, statements })).toThrow(
      new CodecError('settlement.statements[1].payableYen', 'expected whole yen as a decimal string, got 12'),
    );
    expect(() => settlementFromParts({ ...summary, payDay: undefined } as unknown as JsonObject, lists)).toThrow(
      /settlement\.payDay: missing/,
    );
  });

  describe('refuses what is not the model', () => {
    const stored = () =>
      JSON.parse(JSON.stringify(settlementToJson(closeMonth(novemberInput())))) as Record<string, unknown>;

    it('money that is not whole yen as a decimal string, naming the field', () => {
      const json = stored();
      (json.totals as Record<string, unknown>).billedYen = 4000;
      expect(() => settlementFromJson(json as JsonObject)).toThrow(
        new CodecError('settlement.totals.billedYen', 'expected whole yen as a decimal string, got 4000'),
      );
      (json.totals as Record<string, unknown>).billedYen = '40.5';
      expect(() => settlementFromJson(json as JsonObject)).toThrow(CodecError);
    });

    it('an instant that is not ISO-8601 UTC', () => {
      const json = stored();
      json.closedAt = '2026-12-01 10:00';
      expect(() => settlementFromJson(json as JsonObject)).toThrow(/settlement\.closedAt/);
    });

    it('a settlement missing a field every reader relies on', () => {
      const json = stored();
      delete json.statements;
      expect(() => settlementFromJson(json as JsonObject)).toThrow(/settlement\.statements: missing/);
      expect(() => settlementFromJson(null)).toThrow(CodecError);
    });

    it('a bigint outside a …Yen field, a Date outside an …At field, money as a number', () => {
      expect(() => toJson({ minutes: 3n })).toThrow(/a bigint must be money/);
      expect(() => toJson({ day: new Date() })).toThrow(/a Date must be an instant/);
      expect(() => toJson({ amountYen: 3 })).toThrow(/money is a bigint/);
      expect(() => toJson({ closedAt: new Date(Number.NaN) })).toThrow(/invalid date/);
    });
  });

  it('property: any close of random approved time reads back as it was, and its digest is stable', () => {
    const members = [HANAKO, YUKI, AIKO];
    const day = fc.integer({ min: 1, max: 30 }).map((d) => `2026-11-${String(d).padStart(2, '0')}`);
    const row = fc.record({
      memberId: fc.constantFrom(...members),
      jobId: fc.constantFrom(JOB, FIXED),
      day,
      minutes: fc.integer({ min: 1, max: 600 }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(row, { selector: (r) => `${r.memberId}/${r.jobId}/${r.day}`, maxLength: 12 }),
        fc.bigInt({ min: 1n, max: 5_000_000n }),
        fc.bigInt({ min: 1n, max: 20_000n }),
        fc.boolean(),
        (approved: ApprovedDay[], fee, rate, registered) => {
          const base = novemberInput();
          const input: CloseInput = {
            ...base,
            jobs: [
              { ...base.jobs[0]!, pricing: { kind: 'hourly', hourlyRateYen: rate } },
              {
                ...base.jobs[0]!,
                jobId: FIXED,
                pricing: { kind: 'fixed_price' },
                feeYen: fee,
                workCategory: 'writing',
                inspectionAcceptedAt: tokyo('2026-11-28T12:00:00'),
                businessId: BUSINESS,
              },
            ],
            approved,
            members: members.map((memberId, i) => ({
              memberId,
              regionId: 'fujisato',
              contractType: i === 2 ? 'employee' : 'contractor',
              invoiceRegistrationNumber: registered && i === 0 ? 'T1234567890123' : null,
              forgotten: false,
            })),
          };
          const settlement = closeMonth(input);
          const stored = JSON.parse(JSON.stringify(settlementToJson(settlement))) as JsonObject;
          expect(settlementFromJson(stored)).toEqual(settlement);
          expect(closeInputFromJson(JSON.parse(JSON.stringify(closeInputToJson(input))) as JsonObject)).toEqual(input);
          expect(closeInputDigest(closeInputFromJson(closeInputToJson(input)))).toBe(closeInputDigest(input));
        },
      ),
      { numRuns: 60 },
    );
  });
});
