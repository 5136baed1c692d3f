/**
 * What queries answer of timesheets, computed from the decider's state (pure): a member's week
 * in Tokyo time with its minutes per Tokyo day, and a region's approved time in a Tokyo month.
 */
import { addTokyoDays, tokyoDate, tokyoMonth, tokyoTime } from '@workshare/time';
import {
  approvalOf,
  type EntrySource,
  type TimeEntry,
  type Timesheet,
  type WeekApproval,
} from '../domain/timesheet.js';
import { minutesByTokyoDay, MINUTE_MS, overlaps, type DayMinutes } from '../domain/tokyo-days.js';

/** An entry as a member reads it: UTC instants, and the same in Asia/Tokyo with its offset. */
export interface EntryView {
  readonly entryId: string;
  readonly taskId: string;
  readonly jobId: string;
  readonly regionId: string;
  readonly start: Date;
  readonly end: Date;
  /** `2026-04-06T09:30:00.000+09:00`. */
  readonly startTokyo: string;
  readonly endTokyo: string;
  readonly minutes: number;
  readonly source: EntrySource;
  /** Its minutes on each Tokyo day (a span crossing midnight counts on each day). */
  readonly days: readonly DayMinutes[];
}

export interface TimerView {
  readonly taskId: string;
  readonly jobId: string;
  readonly start: Date;
  readonly startTokyo: string;
}

/** A member's Tokyo week: "my hours this week in Tokyo time". */
export interface WeekView {
  readonly memberId: string;
  /** Its Monday and Sunday, `YYYY-MM-DD` (Asia/Tokyo). */
  readonly weekStart: string;
  readonly weekEnd: string;
  readonly approval: WeekApproval;
  /** The entries starting in the week, earliest first. */
  readonly entries: readonly EntryView[];
  /**
   * Minutes per Tokyo day of those entries: Monday to Sunday, each listed (0 when none), and the
   * next Monday after them when a Sunday-night entry runs past midnight.
   */
  readonly days: readonly DayMinutes[];
  readonly totalMinutes: number;
  /** Her running timer, when it started in this week. */
  readonly timer?: TimerView;
}

const byStart = (a: TimeEntry, b: TimeEntry): number =>
  a.start.getTime() - b.start.getTime() || (a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0);

export const entryView = (entry: TimeEntry): EntryView => ({
  entryId: entry.entryId,
  taskId: entry.taskId,
  jobId: entry.jobId,
  regionId: entry.regionId,
  start: entry.start,
  end: entry.end,
  startTokyo: tokyoTime(entry.start),
  endTokyo: tokyoTime(entry.end),
  minutes: entry.minutes,
  source: entry.source,
  days: minutesByTokyoDay(entry),
});

/** One Tokyo week of a sheet (the week `from`..`to`, named `weekStart`). */
export const weekView = (
  memberId: string,
  sheet: Timesheet,
  week: { readonly weekStart: string; readonly from: Date; readonly to: Date },
): WeekView => {
  const entries = Object.values(
    (Object.hasOwn(sheet.weeks, week.weekStart) ? sheet.weeks[week.weekStart]?.entries : undefined) ?? {},
  )
    .sort(byStart)
    .map(entryView);
  const days = new Map<string, number>();
  for (let i = 0; i < 7; i++) days.set(tokyoDate(addTokyoDays(week.from, i)), 0);
  for (const entry of entries)
    for (const part of entry.days) days.set(part.day, (days.get(part.day) ?? 0) + part.minutes);
  const timer = sheet.timer;
  return {
    memberId,
    weekStart: week.weekStart,
    weekEnd: tokyoDate(addTokyoDays(week.from, 6)),
    approval: approvalOf(sheet, week.weekStart),
    entries,
    days: [...days].map(([day, minutes]) => ({ day, minutes })),
    totalMinutes: entries.reduce((sum, e) => sum + e.minutes, 0),
    ...(timer !== undefined && timer.start >= week.from && timer.start < week.to
      ? {
          timer: { taskId: timer.taskId, jobId: timer.jobId, start: timer.start, startTokyo: tokyoTime(timer.start) },
        }
      : {}),
  };
};

/** One approved entry's minutes in a Tokyo month. */
export interface ApprovedTimeLine {
  readonly memberId: string;
  readonly weekStart: string;
  readonly entry: EntryView;
  /** Its minutes on the month's days (a span crossing into another month counts there for the rest). */
  readonly minutesInMonth: number;
}

/** A region's approved time in a Tokyo month, for operators and the accountant. */
export interface ApprovedTimeView {
  readonly regionId: string;
  /** `YYYY-MM`. */
  readonly month: string;
  /** By member, then start. */
  readonly lines: readonly ApprovedTimeLine[];
  /** Minutes in the month per member, by member id. */
  readonly members: readonly { readonly memberId: string; readonly minutes: number }[];
  readonly totalMinutes: number;
}

const MONTH = /^(\d{4})-(\d{2})$/;

/** A Tokyo month named `YYYY-MM` as its instants; undefined when it is not one. */
export const monthNamed = (month: string): { readonly from: Date; readonly to: Date } | undefined => {
  const match = typeof month === 'string' ? MONTH.exec(month) : null;
  if (match === null) return undefined;
  const m = Number(match[2]);
  if (m < 1 || m > 12) return undefined;
  return tokyoMonth(Number(match[1]), m);
};

/**
 * The approved time of a region's jobs (the job's home region) in a Tokyo month: every entry of
 * every approved week (not reopened since) with minutes on the month's days.
 */
export const approvedTimeIn = (
  sheets: Iterable<readonly [string, Timesheet]>,
  regionId: string,
  month: string,
  range: { readonly from: Date; readonly to: Date },
): ApprovedTimeView => {
  // An entry lasts at most two days: one starting up to two days before the month may reach into it.
  const window = { start: new Date(range.from.getTime() - 2 * 1_440 * MINUTE_MS), end: range.to };
  const lines: ApprovedTimeLine[] = [];
  for (const [memberId, sheet] of sheets) {
    for (const [weekStart, week] of Object.entries(sheet.weeks)) {
      if (week.approval !== 'approved') continue;
      for (const entry of Object.values(week.entries).sort(byStart)) {
        if (entry.regionId !== regionId || !overlaps(window, entry)) continue;
        const view = entryView(entry);
        const minutesInMonth = view.days
          .filter((d) => d.day.startsWith(`${month}-`))
          .reduce((s, d) => s + d.minutes, 0);
        if (minutesInMonth > 0) lines.push({ memberId, weekStart, entry: view, minutesInMonth });
      }
    }
  }
  lines.sort(
    (a, b) =>
      (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0) ||
      a.entry.start.getTime() - b.entry.start.getTime() ||
      (a.entry.entryId < b.entry.entryId ? -1 : 1),
  );
  const perMember = new Map<string, number>();
  for (const line of lines) perMember.set(line.memberId, (perMember.get(line.memberId) ?? 0) + line.minutesInMonth);
  return {
    regionId,
    month,
    lines,
    members: [...perMember].map(([memberId, minutes]) => ({ memberId, minutes })),
    totalMinutes: lines.reduce((s, l) => s + l.minutesInMonth, 0),
  };
};
