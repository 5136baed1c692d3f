/**
 * フリーランス法 §4 (reference §6): a contractor is paid within 60 days of the day the cooperative
 * received her work, that day counting as day 1 (初日算入), so the 60th day is receivedOn + 59.
 * The Fair Trade Commission's practice reads the 60 days as two months for a monthly close cut by
 * the day of receipt: work received in a month may be paid by the end of the next month (月末締め
 * 翌月末払い). The region chooses the reading (two_months by default):
 * - strict_60_days: latest = receivedOn + 59 days;
 * - two_months: latest = max(strict, the last day of the month after receivedOn's month).
 * A payment is late when its pay day is after its latest lawful day. Received 07-01: strict 08-29,
 * two months 08-31; received 07-31: 09-28 under both (the strict day is the later one).
 */
import type { PayTiming, PayTimingReading } from './model.js';
import { addDays, lastDayOfMonth, lastDayOfNextMonth, nextMonth } from './calendar.js';

/** Day 1 is the day of receipt: the 60th day is 59 days after it. */
export const PAYMENT_PERIOD_DAYS = 60;

export const PAY_TIMING_READINGS: readonly PayTimingReading[] = ['two_months', 'strict_60_days'];

/** The 60th day counting the day of receipt as day 1. */
export const strictLatestPayDay = (receivedOn: string): string => addDays(receivedOn, PAYMENT_PERIOD_DAYS - 1);

/** The last day a payment for work received on `receivedOn` is lawful, under a reading. */
export const latestLawfulPayDay = (receivedOn: string, reading: PayTimingReading): string => {
  const strict = strictLatestPayDay(receivedOn);
  if (reading === 'strict_60_days') return strict;
  const monthAfter = lastDayOfNextMonth(receivedOn);
  return monthAfter > strict ? monthAfter : strict;
};

/** The timing of a payment made on `payDay` for work received on `receivedOn`. */
export const payTimingOf = (receivedOn: string, payDay: string, reading: PayTimingReading): PayTiming => {
  const latestLawfulDay = latestLawfulPayDay(receivedOn, reading);
  return { receivedOn, latestLawfulDay, reading, payDay, late: payDay > latestLawfulDay };
};

/**
 * The day members are paid for a closed month: the config's pay day (1–31) of the month after it,
 * or that month's last day when the month is shorter (payDay 31 in a June → 06-30).
 */
export const payDayFor = (closedMonth: string, payDay: number): string => {
  if (!Number.isInteger(payDay) || payDay < 1 || payDay > 31) throw new RangeError(`a pay day is 1–31, got ${payDay}`);
  const month = nextMonth(closedMonth);
  const last = lastDayOfMonth(month);
  const clamped = Math.min(payDay, Number(last.slice(8)));
  return `${month}-${String(clamped).padStart(2, '0')}`;
};
