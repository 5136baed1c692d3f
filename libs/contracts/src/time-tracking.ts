/**
 * Time tracking's published events (streams `timesheet-<memberId>`, category `timesheet`): a
 * member's time entries (recorded, corrected, deleted), the receipt of her work on a task (marked
 * done), and a coordinator's approval of her Tokyo week (Monday to Sunday) and its reopening by a
 * later correction. What settlement pays from: approved time only from WeekApproved and
 * WeekReopened (the latest of them per member and week), receipts from TaskMarkedDone.
 *
 * Times are ISO-8601 UTC; a week is named by its Monday in Asia/Tokyo (`YYYY-MM-DD`); an entry
 * belongs to the week its start falls in. Spans are whole minutes (`minutes` = (end − start) / 1
 * minute). Only facts are published, never free text: the reason of a correction or a deletion
 * is time tracking's own (the audit reads it there), nor who acted (the event's metadata says so).
 */
import { Type } from 'typebox';
import { publishedEvent } from './published.js';

const PRODUCER = 'time-tracking';
const CATEGORY = 'timesheet';

/** The source of an entry: a timer started and stopped, or a span entered afterwards. */
export const PUBLISHED_TIME_ENTRY_SOURCES = ['timer', 'manual'] as const;

/** A Tokyo week's Monday, `YYYY-MM-DD`. */
export const PUBLISHED_WEEK_START_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

const memberId = Type.String({
  minLength: 1,
  description: 'The member (identity’s); her stream is `timesheet-<memberId>`.',
});
const entryId = Type.String({ format: 'uuid', description: 'The time entry, unique platform-wide.' });
const taskId = Type.String({ format: 'uuid', description: 'The task worked on (task decomposition’s id).' });
const jobId = Type.String({ format: 'uuid', description: 'The task’s job.' });
const regionId = Type.String({ minLength: 1, description: 'The job’s home region (whose month pays it).' });
const start = Type.String({ format: 'date-time', description: 'When the work began (UTC, a whole minute).' });
const end = Type.String({ format: 'date-time', description: 'When it ended (UTC, a whole minute, after start).' });
const minutes = Type.Integer({ minimum: 1, description: 'Whole minutes of the span: (end − start) / 60 s.' });
const weekStart = Type.String({
  pattern: PUBLISHED_WEEK_START_PATTERN,
  description: 'The Monday (Asia/Tokyo) of the week, `YYYY-MM-DD`; the week runs to the next Monday 00:00 Tokyo.',
});

export const TimeEntryRecordedV1 = publishedEvent({
  producer: PRODUCER,
  type: 'TimeEntryRecorded',
  schemaVersion: 1,
  category: CATEGORY,
  idField: 'memberId',
  schema: Type.Object(
    {
      memberId,
      entryId,
      taskId,
      jobId,
      regionId,
      start,
      end,
      minutes,
      source: Type.Enum(PUBLISHED_TIME_ENTRY_SOURCES, {
        description: '`timer` (started and stopped) or `manual` (entered afterwards).',
      }),
    },
    { description: 'The member recorded a span of work on a task she held for the whole span.' },
  ),
});

export const TimeEntryCorrectedV1 = publishedEvent({
  producer: PRODUCER,
  type: 'TimeEntryCorrected',
  schemaVersion: 1,
  category: CATEGORY,
  idField: 'memberId',
  schema: Type.Object(
    { memberId, entryId, start, end, minutes },
    {
      description:
        'An entry’s span replaced by a new one (the member, or a coordinator of her region, with a reason kept by time tracking); its task stays.',
    },
  ),
});

export const TimeEntryDeletedV1 = publishedEvent({
  producer: PRODUCER,
  type: 'TimeEntryDeleted',
  schemaVersion: 1,
  category: CATEGORY,
  idField: 'memberId',
  schema: Type.Object(
    { memberId, entryId },
    {
      description:
        'An entry withdrawn (the member, or a coordinator of her region, with a reason kept by time tracking).',
    },
  ),
});

/**
 * Version 2: the same published fields; time tracking's own reason (not published) is sealed
 * with the member's key by identity since this version, so forgetting her makes it unreadable.
 */
export const TimeEntryCorrectedV2 = publishedEvent({ ...TimeEntryCorrectedV1, schemaVersion: 2 });

/** Version 2: the same published fields; the reason (not published) is sealed with the member's key. */
export const TimeEntryDeletedV2 = publishedEvent({ ...TimeEntryDeletedV1, schemaVersion: 2 });

export const TaskMarkedDoneV1 = publishedEvent({
  producer: PRODUCER,
  type: 'TaskMarkedDone',
  schemaVersion: 1,
  category: CATEGORY,
  idField: 'memberId',
  schema: Type.Object(
    {
      memberId,
      taskId,
      jobId,
      regionId,
      at: Type.String({
        format: 'date-time',
        description: 'When the cooperative received her work on the task (フリーランス法 §4: day 1 of the 60).',
      }),
    },
    { description: 'The member, holding the task, marked it done: once per member and task.' },
  ),
});

const ApprovedEntry = Type.Object(
  { entryId, taskId, jobId, regionId, start, end, minutes },
  { description: 'An entry as approved.' },
);

export const WeekApprovedV1 = publishedEvent({
  producer: PRODUCER,
  type: 'WeekApproved',
  schemaVersion: 1,
  category: CATEGORY,
  idField: 'memberId',
  schema: Type.Object(
    {
      memberId,
      weekStart,
      entries: Type.Array(ApprovedEntry, {
        minItems: 1,
        description: 'Every entry of the week (by its start), as approved; earliest first.',
      }),
    },
    {
      description:
        'A coordinator of her region approved the member’s week: its full set of entries. A later WeekApproved of the same week replaces this one.',
    },
  ),
});

export const WeekReopenedV1 = publishedEvent({
  producer: PRODUCER,
  type: 'WeekReopened',
  schemaVersion: 1,
  category: CATEGORY,
  idField: 'memberId',
  schema: Type.Object(
    { memberId, weekStart },
    {
      description:
        'A correction or a deletion touched an approved week (it follows them in the same decision): the week is not approved until it is approved again.',
    },
  ),
});

/** Every event time tracking publishes, each type at each version. */
export const TIME_TRACKING_PUBLISHED_EVENTS = [
  TimeEntryRecordedV1,
  TimeEntryCorrectedV1,
  TimeEntryCorrectedV2,
  TimeEntryDeletedV1,
  TimeEntryDeletedV2,
  TaskMarkedDoneV1,
  WeekApprovedV1,
  WeekReopenedV1,
] as const;
