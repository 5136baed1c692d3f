import fc from 'fast-check';
import { addDays, lastDayOfNextMonth } from '../../src/domain/calendar.js';
import { latestLawfulPayDay, payDayFor, payTimingOf, strictLatestPayDay } from '../../src/domain/pay-timing.js';

describe('pay timing (フリーランス法 §4: within 60 days of receipt, the day of receipt is day 1)', () => {
  describe('work received on 1 July', () => {
    it('strictly: due by 29 August (accepted), late on 30 August', () => {
      expect(latestLawfulPayDay('2026-07-01', 'strict_60_days')).toBe('2026-08-29');
      expect(payTimingOf('2026-07-01', '2026-08-29', 'strict_60_days').late).toBe(false);
      expect(payTimingOf('2026-07-01', '2026-08-30', 'strict_60_days').late).toBe(true);
    });

    it('under the two-month reading: due by 31 August (accepted), late on 1 September', () => {
      expect(latestLawfulPayDay('2026-07-01', 'two_months')).toBe('2026-08-31');
      expect(payTimingOf('2026-07-01', '2026-08-31', 'two_months').late).toBe(false);
      expect(payTimingOf('2026-07-01', '2026-09-01', 'two_months').late).toBe(true);
    });
  });

  describe('work received on 31 July: due by 28 September under both readings', () => {
    it.each(['strict_60_days', 'two_months'] as const)('%s: 09-28 accepted, 09-29 late', (reading) => {
      expect(latestLawfulPayDay('2026-07-31', reading)).toBe('2026-09-28');
      expect(payTimingOf('2026-07-31', '2026-09-28', reading)).toEqual({
        receivedOn: '2026-07-31',
        latestLawfulDay: '2026-09-28',
        reading,
        payDay: '2026-09-28',
        late: false,
      });
      expect(payTimingOf('2026-07-31', '2026-09-29', reading).late).toBe(true);
    });
  });

  it('across a year end and a leap February', () => {
    expect(strictLatestPayDay('2026-12-15')).toBe('2027-02-12');
    expect(latestLawfulPayDay('2028-01-01', 'two_months')).toBe('2028-02-29');
    expect(latestLawfulPayDay('2027-12-31', 'two_months')).toBe('2028-02-28');
  });

  it('property: the strict day is 59 days on; the two-month day is never earlier and is the later of the two', () => {
    const day = fc
      .date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2032-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, (receivedOn) => {
        const strict = latestLawfulPayDay(receivedOn, 'strict_60_days');
        const twoMonths = latestLawfulPayDay(receivedOn, 'two_months');
        expect(strict).toBe(addDays(receivedOn, 59));
        expect(addDays(strict, -59)).toBe(receivedOn);
        const monthAfter = lastDayOfNextMonth(receivedOn);
        expect(twoMonths).toBe(monthAfter > strict ? monthAfter : strict);
        expect(payTimingOf(receivedOn, twoMonths, 'two_months').late).toBe(false);
        expect(payTimingOf(receivedOn, addDays(twoMonths, 1), 'two_months').late).toBe(true);
        expect(payTimingOf(receivedOn, addDays(strict, 1), 'strict_60_days').late).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  describe('the pay day: the config’s day of the month after the close, clamped to its last day', () => {
    it.each([
      ['2026-04', 25, '2026-05-25'],
      ['2026-05', 31, '2026-06-30'],
      ['2026-01', 30, '2026-02-28'],
      ['2028-01', 31, '2028-02-29'],
      ['2026-12', 10, '2027-01-10'],
      ['2026-06', 1, '2026-07-01'],
    ])('closing %s with pay day %d pays on %s', (month, payDay, expected) => {
      expect(payDayFor(month, payDay)).toBe(expected);
    });

    it('refuses a pay day outside 1–31', () => {
      expect(() => payDayFor('2026-04', 0)).toThrow(RangeError);
      expect(() => payDayFor('2026-04', 32)).toThrow(RangeError);
      expect(() => payDayFor('2026-04', 1.5)).toThrow(RangeError);
    });
  });
});
