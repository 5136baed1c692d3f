import {
  entryOn,
  MINIMUM_WAGES,
  minimumWageOn,
  TRANSITIONAL_PURCHASE_CREDIT,
  transitionalCreditOn,
} from '../../src/domain/tables.js';

describe('dated tables', () => {
  describe('minimum wages (地域別最低賃金), by prefecture and effective day', () => {
    it.each([
      ['akita', '2024-10-01', 951n],
      ['akita', '2025-10-01', 951n],
      // Akita's FY2025 rate took effect on 2026-03-31: the day before keeps the old rate.
      ['akita', '2026-03-30', 951n],
      ['akita', '2026-03-31', 1031n],
      ['akita', '2027-01-01', 1031n],
      ['tokyo', '2024-10-01', 1163n],
      ['tokyo', '2025-10-02', 1163n],
      ['tokyo', '2025-10-03', 1226n],
    ])('%s on %s: ¥%s an hour', (prefecture, day, yen) => {
      expect(minimumWageOn(MINIMUM_WAGES, prefecture, day)).toBe(yen);
    });

    it('no rate before the first entry, nor for a prefecture the table does not hold', () => {
      expect(minimumWageOn(MINIMUM_WAGES, 'akita', '2024-09-30')).toBeUndefined();
      expect(minimumWageOn(MINIMUM_WAGES, 'osaka', '2026-04-01')).toBeUndefined();
    });

    it('the table is keyed by (prefecture, effectiveFrom): no key twice', () => {
      const keys = MINIMUM_WAGES.map((e) => `${e.prefecture} ${e.effectiveFrom}`);
      expect(new Set(keys).size).toBe(keys.length);
    });

    it('the entry in force does not depend on the table’s order', () => {
      const reversed = [...MINIMUM_WAGES].reverse();
      for (const day of ['2025-01-01', '2025-10-03', '2026-03-31'])
        expect(minimumWageOn(reversed, 'tokyo', day)).toBe(minimumWageOn(MINIMUM_WAGES, 'tokyo', day));
      expect(entryOn([], '2026-01-01')).toBeUndefined();
    });
  });

  describe('transitional purchase credit (経過措置, 令和8年度改正)', () => {
    it.each([
      ['2023-10-01', 80],
      ['2026-09-30', 80],
      ['2026-10-01', 70],
      ['2028-09-30', 70],
      ['2028-10-01', 50],
      ['2030-09-30', 50],
      ['2030-10-01', 30],
      ['2031-09-30', 30],
      ['2031-10-01', 0],
      ['2040-01-01', 0],
    ])('a purchase on %s: %d%% credited', (day, percent) => {
      expect(transitionalCreditOn(day)).toBe(percent);
    });

    it('a day before qualified invoices (2023-10-01) has no entry', () => {
      expect(() => transitionalCreditOn('2023-09-30')).toThrow(RangeError);
      expect(TRANSITIONAL_PURCHASE_CREDIT.map((e) => e.creditPercent)).toEqual([80, 70, 50, 30, 0]);
    });
  });
});
