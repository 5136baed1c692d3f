import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import {
  addTokyoDays,
  lastDayOfNextTokyoMonth,
  minutesByTokyoDay,
  startOfTokyoDay,
  tokyoDate,
  tokyoDayAt,
  tokyoMonth,
  tokyoMonthOf,
  tokyoTime,
  tokyoWeekOf,
  tokyoWeekStartMs,
  TOKYO_FIXED_OFFSET_SINCE_MS,
  TOKYO_TIME_ZONE,
} from '../src/index.js';

const at = (iso: string) => new Date(iso);
// Instants from 1952 to 2200, where Asia/Tokyo is UTC+9 all year (its last summer time ended in
// September 1951); and from 1900 on, summers 1948–1951 at +10:00 included.
const instants = fc.integer({ min: TOKYO_FIXED_OFFSET_SINCE_MS, max: Date.UTC(2200, 0, 1) }).map((ms) => new Date(ms));
const anyInstants = fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }).map((ms) => new Date(ms));

describe('Tokyo time', () => {
  it('shows an instant in Asia/Tokyo with its offset, to the millisecond', () => {
    expect(tokyoTime(at('2026-04-01T00:30:00.123Z'))).toBe('2026-04-01T09:30:00.123+09:00');
    expect(tokyoTime(at('2026-03-31T15:00:00Z'))).toBe('2026-04-01T00:00:00.000+09:00');
  });

  it('names the Tokyo day, its midnight and whole days later', () => {
    expect(tokyoDate(at('2026-03-31T15:00:00Z'))).toBe('2026-04-01');
    expect(tokyoDate(at('2026-03-31T14:59:59.999Z'))).toBe('2026-03-31');
    expect(startOfTokyoDay(at('2026-04-01T10:00:00Z'))).toEqual(at('2026-03-31T15:00:00Z'));
    expect(addTokyoDays(at('2026-04-01T10:00:00Z'), 10)).toEqual(at('2026-04-11T10:00:00Z'));
  });

  it('weeks run from Monday 00:00 Tokyo to the next Monday', () => {
    // Sunday 2026-04-05 23:30 Tokyo is still in the week of Monday 2026-03-30.
    expect(tokyoWeekOf(at('2026-04-05T14:30:00Z'))).toEqual({
      from: at('2026-03-29T15:00:00Z'),
      to: at('2026-04-05T15:00:00Z'),
    });
    // Monday 00:00 Tokyo starts a week.
    expect(tokyoWeekOf(at('2026-04-05T15:00:00Z')).from).toEqual(at('2026-04-05T15:00:00Z'));
  });

  it('months roll over years; the last day of the next month', () => {
    expect(tokyoMonthOf(at('2026-12-31T15:30:00Z'))).toEqual({
      year: 2027,
      month: 1,
      from: at('2026-12-31T15:00:00Z'),
      to: at('2027-01-31T15:00:00Z'),
    });
    expect(tokyoMonth(2027, 2)).toEqual({ from: at('2027-01-31T15:00:00Z'), to: at('2027-02-28T15:00:00Z') });
    expect(lastDayOfNextTokyoMonth(at('2026-12-01T03:00:00Z'))).toEqual(at('2027-01-30T15:00:00Z'));
    expect(lastDayOfNextTokyoMonth(at('2028-01-15T03:00:00Z'))).toEqual(at('2028-02-28T15:00:00Z')); // 29 Feb 2028 Tokyo
    expect(() => tokyoMonth(2026, 13)).toThrow(RangeError);
  });

  it('refuses an invalid date', () => {
    expect(() => tokyoTime(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => tokyoWeekOf(new Date(Number.NaN))).toThrow(RangeError);
  });

  it('property: the fixed-offset week start of the hot loop is the calendar week start', () => {
    fc.assert(
      fc.property(
        anyInstants,
        (instant) => tokyoWeekStartMs(instant.getTime()) === tokyoWeekOf(instant).from.getTime(),
      ),
    );
  });

  it("property: the fixed-offset time of an answer is the time-zone database's, 1952 to 9999", () => {
    const full = fc
      .integer({ min: TOKYO_FIXED_OFFSET_SINCE_MS, max: Date.UTC(9999, 11, 31, 14, 59, 59, 999) })
      .map((ms) => new Date(ms));
    fc.assert(
      fc.property(full, (instant) => {
        const database = Temporal.Instant.fromEpochMilliseconds(instant.getTime())
          .toZonedDateTimeISO(TOKYO_TIME_ZONE)
          .toString({ fractionalSecondDigits: 3, timeZoneName: 'never' });
        expect(tokyoTime(instant)).toBe(database);
      }),
    );
    expect(tokyoTime(at('9999-12-31T15:00:00Z'))).toBe('+010000-01-01T00:00:00.000+09:00');
  });

  it('follows the time-zone database before 1952: summer 1949 was +10:00', () => {
    const summer = at('1949-07-15T03:00:00Z');
    expect(tokyoTime(summer)).toBe('1949-07-15T13:00:00.000+10:00');
    expect(tokyoDate(at('1949-07-15T14:30:00Z'))).toBe('1949-07-16'); // 00:30 +10:00
    expect(tokyoWeekStartMs(summer.getTime())).toBe(tokyoWeekOf(summer).from.getTime());
    expect(tokyoWeekOf(summer).from).toEqual(at('1949-07-10T14:00:00Z')); // Monday 11 July 00:00 +10:00
    expect(tokyoTime(at('1952-01-01T00:00:00Z'))).toBe('1952-01-01T09:00:00.000+09:00');
  });

  it('property: every instant lies in its day, week and month, which begin at Tokyo midnight', () => {
    fc.assert(
      fc.property(instants, (instant) => {
        const day = startOfTokyoDay(instant);
        const week = tokyoWeekOf(instant);
        const month = tokyoMonthOf(instant);
        for (const start of [day, week.from, month.from]) {
          expect(start.getTime()).toBeLessThanOrEqual(instant.getTime());
          expect(tokyoTime(start).slice(11)).toBe('00:00:00.000+09:00');
        }
        expect(instant.getTime()).toBeLessThan(week.to.getTime());
        expect(instant.getTime()).toBeLessThan(month.to.getTime());
        expect(tokyoDate(month.from).endsWith('-01')).toBe(true);
      }),
    );
  });
});

describe('tokyoDayAt and minutesByTokyoDay', () => {
  it('property: the fixed-offset day is the calendar’s (the time-zone database), from 1952 to 2100', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1952, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
        const instant = new Date(ms);
        expect(tokyoDayAt(ms)).toEqual({
          day: tokyoDate(instant),
          nextMidnightMs: addTokyoDays(startOfTokyoDay(instant), 1).getTime(),
        });
      }),
    );
  });

  it('reads days before 1952 by the calendar (summer time of 1948–1951: UTC+10:00)', () => {
    // 1950-07-01 00:30 in Tokyo's summer time (+10:00) is 1950-06-30 14:30 UTC.
    const ms = Date.UTC(1950, 5, 30, 14, 30);
    // The fixed offset would say 23:30 on 30 June.
    expect(tokyoDayAt(ms).day).toBe('1950-07-01');
  });

  it('counts a span crossing midnight Tokyo time on each day, and a month’s end on its own month', () => {
    const at = (text: string) => new Date(`${text}+09:00`);
    expect(minutesByTokyoDay(at('2026-04-06T23:00'), at('2026-04-07T01:30'))).toEqual([
      { day: '2026-04-06', minutes: 60 },
      { day: '2026-04-07', minutes: 90 },
    ]);
    expect(minutesByTokyoDay(at('2026-04-30T22:00'), at('2026-05-01T00:00'))).toEqual([
      { day: '2026-04-30', minutes: 120 },
    ]);
    expect(minutesByTokyoDay(at('2026-04-07T13:00'), at('2026-04-07T13:00'))).toEqual([]);
  });

  it('property: the parts of a whole-minute span add up to it, one per day, in order, each at most a day', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 * 365 * 24 * 60 }),
        fc.integer({ min: 0, max: 3 * 24 * 60 }),
        (startMinute, minutes) => {
          const start = new Date(Date.UTC(2024, 0, 1) + startMinute * 60_000);
          const parts = minutesByTokyoDay(start, new Date(start.getTime() + minutes * 60_000));
          expect(parts.reduce((sum, p) => sum + p.minutes, 0)).toBe(minutes);
          expect(parts.every((p) => Number.isInteger(p.minutes) && p.minutes >= 1 && p.minutes <= 1440)).toBe(true);
          expect(parts.map((p) => p.day)).toEqual([...new Set(parts.map((p) => p.day))].sort());
          if (parts.length > 0) expect(parts[0]!.day).toBe(tokyoDate(start));
        },
      ),
    );
  });
});
