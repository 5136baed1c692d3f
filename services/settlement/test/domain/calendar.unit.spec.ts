import fc from 'fast-check';
import { tokyoDate } from '@workshare/time';
import {
  addDays,
  compactMonth,
  firstDayOfMonth,
  lastDayOfMonth,
  lastDayOfNextMonth,
  monthOfDay,
  nextMonth,
  tokyoDay,
} from '../../src/domain/calendar.js';

describe('Tokyo days and months', () => {
  it('a Tokyo day is the day in Asia/Tokyo, not in UTC', () => {
    expect(tokyoDay(new Date('2026-03-31T14:59:59.999Z'))).toBe('2026-03-31');
    expect(tokyoDay(new Date('2026-03-31T15:00:00.000Z'))).toBe('2026-04-01');
    expect(() => tokyoDay(new Date(Number.NaN))).toThrow(RangeError);
  });

  it('property: tokyoDay agrees with @workshare/time at every instant, before 1952 included', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1940-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
        (instant) => {
          expect(tokyoDay(instant)).toBe(tokyoDate(instant));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('months: first and last days, the next month, across a year end and a leap February', () => {
    expect(firstDayOfMonth('2026-02')).toBe('2026-02-01');
    expect(lastDayOfMonth('2026-02')).toBe('2026-02-28');
    expect(lastDayOfMonth('2028-02')).toBe('2028-02-29');
    expect(lastDayOfMonth('2026-04')).toBe('2026-04-30');
    expect(nextMonth('2026-12')).toBe('2027-01');
    expect(monthOfDay('2026-04-30')).toBe('2026-04');
    expect(compactMonth('2026-04')).toBe('202604');
    expect(() => lastDayOfMonth('2026-4')).toThrow(RangeError);
  });

  it('days: adding and the last day of the next month (remembered answers stay right)', () => {
    for (let round = 0; round < 2; round++) {
      expect(addDays('2026-07-01', 59)).toBe('2026-08-29');
      expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
      expect(lastDayOfNextMonth('2026-01-31')).toBe('2026-02-28');
      expect(lastDayOfNextMonth('2026-12-01')).toBe('2027-01-31');
    }
    expect(() => addDays('2026-07-01', 1.5)).toThrow(RangeError);
    expect(() => addDays('July 1', 1)).toThrow(RangeError);
  });
});
