import fc from 'fast-check';
import { isUuid, uuidv7, uuidv7Time } from '../src/uuid.js';

type UuidModule = typeof import('../src/uuid.js');

/** uuidv7 keeps per-process state (last millisecond, counter): each test that depends on it gets its own copy. */
const freshUuidModule = async (): Promise<UuidModule> => {
  let loaded: UuidModule | undefined;
  await jest.isolateModulesAsync(async () => {
    loaded = await import('../src/uuid.js');
  });
  if (!loaded) throw new Error('uuid module did not load');
  return loaded;
};

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MAX_48_BITS = 2 ** 48 - 1;

/** The 12-bit rand_a field, where this implementation keeps its same-millisecond counter. */
const counterOf = (id: string): number => parseInt(id.slice(15, 18), 16);

const isSortedStrictly = (ids: readonly string[]): boolean =>
  ids.every((id, i) => i === 0 || (ids[i - 1] as string) < id);

describe('uuidv7', () => {
  it('is a lowercase RFC 9562 UUID of version 7 with the RFC variant', () => {
    // given / when
    const ids = Array.from({ length: 500 }, () => uuidv7());

    // then
    for (const id of ids) {
      expect(id).toMatch(V7);
      expect(id[14]).toBe('7'); // version nibble
      expect(['8', '9', 'a', 'b']).toContain(id[19]); // variant bits 10xx
    }
  });

  it('puts the 48-bit millisecond timestamp big-endian in the first 12 hex digits', async () => {
    // given
    const { uuidv7: make } = await freshUuidModule();

    // when
    const id = make(0x0123456789ab);

    // then
    expect(id.slice(0, 13)).toBe('01234567-89ab');
  });

  it.each([
    ['the epoch', 0, '00000000-0000'],
    ['the largest 48-bit time', MAX_48_BITS, 'ffffffff-ffff'],
    [
      'a time beyond 32 bits of seconds',
      Date.UTC(2106, 1, 8),
      Date.UTC(2106, 1, 8)
        .toString(16)
        .padStart(12, '0')
        .replace(/^(.{8})/, '$1-'),
    ],
  ])('encodes %s', async (_label, ms, prefix) => {
    // given
    const { uuidv7: make } = await freshUuidModule();

    // when
    const id = make(ms);

    // then
    expect(id.slice(0, 13)).toBe(prefix);
    expect(id).toMatch(V7);
  });

  it('gives different ids for the same millisecond (random tail)', () => {
    // given
    const now = Date.now();

    // when
    const ids = Array.from({ length: 2000 }, () => uuidv7(now));

    // then
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('orders ids made in the same millisecond by creation, as strings', async () => {
    // given
    const { uuidv7: make } = await freshUuidModule();
    const ms = Date.UTC(2025, 0, 1);

    // when
    const ids = Array.from({ length: 300 }, () => make(ms));

    // then
    expect(isSortedStrictly(ids)).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(ids.map(counterOf)).toEqual(ids.map((_, i) => i));
    expect(new Set(ids.map((id) => uuidv7Time(id).getTime()))).toEqual(new Set([ms]));
  });

  it('restarts the counter at 0 in a new millisecond', async () => {
    // given
    const { uuidv7: make } = await freshUuidModule();
    const ms = Date.UTC(2025, 0, 1);
    make(ms);
    make(ms);

    // when
    const next = make(ms + 1);

    // then
    expect(counterOf(next)).toBe(0);
    expect(uuidv7Time(next).getTime()).toBe(ms + 1);
  });

  it('borrows the next millisecond once 4096 ids were made in one millisecond, and stays ordered', async () => {
    // given
    const { uuidv7: make } = await freshUuidModule();
    const ms = Date.UTC(2025, 5, 30);

    // when
    const ids = Array.from({ length: 4097 }, () => make(ms));
    const after = make(ms);

    // then
    expect(uuidv7Time(ids[4095] as string).getTime()).toBe(ms);
    expect(counterOf(ids[4095] as string)).toBe(0xfff);
    expect(uuidv7Time(ids[4096] as string).getTime()).toBe(ms + 1);
    expect(counterOf(ids[4096] as string)).toBe(0);
    expect(uuidv7Time(after).getTime()).toBe(ms + 1);
    expect(isSortedStrictly([...ids, after])).toBe(true);
  });

  it('stays ordered when the clock steps back', async () => {
    // given
    const { uuidv7: make } = await freshUuidModule();
    const ms = Date.UTC(2025, 0, 1, 12);
    const before = make(ms);

    // when
    const afterStepBack = make(ms - 5_000);

    // then
    expect(afterStepBack > before).toBe(true);
    expect(uuidv7Time(afterStepBack).getTime()).toBe(ms);
  });

  it('property: ids made for non-decreasing timestamps sort in that order and carry those timestamps', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: MAX_48_BITS }), { minLength: 1, maxLength: 60 }),
        async (times) => {
          // given
          const { uuidv7: make } = await freshUuidModule();
          const increasing = [...times].sort((a, b) => a - b);

          // when
          const ids = increasing.map((ms) => make(ms));

          // then
          expect(isSortedStrictly(ids)).toBe(true);
          expect([...ids].reverse().sort()).toEqual(ids);
          expect(ids.map((id) => uuidv7Time(id).getTime())).toEqual(increasing);
          for (const id of ids) expect(id).toMatch(V7);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('uuidv7Time', () => {
  it('reads the time of the RFC 9562 example UUIDv7', () => {
    expect(uuidv7Time('017f22e2-79b0-7cc3-98c4-dc0c0c07398f').toISOString()).toBe('2022-02-22T19:22:22.000Z');
  });

  it('reads uppercase ids too', () => {
    expect(uuidv7Time('017F22E2-79B0-7CC3-98C4-DC0C0C07398F').toISOString()).toBe('2022-02-22T19:22:22.000Z');
  });

  it('property: round-trips the millisecond given to uuidv7', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: MAX_48_BITS }), async (ms) => {
        // given
        const { uuidv7: make, uuidv7Time: timeOf } = await freshUuidModule();

        // when
        const id = make(ms);

        // then
        expect(timeOf(id).getTime()).toBe(ms);
      }),
      { numRuns: 200 },
    );
  });

  it('carries the current time when uuidv7 uses the clock', async () => {
    // given
    const { uuidv7: make } = await freshUuidModule();
    const before = Date.now();

    // when
    const id = make();
    const after = Date.now();

    // then
    expect(uuidv7Time(id).getTime()).toBeGreaterThanOrEqual(before);
    expect(uuidv7Time(id).getTime()).toBeLessThanOrEqual(after);
  });
});

describe('isUuid', () => {
  it.each([
    ['a fresh UUIDv7', uuidv7()],
    ['a UUIDv4', '3b241101-e2bb-4255-8caf-4136c566a962'],
    ['uppercase hex', '017F22E2-79B0-7CC3-98C4-DC0C0C07398F'],
    ['variant digit 8', '017f22e2-79b0-7cc3-88c4-dc0c0c07398f'],
    ['variant digit b', '017f22e2-79b0-7cc3-b8c4-dc0c0c07398f'],
  ])('accepts %s', (_label, value) => {
    expect(isUuid(value)).toBe(true);
  });

  it.each<[string, unknown]>([
    ['the empty string', ''],
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
    ['a boxed string', new String('017f22e2-79b0-7cc3-98c4-dc0c0c07398f')],
    ['no hyphens', '017f22e279b07cc398c4dc0c0c07398f'],
    ['a digit missing', '017f22e2-79b0-7cc3-98c4-dc0c0c07398'],
    ['a digit too many', '017f22e2-79b0-7cc3-98c4-dc0c0c07398ff'],
    ['a non-hex digit', '017f22e2-79b0-7cc3-98c4-dc0c0c07398g'],
    ['variant digit c (Microsoft)', '017f22e2-79b0-7cc3-c8c4-dc0c0c07398f'],
    ['variant digit 7 (NCS)', '017f22e2-79b0-7cc3-78c4-dc0c0c07398f'],
    ['braces', '{017f22e2-79b0-7cc3-98c4-dc0c0c07398f}'],
    ['a urn prefix', 'urn:uuid:017f22e2-79b0-7cc3-98c4-dc0c0c07398f'],
    ['a trailing newline', '017f22e2-79b0-7cc3-98c4-dc0c0c07398f\n'],
    ['surrounding spaces', ' 017f22e2-79b0-7cc3-98c4-dc0c0c07398f '],
  ])('rejects %s', (_label, value) => {
    expect(isUuid(value)).toBe(false);
  });

  it('property: accepts every id uuidv7 makes', async () => {
    // A module of its own: far-future times must not push the shared clock of the other tests.
    const { uuidv7: make } = await freshUuidModule();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_48_BITS }), (ms) => {
        expect(isUuid(make(ms))).toBe(true);
      }),
    );
  });
});
