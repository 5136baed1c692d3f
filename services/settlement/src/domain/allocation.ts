/**
 * A job's pool split among its members by their approved minutes, to the yen (settlement's rule):
 * each member first gets base_i = ⌊pool × m_i / M⌋ (M = Σ m_i); the residue (pool − Σ base_i,
 * fewer yen than there are members) goes one yen each to the largest remainders
 * (pool × m_i mod M), ties broken by more minutes first, then by member id ascending (code-unit
 * order). So the parts add up to the pool exactly, each is within one yen of the exact share
 * pool × m_i / M (base ≤ exact < base + 1), and the result does not depend on the claims' order.
 */

export interface MinutesClaim {
  readonly memberId: string;
  readonly minutes: number;
}

export interface PoolShare {
  readonly memberId: string;
  readonly minutes: number;
  readonly shareYen: bigint;
}

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The pool's split, one share per claim, ordered by member id. Claims: distinct members, minutes ≥ 1. */
export const splitPool = (poolYen: bigint, claims: readonly MinutesClaim[]): PoolShare[] => {
  if (poolYen < 0n) throw new RangeError(`a pool cannot be negative, got ${poolYen}`);
  if (claims.length === 0) throw new RangeError('a pool is split among at least one member');
  const seen = new Set<string>();
  let total = 0n;
  for (const claim of claims) {
    if (!Number.isSafeInteger(claim.minutes) || claim.minutes < 1)
      throw new RangeError(`member ${claim.memberId}: minutes must be a positive integer, got ${claim.minutes}`);
    if (seen.has(claim.memberId)) throw new RangeError(`member ${claim.memberId} claims twice`);
    seen.add(claim.memberId);
    total += BigInt(claim.minutes);
  }
  const parts = claims.map((claim) => {
    const weighted = poolYen * BigInt(claim.minutes);
    return { ...claim, base: weighted / total, remainder: weighted % total };
  });
  let residue = poolYen - parts.reduce((sum, part) => sum + part.base, 0n);
  const order = [...parts].sort(
    (a, b) =>
      (a.remainder === b.remainder ? 0 : a.remainder > b.remainder ? -1 : 1) ||
      b.minutes - a.minutes ||
      byId(a.memberId, b.memberId),
  );
  const extra = new Set<string>();
  for (const part of order) {
    if (residue === 0n) break;
    extra.add(part.memberId);
    residue -= 1n;
  }
  return parts
    .map((part) => ({
      memberId: part.memberId,
      minutes: part.minutes,
      shareYen: part.base + (extra.has(part.memberId) ? 1n : 0n),
    }))
    .sort((a, b) => byId(a.memberId, b.memberId));
};
