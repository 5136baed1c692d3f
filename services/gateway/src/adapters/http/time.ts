import { ValidationError } from '@workshare/eventsourcing';

/** Japan keeps no daylight saving time: Asia/Tokyo is UTC+09:00 all year round. */
const TOKYO_OFFSET_MS = 9 * 60 * 60 * 1000;

/**
 * An instant as ISO-8601 in Asia/Tokyo with its offset, e.g. `2026-04-01T09:30:00.000+09:00`:
 * the same instant as the UTC the services store, shown as the cooperative reads it.
 */
export const tokyoTime = (instant: Date): string => {
  if (Number.isNaN(instant.getTime())) throw new RangeError('an invalid date cannot be shown');
  return `${new Date(instant.getTime() + TOKYO_OFFSET_MS).toISOString().slice(0, -1)}+09:00`;
};

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

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The Tokyo week an instant falls in: from Monday 00:00 Asia/Tokyo (inclusive) to the next
 * Monday 00:00 (exclusive), as UTC instants. A week is a Tokyo week, whatever the server's zone.
 */
export const tokyoWeekOf = (instant: Date): { readonly from: Date; readonly to: Date } => {
  if (Number.isNaN(instant.getTime())) throw new RangeError('an invalid date has no week');
  const tokyo = instant.getTime() + TOKYO_OFFSET_MS;
  const midnight = tokyo - (((tokyo % DAY_MS) + DAY_MS) % DAY_MS);
  // getUTCDay of the shifted instant is the Tokyo weekday: 0 Sunday ... 6 Saturday; Monday starts the week.
  const daysSinceMonday = (new Date(midnight).getUTCDay() + 6) % 7;
  const from = midnight - daysSinceMonday * DAY_MS - TOKYO_OFFSET_MS;
  return { from: new Date(from), to: new Date(from + WEEK_MS) };
};
