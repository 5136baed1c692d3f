import { ValidationError } from '@workshare/eventsourcing';
import { missingField } from '@workshare/grpc';
import { teamSchedulingV1 } from '@workshare/proto';
import type { JobScheduleView, TaskHistoryEntry, TaskView, TextStatus } from '../../application/views.js';
import type { TaskStatus } from '../../domain/job-schedule.js';

export { missingField, requiredText, requestIdOf } from '@workshare/grpc';

/**
 * Proto messages ↔ the facade's inputs and views, and the checks that belong to the edge: a
 * required field left empty or absent (`request.missing_field`, with the field's proto name), a
 * timestamp absent or not a time. What the values mean (ids, periods, lengths of reasons) is for
 * the facade and the domain to check. All of it happens before anything is stored.
 */

const { AssignmentStatus } = teamSchedulingV1;

/** A required Timestamp. */
export const instantOf = (value: Date | undefined, field: string): Date => {
  if (!(value instanceof Date)) throw missingField(field);
  if (Number.isNaN(value.getTime()))
    throw new ValidationError('request.invalid_timestamp', `${field} is not a point in time`, { field });
  return value;
};

/** A whole number field (proto int32 decodes any number; a JSON gateway may pass fractions). */
export const wholeNumberOf = (value: number, field: string): number => {
  if (!Number.isSafeInteger(value))
    throw new ValidationError('request.invalid_number', `${field} is a whole number`, { field });
  return value;
};

const STATUS_MESSAGE: Readonly<Record<TaskStatus, teamSchedulingV1.AssignmentStatus>> = {
  assigned: AssignmentStatus.ASSIGNMENT_STATUS_ASSIGNED,
  unassignable: AssignmentStatus.ASSIGNMENT_STATUS_UNASSIGNABLE,
  waiting: AssignmentStatus.ASSIGNMENT_STATUS_WAITING,
};

export const scheduledTaskMessage = (view: TaskView): teamSchedulingV1.ScheduledTask => ({
  taskId: view.taskId,
  jobId: view.jobId,
  title: view.title,
  estimatedMinutes: view.estimatedMinutes,
  skills: [...view.skills],
  dependsOn: [...view.dependsOn],
  deadline: view.deadline,
  status: STATUS_MESSAGE[view.status],
  memberId: view.memberId ?? '',
  ...(view.span !== undefined ? { span: { start: view.span.start, end: view.span.end } } : {}),
  reasons: view.reasons.map((r) => ({ code: r.code, message: r.message })),
  traineeMemberId: view.traineeMemberId ?? '',
  teamRegionId: view.teamRegionId ?? '',
});

export const jobScheduleMessage = (view: JobScheduleView): teamSchedulingV1.GetJobScheduleResponse => ({
  tasks: view.tasks.map(scheduledTaskMessage),
  loads: view.loads.map((l) => ({
    memberId: l.memberId,
    assignedMinutes: l.assignedMinutes,
    wishedMinutesPerWeek: l.wishedMinutesPerWeek,
  })),
});

export const historyEntryMessage = (entry: TaskHistoryEntry): teamSchedulingV1.TaskHistoryEntry => ({
  kind: entry.kind,
  memberId: entry.memberId,
  fromMemberId: entry.fromMemberId,
  actor: entry.actor,
  reason: entry.reason,
  progressNote: entry.progressNote,
  at: entry.at,
  ...(entry.span !== undefined ? { span: { start: entry.span.start, end: entry.span.end } } : {}),
  reasons: entry.reasons.map((r) => ({ code: r.code, message: r.message })),
  reasonStatus: TEXT_STATUS[entry.reasonStatus],
  progressNoteStatus: TEXT_STATUS[entry.progressNoteStatus],
});

const TEXT_STATUS: Readonly<Record<TextStatus, teamSchedulingV1.TextStatus>> = {
  readable: teamSchedulingV1.TextStatus.TEXT_STATUS_READABLE,
  redacted: teamSchedulingV1.TextStatus.TEXT_STATUS_REDACTED,
  withheld: teamSchedulingV1.TextStatus.TEXT_STATUS_WITHHELD,
  unreadable: teamSchedulingV1.TextStatus.TEXT_STATUS_UNREADABLE,
};
