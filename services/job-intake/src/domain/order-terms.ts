/**
 * The order terms fixed when a business accepts a quote (フリーランス法 §3: the terms are
 * written down at ordering): the fee, the delivery date, the inspection date and the payment
 * date. Pure date arithmetic; days and months are Tokyo days and months (DESIGN §1), counted by
 * @workshare/time.
 */
import { addTokyoDays, lastDayOfNextTokyoMonth, startOfTokyoDay } from '@workshare/time';

/** The business inspects delivered work within this many days of the delivery date. */
export const INSPECTION_PERIOD_DAYS = 10;

/**
 * フリーランス法 §4: a contractor is paid within 60 days of the day her work is received. The
 * payment date is never later than the delivery date plus this many days.
 */
export const MAX_PAYMENT_DAYS = 60;

/** The same Tokyo time INSPECTION_PERIOD_DAYS calendar days after delivery. */
export const inspectionDateFor = (deliveryDate: Date): Date => addTokyoDays(deliveryDate, INSPECTION_PERIOD_DAYS);

/**
 * 月末締め翌月末払い: work delivered in a Tokyo month is paid on the last day of the next Tokyo
 * month; but never later than the Tokyo day of delivery + 60 days, which the law forbids (a
 * delivery on 1 December would otherwise be paid on 31 January, 61 days on). The payment date
 * is a Tokyo calendar day, given as its 00:00 Asia/Tokyo, so it is at most 60 days after the
 * delivery and never before it.
 */
export const paymentDateFor = (deliveryDate: Date): Date => {
  const monthEnd = lastDayOfNextTokyoMonth(deliveryDate);
  const cap = startOfTokyoDay(addTokyoDays(deliveryDate, MAX_PAYMENT_DAYS));
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
