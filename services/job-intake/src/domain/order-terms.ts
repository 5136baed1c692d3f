/**
 * The order terms fixed when a business accepts a quote (フリーランス法 §3: the terms are
 * written down at ordering): the fee, the delivery date, the inspection date and the payment
 * date. Pure date arithmetic; a month is a Tokyo month (DESIGN §1).
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** The business inspects delivered work within this many days of the delivery date. */
export const INSPECTION_PERIOD_DAYS = 10;

/**
 * フリーランス法 §4: a contractor is paid within 60 days of the day her work is received. The
 * payment date is never later than the delivery date plus this many days.
 */
export const MAX_PAYMENT_DAYS = 60;

/** Asia/Tokyo is UTC+9 all year: Japan has kept no daylight saving time since 1951. */
const TOKYO_OFFSET_MS = 9 * 60 * 60 * 1000;

/** Midnight (00:00 Asia/Tokyo) of the Tokyo day `instant` falls on. */
export const startOfTokyoDay = (instant: Date): Date => {
  const tokyo = instant.getTime() + TOKYO_OFFSET_MS;
  return new Date(tokyo - (((tokyo % DAY_MS) + DAY_MS) % DAY_MS) - TOKYO_OFFSET_MS);
};

/** 00:00 Asia/Tokyo of the last day of the Tokyo month after the one `instant` falls in. */
export const lastDayOfNextTokyoMonth = (instant: Date): Date => {
  const tokyo = new Date(instant.getTime() + TOKYO_OFFSET_MS);
  // Day 0 of the month after next is the last day of the next month (Date.UTC rolls over years).
  const lastDay = Date.UTC(tokyo.getUTCFullYear(), tokyo.getUTCMonth() + 2, 0);
  return new Date(lastDay - TOKYO_OFFSET_MS);
};

export const inspectionDateFor = (deliveryDate: Date): Date =>
  new Date(deliveryDate.getTime() + INSPECTION_PERIOD_DAYS * DAY_MS);

/**
 * 月末締め翌月末払い: work delivered in a Tokyo month is paid on the last day of the next Tokyo
 * month; but never later than the Tokyo day of delivery + 60 days, which the law forbids (a
 * delivery on 1 December would otherwise be paid on 31 January, 61 days on). The payment date
 * is a Tokyo calendar day, given as its 00:00 Asia/Tokyo, so it is at most 60 days after the
 * delivery and never before it.
 */
export const paymentDateFor = (deliveryDate: Date): Date => {
  const monthEnd = lastDayOfNextTokyoMonth(deliveryDate);
  const cap = startOfTokyoDay(new Date(deliveryDate.getTime() + MAX_PAYMENT_DAYS * DAY_MS));
  return monthEnd.getTime() <= cap.getTime() ? monthEnd : cap;
};

export interface OrderTerms {
  readonly feeYen: bigint;
  readonly deliveryDate: Date;
  readonly inspectionDate: Date;
  readonly paymentDate: Date;
}

/** The terms of an accepted quote: its amount is the fee, its delivery date the delivery date. */
export const orderTermsFor = (quote: { readonly amountYen: bigint; readonly deliveryDate: Date }): OrderTerms => ({
  feeYen: quote.amountYen,
  deliveryDate: quote.deliveryDate,
  inspectionDate: inspectionDateFor(quote.deliveryDate),
  paymentDate: paymentDateFor(quote.deliveryDate),
});
