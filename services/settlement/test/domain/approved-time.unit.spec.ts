import fc from 'fast-check';
import { approvedDaysOf, splitByTokyoDay } from '../../src/domain/approved-time.js';
import { tokyo } from './deciders-fixtures.js';

describe('approved time by Tokyo day', () => {
  it('keeps a span within one Tokyo day on that day', () => {
    expect(splitByTokyoDay(tokyo('2026-11-10T13:00:00'), tokyo('2026-11-10T13:40:00'), 40)).toEqual([
      { day: '2026-11-10', minutes: 40 },
    ]);
  });

  it('counts a span crossing midnight in Tokyo on each day (23:30–00:45: 30 + 45)', () => {
    expect(splitByTokyoDay(tokyo('2026-11-10T23:30:00'), tokyo('2026-11-11T00:45:00'), 75)).toEqual([
      { day: '2026-11-10', minutes: 30 },
      { day: '2026-11-11', minutes: 45 },
    ]);
  });

  it('splits by Tokyo midnight, not UTC midnight (09:00 Tokyo is 00:00 UTC)', () => {
    expect(splitByTokyoDay(tokyo('2026-11-10T08:00:00'), tokyo('2026-11-10T10:00:00'), 120)).toEqual([
      { day: '2026-11-10', minutes: 120 },
    ]);
  });

  it('gives a span ending at midnight wholly to its day', () => {
    expect(splitByTokyoDay(tokyo('2026-11-30T23:00:00'), tokyo('2026-12-01T00:00:00'), 60)).toEqual([
      { day: '2026-11-30', minutes: 60 },
    ]);
  });

  it('splits a span crossing the month’s end between the months (30 Nov 23:50 – 1 Dec 00:20)', () => {
    const spans = [
      {
        memberId: 'm',
        jobId: 'j',
        start: tokyo('2026-11-30T23:50:00'),
        end: tokyo('2026-12-01T00:20:00'),
        minutes: 30,
      },
    ];
    expect(approvedDaysOf(spans)).toEqual([
      { memberId: 'm', jobId: 'j', day: '2026-11-30', minutes: 10 },
      { memberId: 'm', jobId: 'j', day: '2026-12-01', minutes: 20 },
    ]);
    expect(approvedDaysOf(spans, '2026-11-30')).toEqual([
      { memberId: 'm', jobId: 'j', day: '2026-11-30', minutes: 10 },
    ]);
  });

  it('sums spans of the same member, job and day, and sorts the rows', () => {
    const span = (memberId: string, jobId: string, from: string, to: string, minutes: number) => ({
      memberId,
      jobId,
      start: tokyo(from),
      end: tokyo(to),
      minutes,
    });
    expect(
      approvedDaysOf([
        span('m2', 'j1', '2026-11-02T10:00:00', '2026-11-02T11:00:00', 60),
        span('m1', 'j2', '2026-11-02T10:00:00', '2026-11-02T10:30:00', 30),
        span('m1', 'j1', '2026-11-02T13:00:00', '2026-11-02T13:20:00', 20),
        span('m1', 'j1', '2026-11-02T09:00:00', '2026-11-02T09:10:00', 10),
      ]),
    ).toEqual([
      { memberId: 'm1', jobId: 'j1', day: '2026-11-02', minutes: 30 },
      { memberId: 'm1', jobId: 'j2', day: '2026-11-02', minutes: 30 },
      { memberId: 'm2', jobId: 'j1', day: '2026-11-02', minutes: 60 },
    ]);
  });

  it('property: the days of a whole-minute span add up to its minutes, each at most a day long, in order', () => {
    const base = tokyo('2026-01-01T00:00:00').getTime();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 365 * 24 * 60 }),
        fc.integer({ min: 1, max: 3 * 24 * 60 }),
        (startMinute, minutes) => {
          const start = new Date(base + startMinute * 60_000);
          const end = new Date(start.getTime() + minutes * 60_000);
          const days = splitByTokyoDay(start, end, minutes);
          expect(days.reduce((sum, d) => sum + d.minutes, 0)).toBe(minutes);
          expect(days.every((d) => d.minutes >= 1 && d.minutes <= 24 * 60)).toBe(true);
          expect([...days.map((d) => d.day)].sort()).toEqual(days.map((d) => d.day));
          expect(new Set(days.map((d) => d.day)).size).toBe(days.length);
        },
      ),
    );
  });
});
