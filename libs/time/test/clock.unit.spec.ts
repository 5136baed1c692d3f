import fc from 'fast-check';
import { SimulatedClock, systemClock, type Clock } from '../src/index.js';

const at = (iso: string) => new Date(iso);

describe('systemClock', () => {
  it('is the real time, a fresh Date each call', () => {
    const before = Date.now();
    const first = systemClock();
    const second = systemClock();
    expect(first.getTime()).toBeGreaterThanOrEqual(before);
    expect(first.getTime()).toBeLessThanOrEqual(Date.now());
    expect(second).not.toBe(first);
  });
});

describe('SimulatedClock', () => {
  it('stands still at its start until it is moved', () => {
    const clock = new SimulatedClock(at('2026-11-04T01:00:00Z'));
    expect(clock.now().toISOString()).toBe('2026-11-04T01:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2026-11-04T01:00:00.000Z');
  });

  it('gives a fresh Date each call: changing one changes nothing else', () => {
    const start = at('2026-11-04T01:00:00Z');
    const clock = new SimulatedClock(start);
    start.setUTCFullYear(2000);
    const first = clock.now();
    first.setUTCFullYear(1999);
    expect(clock.now().toISOString()).toBe('2026-11-04T01:00:00.000Z');
  });

  it('is set to a later instant (or the same one), and answers it', () => {
    const clock = new SimulatedClock(at('2026-11-04T01:00:00Z'));
    expect(clock.set(at('2026-11-30T15:00:00Z')).toISOString()).toBe('2026-11-30T15:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2026-11-30T15:00:00.000Z');
    expect(clock.set(at('2026-11-30T15:00:00Z')).toISOString()).toBe('2026-11-30T15:00:00.000Z');
  });

  it('advances by whole or partial milliseconds, 0 included', () => {
    const clock = new SimulatedClock(at('2026-11-04T01:00:00Z'));
    expect(clock.advance(15 * 60_000).toISOString()).toBe('2026-11-04T01:15:00.000Z');
    expect(clock.advance(0).toISOString()).toBe('2026-11-04T01:15:00.000Z');
    clock.advance(24 * 3_600_000);
    expect(clock.now().toISOString()).toBe('2026-11-05T01:15:00.000Z');
  });

  it('never goes backwards: set to an earlier instant or advanced by a negative amount, it throws and stays', () => {
    const clock = new SimulatedClock(at('2026-11-04T01:00:00Z'));
    expect(() => clock.set(at('2026-11-04T00:59:59.999Z'))).toThrow(/never goes backwards/);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(clock.now().toISOString()).toBe('2026-11-04T01:00:00.000Z');
  });

  it('refuses what is not an instant or a duration', () => {
    expect(() => new SimulatedClock(new Date(Number.NaN))).toThrow(RangeError);
    const clock = new SimulatedClock(at('2026-11-04T01:00:00Z'));
    expect(() => clock.set(new Date('not a date'))).toThrow(RangeError);
    expect(() => clock.set('2026-12-01T00:00:00Z' as unknown as Date)).toThrow(RangeError);
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, '5' as unknown as number])
      expect(() => clock.advance(bad)).toThrow(RangeError);
    expect(() => clock.advance(8.64e15 * 2)).toThrow(/range of dates/);
    expect(clock.now().toISOString()).toBe('2026-11-04T01:00:00.000Z');
  });

  it('`now` is bound: taken as a Clock, it reads the same clock', () => {
    const clock = new SimulatedClock(at('2026-11-04T01:00:00Z'));
    const now: Clock = clock.now;
    clock.advance(1_000);
    expect(now().toISOString()).toBe('2026-11-04T01:00:01.000Z');
  });

  it('keeps its order under any run of moves', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ advance: fc.integer({ min: 0, max: 86_400_000 }) }),
            fc.record({ set: fc.integer({ min: -86_400_000, max: 86_400_000 }) }),
          ),
          { maxLength: 30 },
        ),
        (moves) => {
          const clock = new SimulatedClock(at('2026-11-04T01:00:00Z'));
          let last = clock.now().getTime();
          for (const move of moves) {
            if ('advance' in move) expect(clock.advance(move.advance).getTime()).toBe(last + move.advance);
            else if (move.set >= 0) expect(clock.set(new Date(last + move.set)).getTime()).toBe(last + move.set);
            else expect(() => clock.set(new Date(last + move.set))).toThrow(RangeError);
            expect(clock.now().getTime()).toBeGreaterThanOrEqual(last);
            last = clock.now().getTime();
          }
        },
      ),
    );
  });
});
