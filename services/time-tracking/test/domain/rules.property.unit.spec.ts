/**
 * fast-check properties of the timesheet's rules, each held against an oracle that counts
 * minute by minute (Tokyo days by UTC+09:00): a new span is refused as overlapping exactly when
 * it shares a minute with a live entry, and as past the day limit exactly when a Tokyo day it
 * touches would hold more than 720 minutes of work (a span crossing midnight counting on each day).
 */
import fc from 'fast-check';
import { DomainError } from '@workshare/eventsourcing';
import { fold } from '@workshare/eventsourcing';
import { LIMITS, timesheetDecider, type TimeEntryRecorded } from '../../src/domain/timesheet.js';
import { ENTRY, holding, JOB, member, MEMBER, REGION, TASK } from './fixtures.js';

const MINUTE = 60_000;
const NINE_HOURS = 9 * 60 * MINUTE;
/** Monday 2026-04-06 00:00 Tokyo, give or take: the spans start around here (whole minutes). */
const BASE = Date.UTC(2026, 3, 5, 15, 0);
/** Long after every span: nothing is in the future, and no week is approved. */
const AT = new Date(Date.UTC(2026, 5, 1));

const entry = (index: number, start: number, minutes: number): TimeEntryRecorded => ({
  type: 'TimeEntryRecorded',
  data: {
    memberId: MEMBER,
    entryId: `01960000-0000-7000-8000-${String(index).padStart(12, '0')}`,
    taskId: TASK,
    jobId: JOB,
    regionId: REGION,
    start: new Date(start).toISOString(),
    end: new Date(start + minutes * MINUTE).toISOString(),
    minutes,
    source: 'manual',
  },
});

/** What the decider answers for a new span on this history: its code, or `recorded`. */
const outcome = (history: TimeEntryRecorded[], start: number, minutes: number): string => {
  try {
    const events = timesheetDecider.decide(
      {
        type: 'RecordSpan',
        memberId: MEMBER,
        entryId: ENTRY,
        taskId: TASK,
        start: new Date(start),
        end: new Date(start + minutes * MINUTE),
        holding: holding([{ from: new Date(BASE - 7 * 1_440 * MINUTE) }]),
        by: member,
        at: AT,
      },
      fold(timesheetDecider, history),
    );
    expect(events).toHaveLength(1);
    return events[0]!.type === 'TimeEntryRecorded' ? 'recorded' : events[0]!.type;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
};

const tokyoDayOf = (t: number): string => new Date(t + NINE_HOURS).toISOString().slice(0, 10);

const minutesOf = (spans: readonly { start: number; minutes: number }[]): Map<number, number> => {
  const taken = new Map<number, number>();
  for (const s of spans)
    for (let m = 0; m < s.minutes; m++) taken.set(s.start + m * MINUTE, (taken.get(s.start + m * MINUTE) ?? 0) + 1);
  return taken;
};

describe('overlap detection', () => {
  // Up to five entries of at most two hours within two days, and a new span of at most two hours
  // in the same days: no Tokyo day can pass 720 minutes, so only an overlap can refuse it.
  const spans = fc.array(
    fc.record({ start: fc.integer({ min: 0, max: 2 * 1_440 }), minutes: fc.integer({ min: 1, max: 120 }) }),
    { maxLength: 5 },
  );
  const span = fc.record({ start: fc.integer({ min: 0, max: 2 * 1_440 }), minutes: fc.integer({ min: 1, max: 120 }) });

  it('property: refused as overlapping exactly when the span shares a minute with an entry', () => {
    fc.assert(
      fc.property(spans, span, (existing, next) => {
        const history = existing.map((s, i) => entry(i + 1, BASE + s.start * MINUTE, s.minutes));
        const taken = minutesOf(existing.map((s) => ({ start: BASE + s.start * MINUTE, minutes: s.minutes })));
        let shares = false;
        for (let m = 0; m < next.minutes; m++) if (taken.has(BASE + (next.start + m) * MINUTE)) shares = true;
        expect(outcome(history, BASE + next.start * MINUTE, next.minutes)).toBe(
          shares ? 'time.overlapping_span' : 'recorded',
        );
      }),
      { numRuns: 400 },
    );
  });
});

describe('the day limit', () => {
  // Entries one after another (gaps and lengths at random, never overlapping), then a new span
  // after them: only the day limit can refuse it.
  const sequence = fc.array(
    fc.record({ gap: fc.integer({ min: 0, max: 900 }), minutes: fc.integer({ min: 1, max: 700 }) }),
    { maxLength: 6 },
  );
  const next = fc.record({ gap: fc.integer({ min: 0, max: 900 }), minutes: fc.integer({ min: 1, max: 1_600 }) });

  it(`property: refused exactly when a Tokyo day the span touches would pass ${LIMITS.maxMinutesPerTokyoDay} minutes`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_439 }), sequence, next, (offset, existing, added) => {
        let at = BASE + offset * MINUTE;
        const placed: { start: number; minutes: number }[] = [];
        for (const s of existing) {
          at += s.gap * MINUTE;
          placed.push({ start: at, minutes: s.minutes });
          at += s.minutes * MINUTE;
        }
        const start = at + added.gap * MINUTE;
        const perDay = new Map<string, number>();
        for (const [t] of minutesOf([...placed, { start, minutes: added.minutes }]))
          perDay.set(tokyoDayOf(t), (perDay.get(tokyoDayOf(t)) ?? 0) + 1);
        const touched = new Set<string>();
        for (let m = 0; m < added.minutes; m++) touched.add(tokyoDayOf(start + m * MINUTE));
        const breaks = [...touched].some((day) => (perDay.get(day) ?? 0) > LIMITS.maxMinutesPerTokyoDay);
        const history = placed.map((s, i) => entry(i + 1, s.start, s.minutes));
        expect(outcome(history, start, added.minutes)).toBe(breaks ? 'time.day_limit_exceeded' : 'recorded');
      }),
      { numRuns: 400 },
    );
  });
});
