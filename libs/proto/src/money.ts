import type { Money } from './gen/workshare/common/v1/common.js';

/**
 * Money on the wire is `workshare.common.v1.Money` whose int64 `yen` is a decimal string in
 * TypeScript (ts-proto forceLong=string): exact for any amount. These convert at the edge to
 * the bigint the domain computes with, refusing anything that is not a whole number of yen.
 */
export const moneyFromYen = (yen: bigint | number): Money => {
  if (typeof yen === 'number' && !Number.isSafeInteger(yen))
    throw new RangeError(`${yen} is not a whole, safe number of yen`);
  const value = BigInt(yen);
  if (value > INT64_MAX || value < INT64_MIN) throw new RangeError(`${value} yen does not fit in int64`);
  return { yen: value.toString() };
};

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const WHOLE = /^-?(0|[1-9][0-9]*)$/;

/** The amount as bigint; a RangeError when `yen` is not an integer in int64 (ts-proto decodes "0" for absent). */
export const yenFromMoney = (money: Money | undefined): bigint => {
  const text = money?.yen ?? '0';
  if (!WHOLE.test(text)) throw new RangeError(`"${text}" is not a whole number of yen`);
  const value = BigInt(text);
  if (value > INT64_MAX || value < INT64_MIN) throw new RangeError(`${text} yen does not fit in int64`);
  return value;
};
