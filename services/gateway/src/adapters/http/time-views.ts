/**
 * JSON ↔ time tracking's proto messages: entries and weeks with their times in Asia/Tokyo
 * (`+09:00`, as the gateway shows every time), the days as `YYYY-MM-DD` Tokyo days with their
 * minutes, the sources and approvals as time tracking's contract names them. An answer that
 * breaks the contract (an unknown source or approval, an entry without its span) is a 500.
 */
import { timeTrackingV1 } from '@workshare/proto';
import {
  ENTRY_SOURCES,
  WEEK_APPROVALS,
  type CorrectEntryBody,
  type EntrySourceName,
  type RecordSpanBody,
  type WeekApprovalName,
} from './schemas.js';
import { instantOf } from './time.js';
import { nameOf, protoTable, timeOf, UpstreamContractError } from './views.js';

export type { CorrectEntryBody, RecordSpanBody };

const ENTRY_SOURCE = protoTable<EntrySourceName, timeTrackingV1.EntrySource>(
  ENTRY_SOURCES,
  timeTrackingV1.EntrySource,
  'ENTRY_SOURCE_',
);
const WEEK_APPROVAL = protoTable<WeekApprovalName, timeTrackingV1.WeekApproval>(
  WEEK_APPROVALS,
  timeTrackingV1.WeekApproval,
  'WEEK_APPROVAL_',
);

const daysView = (days: readonly timeTrackingV1.DayMinutes[]) => days.map((d) => ({ day: d.day, minutes: d.minutes }));

export const timeEntryView = (entry: timeTrackingV1.TimeEntry) => ({
  entryId: entry.entryId,
  taskId: entry.taskId,
  jobId: entry.jobId,
  regionId: entry.regionId,
  start: timeOf(entry.start, 'entry start'),
  end: timeOf(entry.end, 'entry end'),
  minutes: entry.minutes,
  source: nameOf(ENTRY_SOURCE, entry.source, 'entry source'),
  days: daysView(entry.days),
});

/** An entry a service must have answered. */
export const requireEntry = (entry: timeTrackingV1.TimeEntry | undefined) => {
  if (entry === undefined) throw new UpstreamContractError('time tracking answered no entry');
  return { entry: timeEntryView(entry) };
};

export const startWorkView = (taskId: string, response: timeTrackingV1.StartWorkResponse) => ({
  taskId,
  start: timeOf(response.start, 'timer start'),
});

/** StopWork: the entry when one was recorded (the timer ran a whole minute at least), else null. */
export const stopWorkView = (response: timeTrackingV1.StopWorkResponse) => {
  if (response.recorded && response.entry === undefined)
    throw new UpstreamContractError('time tracking answered an entry recorded without the entry');
  return {
    recorded: response.recorded,
    entry: response.recorded && response.entry !== undefined ? timeEntryView(response.entry) : null,
  };
};

export const weekView = (week: timeTrackingV1.Week | undefined) => {
  if (week === undefined) throw new UpstreamContractError('time tracking answered no week');
  return {
    memberId: week.memberId,
    weekStart: week.weekStart,
    weekEnd: week.weekEnd,
    approval: nameOf(WEEK_APPROVAL, week.approval, 'week approval'),
    entries: week.entries.map(timeEntryView),
    days: daysView(week.days),
    totalMinutes: week.totalMinutes,
    timer:
      week.timer === undefined
        ? null
        : { taskId: week.timer.taskId, jobId: week.timer.jobId, start: timeOf(week.timer.start, 'timer start') },
  };
};

export const approvedTimeView = (response: timeTrackingV1.ListApprovedTimeResponse) => ({
  regionId: response.regionId,
  month: response.month,
  lines: response.lines.map((line) => {
    if (line.entry === undefined)
      throw new UpstreamContractError('time tracking answered an approved line without its entry');
    return {
      memberId: line.memberId,
      weekStart: line.weekStart,
      entry: timeEntryView(line.entry),
      minutesInMonth: line.minutesInMonth,
    };
  }),
  members: response.members.map((m) => ({ memberId: m.memberId, minutes: m.minutes })),
  totalMinutes: response.totalMinutes,
});

export const recordSpanRequest = (
  requestId: string,
  taskId: string,
  body: RecordSpanBody,
): timeTrackingV1.RecordSpanRequest => ({
  requestId,
  taskId,
  start: instantOf(body.start, 'body.start'),
  end: instantOf(body.end, 'body.end'),
});

export const correctEntryRequest = (
  requestId: string,
  memberId: string,
  entryId: string,
  body: CorrectEntryBody,
): timeTrackingV1.CorrectEntryRequest => ({
  requestId,
  memberId,
  entryId,
  start: instantOf(body.start, 'body.start'),
  end: instantOf(body.end, 'body.end'),
  reason: body.reason,
});
