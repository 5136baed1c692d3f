import fc from 'fast-check';
import { lastDayOfNextTokyoMonth, startOfTokyoDay } from '@workshare/time';
import {
  INSPECTION_PERIOD_DAYS,
  inspectionDateFor,
  MAX_PAYMENT_DAYS,
  orderTermsFor,
  paymentDateFor,
} from '../../src/domain/order-terms.js';

const DAY_MS = 86_400_000;
/** 00:00 Asia/Tokyo of a Tokyo calendar day, as the UTC instant it is. */
const tokyoMidnight = (date: string): Date => new Date(`${date}T00:00:00+09:00`);
const tokyo = (dateTime: string): Date => new Date(`${dateTime}+09:00`);

describe('order terms', () => {
  it('the inspection date is the delivery date plus INSPECTION_PERIOD_DAYS (10)', () => {
    expect(INSPECTION_PERIOD_DAYS).toBe(10);
    expect(inspectionDateFor(tokyo('2026-06-15T17:00:00'))).toEqual(tokyo('2026-06-25T17:00:00'));
  });

  describe('payment date: 月末締め翌月末払い (the last day of the Tokyo month after delivery)', () => {
    it.each([
      ['mid-April', '2026-04-15T10:00:00', '2026-05-31'],
      ['the last evening of March, Tokyo time', '2026-03-31T23:30:00', '2026-04-30'],
      // Day 60 of a delivery on 1 April is 30 May, before the month's end.
      ['the first hour of April in Tokyo, still 31 March in UTC', '2026-04-01T01:00:00', '2026-05-30'],
      ['the last day of January (February is short)', '2026-01-31T12:00:00', '2026-02-28'],
      ['January of a leap year', '2028-01-20T12:00:00', '2028-02-29'],
      ['the middle of December (into the next year)', '2026-12-10T12:00:00', '2027-01-31'],
    ])('%s', (_, delivery, payment) => {
      expect(paymentDateFor(tokyo(delivery))).toEqual(tokyoMidnight(payment));
    });
  });

  describe('payment date: never later than day 60, the day of delivery being day 1 (フリーランス法)', () => {
    it.each([
      // 1 December → 31 January would be day 62.
      ['the first of December', '2026-12-01T09:00:00', '2027-01-29'],
      // 1 July → 31 August would be day 62.
      ['the first of July', '2026-07-01T00:00:00', '2026-08-29'],
      // 1 April → 31 May would be day 61.
      ['the first of April', '2026-04-01T09:00:00', '2026-05-30'],
    ])('%s is paid on day 60, not at the end of the next month', (_, delivery, payment) => {
      expect(paymentDateFor(tokyo(delivery))).toEqual(tokyoMidnight(payment));
      expect(lastDayOfNextTokyoMonth(tokyo(delivery)).getTime()).toBeGreaterThan(
        paymentDateFor(tokyo(delivery)).getTime(),
      );
    });

    it('the first of a month whose next month-end is day 60 or before keeps the end of the next month', () => {
      // 1 February → 31 March is day 59; 1 September → 31 October is day 61, so day 60: 30 October.
      expect(paymentDateFor(tokyo('2026-02-01T09:00:00'))).toEqual(tokyoMidnight('2026-03-31'));
      expect(paymentDateFor(tokyo('2026-09-01T09:00:00'))).toEqual(tokyoMidnight('2026-10-30'));
      // 2 April → 31 May and 2 August → 30 September are day 60 itself.
      expect(paymentDateFor(tokyo('2026-04-02T09:00:00'))).toEqual(tokyoMidnight('2026-05-31'));
      expect(paymentDateFor(tokyo('2026-08-02T15:00:00'))).toEqual(tokyoMidnight('2026-09-30'));
    });
  });

  it('Tokyo days and months (of @workshare/time, which the terms use) are computed in Asia/Tokyo, not UTC', () => {
    expect(startOfTokyoDay(new Date('2026-03-31T16:00:00Z'))).toEqual(tokyoMidnight('2026-04-01'));
    expect(startOfTokyoDay(new Date('2026-03-31T14:59:59Z'))).toEqual(tokyoMidnight('2026-03-31'));
    expect(lastDayOfNextTokyoMonth(new Date('2026-03-31T15:00:00Z'))).toEqual(tokyoMidnight('2026-05-31'));
  });

  it('the terms take the quoted fee and delivery date', () => {
    const deliveryDate = tokyo('2026-06-15T17:00:00');
    expect(orderTermsFor({ amountYen: 220_000n, deliveryDate })).toEqual({
      feeYen: 220_000n,
      deliveryDate,
      inspectionDate: tokyo('2026-06-25T17:00:00'),
      paymentDate: tokyoMidnight('2026-07-31'),
    });
  });

  it('property: payment is due at or after delivery and by day 60 (delivery day 1), on a Tokyo midnight', () => {
    const deliveries = fc.date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2100-12-31T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(deliveries, (delivery) => {
        const payment = paymentDateFor(delivery);
        const gap = payment.getTime() - delivery.getTime();
        expect(gap).toBeGreaterThanOrEqual(0);
        expect(gap).toBeLessThanOrEqual((MAX_PAYMENT_DAYS - 1) * DAY_MS);
        expect(startOfTokyoDay(payment)).toEqual(payment);
        // It is the end of the next month, unless that is too late.
        const monthEnd = lastDayOfNextTokyoMonth(delivery);
        expect(
          payment.getTime() === monthEnd.getTime() ||
            monthEnd.getTime() > startOfTokyoDay(delivery).getTime() + (MAX_PAYMENT_DAYS - 1) * DAY_MS,
        ).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });
});
