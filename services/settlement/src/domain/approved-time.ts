/**
 * Approved time by Tokyo day: what the close reads of time tracking's approved weeks. Pure.
 *
 * - A span crossing midnight in Asia/Tokyo counts on each day it touches (DESIGN §1: a month is
 *   a Tokyo month, made of its Tokyo days). Each day but the last gets the whole minutes of the
 *   span before that day's end (floor), the last day the rest, so the days add up to the entry's
 *   minutes exactly. Time tracking publishes whole-minute spans ((end − start) / 1 minute), for
 *   which this is the exact split.
 * - Rows are summed by member, job and day, and sorted (member, job, day): the same entries give
 *   the same rows whatever order they came in.
 */
import { tokyoDayAt } from '@workshare/time';
import type { ApprovedDay } from './model.js';

const MINUTE_MS = 60_000;

/** An entry of an approved week, as the close reads it. */
export interface ApprovedSpan {
  readonly memberId: string;
  readonly jobId: string;
  readonly start: Date;
  readonly end: Date;
  readonly minutes: number;
}

/**
 * The minutes of one span on each Tokyo day it touches, earliest first; they add up to `minutes`
 * (the entry's published minutes) even were they to disagree with its ends (see above). Tokyo
 * days by `tokyoDayAt` of @workshare/time (plain arithmetic from 1952).
 */
export const splitByTokyoDay = (
  start: Date,
  end: Date,
  minutes: number,
): { readonly day: string; readonly minutes: number }[] => {
  const days: { day: string; minutes: number }[] = [];
  const endMs = end.getTime();
  let cursor = start.getTime();
  let left = minutes;
  for (;;) {
    const { day, nextMidnightMs } = tokyoDayAt(cursor);
    if (endMs <= nextMidnightMs) {
      if (left > 0) days.push({ day, minutes: left });
      return days;
    }
    const before = Math.min(left, Math.floor((nextMidnightMs - cursor) / MINUTE_MS));
    if (before > 0) days.push({ day, minutes: before });
    left -= before;
    cursor = nextMidnightMs;
  }
};

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Approved spans as ApprovedDay rows, summed by (member, job, Tokyo day) and sorted; with
 * `throughDay`, only the days up to it (inclusive), e.g. the closed month's last day.
 */
export const approvedDaysOf = (spans: Iterable<ApprovedSpan>, throughDay?: string): ApprovedDay[] => {
  const sums = new Map<string, ApprovedDay>();
  for (const span of spans) {
    for (const { day, minutes } of splitByTokyoDay(span.start, span.end, span.minutes)) {
      if (throughDay !== undefined && day > throughDay) continue;
      const key = `${span.memberId}\u0000${span.jobId}\u0000${day}`;
      const known = sums.get(key);
      sums.set(key, { memberId: span.memberId, jobId: span.jobId, day, minutes: (known?.minutes ?? 0) + minutes });
    }
  }
  return [...sums.values()].sort(
    (a, b) => compare(a.memberId, b.memberId) || compare(a.jobId, b.jobId) || compare(a.day, b.day),
  );
};
