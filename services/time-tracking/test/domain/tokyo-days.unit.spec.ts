/**
 * Spans on the Tokyo calendar: examples, and fast-check properties of the split by Tokyo day
 * held against an independent oracle (Tokyo has been UTC+09:00 since 1952: the day of a minute
 * is its UTC instant plus nine hours).
 */
import fc from 'fast-check';
import { minutesByTokyoDay, overlaps, weekNamed, weekStartOf } from '../../src/domain/tokyo-days.js';
import { tokyo } from './fixtures.js';

const MINUTE = 60_000;
const NINE_HOURS = 9 * 60 * MINUTE;

/** The oracle: the Tokyo day of each minute of the span, counted one minute at a time. */
const oracle = (start: number, end: number): { day: string; minutes: number }[] => {
  const days = new Map<string, number>();
  for (let t = start; t < end; t += MINUTE) {
    const day = new Date(t + NINE_HOURS).toISOString().slice(0, 10);
    days.set(day, (days.get(day) ?? 0) + 1);
  }
  return [...days].map(([day, minutes]) => ({ day, minutes }));
};

/** Whole minutes from 2020 to 2035. */
const wholeMinute = fc
  .integer({ min: Date.UTC(2020, 0, 1) / MINUTE, max: Date.UTC(2035, 0, 1) / MINUTE })
  .map((m) => m * MINUTE);

describe('minutesByTokyoDay', () => {
  it('counts a span within one Tokyo day on that day', () => {
    expect(minutesByTokyoDay({ start: tokyo('2026-04-07T13:00'), end: tokyo('2026-04-07T13:40') })).toEqual([
      { day: '2026-04-07', minutes: 40 },
    ]);
  });

  it('cuts a span crossing midnight Tokyo time: it counts on each day', () => {
    expect(minutesByTokyoDay({ start: tokyo('2026-04-06T23:00'), end: tokyo('2026-04-07T01:30') })).toEqual([
      { day: '2026-04-06', minutes: 60 },
      { day: '2026-04-07', minutes: 90 },
    ]);
  });

  it('cuts at midnight Tokyo, not at midnight UTC (09:00 Tokyo)', () => {
    expect(minutesByTokyoDay({ start: tokyo('2026-04-07T08:00'), end: tokyo('2026-04-07T10:00') })).toEqual([
      { day: '2026-04-07', minutes: 120 },
    ]);
  });

  it('puts a span ending at midnight on its day only, and a month’s last evening in that month', () => {
    expect(minutesByTokyoDay({ start: tokyo('2026-04-30T22:00'), end: tokyo('2026-05-01T00:00') })).toEqual([
      { day: '2026-04-30', minutes: 120 },
    ]);
    expect(minutesByTokyoDay({ start: tokyo('2026-04-30T22:00'), end: tokyo('2026-05-01T00:15') })).toEqual([
      { day: '2026-04-30', minutes: 120 },
      { day: '2026-05-01', minutes: 15 },
    ]);
  });

  it('touches no day for an empty span', () => {
    expect(minutesByTokyoDay({ start: tokyo('2026-04-07T13:00'), end: tokyo('2026-04-07T13:00') })).toEqual([]);
  });

  it('property: equals the minute-by-minute oracle, its parts add up to the span, each within a day', () => {
    fc.assert(
      fc.property(wholeMinute, fc.integer({ min: 1, max: 3 * 1_440 }), (start, minutes) => {
        const end = start + minutes * MINUTE;
        const parts = minutesByTokyoDay({ start: new Date(start), end: new Date(end) });
        expect(parts).toEqual(oracle(start, end));
        expect(parts.reduce((s, p) => s + p.minutes, 0)).toBe(minutes);
        for (const p of parts) expect(p.minutes).toBeGreaterThanOrEqual(1);
        for (const p of parts) expect(p.minutes).toBeLessThanOrEqual(1_440);
        expect(parts.length).toBeLessThanOrEqual(Math.ceil(minutes / 1_440) + 1);
      }),
      { numRuns: 300 },
    );
  });
});

describe('Tokyo weeks', () => {
  it('names a week by its Monday in Tokyo', () => {
    expect(weekStartOf(tokyo('2026-04-06T00:00'))).toBe('2026-04-06');
    expect(weekStartOf(tokyo('2026-04-12T23:59'))).toBe('2026-04-06');
    expect(weekStartOf(tokyo('2026-04-13T00:00'))).toBe('2026-04-13');
    // Monday 08:00 Tokyo is still Sunday in UTC: the Tokyo week counts.
    expect(weekStartOf(tokyo('2026-04-13T08:00'))).toBe('2026-04-13');
  });

  it('reads a Monday as its week, and refuses what is not a Monday', () => {
    expect(weekNamed('2026-04-06')).toEqual({ from: tokyo('2026-04-06T00:00'), to: tokyo('2026-04-13T00:00') });
    expect(weekNamed('2025-12-29')).toEqual({ from: tokyo('2025-12-29T00:00'), to: tokyo('2026-01-05T00:00') });
    for (const text of ['2026-04-07', '2026-02-30', '2026-13-01', '2026-4-6', '', 'x'])
      expect(weekNamed(text)).toBeUndefined();
  });

  it('property: every instant’s week starts on a Monday at or before it, at most seven days', () => {
    fc.assert(
      fc.property(wholeMinute, (t) => {
        const week = weekNamed(weekStartOf(new Date(t)));
        expect(week).toBeDefined();
        expect(week!.from.getTime()).toBeLessThanOrEqual(t);
        expect(week!.to.getTime()).toBeGreaterThan(t);
        expect(week!.to.getTime() - week!.from.getTime()).toBe(7 * 1_440 * MINUTE);
        expect(new Date(week!.from.getTime() + NINE_HOURS).getUTCDay()).toBe(1);
      }),
      { numRuns: 300 },
    );
  });
});

describe('overlaps', () => {
  const span = (a: string, b: string) => ({ start: tokyo(a), end: tokyo(b) });

  it('shares an instant, never only an end', () => {
    expect(overlaps(span('2026-04-07T10:00', '2026-04-07T11:00'), span('2026-04-07T10:59', '2026-04-07T12:00'))).toBe(
      true,
    );
    expect(overlaps(span('2026-04-07T10:00', '2026-04-07T11:00'), span('2026-04-07T11:00', '2026-04-07T12:00'))).toBe(
      false,
    );
    expect(
      overlaps(span('2026-04-07T10:00', '2026-04-07T11:00'), { start: tokyo('2026-04-07T09:00'), end: undefined }),
    ).toBe(true);
  });
});
