/**
 * A member's timesheet (issue 11, part 1), one stream per member: `timesheet-<memberId>`. Pure:
 * commands carry everything decide needs (who acts and her roles, the command's time, the
 * member's region, and team scheduling's record of when she held the task concerned, taken from
 * its published events by the application), events are what settlement and the audit read, and
 * evolve folds them. No I/O, no clock.
 *
 * A member records her own time: a timer (StartWork, StopWork; one running at most) or a span
 * entered afterwards (RecordSpan), on a task she held for the whole span; she marks a task done
 * (the instant the cooperative received her work). Entries are corrected and deleted by new
 * events with a reason, never edited: by the member herself or a coordinator of her region. A
 * coordinator of her region approves her Tokyo week (Monday to Sunday) once it is over; a
 * correction or deletion that touches an approved week reopens it in the same decision.
 *
 * Rounding (stated, tested): a span is whole minutes. A span entered by hand (RecordSpan,
 * CorrectEntry) must start and end on a whole minute (seconds are refused: `time.invalid_span`).
 * A timer counts the whole minutes inside it: its start is rounded up to the next whole minute
 * and its stop down to the last one, so that it never counts a second not worked; a timer
 * stopped before a whole minute has passed records nothing (TimerDiscarded).
 */
import {
  coordinates,
  DomainError,
  ForbiddenError,
  isMember,
  NotFoundError,
  textFault,
  characterCount,
  ValidationError,
  type Actor,
  type Decider,
} from '@workshare/eventsourcing';
import {
  isWholeMinute,
  minutesByTokyoDay,
  minutesOf,
  MINUTE_MS,
  overlaps,
  weekNamed,
  weekStartOf,
  type Span,
} from './tokyo-days.js';

// ---- reference values -----------------------------------------------------------------------

/**
 * What a timesheet allows, written once here (the gRPC host's limits and the HTTP edge's schemas
 * read them through `@workshare/time-tracking/contract`).
 */
export const LIMITS = Object.freeze({
  /** At most this many minutes of work in one Tokyo day (12 hours), a span crossing midnight counting on each day. */
  maxMinutesPerTokyoDay: 720,
  /** A reason (correcting, deleting) is 1 to this many characters, counted after trimming. */
  reasonLength: 1_000,
});

/** The stable codes of the timesheet's refusals. */
export const TIME_CODES = Object.freeze({
  forbidden: 'time.forbidden',
  invalidSpan: 'time.invalid_span',
  spanInFuture: 'time.span_in_future',
  overlappingSpan: 'time.overlapping_span',
  taskNotHeld: 'time.task_not_held',
  dayLimitExceeded: 'time.day_limit_exceeded',
  weekApproved: 'time.week_approved',
  entryNotFound: 'time.entry_not_found',
  reasonRequired: 'time.reason_required',
  invalidReason: 'time.invalid_reason',
  timerRunning: 'time.timer_running',
  noTimer: 'time.no_timer',
  alreadyDone: 'time.already_done',
  invalidWeek: 'time.invalid_week',
  weekNotOver: 'time.week_not_over',
  nothingToApprove: 'time.nothing_to_approve',
} as const);
export type TimeCode = (typeof TIME_CODES)[keyof typeof TIME_CODES];

export const ENTRY_SOURCES = ['timer', 'manual'] as const;
export type EntrySource = (typeof ENTRY_SOURCES)[number];

export const WEEK_APPROVALS = ['open', 'approved', 'reopened'] as const;
/** A week's approval: never approved (`open`), `approved`, or `reopened` by a correction since. */
export type WeekApproval = (typeof WEEK_APPROVALS)[number];

export const timesheetStream = (memberId: string): string => `timesheet-${memberId}`;

// ---- what the schedule says ------------------------------------------------------------------

/** A span during which the member held a task: from an assignment to its release (`to` undefined: she holds it still). */
export interface HoldingInterval {
  readonly from: Date;
  readonly to?: Date | undefined;
}

/**
 * Team scheduling's record of one task for one member, from its published events (the
 * application's task holdings read model): the task's job and the job's home region, and every
 * interval during which this member held it.
 */
export interface TaskHolding {
  readonly taskId: string;
  readonly jobId: string;
  readonly regionId: string;
  readonly intervals: readonly HoldingInterval[];
}

// ---- commands -------------------------------------------------------------------------------

export interface StartWork {
  readonly type: 'StartWork';
  readonly memberId: string;
  readonly taskId: string;
  /** The schedule's record of the task for her; undefined when it knows none. */
  readonly holding: TaskHolding | undefined;
  readonly by: Actor;
  readonly at: Date;
}

export interface StopWork {
  readonly type: 'StopWork';
  readonly memberId: string;
  /** The id of the entry the stop records. */
  readonly entryId: string;
  /** The schedule's record, for her, of the task her timer runs on. */
  readonly holding: TaskHolding | undefined;
  readonly by: Actor;
  readonly at: Date;
}

export interface DiscardTimer {
  readonly type: 'DiscardTimer';
  readonly memberId: string;
  readonly by: Actor;
}

export interface RecordSpan {
  readonly type: 'RecordSpan';
  readonly memberId: string;
  readonly entryId: string;
  readonly taskId: string;
  readonly start: Date;
  readonly end: Date;
  readonly holding: TaskHolding | undefined;
  readonly by: Actor;
  readonly at: Date;
}

export interface CorrectEntry {
  readonly type: 'CorrectEntry';
  readonly memberId: string;
  readonly entryId: string;
  readonly start: Date;
  readonly end: Date;
  /** Sealed for her by the application (checked with checkReason first). */
  readonly reason: PersonalText;
  /** The schedule's record, for her, of the entry's task. */
  readonly holding: TaskHolding | undefined;
  /** Her region (identity's MemberRegistered); undefined when not known. */
  readonly memberRegionId: string | undefined;
  readonly by: Actor;
  readonly at: Date;
}

export interface DeleteEntry {
  readonly type: 'DeleteEntry';
  readonly memberId: string;
  readonly entryId: string;
  /** Sealed for her by the application (checked with checkReason first). */
  readonly reason: PersonalText;
  readonly memberRegionId: string | undefined;
  readonly by: Actor;
}

export interface MarkTaskDone {
  readonly type: 'MarkTaskDone';
  readonly memberId: string;
  readonly taskId: string;
  readonly holding: TaskHolding | undefined;
  readonly by: Actor;
  readonly at: Date;
}

export interface ApproveWeek {
  readonly type: 'ApproveWeek';
  readonly memberId: string;
  /** The week's Monday, `YYYY-MM-DD` (Asia/Tokyo). */
  readonly weekStart: string;
  readonly memberRegionId: string | undefined;
  readonly by: Actor;
  readonly at: Date;
}

export type TimesheetCommand =
  StartWork | StopWork | DiscardTimer | RecordSpan | CorrectEntry | DeleteEntry | MarkTaskDone | ApproveWeek;

// ---- events (times ISO-8601 UTC; the published ones follow @workshare/contracts' schemas) ----

export type TimerStarted = {
  readonly type: 'TimerStarted';
  readonly data: { memberId: string; taskId: string; jobId: string; regionId: string; start: string };
};
export type TimerDiscarded = { readonly type: 'TimerDiscarded'; readonly data: { memberId: string } };
export type TimeEntryRecorded = {
  readonly type: 'TimeEntryRecorded';
  readonly data: {
    memberId: string;
    entryId: string;
    taskId: string;
    jobId: string;
    regionId: string;
    start: string;
    end: string;
    minutes: number;
    source: EntrySource;
  };
};
/**
 * A text identity sealed with the data key of the member `sealedFor` (identity's SealedText,
 * `@workshare/identity/texts`): a correction's or a deletion's reason since schema version 2,
 * so that forgetting her makes it unreadable.
 */
export type SealedText = { readonly sealedFor: string; readonly sealed: string };

/** A reason as a command and an event carry it: sealed for the member, or in clear (schema version 1). */
export type PersonalText = string | SealedText;

export const isSealedText = (value: unknown): value is SealedText =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { sealedFor?: unknown }).sealedFor === 'string' &&
  typeof (value as { sealed?: unknown }).sealed === 'string' &&
  (value as { sealed: string }).sealed !== '';

/**
 * The reason is time tracking's own: it is not part of the published contract. Schema version 2:
 * sealed for the member (PersonalText).
 */
export type TimeEntryCorrected = {
  readonly type: 'TimeEntryCorrected';
  readonly data: {
    memberId: string;
    entryId: string;
    start: string;
    end: string;
    minutes: number;
    reason: PersonalText;
  };
};
/** Schema version 2: the reason sealed for the member (PersonalText). */
export type TimeEntryDeleted = {
  readonly type: 'TimeEntryDeleted';
  readonly data: { memberId: string; entryId: string; reason: PersonalText };
};
export type TaskMarkedDone = {
  readonly type: 'TaskMarkedDone';
  readonly data: { memberId: string; taskId: string; jobId: string; regionId: string; at: string };
};
export type ApprovedEntryData = {
  entryId: string;
  taskId: string;
  jobId: string;
  regionId: string;
  start: string;
  end: string;
  minutes: number;
};
export type WeekApproved = {
  readonly type: 'WeekApproved';
  readonly data: { memberId: string; weekStart: string; entries: ApprovedEntryData[] };
};
export type WeekReopened = { readonly type: 'WeekReopened'; readonly data: { memberId: string; weekStart: string } };

export type TimesheetEvent =
  | TimerStarted
  | TimerDiscarded
  | TimeEntryRecorded
  | TimeEntryCorrected
  | TimeEntryDeleted
  | TaskMarkedDone
  | WeekApproved
  | WeekReopened;

export const TIMESHEET_EVENT_TYPES: readonly TimesheetEvent['type'][] = [
  'TimerStarted',
  'TimerDiscarded',
  'TimeEntryRecorded',
  'TimeEntryCorrected',
  'TimeEntryDeleted',
  'TaskMarkedDone',
  'WeekApproved',
  'WeekReopened',
];

// ---- state ----------------------------------------------------------------------------------

export interface TimeEntry {
  readonly entryId: string;
  readonly taskId: string;
  readonly jobId: string;
  readonly regionId: string;
  readonly start: Date;
  readonly end: Date;
  readonly minutes: number;
  readonly source: EntrySource;
}

export interface RunningTimer {
  readonly taskId: string;
  readonly jobId: string;
  readonly regionId: string;
  /** A whole minute: when the command came, rounded up. */
  readonly start: Date;
}

/** A Tokyo week of the sheet: its live entries (those starting in it), by id, and its approval. */
export interface SheetWeek {
  readonly entries: Readonly<Record<string, TimeEntry>>;
  readonly approval: WeekApproval;
}

export interface TaskDone {
  readonly taskId: string;
  readonly jobId: string;
  readonly regionId: string;
  readonly at: Date;
}

export interface Timesheet {
  /** Undefined before the first event. */
  readonly memberId?: string;
  /** By the week's Monday (`YYYY-MM-DD`). Deleted entries are gone; a week keeps its approval. */
  readonly weeks: Readonly<Record<string, SheetWeek>>;
  readonly timer?: RunningTimer;
  /** The tasks she marked done, by task id. */
  readonly done: Readonly<Record<string, TaskDone>>;
}

export const initialState = (): Timesheet => ({ weeks: {}, done: {} });

/** Every live entry of the sheet, in no particular order. */
export function* entriesOf(sheet: Timesheet): Generator<TimeEntry> {
  for (const week of Object.values(sheet.weeks)) yield* Object.values(week.entries);
}

/** A live entry by id (undefined when there is none, or it was deleted). */
export const entryOf = (sheet: Timesheet, entryId: string): TimeEntry | undefined => {
  for (const week of Object.values(sheet.weeks)) {
    const entry = Object.hasOwn(week.entries, entryId) ? week.entries[entryId] : undefined;
    if (entry !== undefined) return entry;
  }
  return undefined;
};

export const approvalOf = (sheet: Timesheet, weekStart: string): WeekApproval =>
  (Object.hasOwn(sheet.weeks, weekStart) ? sheet.weeks[weekStart]?.approval : undefined) ?? 'open';

// ---- checks ---------------------------------------------------------------------------------

const refuse = (code: TimeCode, message: string, details: Record<string, unknown> = {}): DomainError =>
  new DomainError(code, message, 'rule', details);
const invalid = (code: TimeCode, message: string, details: Record<string, unknown> = {}): ValidationError =>
  new ValidationError(code, message, details);
const forbidden = (message: string): ForbiddenError => new ForbiddenError(TIME_CODES.forbidden, message);

const isSelf = (by: Actor, memberId: string): boolean => by.id === memberId && isMember(by);

/** Only the member herself records her time (nobody records it for her). */
const requireSelf = (by: Actor, memberId: string, what: string): void => {
  if (!isSelf(by, memberId)) throw forbidden(`only the member herself may ${what}`);
};

/** The member herself, or a coordinator of her region. */
/** Who changes a member's time (her entries): herself, or a coordinator of her region (`time.forbidden`). */
export const requireSelfOrCoordinator = (
  by: Actor,
  memberId: string,
  regionId: string | undefined,
  what: string,
): void => {
  if (isSelf(by, memberId)) return;
  if (regionId !== undefined && coordinates(by, regionId)) return;
  throw forbidden(`only the member herself or a coordinator of her region may ${what}`);
};

const isInstant = (value: unknown): value is Date => value instanceof Date && !Number.isNaN(value.getTime());

/** A span entered by hand: real instants, on whole minutes, ending after it starts (`time.invalid_span`). */
const spanOf = (start: Date, end: Date): Span => {
  if (!isInstant(start)) throw invalid(TIME_CODES.invalidSpan, 'start is not a point in time', { field: 'start' });
  if (!isInstant(end)) throw invalid(TIME_CODES.invalidSpan, 'end is not a point in time', { field: 'end' });
  if (!isWholeMinute(start) || !isWholeMinute(end))
    throw invalid(TIME_CODES.invalidSpan, 'a span starts and ends on a whole minute (no seconds)', {
      field: isWholeMinute(start) ? 'end' : 'start',
      reason: 'seconds',
    });
  if (end.getTime() <= start.getTime())
    throw invalid(TIME_CODES.invalidSpan, 'a span ends after it starts', { field: 'end', reason: 'not_after_start' });
  return { start, end };
};

const notInFuture = (span: Span, at: Date): void => {
  if (span.end.getTime() > at.getTime())
    throw invalid(TIME_CODES.spanInFuture, 'a span cannot end in the future', { field: 'end' });
};

const notInApprovedWeek = (sheet: Timesheet, span: Span): void => {
  const weekStart = weekStartOf(span.start);
  if (approvalOf(sheet, weekStart) === 'approved')
    throw refuse(
      TIME_CODES.weekApproved,
      `the week of ${weekStart} is approved: only a correction or deletion of one of its entries reopens it`,
      { weekStart },
    );
};

/** She held the task for the whole span: inside one interval of hers, from its assignment to its release. */
const heldThroughout = (holding: TaskHolding | undefined, span: Span): boolean =>
  holding?.intervals.some(
    (i) => i.from.getTime() <= span.start.getTime() && (i.to === undefined || span.end.getTime() <= i.to.getTime()),
  ) ?? false;

/** She held the task at this instant. */
const heldAt = (holding: TaskHolding | undefined, instant: Date): boolean =>
  holding?.intervals.some(
    (i) => i.from.getTime() <= instant.getTime() && (i.to === undefined || instant.getTime() < i.to.getTime()),
  ) ?? false;

const requireHeld = (holding: TaskHolding | undefined, taskId: string, span: Span): TaskHolding => {
  if (holding === undefined || !heldThroughout(holding, span))
    throw refuse(TIME_CODES.taskNotHeld, 'she did not hold the task for the whole span (team scheduling’s record)', {
      taskId,
    });
  return holding;
};

/** No other live entry of hers (nor her running timer, unless it is the one stopping) shares an instant with the span. */
const requireNoOverlap = (
  sheet: Timesheet,
  span: Span,
  options: { readonly exceptEntry?: string; readonly countTimer: boolean },
): void => {
  for (const entry of entriesOf(sheet)) {
    if (entry.entryId === options.exceptEntry) continue;
    if (overlaps(span, entry))
      throw refuse(TIME_CODES.overlappingSpan, 'the span overlaps another entry of hers', { entryId: entry.entryId });
  }
  const timer = sheet.timer;
  if (options.countTimer && timer !== undefined && overlaps(span, { start: timer.start, end: undefined }))
    throw refuse(TIME_CODES.overlappingSpan, 'the span overlaps her running timer', { timerStart: timer.start });
};

/**
 * At most LIMITS.maxMinutesPerTokyoDay minutes in any Tokyo day, counting every live entry's
 * minutes on that day (a span crossing midnight counts on each day) with the new span's. A span
 * longer than two such days breaks the limit on some day, whatever else she recorded.
 */
const requireWithinDayLimit = (sheet: Timesheet, span: Span, exceptEntry?: string): void => {
  const limit = LIMITS.maxMinutesPerTokyoDay;
  const minutes = minutesOf(span);
  if (minutes > 2 * limit)
    throw refuse(TIME_CODES.dayLimitExceeded, `a span of ${minutes} minutes has more than ${limit} on some Tokyo day`, {
      minutes,
      limit,
    });
  const parts = minutesByTokyoDay(span);
  const byDay = new Map(parts.map((p) => [p.day, p.minutes]));
  // Only entries within two days of the span can share one of its Tokyo days (none is longer than two days).
  const window: Span = {
    start: new Date(span.start.getTime() - 2 * 1_440 * MINUTE_MS),
    end: new Date(span.end.getTime() + 2 * 1_440 * MINUTE_MS),
  };
  for (const entry of entriesOf(sheet)) {
    if (entry.entryId === exceptEntry || !overlaps(window, entry)) continue;
    for (const part of minutesByTokyoDay(entry)) {
      const known = byDay.get(part.day);
      if (known !== undefined) byDay.set(part.day, known + part.minutes);
    }
  }
  for (const [day, total] of byDay)
    if (total > limit)
      throw refuse(
        TIME_CODES.dayLimitExceeded,
        `${day} (Tokyo) would have ${total} minutes of work: at most ${limit} a day`,
        { day, minutes: total, limit },
      );
};

/** A reason of 1 to LIMITS.reasonLength characters after trimming, storable (what the application seals). */
export const checkReason = (value: string): string => {
  const reason = typeof value === 'string' ? value.trim() : '';
  if (reason === '') throw invalid(TIME_CODES.reasonRequired, 'a reason is required', { field: 'reason' });
  if (characterCount(reason, LIMITS.reasonLength) > LIMITS.reasonLength)
    throw invalid(TIME_CODES.invalidReason, `a reason is at most ${LIMITS.reasonLength} characters`, {
      field: 'reason',
      maxLength: LIMITS.reasonLength,
    });
  const fault = textFault(reason);
  if (fault !== undefined)
    throw new ValidationError('text.invalid_characters', 'reason holds characters that cannot be stored', {
      field: 'reason',
      reason: fault,
    });
  return reason;
};

/** A command's reason: in clear, checked (checkReason); sealed, it was checked before sealing and must be sealed for her. */
const reasonOf = (value: PersonalText, memberId: string): PersonalText => {
  if (typeof value === 'string') return checkReason(value);
  if (!isSealedText(value) || value.sealedFor !== memberId)
    throw invalid(TIME_CODES.invalidReason, 'a reason is sealed for the member it is about', { field: 'reason' });
  return { sealedFor: value.sealedFor, sealed: value.sealed };
};

const existingEntry = (sheet: Timesheet, entryId: string): TimeEntry => {
  const entry = entryOf(sheet, entryId);
  if (entry === undefined) throw new NotFoundError(TIME_CODES.entryNotFound, 'no such entry on her timesheet');
  return entry;
};

const ceilMinute = (instant: Date): Date => new Date(Math.ceil(instant.getTime() / MINUTE_MS) * MINUTE_MS);
const floorMinute = (instant: Date): Date => new Date(Math.floor(instant.getTime() / MINUTE_MS) * MINUTE_MS);

/** The approved weeks among these (the weeks an entry was and will be in): each reopened once. */
const reopened = (sheet: Timesheet, memberId: string, weekStarts: readonly string[]): WeekReopened[] =>
  [...new Set(weekStarts)]
    .filter((weekStart) => approvalOf(sheet, weekStart) === 'approved')
    .map((weekStart) => ({ type: 'WeekReopened', data: { memberId, weekStart } }));

// ---- decide ---------------------------------------------------------------------------------

const startWork = (command: StartWork, sheet: Timesheet): TimesheetEvent[] => {
  requireSelf(command.by, command.memberId, 'start work on her timesheet');
  if (sheet.timer !== undefined)
    throw refuse(TIME_CODES.timerRunning, 'her timer is running already: stop it first', {
      taskId: sheet.timer.taskId,
      start: sheet.timer.start.toISOString(),
    });
  const start = ceilMinute(command.at);
  const holding = command.holding;
  if (holding === undefined || !heldAt(holding, start))
    throw refuse(TIME_CODES.taskNotHeld, 'she does not hold the task now (team scheduling’s record)', {
      taskId: command.taskId,
    });
  const overlapping = [...entriesOf(sheet)].find((e) => e.end.getTime() > start.getTime());
  if (overlapping !== undefined)
    throw refuse(TIME_CODES.overlappingSpan, 'an entry of hers ends after the timer would start', {
      entryId: overlapping.entryId,
    });
  return [
    {
      type: 'TimerStarted',
      data: {
        memberId: command.memberId,
        taskId: holding.taskId,
        jobId: holding.jobId,
        regionId: holding.regionId,
        start: start.toISOString(),
      },
    },
  ];
};

const stopWork = (command: StopWork, sheet: Timesheet): TimesheetEvent[] => {
  requireSelf(command.by, command.memberId, 'stop work on her timesheet');
  const timer = sheet.timer;
  if (timer === undefined) throw refuse(TIME_CODES.noTimer, 'her timer is not running');
  const end = floorMinute(command.at);
  // Stopped before a whole minute passed: nothing to record (rounding: whole minutes inside the timer).
  if (end.getTime() <= timer.start.getTime()) return [{ type: 'TimerDiscarded', data: { memberId: command.memberId } }];
  const span: Span = { start: timer.start, end };
  notInApprovedWeek(sheet, span);
  requireHeld(command.holding, timer.taskId, span);
  requireNoOverlap(sheet, span, { countTimer: false });
  requireWithinDayLimit(sheet, span);
  return [
    {
      type: 'TimeEntryRecorded',
      data: {
        memberId: command.memberId,
        entryId: command.entryId,
        taskId: timer.taskId,
        jobId: timer.jobId,
        regionId: timer.regionId,
        start: span.start.toISOString(),
        end: span.end.toISOString(),
        minutes: minutesOf(span),
        source: 'timer',
      },
    },
  ];
};

const discardTimer = (command: DiscardTimer, sheet: Timesheet): TimesheetEvent[] => {
  requireSelf(command.by, command.memberId, 'discard her timer');
  if (sheet.timer === undefined) throw refuse(TIME_CODES.noTimer, 'her timer is not running');
  return [{ type: 'TimerDiscarded', data: { memberId: command.memberId } }];
};

const recordSpan = (command: RecordSpan, sheet: Timesheet): TimesheetEvent[] => {
  requireSelf(command.by, command.memberId, 'record time on her timesheet');
  const span = spanOf(command.start, command.end);
  notInFuture(span, command.at);
  notInApprovedWeek(sheet, span);
  const holding = requireHeld(command.holding, command.taskId, span);
  requireNoOverlap(sheet, span, { countTimer: true });
  requireWithinDayLimit(sheet, span);
  return [
    {
      type: 'TimeEntryRecorded',
      data: {
        memberId: command.memberId,
        entryId: command.entryId,
        taskId: holding.taskId,
        jobId: holding.jobId,
        regionId: holding.regionId,
        start: span.start.toISOString(),
        end: span.end.toISOString(),
        minutes: minutesOf(span),
        source: 'manual',
      },
    },
  ];
};

const correctEntry = (command: CorrectEntry, sheet: Timesheet): TimesheetEvent[] => {
  requireSelfOrCoordinator(command.by, command.memberId, command.memberRegionId, 'correct her time');
  const reason = reasonOf(command.reason, command.memberId);
  const entry = existingEntry(sheet, command.entryId);
  const span = spanOf(command.start, command.end);
  notInFuture(span, command.at);
  // The same span again changes nothing.
  if (span.start.getTime() === entry.start.getTime() && span.end.getTime() === entry.end.getTime()) return [];
  requireHeld(command.holding, entry.taskId, span);
  requireNoOverlap(sheet, span, { exceptEntry: entry.entryId, countTimer: true });
  requireWithinDayLimit(sheet, span, entry.entryId);
  return [
    {
      type: 'TimeEntryCorrected',
      data: {
        memberId: command.memberId,
        entryId: entry.entryId,
        start: span.start.toISOString(),
        end: span.end.toISOString(),
        minutes: minutesOf(span),
        reason,
      },
    },
    // The week it was in and the week it moves to, when approved: neither is what was approved any more.
    ...reopened(sheet, command.memberId, [weekStartOf(entry.start), weekStartOf(span.start)]),
  ];
};

const deleteEntry = (command: DeleteEntry, sheet: Timesheet): TimesheetEvent[] => {
  requireSelfOrCoordinator(command.by, command.memberId, command.memberRegionId, 'delete her time');
  const reason = reasonOf(command.reason, command.memberId);
  const entry = existingEntry(sheet, command.entryId);
  return [
    { type: 'TimeEntryDeleted', data: { memberId: command.memberId, entryId: entry.entryId, reason } },
    ...reopened(sheet, command.memberId, [weekStartOf(entry.start)]),
  ];
};

/**
 * Marking a task done is the receipt of her work (フリーランス法 §4: the 60 days count from it),
 * once per task: a second mark is refused (`time.already_done`, naming the first instant), since
 * the receipt cannot move. She marks it while she holds it.
 */
const markTaskDone = (command: MarkTaskDone, sheet: Timesheet): TimesheetEvent[] => {
  requireSelf(command.by, command.memberId, 'mark her task done');
  const done = Object.hasOwn(sheet.done, command.taskId) ? sheet.done[command.taskId] : undefined;
  if (done !== undefined)
    throw refuse(TIME_CODES.alreadyDone, `she marked the task done at ${done.at.toISOString()}`, {
      taskId: command.taskId,
      at: done.at.toISOString(),
    });
  const holding = command.holding;
  if (holding === undefined || !heldAt(holding, command.at))
    throw refuse(TIME_CODES.taskNotHeld, 'she does not hold the task now (team scheduling’s record)', {
      taskId: command.taskId,
    });
  return [
    {
      type: 'TaskMarkedDone',
      data: {
        memberId: command.memberId,
        taskId: holding.taskId,
        jobId: holding.jobId,
        regionId: holding.regionId,
        at: command.at.toISOString(),
      },
    },
  ];
};

/**
 * A coordinator of her region (never she herself) approves a week that is over: its full set
 * of entries. Approving a week approved and unchanged since changes nothing.
 */
const approveWeek = (command: ApproveWeek, sheet: Timesheet): TimesheetEvent[] => {
  const { by, memberRegionId } = command;
  if (memberRegionId === undefined || !coordinates(by, memberRegionId))
    throw forbidden('only a coordinator of her region may approve her week');
  if (by.id === command.memberId) throw forbidden('a coordinator does not approve her own week');
  const week = weekNamed(command.weekStart);
  if (week === undefined)
    throw invalid(TIME_CODES.invalidWeek, 'a week is named by its Monday (Asia/Tokyo), YYYY-MM-DD', {
      field: 'weekStart',
    });
  if (command.at.getTime() < week.to.getTime())
    throw refuse(TIME_CODES.weekNotOver, `the week of ${command.weekStart} is not over yet`, {
      weekStart: command.weekStart,
      endsAt: week.to.toISOString(),
    });
  if (approvalOf(sheet, command.weekStart) === 'approved') return [];
  const timer = sheet.timer;
  if (timer !== undefined && weekStartOf(timer.start) === command.weekStart)
    throw refuse(TIME_CODES.timerRunning, 'her timer started in this week still runs: it must be stopped first', {
      weekStart: command.weekStart,
    });
  const entries = Object.values(weekIn(sheet, command.weekStart).entries).sort(
    (a, b) => a.start.getTime() - b.start.getTime() || (a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0),
  );
  if (entries.length === 0)
    throw refuse(TIME_CODES.nothingToApprove, `she has no time in the week of ${command.weekStart}`, {
      weekStart: command.weekStart,
    });
  return [
    {
      type: 'WeekApproved',
      data: {
        memberId: command.memberId,
        weekStart: command.weekStart,
        entries: entries.map((e) => ({
          entryId: e.entryId,
          taskId: e.taskId,
          jobId: e.jobId,
          regionId: e.regionId,
          start: e.start.toISOString(),
          end: e.end.toISOString(),
          minutes: e.minutes,
        })),
      },
    },
  ];
};

export const decide = (command: TimesheetCommand, sheet: Timesheet): TimesheetEvent[] => {
  switch (command.type) {
    case 'StartWork':
      return startWork(command, sheet);
    case 'StopWork':
      return stopWork(command, sheet);
    case 'DiscardTimer':
      return discardTimer(command, sheet);
    case 'RecordSpan':
      return recordSpan(command, sheet);
    case 'CorrectEntry':
      return correctEntry(command, sheet);
    case 'DeleteEntry':
      return deleteEntry(command, sheet);
    case 'MarkTaskDone':
      return markTaskDone(command, sheet);
    case 'ApproveWeek':
      return approveWeek(command, sheet);
  }
};

// ---- evolve ---------------------------------------------------------------------------------

const EMPTY_WEEK: SheetWeek = Object.freeze({ entries: Object.freeze({}), approval: 'open' });

const weekIn = (sheet: Timesheet, weekStart: string): SheetWeek =>
  (Object.hasOwn(sheet.weeks, weekStart) ? sheet.weeks[weekStart] : undefined) ?? EMPTY_WEEK;

const withWeek = (sheet: Timesheet, weekStart: string, change: (week: SheetWeek) => SheetWeek): Timesheet => ({
  ...sheet,
  weeks: { ...sheet.weeks, [weekStart]: change(weekIn(sheet, weekStart)) },
});

const withEntry = (sheet: Timesheet, entry: TimeEntry): Timesheet =>
  withWeek(sheet, weekStartOf(entry.start), (week) => ({
    ...week,
    entries: { ...week.entries, [entry.entryId]: entry },
  }));

const withoutEntry = (sheet: Timesheet, entry: TimeEntry): Timesheet =>
  withWeek(sheet, weekStartOf(entry.start), (week) => {
    const entries = { ...week.entries };
    delete entries[entry.entryId];
    return { ...week, entries };
  });

const withoutTimer = (sheet: Timesheet): Timesheet => {
  const next = { ...sheet };
  delete next.timer;
  return next;
};

export const evolve = (state: Timesheet, event: TimesheetEvent): Timesheet => {
  const sheet: Timesheet = state.memberId === undefined ? { ...state, memberId: event.data.memberId } : state;
  switch (event.type) {
    case 'TimerStarted': {
      const { taskId, jobId, regionId, start } = event.data;
      return { ...sheet, timer: { taskId, jobId, regionId, start: new Date(start) } };
    }
    case 'TimerDiscarded':
      return withoutTimer(sheet);
    case 'TimeEntryRecorded': {
      const d = event.data;
      const entry: TimeEntry = {
        entryId: d.entryId,
        taskId: d.taskId,
        jobId: d.jobId,
        regionId: d.regionId,
        start: new Date(d.start),
        end: new Date(d.end),
        minutes: d.minutes,
        source: d.source,
      };
      return withEntry(d.source === 'timer' ? withoutTimer(sheet) : sheet, entry);
    }
    case 'TimeEntryCorrected': {
      const entry = entryOf(sheet, event.data.entryId);
      if (entry === undefined) return sheet;
      const { start, end, minutes } = event.data;
      return withEntry(withoutEntry(sheet, entry), { ...entry, start: new Date(start), end: new Date(end), minutes });
    }
    case 'TimeEntryDeleted': {
      const entry = entryOf(sheet, event.data.entryId);
      return entry === undefined ? sheet : withoutEntry(sheet, entry);
    }
    case 'TaskMarkedDone': {
      const { taskId, jobId, regionId, at } = event.data;
      return { ...sheet, done: { ...sheet.done, [taskId]: { taskId, jobId, regionId, at: new Date(at) } } };
    }
    case 'WeekApproved':
      return withWeek(sheet, event.data.weekStart, (week) => ({ ...week, approval: 'approved' }));
    case 'WeekReopened':
      return withWeek(sheet, event.data.weekStart, (week) => ({ ...week, approval: 'reopened' }));
    default:
      return sheet;
  }
};

export const timesheetDecider: Decider<TimesheetCommand, TimesheetEvent, Timesheet> = {
  decide,
  evolve,
  initialState,
};
