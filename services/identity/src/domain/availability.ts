import { ValidationError } from '@workshare/eventsourcing';

/**
 * Weekly availability: windows of a day of the week, from start to end, in Asia/Tokyo wall
 * time ("HH:MM"; an end may be "24:00"). A window never crosses midnight: one that would is
 * two windows. Windows of one day must not overlap; touching (10:00–11:00, 11:00–12:00) is fine.
 */
export const AVAILABILITY_TIME_ZONE = 'Asia/Tokyo';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export type AvailabilityWindow = { readonly day: Weekday; readonly start: string; readonly end: string };

/** At most this many windows a week (five a day is already a lot). */
export const MAX_WINDOWS = 70;

/** A window's start: "HH:MM", 00:00 to 23:59 (a JSON schema `pattern`). */
export const AVAILABILITY_START_PATTERN = '^([01]\\d|2[0-3]):([0-5]\\d)$';
/** A window's end: "HH:MM", 00:01 to 24:00. */
export const AVAILABILITY_END_PATTERN = '^(?:([01]\\d|2[0-3]):([0-5]\\d)|(24):(00))$';

const START_TIME = new RegExp(AVAILABILITY_START_PATTERN);
const END_TIME = new RegExp(AVAILABILITY_END_PATTERN);

const minutes = (text: string, pattern: RegExp): number | undefined => {
  const m = pattern.exec(text);
  if (!m) return undefined;
  const [hours, mins] = m[1] !== undefined ? [m[1], m[2]] : [m[3], m[4]];
  return Number(hours) * 60 + Number(mins);
};

const describe = (w: { day: unknown; start: unknown; end: unknown }): string =>
  `${String(w.day)} ${String(w.start)}–${String(w.end)}`;

/**
 * Checks a week of windows and returns them in order (by day, then start). Refuses, with the
 * offending window: an unknown day (`availability.unknown_day`), a malformed time
 * (`availability.malformed_time`), an end before its start (`availability.inverted`), an end
 * equal to its start (`availability.zero_length`), two windows of a day that overlap
 * (`availability.overlap`), more than MAX_WINDOWS (`availability.too_many`).
 */
export const validateAvailability = (windows: readonly AvailabilityWindow[]): AvailabilityWindow[] => {
  if (!Array.isArray(windows)) throw new ValidationError('availability.invalid', 'availability is a list of windows');
  if (windows.length > MAX_WINDOWS) {
    throw new ValidationError(
      'availability.too_many',
      `at most ${MAX_WINDOWS} availability windows a week (got ${windows.length})`,
    );
  }
  const spans = windows.map((w, index) => {
    if (typeof w !== 'object' || w === null)
      throw new ValidationError('availability.invalid', `window #${index} is not {day, start, end}`, { index });
    if (!(WEEKDAYS as readonly unknown[]).includes(w.day)) {
      throw new ValidationError(
        'availability.unknown_day',
        `window #${index} (${describe(w)}): day must be one of ${WEEKDAYS.join(', ')}`,
        { index },
      );
    }
    const start = typeof w.start === 'string' ? minutes(w.start, START_TIME) : undefined;
    const end = typeof w.end === 'string' ? minutes(w.end, END_TIME) : undefined;
    if (start === undefined || end === undefined) {
      throw new ValidationError(
        'availability.malformed_time',
        `window #${index} (${describe(w)}): times are "HH:MM" in 24-hour Tokyo time, 00:00 to 23:59 (an end may be 24:00)`,
        { index },
      );
    }
    if (end < start) {
      throw new ValidationError(
        'availability.inverted',
        `window #${index} (${describe(w)}) ends before it starts (a window across midnight is two windows)`,
        { index },
      );
    }
    if (end === start)
      throw new ValidationError(
        'availability.zero_length',
        `window #${index} (${describe(w)}) is empty: it ends when it starts`,
        { index },
      );
    return { window: { day: w.day, start: w.start, end: w.end }, dayIndex: WEEKDAYS.indexOf(w.day), start, end, index };
  });
  spans.sort((a, b) => a.dayIndex - b.dayIndex || a.start - b.start || a.end - b.end);
  for (let i = 1; i < spans.length; i++) {
    const before = spans[i - 1]!;
    const after = spans[i]!;
    if (before.dayIndex === after.dayIndex && after.start < before.end) {
      throw new ValidationError(
        'availability.overlap',
        `windows ${describe(before.window)} and ${describe(after.window)} overlap`,
        { windows: [before.index, after.index] },
      );
    }
  }
  return spans.map((s) => s.window);
};

export const sameAvailability = (a: readonly AvailabilityWindow[], b: readonly AvailabilityWindow[]): boolean =>
  a.length === b.length && a.every((w, i) => w.day === b[i]?.day && w.start === b[i]?.start && w.end === b[i]?.end);
