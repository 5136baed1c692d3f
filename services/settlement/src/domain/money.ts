/**
 * Integer yen (DESIGN §1: money is `bigint`, never a float) and the roundings settlement uses,
 * each on an exact ratio `numerator / denominator` of bigints, so no fraction is ever lost before
 * the one rounding that is stated.
 */
import type { RoundingRule } from './model.js';

const requirePositive = (denominator: bigint): void => {
  if (denominator <= 0n) throw new RangeError(`a ratio's denominator must be positive, got ${denominator}`);
};

/** ⌊n / d⌋, toward −∞ (bigint `/` truncates toward 0, which differs for negative n). */
export const floorDiv = (numerator: bigint, denominator: bigint): bigint => {
  requirePositive(denominator);
  const q = numerator / denominator;
  return numerator % denominator < 0n ? q - 1n : q;
};

/** ⌈n / d⌉, toward +∞. */
export const ceilDiv = (numerator: bigint, denominator: bigint): bigint => {
  requirePositive(denominator);
  const q = numerator / denominator;
  return numerator % denominator > 0n ? q + 1n : q;
};

/**
 * n / d rounded to the yen by a rule, for a non-negative n (an amount, or the magnitude of a
 * decrease: the caller keeps the sign, so a decrease rounds exactly as the same increase would):
 * - `floor` (切捨て, the default): ⌊n / d⌋;
 * - `round_half_up` (四捨五入): ⌊n / d + 1/2⌋, a half yen up;
 * - `ceil` (切上げ): ⌈n / d⌉.
 */
export const roundRatio = (numerator: bigint, denominator: bigint, rule: RoundingRule): bigint => {
  if (numerator < 0n) throw new RangeError(`roundRatio takes a non-negative amount, got ${numerator}`);
  switch (rule) {
    case 'floor':
      return floorDiv(numerator, denominator);
    case 'ceil':
      return ceilDiv(numerator, denominator);
    case 'round_half_up':
      return floorDiv(2n * numerator + denominator, 2n * denominator);
  }
};

/** A rounding applied to the magnitude, the sign kept: f(−a) = −f(a) (a decrease mirrors an increase). */
export const signed = (amount: bigint, onMagnitude: (magnitude: bigint) => bigint): bigint =>
  amount < 0n ? -onMagnitude(-amount) : onMagnitude(amount);

export const sumYen = (amounts: Iterable<bigint>): bigint => {
  let total = 0n;
  for (const amount of amounts) total += amount;
  return total;
};

export const maxYen = (a: bigint, b: bigint): bigint => (a > b ? a : b);

export const ROUNDING_RULES: readonly RoundingRule[] = ['floor', 'round_half_up', 'ceil'];
