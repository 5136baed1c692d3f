/**
 * Weekly availability windows (Asia/Tokyo) turned into concrete UTC intervals, and interval
 * arithmetic on sorted lists. Asia/Tokyo has been UTC+9 all year since 1952 (no daylight
 * saving), so a fixed offset is exact for any plan (TOKYO_OFFSET_MS and the week start come
 * from @workshare/time).
 *
 * A member's availability is the union of her windows: overlapping or touching windows (Tuesday
 * 13:00–14:00 and 14:00–15:00, or Sunday 23:00–24:00 and Monday 00:00–01:00) form one
 * occurrence, and a task must fit whole inside one occurrence.
 */
import { TOKYO_OFFSET_MS, tokyoWeekStartMs } from '@workshare/time';
import type { Interval, WeeklyWindow, Weekday } from './model.js';

export { TOKYO_OFFSET_MS };

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
export const WEEK_MINUTES = 7 * 24 * 60;
const WEEK_MS = 7 * DAY_MS;

/** Monday first: the index of a weekday within a Tokyo week. */
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** "HH:MM" (00:00–24:00) → minutes after midnight; NaN when it is not a time of day. */
export const minutesOfClock = (clock: string): number => {
  const match = /^(\d{2}):(\d{2})$/.exec(clock);
  if (!match) return Number.NaN;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) return Number.NaN;
  return hours * 60 + minutes;
};

/**
 * A member's weekly windows as sorted, merged [start, end) minute offsets from Monday 00:00
 * Tokyo time. Malformed windows (bad clock, end not after start) are ignored: the edge rejects
 * them, the scheduler never plans into them.
 */
export const weeklyMinutes = (windows: readonly WeeklyWindow[]): Interval[] => {
  const spans: Interval[] = [];
  for (const w of windows) {
    const day = WEEKDAYS.indexOf(w.day);
    const start = minutesOfClock(w.start);
    const end = minutesOfClock(w.end);
    if (day < 0 || !(end > start)) continue;
    spans.push({ start: day * 1440 + start, end: day * 1440 + end });
  }
  return mergeIntervals(spans);
};

const weeklyCache = new WeakMap<readonly WeeklyWindow[], { weekly: Interval[]; longest: number }>();

/**
 * `weeklyMinutes` and `longestWindowMinutes` of a member's windows, remembered per windows
 * array: a hand-off re-plans over the same team again and again, and parsing every member's
 * windows each time would dominate it.
 */
export const weeklyPattern = (
  windows: readonly WeeklyWindow[],
): { readonly weekly: readonly Interval[]; readonly longest: number } => {
  let found = weeklyCache.get(windows);
  if (!found) {
    const weekly = weeklyMinutes(windows);
    found = { weekly, longest: longestWindowMinutes(weekly) };
    weeklyCache.set(windows, found);
  }
  return found;
};

/**
 * The longest single occurrence of the weekly windows in minutes (a window running over
 * Sunday midnight into Monday counts as one).
 */
export const longestWindowMinutes = (weekly: readonly Interval[]): number => {
  let longest = 0;
  for (const w of weekly) longest = Math.max(longest, w.end - w.start);
  const first = weekly[0];
  const last = weekly[weekly.length - 1];
  if (first && last && weekly.length > 1 && first.start === 0 && last.end === WEEK_MINUTES) {
    longest = Math.max(longest, first.end - first.start + last.end - last.start);
  }
  return Math.min(longest, WEEK_MINUTES);
};

/** Sorted by start, overlapping and touching intervals merged, empty ones dropped. */
export const mergeIntervals = (intervals: readonly Interval[]): Interval[] => {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Interval[] = [];
  for (const i of sorted) {
    const last = merged[merged.length - 1];
    if (last && i.start <= last.end) {
      if (i.end > last.end) merged[merged.length - 1] = { start: last.start, end: i.end };
    } else {
      merged.push({ start: i.start, end: i.end });
    }
  }
  return merged;
};

/** Epoch ms of Monday 00:00 Tokyo time of the week holding `instant` (epoch ms). */
export const tokyoWeekStart: (instant: number) => number = tokyoWeekStartMs;

/**
 * Concrete occurrences of merged weekly windows (minutes from Monday 00:00 Tokyo) between two
 * instants, clipped to [from, to), sorted, touching occurrences merged.
 */
export const expandWeeklyMinutes = (weekly: readonly Interval[], from: number, to: number): Interval[] => {
  const out: Interval[] = [];
  if (!(to > from) || weekly.length === 0) return out;
  for (let week = tokyoWeekStart(from); week < to; week += WEEK_MS) {
    for (const w of weekly) {
      const start = Math.max(from, week + w.start * MINUTE_MS);
      const end = Math.min(to, week + w.end * MINUTE_MS);
      if (end <= start) continue;
      const last = out[out.length - 1];
      // Sunday late into Monday early: one occurrence.
      if (last && start <= last.end) out[out.length - 1] = { start: last.start, end: Math.max(last.end, end) };
      else out.push({ start, end });
    }
  }
  return out;
};

/** The concrete UTC occurrences of weekly Tokyo windows between `from` and `to`. */
export const expandWeeklyWindows = (windows: readonly WeeklyWindow[], from: number, to: number): Interval[] =>
  expandWeeklyMinutes(weeklyMinutes(windows), from, to);

/**
 * `free` minus `blocked`; both sorted by start and disjoint (use mergeIntervals on `blocked`).
 * Linear in the two lengths.
 */
export const subtractIntervals = (free: readonly Interval[], blocked: readonly Interval[]): Interval[] => {
  const out: Interval[] = [];
  let b = 0;
  for (const f of free) {
    let start = f.start;
    while (b < blocked.length && (blocked[b] as Interval).end <= start) b++;
    let k = b;
    while (k < blocked.length && (blocked[k] as Interval).start < f.end) {
      const blk = blocked[k] as Interval;
      if (blk.start > start) out.push({ start, end: blk.start });
      start = Math.max(start, blk.end);
      k++;
    }
    if (start < f.end) out.push({ start, end: f.end });
  }
  return out;
};

/** The member's free occurrences: her windows between `from` and `to` minus the blocked spans. */
export const freeIntervals = (
  windows: readonly WeeklyWindow[],
  blocked: readonly Interval[],
  from: number,
  to: number,
): Interval[] => subtractIntervals(expandWeeklyWindows(windows, from, to), mergeIntervals(blocked));
