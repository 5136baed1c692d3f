import fc from 'fast-check';
import { instantOf, tokyoTime } from '../../src/index.js';

describe('times shown in Asia/Tokyo', () => {
  it('shows a UTC instant with +09:00, the same instant', () => {
    expect(tokyoTime(new Date('2026-03-31T15:00:00Z'))).toBe('2026-04-01T00:00:00.000+09:00');
    expect(tokyoTime(new Date('2026-12-31T14:59:59.999Z'))).toBe('2026-12-31T23:59:59.999+09:00');
  });

  it('round-trips every instant: read back, it is the instant shown (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T14:59:59Z'), noInvalidDate: true }), (instant) => {
        const shown = tokyoTime(instant);
        expect(shown).toMatch(/\+09:00$/);
        expect(new Date(shown).getTime()).toBe(instant.getTime());
      }),
    );
  });

  it('reads any offset as the instant it names', () => {
    expect(instantOf('2026-04-01T09:00:00+09:00', 'f').toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(instantOf('2026-03-31T19:00:00-05:00', 'f').toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(instantOf('2026-04-01T00:00:00Z', 'f').toISOString()).toBe('2026-04-01T00:00:00.000Z');
  });

  it('refuses a time that cannot exist (a leap second) as request.invalid naming the field', () => {
    expect(() => instantOf('2026-12-31T23:59:60Z', 'body.deadline')).toThrow(expect.objectContaining({ code: 'request.invalid', kind: 'invalid', details: { errors: [{ field: 'body.deadline', message: expect.any(String) }] } }));
  });
});
