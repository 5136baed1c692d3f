import fc from 'fast-check';
import { instantOf, tokyoTime, tokyoWeekOf } from '../../src/index.js';

describe('times shown in Asia/Tokyo', () => {
  it('shows a UTC instant with +09:00, the same instant', () => {
    expect(tokyoTime(new Date('2026-03-31T15:00:00Z'))).toBe('2026-04-01T00:00:00.000+09:00');
    expect(tokyoTime(new Date('2026-12-31T14:59:59.999Z'))).toBe('2026-12-31T23:59:59.999+09:00');
  });

  it('round-trips every instant: read back, it is the instant shown (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T14:59:59Z'), noInvalidDate: true }),
        (instant) => {
          const shown = tokyoTime(instant);
          expect(shown).toMatch(/\+09:00$/);
          expect(new Date(shown).getTime()).toBe(instant.getTime());
        },
      ),
    );
  });

  it('reads any offset as the instant it names', () => {
    expect(instantOf('2026-04-01T09:00:00+09:00', 'f').toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(instantOf('2026-03-31T19:00:00-05:00', 'f').toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(instantOf('2026-04-01T00:00:00Z', 'f').toISOString()).toBe('2026-04-01T00:00:00.000Z');
  });

  it('refuses a time that cannot exist (a leap second) as request.invalid naming the field', () => {
    expect(() => instantOf('2026-12-31T23:59:60Z', 'body.deadline')).toThrow(
      expect.objectContaining({
        code: 'request.invalid',
        kind: 'invalid',
        details: { errors: [{ field: 'body.deadline', message: expect.any(String) }] },
      }),
    );
  });

  it('the Tokyo week: Monday 00:00 +09:00 to the next Monday, even where UTC is still on Sunday', () => {
    // Monday 2026-04-06 00:30 in Tokyo is Sunday 15:30 in UTC.
    expect(tokyoWeekOf(new Date('2026-04-05T15:30:00Z'))).toEqual({
      from: new Date('2026-04-05T15:00:00Z'),
      to: new Date('2026-04-12T15:00:00Z'),
    });
    // Sunday 2026-04-12 23:59 in Tokyo is still that week.
    expect(tokyoWeekOf(new Date('2026-04-12T14:59:59.999Z')).from).toEqual(new Date('2026-04-05T15:00:00Z'));
    expect(tokyoWeekOf(new Date('2026-04-12T15:00:00Z')).from).toEqual(new Date('2026-04-12T15:00:00Z'));
  });

  it('every instant falls in its Tokyo week, which starts on a Monday at midnight in Tokyo and lasts 7 days (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-12T00:00:00Z'), max: new Date('9999-12-24T00:00:00Z'), noInvalidDate: true }),
        (instant) => {
          const { from, to } = tokyoWeekOf(instant);
          expect(from.getTime()).toBeLessThanOrEqual(instant.getTime());
          expect(to.getTime()).toBeGreaterThan(instant.getTime());
          expect(to.getTime() - from.getTime()).toBe(7 * 86_400_000);
          expect(tokyoTime(from)).toMatch(/T00:00:00\.000\+09:00$/);
          expect(new Date(from.getTime() + 9 * 3_600_000).getUTCDay()).toBe(1);
        },
      ),
    );
  });
});
