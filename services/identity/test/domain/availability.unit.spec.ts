import fc from 'fast-check';
import { DomainError } from '@workshare/eventsourcing';
import {
  validateAvailability,
  WEEKDAYS,
  type AvailabilityWindow,
  type Weekday,
} from '../../src/domain/availability.js';

const hhmm = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
const toMinutes = (t: string): number => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));

const codeOf = (windows: AvailabilityWindow[]): string | undefined => {
  try {
    validateAvailability(windows);
    return undefined;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
};

/** A valid week: per day, distinct cut points in [0, 1440] paired up into windows that never overlap. */
const validWeek = fc
  .array(
    fc.record({
      day: fc.constantFrom(...WEEKDAYS),
      cuts: fc.uniqueArray(fc.integer({ min: 0, max: 1440 }), { maxLength: 8 }),
      touching: fc.boolean(),
    }),
    { maxLength: 7 },
  )
  .map((days) => {
    const seen = new Set<Weekday>();
    const windows: AvailabilityWindow[] = [];
    for (const { day, cuts, touching } of days) {
      if (seen.has(day)) continue;
      seen.add(day);
      const sorted = [...cuts].sort((a, b) => a - b);
      for (let i = 0; i + 1 < sorted.length; i += touching ? 1 : 2) {
        windows.push({ day, start: hhmm(sorted[i]!), end: hhmm(sorted[i + 1]!) });
      }
    }
    return windows;
  });

describe('weekly availability windows (Asia/Tokyo)', () => {
  describe('properties', () => {
    it('accepts any set of windows that do not overlap (touching is fine), in any order, and sorts them', () => {
      fc.assert(
        fc.property(
          validWeek.chain((w) => fc.shuffledSubarray(w, { minLength: w.length, maxLength: w.length })),
          (windows) => {
            const result = validateAvailability(windows);
            expect(result).toHaveLength(windows.length);
            expect(new Set(result.map((w) => `${w.day} ${w.start}-${w.end}`))).toEqual(
              new Set(windows.map((w) => `${w.day} ${w.start}-${w.end}`)),
            );
            for (let i = 1; i < result.length; i++) {
              const [a, b] = [result[i - 1]!, result[i]!];
              const order =
                WEEKDAYS.indexOf(a.day) - WEEKDAYS.indexOf(b.day) || toMinutes(a.start) - toMinutes(b.start);
              expect(order).toBeLessThan(0);
            }
          },
        ),
      );
    });

    it('refuses any set where one window overlaps another', () => {
      const withOverlap = validWeek
        .filter((w) => w.length > 0)
        .chain((windows) =>
          fc.integer({ min: 0, max: windows.length - 1 }).chain((index) => {
            const target = windows[index]!;
            const [s, e] = [toMinutes(target.start), toMinutes(target.end)];
            return fc
              .integer({ min: s, max: e - 1 })
              .chain((start) => fc.integer({ min: start + 1, max: 1440 }).map((end) => ({ start, end })))
              .chain(({ start, end }) =>
                fc.shuffledSubarray([...windows, { day: target.day, start: hhmm(start), end: hhmm(end) }], {
                  minLength: windows.length + 1,
                  maxLength: windows.length + 1,
                }),
              );
          }),
        );
      fc.assert(fc.property(withOverlap, (windows) => expect(codeOf(windows)).toBe('availability.overlap')));
    });

    it('refuses any window whose end is not after its start', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...WEEKDAYS),
          fc.integer({ min: 0, max: 1439 }),
          fc.integer({ min: 0, max: 1439 }),
          (day, a, b) => {
            const [start, end] = a >= b ? [a, b] : [b, a];
            expect(codeOf([{ day, start: hhmm(start), end: hhmm(end) }])).toBe(
              start === end ? 'availability.zero_length' : 'availability.inverted',
            );
          },
        ),
      );
    });
  });

  describe('examples', () => {
    it('accepts a mother’s forty minutes after lunch and an hour after bedtime', () => {
      expect(
        validateAvailability([
          { day: 'fri', start: '21:00', end: '22:00' },
          { day: 'fri', start: '13:00', end: '13:40' },
        ]),
      ).toEqual([
        { day: 'fri', start: '13:00', end: '13:40' },
        { day: 'fri', start: '21:00', end: '22:00' },
      ]);
    });

    it('accepts a window to midnight written 24:00, and the same hours on different days', () => {
      expect(
        codeOf([
          { day: 'sat', start: '23:00', end: '24:00' },
          { day: 'sun', start: '23:00', end: '24:00' },
        ]),
      ).toBeUndefined();
    });

    it.each([
      ['9:00', '10:00'],
      ['09:00', '10:60'],
      ['24:00', '24:00'],
      ['09:00', '25:00'],
      ['0900', '1000'],
      ['09:00:00', '10:00'],
      ['', '10:00'],
    ])('refuses the malformed times %s–%s', (start, end) => {
      expect(codeOf([{ day: 'mon', start, end }])).toBe('availability.malformed_time');
    });

    it('refuses a window across midnight as inverted, and says to split it', () => {
      expect(() => validateAvailability([{ day: 'mon', start: '23:00', end: '01:00' }])).toThrow(
        /across midnight is two windows/,
      );
    });

    it('names both windows of an overlap', () => {
      expect(() =>
        validateAvailability([
          { day: 'tue', start: '10:00', end: '11:00' },
          { day: 'tue', start: '10:30', end: '12:00' },
        ]),
      ).toThrow('windows tue 10:00–11:00 and tue 10:30–12:00 overlap');
    });

    it('refuses an unknown day and more than 70 windows', () => {
      expect(codeOf([{ day: 'Monday' as Weekday, start: '09:00', end: '10:00' }])).toBe('availability.unknown_day');
      const many = Array.from({ length: 71 }, (_, i): AvailabilityWindow => ({
        day: WEEKDAYS[i % 7]!,
        start: hhmm(i * 10),
        end: hhmm(i * 10 + 5),
      }));
      expect(codeOf(many)).toBe('availability.too_many');
    });

    it('refuses something that is not a list of windows', () => {
      expect(codeOf('mon 9-10' as unknown as AvailabilityWindow[])).toBe('availability.invalid');
      expect(codeOf([null as unknown as AvailabilityWindow])).toBe('availability.invalid');
    });
  });
});
