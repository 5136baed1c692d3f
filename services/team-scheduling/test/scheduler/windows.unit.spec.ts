import fc from 'fast-check';
import { FreeTime } from '../../src/domain/scheduler/free-time.js';
import type { Interval } from '../../src/domain/scheduler/model.js';
import {
  expandWeeklyWindows,
  freeIntervals,
  mergeIntervals,
  minutesOfClock,
  subtractIntervals,
  tokyoWeekStart,
  weeklyMinutes,
  longestWindowMinutes,
} from '../../src/domain/scheduler/windows.js';

const utc = (iso: string): number => Date.parse(iso);
const spans = (list: Interval[]): string[][] =>
  list.map((i) => [new Date(i.start).toISOString(), new Date(i.end).toISOString()]);

describe('weekly windows in Asia/Tokyo (UTC+9, no daylight saving)', () => {
  it('reads clocks from 00:00 to 24:00', () => {
    expect(minutesOfClock('00:00')).toBe(0);
    expect(minutesOfClock('13:40')).toBe(820);
    expect(minutesOfClock('24:00')).toBe(1440);
    for (const bad of ['24:01', '7:00', '12:60', '', 'ab:cd']) expect(minutesOfClock(bad)).toBeNaN();
  });

  it('finds the Tokyo week: Monday 00:00 Tokyo is Sunday 15:00 UTC', () => {
    expect(new Date(tokyoWeekStart(utc('2026-04-08T03:00:00Z'))).toISOString()).toBe('2026-04-05T15:00:00.000Z');
    // Sunday 23:30 Tokyo still belongs to the week that began six days before.
    expect(new Date(tokyoWeekStart(utc('2026-04-12T14:30:00Z'))).toISOString()).toBe('2026-04-05T15:00:00.000Z');
    // Monday 00:00 Tokyo exactly starts a new week.
    expect(new Date(tokyoWeekStart(utc('2026-04-12T15:00:00Z'))).toISOString()).toBe('2026-04-12T15:00:00.000Z');
  });

  it('expands Tuesday 13:00–13:40 Tokyo to 04:00–04:40 UTC each Tuesday between two instants', () => {
    const tuesday = [{ day: 'tue' as const, start: '13:00', end: '13:40' }];
    expect(spans(expandWeeklyWindows(tuesday, utc('2026-04-06T00:00:00Z'), utc('2026-04-20T00:00:00Z')))).toEqual([
      ['2026-04-07T04:00:00.000Z', '2026-04-07T04:40:00.000Z'],
      ['2026-04-14T04:00:00.000Z', '2026-04-14T04:40:00.000Z'],
    ]);
    // Clipped to the instants.
    expect(spans(expandWeeklyWindows(tuesday, utc('2026-04-07T04:10:00Z'), utc('2026-04-07T04:30:00Z')))).toEqual([
      ['2026-04-07T04:10:00.000Z', '2026-04-07T04:30:00.000Z'],
    ]);
    expect(expandWeeklyWindows(tuesday, utc('2026-04-07T05:00:00Z'), utc('2026-04-07T04:00:00Z'))).toEqual([]);
  });

  it('merges overlapping and touching windows, also over Sunday midnight into Monday', () => {
    const windows = [
      { day: 'sun' as const, start: '23:00', end: '24:00' },
      { day: 'mon' as const, start: '00:00', end: '01:00' },
      { day: 'wed' as const, start: '10:00', end: '11:00' },
      { day: 'wed' as const, start: '10:30', end: '12:00' },
      { day: 'wed' as const, start: '12:00', end: '12:20' },
    ];
    expect(weeklyMinutes(windows)).toEqual([
      { start: 0, end: 60 },
      { start: 2 * 1440 + 600, end: 2 * 1440 + 740 },
      { start: 6 * 1440 + 1380, end: 7 * 1440 },
    ]);
    expect(longestWindowMinutes(weeklyMinutes(windows))).toBe(140);
    expect(longestWindowMinutes(weeklyMinutes(windows.slice(0, 2)))).toBe(120);
    expect(
      spans(expandWeeklyWindows(windows.slice(0, 2), utc('2026-04-10T00:00:00Z'), utc('2026-04-14T00:00:00Z'))),
    ).toEqual([['2026-04-12T14:00:00.000Z', '2026-04-12T16:00:00.000Z']]);
  });

  it('ignores malformed windows (end not after start, bad clock)', () => {
    expect(
      weeklyMinutes([
        { day: 'mon', start: '10:00', end: '10:00' },
        { day: 'mon', start: '11:00', end: '25:00' },
      ]),
    ).toEqual([]);
  });

  it('subtracts busy spans', () => {
    const free = [
      { start: 0, end: 100 },
      { start: 200, end: 300 },
    ];
    expect(
      subtractIntervals(
        free,
        mergeIntervals([
          { start: 50, end: 60 },
          { start: 90, end: 210 },
          { start: 250, end: 260 },
        ]),
      ),
    ).toEqual([
      { start: 0, end: 50 },
      { start: 60, end: 90 },
      { start: 210, end: 250 },
      { start: 260, end: 300 },
    ]);
    expect(subtractIntervals(free, [])).toEqual(free);
    expect(subtractIntervals(free, [{ start: -10, end: 400 }])).toEqual([]);
  });

  it('subtraction keeps exactly the free minutes not blocked (property)', () => {
    const interval = fc
      .tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 40 }))
      .map(([s, l]) => ({ start: s, end: s + l }));
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 8 }), fc.array(interval, { maxLength: 8 }), (a, b) => {
        const free = mergeIntervals(a);
        const blocked = mergeIntervals(b);
        const result = subtractIntervals(free, blocked);
        const inside = (list: Interval[], x: number): boolean => list.some((i) => i.start <= x && x < i.end);
        for (let x = 0; x < 250; x++) expect(inside(result, x)).toBe(inside(free, x) && !inside(blocked, x));
        for (let k = 1; k < result.length; k++) expect(result[k]!.start).toBeGreaterThanOrEqual(result[k - 1]!.end);
      }),
      { numRuns: 200 },
    );
  });

  it('a member is free in her windows minus busy and unavailable spans', () => {
    const windows = [{ day: 'tue' as const, start: '13:00', end: '14:00' }];
    const free = freeIntervals(
      windows,
      [{ start: utc('2026-04-07T04:20:00Z'), end: utc('2026-04-07T04:30:00Z') }],
      utc('2026-04-06T00:00:00Z'),
      utc('2026-04-08T00:00:00Z'),
    );
    expect(spans(free)).toEqual([
      ['2026-04-07T04:00:00.000Z', '2026-04-07T04:20:00.000Z'],
      ['2026-04-07T04:30:00.000Z', '2026-04-07T05:00:00.000Z'],
    ]);
  });
});

describe('FreeTime: one member’s free segments', () => {
  it('fits a piece at the earliest start inside one segment, by the latest end', () => {
    const free = new FreeTime([
      { start: 0, end: 30 },
      { start: 40, end: 100 },
      { start: 200, end: 260 },
    ]);
    expect(free.earliestFit(0, 20, 1000)).toBe(0);
    expect(free.earliestFit(15, 20, 1000)).toBe(40);
    expect(free.earliestFit(0, 50, 1000)).toBe(40);
    expect(free.earliestFit(0, 61, 1000)).toBeNaN();
    expect(free.earliestFit(90, 50, 1000)).toBe(200);
    expect(free.earliestFit(90, 50, 249)).toBeNaN();
    expect(free.earliestFit(90, 50, 250)).toBe(200);
  });

  it('occupies and releases, merging back what it gave', () => {
    const free = new FreeTime([{ start: 0, end: 100 }]);
    free.occupy(20, 40);
    expect(free.earliestFit(0, 30, 1000)).toBe(40);
    free.occupy(0, 20);
    free.occupy(80, 100);
    expect(free.segments).toBe(1);
    expect(free.earliestFit(0, 40, 1000)).toBe(40);
    expect(free.earliestFit(0, 41, 1000)).toBeNaN();
    free.release(20, 40);
    expect(free.earliestFit(0, 60, 1000)).toBe(20);
    free.release(0, 20);
    free.release(80, 100);
    expect(free.segments).toBe(1);
    expect(free.earliestFit(0, 100, 1000)).toBe(0);
    expect(() => free.occupy(90, 110)).toThrow(RangeError);
  });

  it('occupy then release restores every answer (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 60 })), { maxLength: 12 }),
        (raw) => {
          const free = new FreeTime([{ start: 0, end: 400 }]);
          const taken: [number, number][] = [];
          for (const [earliest, length] of raw) {
            const s = free.earliestFit(earliest, length, 400);
            if (Number.isNaN(s)) continue;
            expect(s).toBeGreaterThanOrEqual(earliest);
            for (const [a, b] of taken) expect(s + length <= a || s >= b).toBe(true);
            free.occupy(s, s + length);
            taken.push([s, s + length]);
          }
          for (const [a, b] of taken.reverse()) free.release(a, b);
          expect(free.segments).toBe(1);
          expect(free.earliestFit(0, 400, 400)).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
