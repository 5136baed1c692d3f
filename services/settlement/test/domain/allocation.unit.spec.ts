import fc from 'fast-check';
import { splitPool } from '../../src/domain/allocation.js';

const claims = fc.uniqueArray(
  fc.record({ memberId: fc.stringMatching(/^[a-z]{1,6}$/), minutes: fc.integer({ min: 1, max: 100_000 }) }),
  { selector: (c) => c.memberId, minLength: 1, maxLength: 30 },
);
const pool = fc.bigInt({ min: 0n, max: 10n ** 10n });

describe('the pool split by approved minutes (largest remainder)', () => {
  it('equal remainders and minutes: by member id ascending: ¥100 over 1:1:1 → 34, 33, 33', () => {
    expect(
      splitPool(100n, [
        { memberId: 'c', minutes: 60 },
        { memberId: 'a', minutes: 60 },
        { memberId: 'b', minutes: 60 },
      ]),
    ).toEqual([
      { memberId: 'a', minutes: 60, shareYen: 34n },
      { memberId: 'b', minutes: 60, shareYen: 33n },
      { memberId: 'c', minutes: 60, shareYen: 33n },
    ]);
  });

  it('the residue goes by remainder first, even to fewer minutes: ¥3 over 3:1 minutes → 2, 1', () => {
    // M = 4: a 9/4 → base 2, remainder 1; b 3/4 → base 0, remainder 3; one yen of residue goes to b.
    expect(
      splitPool(3n, [
        { memberId: 'a', minutes: 3 },
        { memberId: 'b', minutes: 1 },
      ]).map((s) => s.shareYen),
    ).toEqual([2n, 1n]);
  });

  it('equal remainders: more minutes first, before the member id', () => {
    // M = 4: a 2/4 → base 0, remainder 2; b 6/4 → base 1, remainder 2; the one yen of residue goes to b (3 minutes).
    expect(
      splitPool(2n, [
        { memberId: 'a', minutes: 1 },
        { memberId: 'b', minutes: 3 },
      ]),
    ).toEqual([
      { memberId: 'a', minutes: 1, shareYen: 0n },
      { memberId: 'b', minutes: 3, shareYen: 2n },
    ]);
  });

  it('refuses an empty split, a negative pool, zero minutes and a member twice', () => {
    expect(() => splitPool(1n, [])).toThrow(RangeError);
    expect(() => splitPool(-1n, [{ memberId: 'a', minutes: 1 }])).toThrow(RangeError);
    expect(() => splitPool(1n, [{ memberId: 'a', minutes: 0 }])).toThrow(RangeError);
    expect(() =>
      splitPool(1n, [
        { memberId: 'a', minutes: 1 },
        { memberId: 'a', minutes: 2 },
      ]),
    ).toThrow(RangeError);
  });

  it('property: the parts add up to the pool exactly', () => {
    fc.assert(
      fc.property(pool, claims, (p, c) => {
        expect(splitPool(p, c).reduce((sum, s) => sum + s.shareYen, 0n)).toBe(p);
      }),
    );
  });

  it('property: each part is within one yen of its exact share (floor or floor + 1)', () => {
    fc.assert(
      fc.property(pool, claims, (p, c) => {
        const total = BigInt(c.reduce((sum, x) => sum + x.minutes, 0));
        for (const share of splitPool(p, c)) {
          const weighted = p * BigInt(share.minutes);
          // share·M − pool·m ∈ (−M, M): |share − exact| < 1.
          expect(share.shareYen * total - weighted > -total && share.shareYen * total - weighted < total).toBe(true);
        }
      }),
    );
  });

  it('property: the same split whatever the order of the claims', () => {
    fc.assert(
      fc.property(
        pool,
        claims.chain((c) => fc.tuple(fc.constant(c), fc.shuffledSubarray(c, { minLength: c.length }))),
        (p, [c, shuffled]) => {
          expect(splitPool(p, shuffled)).toEqual(splitPool(p, c));
        },
      ),
    );
  });

  it('property: more minutes never get less', () => {
    fc.assert(
      fc.property(pool, claims, (p, c) => {
        const shares = splitPool(p, c);
        for (const a of shares)
          for (const b of shares) if (a.minutes > b.minutes) expect(a.shareYen >= b.shareYen).toBe(true);
      }),
    );
  });
});
