import fc from 'fast-check';
import { PUBLISHED_WORK_CATEGORIES } from '@workshare/contracts';
import type { WorkCategory } from '../../src/domain/model.js';
import { ceilDiv, floorDiv, roundRatio, ROUNDING_RULES, signed } from '../../src/domain/money.js';
import {
  consumptionTax,
  contractorConsumptionTax,
  taxPerRate,
  WITHHOLDING_BY_WORK_CATEGORY,
  WITHHOLDING_WORK_CATEGORIES,
  withholdingApplies,
  withholdingTax,
} from '../../src/domain/tax.js';

// The model's categories and job intake's published ones are the same set, at compile time too.
type Published = (typeof PUBLISHED_WORK_CATEGORIES)[number];
const sameCategories: [WorkCategory] extends [Published] ? ([Published] extends [WorkCategory] ? true : false) : false =
  true;

describe('money: roundings on exact bigint ratios', () => {
  it.each([
    // [numerator, denominator, floor, round_half_up, ceil]
    [315n, 100n, 3n, 3n, 4n],
    [350n, 100n, 3n, 4n, 4n],
    [349n, 100n, 3n, 3n, 4n],
    [300n, 100n, 3n, 3n, 3n],
    [0n, 7n, 0n, 0n, 0n],
  ])('%s / %s → floor %s, round_half_up %s, ceil %s', (n, d, floor, half, ceil) => {
    expect(roundRatio(n, d, 'floor')).toBe(floor);
    expect(roundRatio(n, d, 'round_half_up')).toBe(half);
    expect(roundRatio(n, d, 'ceil')).toBe(ceil);
  });

  it('floorDiv and ceilDiv round toward −∞ and +∞ for negative numerators (bigint `/` truncates)', () => {
    expect(floorDiv(-7n, 2n)).toBe(-4n);
    expect(ceilDiv(-7n, 2n)).toBe(-3n);
    expect(floorDiv(7n, 2n)).toBe(3n);
    expect(ceilDiv(7n, 2n)).toBe(4n);
    expect(() => floorDiv(1n, 0n)).toThrow(RangeError);
    expect(() => roundRatio(-1n, 2n, 'floor')).toThrow(RangeError);
  });

  it('property: floor ≤ round_half_up ≤ ceil, each within one yen of the exact ratio', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (n, d) => {
        const [floor, half, ceil] = ROUNDING_RULES.map((rule) => roundRatio(n, d, rule));
        expect(floor! * d <= n && n < (floor! + 1n) * d).toBe(true);
        expect(ceil! * d >= n && n > (ceil! - 1n) * d).toBe(true);
        expect(floor! <= half! && half! <= ceil!).toBe(true);
        // Half up: |2(n − half·d)| ≤ d, and exactly half a yen goes up.
        expect(2n * (n - half! * d) < d && 2n * (n - half! * d) >= -d).toBe(true);
      }),
    );
  });

  it('signed rounds the magnitude and keeps the sign', () => {
    expect(signed(-1055n, (a) => a / 10n)).toBe(-105n);
    expect(signed(1055n, (a) => a / 10n)).toBe(105n);
  });
});

describe('consumption tax: once per invoice per rate (消費税法施行令70条の10)', () => {
  it('three lines of ¥105 at 10%, floored, give ¥31 (not 3 × ¥10 = ¥30)', () => {
    const lines = [105n, 105n, 105n].map((amountYen) => ({ amountYen, taxRatePercent: 10 as const }));
    expect(taxPerRate(lines, 'floor')).toEqual([{ taxRatePercent: 10, amountYen: 315n, taxYen: 31n }]);
    expect(lines.reduce((sum, line) => sum + consumptionTax(line.amountYen, 'floor'), 0n)).toBe(30n);
  });

  it('the region’s rounding rule decides the half yen: floor ¥31, round_half_up ¥32 at ¥315; ceil ¥32', () => {
    const lines = [{ amountYen: 315n, taxRatePercent: 10 as const }];
    expect(taxPerRate(lines, 'round_half_up')[0]!.taxYen).toBe(32n);
    expect(taxPerRate(lines, 'ceil')[0]!.taxYen).toBe(32n);
    expect(taxPerRate([{ amountYen: 314n, taxRatePercent: 10 }], 'round_half_up')[0]!.taxYen).toBe(31n);
  });

  it('no lines, no totals; a decrease gets the negative of the same increase’s tax', () => {
    expect(taxPerRate([], 'floor')).toEqual([]);
    expect(consumptionTax(-1055n, 'floor')).toBe(-105n);
  });

  it('a registered contractor’s 10% once over her fee, floored; none when she is not registered', () => {
    expect(contractorConsumptionTax(12_345n, true)).toBe(1_234n);
    expect(contractorConsumptionTax(12_345n, false)).toBe(0n);
  });
});

describe('withholding (源泉徴収, 所得税法204条1項1号)', () => {
  it.each([
    [15_000n, 1_531n],
    [100_000n, 10_210n],
    [1_000_000n, 102_100n],
    [1_500_000n, 204_200n],
    [1_000_001n, 102_100n],
    [1_000_005n, 102_101n],
    [9n, 0n],
    [0n, 0n],
  ])('on ¥%s the tax is ¥%s', (amount, tax) => {
    expect(withholdingTax(amount)).toBe(tax);
  });

  it('property: equals ⌊A × 10.21%⌋ up to ¥1,000,000 and ⌊(A − 1,000,000) × 20.42%⌋ + ¥102,100 above, in integers', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), (a) => {
        const tax = withholdingTax(a);
        if (a <= 1_000_000n) expect(tax * 10_000n <= a * 1021n && a * 1021n < (tax + 1n) * 10_000n).toBe(true);
        else {
          const upper = tax - 102_100n;
          const exact = (a - 1_000_000n) * 2042n;
          expect(upper * 10_000n <= exact && exact < (upper + 1n) * 10_000n).toBe(true);
        }
        expect(withholdingTax(-a)).toBe(-tax);
      }),
    );
  });

  it('applies to writing, design, translation, illustration, proofreading; never to data entry or transcription', () => {
    expect([...WITHHOLDING_WORK_CATEGORIES].sort()).toEqual(
      ['design', 'illustration', 'proofreading', 'translation', 'writing'].sort(),
    );
    expect(withholdingApplies('data_entry')).toBe(false);
    expect(withholdingApplies('transcription')).toBe(false);
    expect(withholdingApplies('design')).toBe(true);
  });

  it('every work category job intake publishes is decided, and no other (a new category fails here)', () => {
    expect(sameCategories).toBe(true);
    expect(Object.keys(WITHHOLDING_BY_WORK_CATEGORY).sort()).toEqual([...PUBLISHED_WORK_CATEGORIES].sort());
  });
});
