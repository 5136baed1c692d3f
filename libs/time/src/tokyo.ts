/**
 * Time as the cooperative reads it: instants are stored in UTC, shown and counted in
 * Asia/Tokyo (days, weeks from Monday, months). Calendar arithmetic goes through Temporal
 * (temporal-polyfill), so months and years roll over as the calendar does.
 */
import { Temporal } from 'temporal-polyfill';

export const TOKYO_TIME_ZONE = 'Asia/Tokyo';

/**
 * Japan has kept no daylight saving time since its last summer time ended in September 1951:
 * since then Asia/Tokyo is UTC+09:00 all year, so a fixed offset is exact from
 * `TOKYO_FIXED_OFFSET_SINCE_MS` on (summers 1948–1951 were +10:00, and before 1888 local mean
 * time). For hot loops over epoch milliseconds only (the scheduler's); anything else uses the
 * calendar functions below, which follow the time-zone database at every instant.
 */
export const TOKYO_OFFSET_MS = 9 * 60 * 60 * 1000;

/** 1952-01-01T00:00+09:00: from here on the fixed offset is exact. */
export const TOKYO_FIXED_OFFSET_SINCE_MS = Date.UTC(1951, 11, 31, 15);

const DAY_MS = 24 * 60 * 60 * 1000;
const WEEK_MS = 7 * DAY_MS;

const checked = (instant: Date, what: string): number => {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`an invalid date has no ${what}`);
  return ms;
};

const zoned = (instant: Date, what: string): Temporal.ZonedDateTime =>
  Temporal.Instant.fromEpochMilliseconds(checked(instant, what)).toZonedDateTimeISO(TOKYO_TIME_ZONE);

const dateOf = (z: Temporal.ZonedDateTime): Date => new Date(z.epochMilliseconds);

/** 10000-01-01T00:00+09:00: past it an ISO year has more than four digits. */
const LAST_FOUR_DIGIT_YEAR_MS = Date.UTC(9999, 11, 31, 15);

/**
 * An instant as ISO-8601 in Asia/Tokyo with its offset, e.g. `2026-04-01T09:30:00.000+09:00`.
 * Every answer of the HTTP edge shows its times this way: from 1952 to 9999 by the fixed offset
 * (exact there, and a few string operations), otherwise by the time-zone database.
 */
export const tokyoTime = (instant: Date): string => {
  const ms = checked(instant, 'time');
  if (ms >= TOKYO_FIXED_OFFSET_SINCE_MS && ms < LAST_FOUR_DIGIT_YEAR_MS)
    return `${new Date(ms + TOKYO_OFFSET_MS).toISOString().slice(0, -1)}+09:00`;
  return zoned(instant, 'time').toString({ fractionalSecondDigits: 3, timeZoneName: 'never' });
};

/** The Tokyo calendar day an instant falls on, as `YYYY-MM-DD`. */
export const tokyoDate = (instant: Date): string => zoned(instant, 'day').toPlainDate().toString();

/** 00:00 Asia/Tokyo of the Tokyo day an instant falls on. */
export const startOfTokyoDay = (instant: Date): Date => dateOf(zoned(instant, 'day').startOfDay());

/** The same Tokyo clock time `days` calendar days later (earlier when negative). */
export const addTokyoDays = (instant: Date, days: number): Date => dateOf(zoned(instant, 'day').add({ days }));

/**
 * The Tokyo week an instant falls in: Monday 00:00 Asia/Tokyo (inclusive) to the next Monday
 * 00:00 (exclusive), as instants.
 */
export const tokyoWeekOf = (instant: Date): { readonly from: Date; readonly to: Date } => {
  const day = zoned(instant, 'week').startOfDay();
  const monday = day.subtract({ days: day.dayOfWeek - 1 });
  return { from: dateOf(monday), to: dateOf(monday.add({ days: 7 })) };
};

/** The Tokyo month an instant falls in, from its 1st 00:00 (inclusive) to the next month's (exclusive). */
export const tokyoMonthOf = (
  instant: Date,
): { readonly year: number; readonly month: number; readonly from: Date; readonly to: Date } => {
  const first = zoned(instant, 'month').startOfDay().with({ day: 1 });
  return { year: first.year, month: first.month, from: dateOf(first), to: dateOf(first.add({ months: 1 })) };
};

/** A Tokyo month (1–12) as its instants: from its 1st 00:00 (inclusive) to the next month's (exclusive). */
export const tokyoMonth = (year: number, month: number): { readonly from: Date; readonly to: Date } => {
  const first = Temporal.PlainDate.from({ year, month, day: 1 }, { overflow: 'reject' }).toZonedDateTime(
    TOKYO_TIME_ZONE,
  );
  return { from: dateOf(first), to: dateOf(first.add({ months: 1 })) };
};

/** 00:00 Asia/Tokyo of the last day of the Tokyo month after the one an instant falls in. */
export const lastDayOfNextTokyoMonth = (instant: Date): Date => {
  const { to } = tokyoMonthOf(instant);
  return dateOf(zoned(tokyoMonthOf(to).to, 'month').subtract({ days: 1 }));
};

/**
 * Epoch ms of Monday 00:00 Asia/Tokyo of the week holding `instant` (epoch ms), by the fixed
 * offset: for the scheduler's hot loop, where it is called per member and window. The same
 * answer as `tokyoWeekOf(new Date(instant)).from` (a property test holds them together); for
 * instants before 1952, when the offset was not fixed, it is that calendar answer.
 */
export const tokyoWeekStartMs = (instant: number): number => {
  if (!(instant >= TOKYO_FIXED_OFFSET_SINCE_MS)) return tokyoWeekOf(new Date(instant)).from.getTime();
  const localDay = Math.floor((instant + TOKYO_OFFSET_MS) / DAY_MS);
  // 1970-01-01 was a Thursday: day 0 is index 3 in a Monday-first week.
  const weekday = (((localDay + 3) % 7) + 7) % 7;
  return (localDay - weekday) * DAY_MS - TOKYO_OFFSET_MS;
};

/**
 * The Tokyo day (`YYYY-MM-DD`) an instant (epoch ms) falls on, and the next 00:00 Asia/Tokyo (epoch
 * ms). From 1952 on, Asia/Tokyo is UTC+09:00 all year (TOKYO_FIXED_OFFSET_SINCE_MS): plain
 * arithmetic, for hot loops over hundreds of thousands of spans; before it, the calendar (the
 * time-zone database). A property test holds the two together.
 */
export const tokyoDayAt = (ms: number): { readonly day: string; readonly nextMidnightMs: number } => {
  if (ms >= TOKYO_FIXED_OFFSET_SINCE_MS) {
    const localDayStart = Math.floor((ms + TOKYO_OFFSET_MS) / DAY_MS) * DAY_MS;
    return {
      day: new Date(localDayStart).toISOString().slice(0, 10),
      nextMidnightMs: localDayStart + DAY_MS - TOKYO_OFFSET_MS,
    };
  }
  const instant = new Date(ms);
  return { day: tokyoDate(instant), nextMidnightMs: addTokyoDays(startOfTokyoDay(instant), 1).getTime() };
};

const MINUTE_MS = 60_000;

/**
 * The minutes of a span on each Tokyo day it touches, earliest day first: a span crossing
 * midnight Tokyo time counts on each day, cut at 00:00 Asia/Tokyo (a day is never counted twice).
 * The parts add up to the span's minutes; for a span of whole minutes each part is whole minutes
 * too (Tokyo midnights are whole minutes). An empty span touches no day.
 */
export const minutesByTokyoDay = (start: Date, end: Date): { day: string; minutes: number }[] => {
  const endMs = end.getTime();
  const parts: { day: string; minutes: number }[] = [];
  for (let from = start.getTime(); from < endMs;) {
    const { day, nextMidnightMs } = tokyoDayAt(from);
    const to = Math.min(nextMidnightMs, endMs);
    parts.push({ day, minutes: (to - from) / MINUTE_MS });
    from = to;
  }
  return parts;
};

export { DAY_MS, WEEK_MS };
