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
 * フリーランス法 §4: a contractor is paid within 60 days of the day her work is received, that
 * day counting as day 1 (初日算入): the payment date is never later than day 60, the Tokyo day of
 * delivery plus MAX_PAYMENT_DAYS − 1 (delivered on 1 July: paid by 29 August).
 */
export const MAX_PAYMENT_DAYS = 60;

/** The same Tokyo time INSPECTION_PERIOD_DAYS calendar days after delivery. */
export const inspectionDateFor = (deliveryDate: Date): Date => addTokyoDays(deliveryDate, INSPECTION_PERIOD_DAYS);

/**
 * 月末締め翌月末払い: work delivered in a Tokyo month is paid on the last day of the next Tokyo
 * month; but never later than day 60 counting the Tokyo day of delivery as day 1, the strict
 * reading of the law (a delivery on 1 July would otherwise be paid on 31 August, day 62; the
 * order terms do not lean on the Fair Trade Commission's two-month reading of a monthly close,
 * which settlement may apply to the close itself). The payment date is a Tokyo calendar day,
 * given as its 00:00 Asia/Tokyo, so it is at most 59 days after the delivery and never before it.
 */
export const paymentDateFor = (deliveryDate: Date): Date => {
  const monthEnd = lastDayOfNextTokyoMonth(deliveryDate);
  const cap = startOfTokyoDay(addTokyoDays(deliveryDate, MAX_PAYMENT_DAYS - 1));
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
