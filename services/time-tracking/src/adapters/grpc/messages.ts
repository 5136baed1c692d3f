import { ValidationError } from '@workshare/eventsourcing';
import { missingField } from '@workshare/grpc';
import { timeTrackingV1 } from '@workshare/proto';
import { tokyoTime } from '@workshare/time';
import type { ApprovalOutcome } from '../../application/time-tracking-service.js';
import type { ApprovedTimeView, EntryView, WeekView } from '../../application/week-view.js';
import type { EntrySource, WeekApproval } from '../../domain/timesheet.js';

export { missingField, requiredText, requestIdOf } from '@workshare/grpc';

/**
 * Proto messages ↔ the facade's inputs and views, and the checks that belong to the edge: a
 * required field left empty or absent (`request.missing_field`, with the field's proto name), a
 * timestamp absent or not a time. What the values mean (ids, spans, weeks, reasons) is for the
 * facade and the domain to check. All of it happens before anything is stored.
 */

const { EntrySource: ProtoEntrySource, WeekApproval: ProtoWeekApproval } = timeTrackingV1;

/** A required Timestamp. */
export const instantOf = (value: Date | undefined, field: string): Date => {
  if (!(value instanceof Date)) throw missingField(field);
  if (Number.isNaN(value.getTime()))
    throw new ValidationError('request.invalid_timestamp', `${field} is not a point in time`, { field });
  return value;
};

/** An optional text field: undefined when empty. */
export const optionalText = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());

const SOURCE_MESSAGE: Readonly<Record<EntrySource, timeTrackingV1.EntrySource>> = {
  timer: ProtoEntrySource.ENTRY_SOURCE_TIMER,
  manual: ProtoEntrySource.ENTRY_SOURCE_MANUAL,
};

const APPROVAL_MESSAGE: Readonly<Record<WeekApproval, timeTrackingV1.WeekApproval>> = {
  open: ProtoWeekApproval.WEEK_APPROVAL_OPEN,
  approved: ProtoWeekApproval.WEEK_APPROVAL_APPROVED,
  reopened: ProtoWeekApproval.WEEK_APPROVAL_REOPENED,
};

export const entryMessage = (entry: EntryView): timeTrackingV1.TimeEntry => ({
  entryId: entry.entryId,
  taskId: entry.taskId,
  jobId: entry.jobId,
  regionId: entry.regionId,
  start: entry.start,
  end: entry.end,
  startTokyo: entry.startTokyo,
  endTokyo: entry.endTokyo,
  minutes: entry.minutes,
  source: SOURCE_MESSAGE[entry.source],
  days: entry.days.map((d) => ({ day: d.day, minutes: d.minutes })),
});

export const weekMessage = (week: WeekView): timeTrackingV1.Week => ({
  memberId: week.memberId,
  weekStart: week.weekStart,
  weekEnd: week.weekEnd,
  approval: APPROVAL_MESSAGE[week.approval],
  entries: week.entries.map(entryMessage),
  days: week.days.map((d) => ({ day: d.day, minutes: d.minutes })),
  totalMinutes: week.totalMinutes,
  ...(week.timer !== undefined
    ? {
        timer: {
          taskId: week.timer.taskId,
          jobId: week.timer.jobId,
          start: week.timer.start,
          startTokyo: week.timer.startTokyo,
        },
      }
    : {}),
});

export const approvalMessage = (outcome: ApprovalOutcome): timeTrackingV1.ApproveWeekResponse => ({
  approvedEntries: outcome.approvedEntries,
  alreadyApproved: outcome.alreadyApproved,
});

export const approvedTimeMessage = (view: ApprovedTimeView): timeTrackingV1.ListApprovedTimeResponse => ({
  regionId: view.regionId,
  month: view.month,
  lines: view.lines.map((l) => ({
    memberId: l.memberId,
    weekStart: l.weekStart,
    entry: entryMessage(l.entry),
    minutesInMonth: l.minutesInMonth,
  })),
  members: view.members.map((m) => ({ memberId: m.memberId, minutes: m.minutes })),
  totalMinutes: view.totalMinutes,
});

/** An instant with its Tokyo rendering. */
export const instantMessage = (at: Date): { at: Date; atTokyo: string } => ({ at, atTokyo: tokyoTime(at) });
