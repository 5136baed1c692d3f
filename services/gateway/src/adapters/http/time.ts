import { ValidationError } from '@workshare/eventsourcing';

/**
 * Times at the HTTP edge: shown in Asia/Tokyo (`tokyoTime`, `tokyoWeekOf` from @workshare/time,
 * the one place Tokyo time is reckoned), read as RFC 3339 with any offset.
 */
export { tokyoTime, tokyoWeekOf } from '@workshare/time';

/** A time the schema accepted (RFC 3339, any offset) as the instant it names; `field` names it in the error. */
export const instantOf = (text: string, field: string): Date => {
  const instant = new Date(text);
  // RFC 3339 allows a leap second (":60") that a Date cannot hold: refused rather than moved.
  if (Number.isNaN(instant.getTime()))
    throw new ValidationError('request.invalid', `${field} is not a time that exists`, {
      errors: [{ field, message: 'must be a valid RFC 3339 date-time' }],
    });
  return instant;
};
