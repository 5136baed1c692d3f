/**
 * Tokyo calendar days (`YYYY-MM-DD`) and months (`YYYY-MM`) as settlement counts them, on top of
 * @workshare/time (DESIGN §1: a month is a Tokyo month). A day is carried as its name; to move by
 * days or months it is taken as its 00:00 Asia/Tokyo and handed to the library, which follows
 * the calendar (month lengths, leap years). A close asks the same few dozen days again and again
 * (every payment's timing, every line's period), so the answers are remembered: the calendar
 * does not change, and a bounded cache keeps a long-running process small.
 */
import {
  addTokyoDays,
  lastDayOfNextTokyoMonth,
  TOKYO_FIXED_OFFSET_SINCE_MS,
  TOKYO_OFFSET_MS,
  tokyoDate,
  tokyoMonth,
} from '@workshare/time';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

/** 00:00 Asia/Tokyo of a Tokyo day (Japan has kept +09:00 all year since 1952). */
const midnight = (day: string): Date => {
  if (!DAY.test(day)) throw new RangeError(`not a day (YYYY-MM-DD): ${JSON.stringify(day)}`);
  return new Date(`${day}T00:00:00+09:00`);
};

const CACHE_LIMIT = 10_000;

/** A pure function of a string, remembered (the cache is emptied when it reaches CACHE_LIMIT). */
const remembered = (compute: (key: string) => string): ((key: string) => string) => {
  const cache = new Map<string, string>();
  return (key) => {
    let answer = cache.get(key);
    if (answer === undefined) {
      answer = compute(key);
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(key, answer);
    }
    return answer;
  };
};

const yearMonth = (month: string): { readonly year: number; readonly month: number } => {
  const m = MONTH.exec(month);
  if (!m) throw new RangeError(`not a month (YYYY-MM): ${JSON.stringify(month)}`);
  return { year: Number(m[1]), month: Number(m[2]) };
};

/** 10000-01-01T00:00+09:00: past it an ISO year has more than four digits. */
const LAST_FOUR_DIGIT_YEAR_MS = Date.UTC(9999, 11, 31, 15);

/**
 * The Tokyo day an instant falls on. A close reads one per receipt and inspection: from 1952 on
 * (where the library says its fixed offset is exact) by the offset, otherwise by the library's
 * calendar.
 */
export const tokyoDay = (instant: Date): string => {
  const ms = instant.getTime();
  if (ms >= TOKYO_FIXED_OFFSET_SINCE_MS && ms < LAST_FOUR_DIGIT_YEAR_MS)
    return new Date(ms + TOKYO_OFFSET_MS).toISOString().slice(0, 10);
  return tokyoDate(instant);
};

/** The Tokyo month a day belongs to. */
export const monthOfDay = (day: string): string => day.slice(0, 7);

const addDaysRemembered = remembered((key) => {
  const [day, days] = key.split('|') as [string, string];
  return tokyoDate(addTokyoDays(midnight(day), Number(days)));
});
/** The day `days` calendar days after `day` (before it when negative). */
export const addDays = (day: string, days: number): string => {
  if (!Number.isSafeInteger(days)) throw new RangeError(`days must be an integer, got ${days}`);
  return addDaysRemembered(`${day}|${days}`);
};

export const firstDayOfMonth = (month: string): string => {
  yearMonth(month);
  return `${month}-01`;
};

export const lastDayOfMonth = remembered((month: string): string => {
  const { year, month: m } = yearMonth(month);
  return tokyoDate(addTokyoDays(tokyoMonth(year, m).to, -1));
});

/** The month after `month`. */
export const nextMonth = remembered((month: string): string => {
  const { year, month: m } = yearMonth(month);
  return monthOfDay(tokyoDate(tokyoMonth(year, m).to));
});

/** The last day of the month after the one `day` is in (月末締め翌月末). */
export const lastDayOfNextMonth = remembered((day: string): string =>
  tokyoDate(lastDayOfNextTokyoMonth(midnight(day))),
);

/** `YYYY-MM` → `YYYYMM` (document numbers). */
export const compactMonth = (month: string): string => month.replace('-', '');
