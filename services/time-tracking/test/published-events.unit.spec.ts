/**
 * Time tracking's published events (@workshare/contracts: TIME_TRACKING_PUBLISHED_EVENTS) are
 * what its timesheet decider emits: every published type, decided through a member's weeks (a
 * span entered, a timer run, a task marked done, the week approved, an entry corrected, which
 * reopens it, another deleted), follows its published schema on her stream; the internal
 * events (her timer) are not published. A rename fails this test: publish a new schema version
 * rather than change one in place.
 */
import { parsePublished, publishedTypes, TIME_TRACKING_PUBLISHED_EVENTS } from '@workshare/contracts';
import { fold, type RecordedEvent } from '@workshare/eventsourcing';
import {
  ENTRY_SOURCES,
  TIMESHEET_EVENT_TYPES,
  timesheetDecider,
  timesheetStream,
  type TimesheetCommand,
  type Timesheet,
  type TimesheetEvent,
} from '../src/domain/timesheet.js';
import { PUBLISHED_TIME_ENTRY_SOURCES } from '@workshare/contracts';
import {
  approveWeek,
  correctEntry,
  deleteEntry,
  ENTRY,
  ENTRY_2,
  markTaskDone,
  member,
  MEMBER,
  recordSpan,
  startWork,
  stopWork,
  tokyo,
} from './domain/fixtures.js';

const run = (steps: readonly ((state: Timesheet) => TimesheetCommand)[]): TimesheetEvent[] =>
  steps.reduce<TimesheetEvent[]>((history, step) => {
    const state = fold(timesheetDecider, history);
    return [...history, ...timesheetDecider.decide(step(state), state)];
  }, []);

const weeks = (): TimesheetEvent[] =>
  run([
    () => recordSpan('2026-04-06T09:00', '2026-04-06T10:00', { entryId: ENTRY }),
    () => startWork({ at: tokyo('2026-04-08T12:00') }),
    () => stopWork({ entryId: ENTRY_2, at: tokyo('2026-04-08T12:45:30') }),
    () => markTaskDone({ at: tokyo('2026-04-08T12:50') }),
    () => approveWeek(),
    () => correctEntry(ENTRY, '2026-04-06T09:15', '2026-04-06T10:00', { at: tokyo('2026-04-14T09:00') }),
    () => deleteEntry(ENTRY_2),
    () => startWork({ at: tokyo('2026-04-14T10:00') }),
    () => ({ type: 'DiscardTimer', memberId: MEMBER, by: member }),
  ]);

const recorded = (event: TimesheetEvent, index: number): RecordedEvent => ({
  id: `01960000-0000-7000-8000-${String(index).padStart(12, '0')}`,
  type: event.type,
  schemaVersion: 1,
  streamName: timesheetStream(MEMBER),
  streamVersion: index,
  position: { commit: BigInt(index), prepare: BigInt(index) },
  data: event.data,
  metadata: {},
  occurredAt: tokyo('2026-04-14T10:00'),
  recordedAt: tokyo('2026-04-14T10:00'),
  hash: '',
  previousHash: '',
});

const published = publishedTypes(TIME_TRACKING_PUBLISHED_EVENTS);

describe('time tracking’s published events', () => {
  it('are events time tracking emits, with its own entry sources', () => {
    expect(published.every((t) => (TIMESHEET_EVENT_TYPES as readonly string[]).includes(t))).toBe(true);
    expect([...PUBLISHED_TIME_ENTRY_SOURCES]).toEqual([...ENTRY_SOURCES]);
  });

  it('the decider’s events follow their published schema, on her stream', () => {
    const events = weeks().map(recorded);
    const publishedEvents = events.filter((e) => published.includes(e.type));
    expect(new Set(publishedEvents.map((e) => e.type))).toEqual(new Set(published));
    for (const event of publishedEvents) {
      const result = parsePublished(TIME_TRACKING_PUBLISHED_EVENTS, event);
      expect({ type: event.type, result: result.ok ? result.value.streamId : result.error }).toEqual({
        type: event.type,
        result: MEMBER,
      });
    }
  });

  it('an approval carries the week’s full set; the correction reopens it in the same decision', () => {
    const events = weeks();
    const approval = events.find((e) => e.type === 'WeekApproved');
    expect(approval?.data).toMatchObject({
      weekStart: '2026-04-06',
      entries: [{ entryId: ENTRY }, { entryId: ENTRY_2 }],
    });
    const correction = events.findIndex((e) => e.type === 'TimeEntryCorrected');
    expect(events[correction + 1]).toEqual({
      type: 'WeekReopened',
      data: { memberId: MEMBER, weekStart: '2026-04-06' },
    });
  });

  it.each(TIMESHEET_EVENT_TYPES.filter((t) => !published.includes(t)))(
    'an internal event is not published (%s)',
    (type) => {
      const event = weeks()
        .map(recorded)
        .find((e) => e.type === type);
      expect(event).toBeDefined();
      expect(parsePublished(TIME_TRACKING_PUBLISHED_EVENTS, event!)).toMatchObject({
        ok: false,
        error: { code: 'contract.unpublished_event', type },
      });
    },
  );
});
