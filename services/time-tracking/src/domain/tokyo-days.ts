/**
 * Spans of work on the Tokyo calendar (pure; @workshare/time does the calendar): the minutes a
 * span counts on each Tokyo day it touches (a span crossing midnight Tokyo time counts on each
 * day), the Tokyo week an instant falls in, named by its Monday, and the overlap of spans.
 */
import {
  addTokyoDays,
  minutesByTokyoDay as minutesOnTokyoDays,
  tokyoDate,
  tokyoMonth,
  tokyoWeekOf,
} from '@workshare/time';

export const MINUTE_MS = 60_000;

/** A span of time, [start, end): the start included, the end excluded. */
export interface Span {
  readonly start: Date;
  readonly end: Date;
}

/** The minutes a span counts on one Tokyo day (`YYYY-MM-DD`). */
export interface DayMinutes {
  readonly day: string;
  readonly minutes: number;
}

/** Whether an instant is a whole minute (no seconds, no milliseconds). */
export const isWholeMinute = (instant: Date): boolean => instant.getTime() % MINUTE_MS === 0;

/** Whole minutes of a span whose ends are whole minutes. */
export const minutesOf = (span: Span): number => (span.end.getTime() - span.start.getTime()) / MINUTE_MS;

/** The minutes of a span on each Tokyo day it touches, earliest day first (@workshare/time). */
export const minutesByTokyoDay = (span: Span): DayMinutes[] => minutesOnTokyoDays(span.start, span.end);

/** The Monday (Asia/Tokyo, `YYYY-MM-DD`) of the week an instant falls in. */
export const weekStartOf = (instant: Date): string => tokyoDate(tokyoWeekOf(instant).from);

const WEEK_START = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A week named by its Monday (`YYYY-MM-DD`, Asia/Tokyo) as its instants: Monday 00:00 Tokyo
 * (included) to the next Monday 00:00 (excluded); undefined when the text is not a date, or not
 * a Monday.
 */
export const weekNamed = (weekStart: string): { readonly from: Date; readonly to: Date } | undefined => {
  const match = typeof weekStart === 'string' ? WEEK_START.exec(weekStart) : null;
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const from = addTokyoDays(tokyoMonth(year, month).from, day - 1);
  if (tokyoDate(from) !== weekStart) return undefined; // 2026-02-30 and the like
  const week = tokyoWeekOf(from);
  return week.from.getTime() === from.getTime() ? week : undefined;
};

/** Whether two spans share any instant ([start, end): one ending when the other begins does not). */
export const overlaps = (a: Span, b: { readonly start: Date; readonly end: Date | undefined }): boolean =>
  a.start.getTime() < (b.end?.getTime() ?? Number.POSITIVE_INFINITY) && b.start.getTime() < a.end.getTime();
