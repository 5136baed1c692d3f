/**
 * The timesheet decider, given/when/then: every transition and every refusal, with its stable
 * code and kind (a refusal produces no event, so nothing is stored).
 */
import { DeciderSpecification, fold } from '@workshare/eventsourcing';
import { entryOf, LIMITS, timesheetDecider, type TimesheetEvent } from '../../src/domain/timesheet.js';
import {
  approved,
  approveWeek,
  coordinator,
  correctEntry,
  deleteEntry,
  ENTRY,
  ENTRY_2,
  ENTRY_3,
  holding,
  iso,
  JOB,
  markTaskDone,
  member,
  MEMBER,
  NEXT_WEEK,
  NOW,
  operator,
  OTHER_TASK,
  recorded,
  recordSpan,
  REGION,
  setagayaCoordinator,
  startWork,
  stopWork,
  TASK,
  teammate,
  timerStarted,
  tokyo,
  WEEK,
} from './fixtures.js';

const spec = DeciderSpecification.for(timesheetDecider);
const given = (history: TimesheetEvent[]) => spec.given(history);

describe('StartWork', () => {
  it('starts her timer on a task she holds, at the command’s minute rounded up', () => {
    given([])
      .when(startWork({ at: tokyo('2026-04-08T09:00:20') }))
      .then([timerStarted('2026-04-08T09:01')]);
  });

  it('keeps a start that is a whole minute', () => {
    given([])
      .when(startWork({ at: tokyo('2026-04-08T09:00') }))
      .then([timerStarted('2026-04-08T09:00')]);
  });

  it('takes the job and its region from the schedule’s record of the task', () => {
    const [event] = timesheetDecider.decide(startWork(), timesheetDecider.initialState());
    expect(event).toMatchObject({ type: 'TimerStarted', data: { taskId: TASK, jobId: JOB, regionId: REGION } });
  });

  it('is refused while a timer runs: one at a time (time.timer_running)', () => {
    given([timerStarted('2026-04-08T08:00')])
      .when(startWork({ taskId: OTHER_TASK, holding: holding(undefined, OTHER_TASK) }))
      .thenThrows('time.timer_running', 'rule');
  });

  it('is refused on a task she does not hold now (time.task_not_held)', () => {
    given([])
      .when(startWork({ holding: undefined }))
      .thenThrows('time.task_not_held', 'rule');
    given([])
      .when(startWork({ holding: holding([{ from: tokyo('2026-04-06T08:00'), to: tokyo('2026-04-08T11:00') }]) }))
      .thenThrows('time.task_not_held', 'rule');
    given([])
      .when(startWork({ holding: holding([{ from: tokyo('2026-04-08T13:00') }]) }))
      .thenThrows('time.task_not_held', 'rule');
  });

  it('is refused when an entry of hers ends after the timer would start (time.overlapping_span)', () => {
    given([recorded(ENTRY_2, '2026-04-08T11:30', '2026-04-08T12:10')])
      .when(startWork())
      .thenThrows('time.overlapping_span', 'rule');
  });

  it('is hers only: nobody starts work on another member’s sheet (time.forbidden)', () => {
    given([])
      .when(startWork({ by: coordinator }))
      .thenThrows('time.forbidden', 'forbidden');
    given([])
      .when(startWork({ by: teammate }))
      .thenThrows('time.forbidden', 'forbidden');
    given([])
      .when(startWork({ by: { id: MEMBER, roles: [] } }))
      .thenThrows('time.forbidden', 'forbidden');
  });
});

describe('StopWork', () => {
  it('records the whole minutes the timer ran: its stop rounded down', () => {
    given([timerStarted('2026-04-08T09:01')])
      .when(stopWork({ at: tokyo('2026-04-08T10:30:59.999') }))
      .then([recorded(ENTRY, '2026-04-08T09:01', '2026-04-08T10:30', 'timer')]);
  });

  it('leaves no timer running once stopped', () => {
    given([timerStarted('2026-04-08T09:01'), recorded(ENTRY, '2026-04-08T09:01', '2026-04-08T10:30', 'timer')])
      .when(stopWork())
      .thenThrows('time.no_timer', 'rule');
  });

  it('records nothing for a timer stopped before a whole minute passed (TimerDiscarded)', () => {
    given([timerStarted('2026-04-08T09:01')])
      .when(stopWork({ at: tokyo('2026-04-08T09:01:59') }))
      .then([{ type: 'TimerDiscarded', data: { memberId: MEMBER } }]);
  });

  it('is refused without a running timer (time.no_timer)', () => {
    given([]).when(stopWork()).thenThrows('time.no_timer', 'rule');
  });

  it('is refused when she lost the task while the timer ran (time.task_not_held): the timer keeps running', () => {
    const released = holding([{ from: tokyo('2026-04-06T08:00'), to: tokyo('2026-04-08T10:00') }]);
    given([timerStarted('2026-04-08T09:00')])
      .when(stopWork({ holding: released }))
      .thenThrows('time.task_not_held', 'rule');
    given([timerStarted('2026-04-08T09:00')])
      .when(stopWork({ holding: undefined }))
      .thenThrows('time.task_not_held', 'rule');
  });

  it('is refused past the day’s 720 minutes (time.day_limit_exceeded)', () => {
    given([recorded(ENTRY_2, '2026-04-08T00:00', '2026-04-08T11:30'), timerStarted('2026-04-08T11:30')])
      .when(stopWork({ at: tokyo('2026-04-08T12:01') }))
      .thenThrows('time.day_limit_exceeded', 'rule');
    given([recorded(ENTRY_2, '2026-04-08T00:00', '2026-04-08T11:30'), timerStarted('2026-04-08T11:30')])
      .when(stopWork({ at: tokyo('2026-04-08T12:00') }))
      .then([recorded(ENTRY, '2026-04-08T11:30', '2026-04-08T12:00', 'timer')]);
  });

  it('is refused when an entry overlaps the timer’s span (time.overlapping_span)', () => {
    given([timerStarted('2026-04-08T09:00'), recorded(ENTRY_2, '2026-04-08T08:30', '2026-04-08T09:30')])
      .when(stopWork())
      .thenThrows('time.overlapping_span', 'rule');
  });

  it('is refused in an approved week (time.week_approved)', () => {
    const entry = recorded(ENTRY_2, '2026-04-06T08:00', '2026-04-06T09:00');
    given([entry, approved(WEEK, [entry]), timerStarted('2026-04-06T10:00')])
      .when(stopWork({ at: tokyo('2026-04-06T11:00') }))
      .thenThrows('time.week_approved', 'rule');
  });

  it('is hers only (time.forbidden)', () => {
    given([timerStarted('2026-04-08T09:00')])
      .when(stopWork({ by: coordinator }))
      .thenThrows('time.forbidden', 'forbidden');
  });
});

describe('DiscardTimer', () => {
  it('discards her running timer: nothing is recorded', () => {
    given([timerStarted('2026-04-08T09:00')])
      .when({ type: 'DiscardTimer', memberId: MEMBER, by: member })
      .then([{ type: 'TimerDiscarded', data: { memberId: MEMBER } }]);
  });

  it('is refused without a running timer (time.no_timer)', () => {
    given([timerStarted('2026-04-08T09:00'), { type: 'TimerDiscarded', data: { memberId: MEMBER } }])
      .when({ type: 'DiscardTimer', memberId: MEMBER, by: member })
      .thenThrows('time.no_timer', 'rule');
  });

  it('is hers only (time.forbidden)', () => {
    given([timerStarted('2026-04-08T09:00')])
      .when({ type: 'DiscardTimer', memberId: MEMBER, by: coordinator })
      .thenThrows('time.forbidden', 'forbidden');
  });
});

describe('RecordSpan', () => {
  it('records a span entered afterwards, on the task’s job and region', () => {
    given([])
      .when(recordSpan('2026-04-07T13:00', '2026-04-07T13:40'))
      .then([recorded(ENTRY, '2026-04-07T13:00', '2026-04-07T13:40')]);
  });

  it('records a span crossing midnight Tokyo time (it counts on each day)', () => {
    given([])
      .when(recordSpan('2026-04-06T23:00', '2026-04-07T01:00'))
      .then([recorded(ENTRY, '2026-04-06T23:00', '2026-04-07T01:00')]);
  });

  it('accepts a span that ends when another begins, and one ending at the command’s time', () => {
    given([recorded(ENTRY_2, '2026-04-08T10:00', '2026-04-08T11:00')])
      .when(recordSpan('2026-04-08T11:00', '2026-04-08T12:00'))
      .then([recorded(ENTRY, '2026-04-08T11:00', '2026-04-08T12:00')]);
  });

  it('refuses a span that does not end after it starts, or is not a time (time.invalid_span)', () => {
    given([]).when(recordSpan('2026-04-07T13:00', '2026-04-07T13:00')).thenThrows('time.invalid_span', 'invalid');
    given([]).when(recordSpan('2026-04-07T13:00', '2026-04-07T12:00')).thenThrows('time.invalid_span', 'invalid');
    given([])
      .when(recordSpan('2026-04-07T13:00', '2026-04-07T14:00', { start: new Date(Number.NaN) }))
      .thenThrows('time.invalid_span', 'invalid');
    given([])
      .when(recordSpan('2026-04-07T13:00', '2026-04-07T14:00', { end: new Date('not a date') }))
      .thenThrows('time.invalid_span', 'invalid');
  });

  it('refuses seconds: a span entered by hand is whole minutes (time.invalid_span)', () => {
    const error = given([])
      .when(recordSpan('2026-04-07T13:00:30', '2026-04-07T14:00'))
      .thenThrows('time.invalid_span', 'invalid');
    expect(error.details).toMatchObject({ field: 'start', reason: 'seconds' });
    given([])
      .when(recordSpan('2026-04-07T13:00', '2026-04-07T14:00:00.001'))
      .thenThrows('time.invalid_span', 'invalid');
  });

  it('refuses a span ending in the future (time.span_in_future)', () => {
    given([]).when(recordSpan('2026-04-08T11:00', '2026-04-08T12:01')).thenThrows('time.span_in_future', 'invalid');
  });

  it('refuses a span in an approved week (time.week_approved), not in a reopened one', () => {
    const entry = recorded(ENTRY_2, '2026-04-06T08:00', '2026-04-06T09:00');
    const approval = approved(WEEK, [entry]);
    given([entry, approval])
      .when(recordSpan('2026-04-07T13:00', '2026-04-07T14:00', { at: tokyo('2026-04-14T09:00') }))
      .thenThrows('time.week_approved', 'rule');
    given([entry, approval, { type: 'WeekReopened', data: { memberId: MEMBER, weekStart: WEEK } }])
      .when(recordSpan('2026-04-07T13:00', '2026-04-07T14:00', { at: tokyo('2026-04-14T09:00') }))
      .then([recorded(ENTRY, '2026-04-07T13:00', '2026-04-07T14:00')]);
  });

  it('refuses a span on a task she did not hold for the whole span (time.task_not_held)', () => {
    const span = ['2026-04-07T09:30', '2026-04-07T11:30'] as const;
    given([])
      .when(recordSpan(...span, { holding: undefined }))
      .thenThrows('time.task_not_held', 'rule');
    given([])
      .when(recordSpan(...span, { holding: holding([]) }))
      .thenThrows('time.task_not_held', 'rule');
    // Assigned after the span began.
    given([])
      .when(recordSpan(...span, { holding: holding([{ from: tokyo('2026-04-07T10:00') }]) }))
      .thenThrows('time.task_not_held', 'rule');
    // Released before it ended.
    given([])
      .when(
        recordSpan(...span, { holding: holding([{ from: tokyo('2026-04-06T10:00'), to: tokyo('2026-04-07T11:00') }]) }),
      )
      .thenThrows('time.task_not_held', 'rule');
    // Held twice, but the span is inside neither hold.
    given([])
      .when(
        recordSpan(...span, {
          holding: holding([
            { from: tokyo('2026-04-07T09:00'), to: tokyo('2026-04-07T10:00') },
            { from: tokyo('2026-04-07T11:00') },
          ]),
        }),
      )
      .thenThrows('time.task_not_held', 'rule');
    // Inside the second hold: accepted; a span ending as the hold ends too.
    given([])
      .when(
        recordSpan('2026-04-07T09:00', '2026-04-07T10:00', {
          holding: holding([
            { from: tokyo('2026-04-07T09:00'), to: tokyo('2026-04-07T10:00') },
            { from: tokyo('2026-04-07T11:00') },
          ]),
        }),
      )
      .then([recorded(ENTRY, '2026-04-07T09:00', '2026-04-07T10:00')]);
  });

  it('refuses a span overlapping another entry of hers or her running timer (time.overlapping_span)', () => {
    const other = recorded(ENTRY_2, '2026-04-07T10:00', '2026-04-07T11:00', 'manual', OTHER_TASK);
    given([other]).when(recordSpan('2026-04-07T10:59', '2026-04-07T11:30')).thenThrows('time.overlapping_span', 'rule');
    given([other]).when(recordSpan('2026-04-07T09:00', '2026-04-07T12:00')).thenThrows('time.overlapping_span', 'rule');
    given([other]).when(recordSpan('2026-04-07T10:15', '2026-04-07T10:45')).thenThrows('time.overlapping_span', 'rule');
    given([timerStarted('2026-04-08T11:00')])
      .when(recordSpan('2026-04-08T10:30', '2026-04-08T11:01'))
      .thenThrows('time.overlapping_span', 'rule');
    given([timerStarted('2026-04-08T11:00')])
      .when(recordSpan('2026-04-08T10:30', '2026-04-08T11:00'))
      .then([recorded(ENTRY, '2026-04-08T10:30', '2026-04-08T11:00')]);
  });

  it('does not count a deleted entry', () => {
    given([
      recorded(ENTRY_2, '2026-04-07T10:00', '2026-04-07T11:00'),
      { type: 'TimeEntryDeleted', data: { memberId: MEMBER, entryId: ENTRY_2, reason: 'x' } },
    ])
      .when(recordSpan('2026-04-07T10:00', '2026-04-07T11:00'))
      .then([recorded(ENTRY, '2026-04-07T10:00', '2026-04-07T11:00')]);
  });

  it(`allows ${LIMITS.maxMinutesPerTokyoDay} minutes in a Tokyo day and refuses one more (time.day_limit_exceeded)`, () => {
    const morning = recorded(ENTRY_2, '2026-04-07T00:00', '2026-04-07T10:00');
    given([morning])
      .when(recordSpan('2026-04-07T11:00', '2026-04-07T13:00'))
      .then([recorded(ENTRY, '2026-04-07T11:00', '2026-04-07T13:00')]);
    const error = given([morning])
      .when(recordSpan('2026-04-07T11:00', '2026-04-07T13:01'))
      .thenThrows('time.day_limit_exceeded', 'rule');
    expect(error.details).toEqual({ day: '2026-04-07', minutes: 721, limit: 720 });
  });

  it('counts a span crossing midnight on each of its days', () => {
    // 2026-04-07 already has 700 minutes; 23:00 → 00:30 puts 60 on the 6th and 30 on the 7th.
    const seventh = recorded(ENTRY_2, '2026-04-07T08:00', '2026-04-07T19:40');
    const error = given([seventh])
      .when(recordSpan('2026-04-06T23:00', '2026-04-07T00:30'))
      .thenThrows('time.day_limit_exceeded', 'rule');
    expect(error.details).toEqual({ day: '2026-04-07', minutes: 730, limit: 720 });
    given([seventh])
      .when(recordSpan('2026-04-06T23:00', '2026-04-07T00:20'))
      .then([recorded(ENTRY, '2026-04-06T23:00', '2026-04-07T00:20')]);
    // The evening before counts the part before midnight only.
    const sixth = recorded(ENTRY_3, '2026-04-06T08:00', '2026-04-06T19:30');
    given([sixth])
      .when(recordSpan('2026-04-06T23:00', '2026-04-07T01:00'))
      .thenThrows('time.day_limit_exceeded', 'rule');
    given([sixth])
      .when(recordSpan('2026-04-06T23:30', '2026-04-07T01:00'))
      .then([recorded(ENTRY, '2026-04-06T23:30', '2026-04-07T01:00')]);
  });

  it('refuses a span of more than two days’ limit at once', () => {
    given([]).when(recordSpan('2026-04-06T00:00', '2026-04-07T00:01')).thenThrows('time.day_limit_exceeded', 'rule');
    given([])
      .when(recordSpan('2026-04-06T12:00', '2026-04-07T12:00'))
      .then([recorded(ENTRY, '2026-04-06T12:00', '2026-04-07T12:00')]);
  });

  it('is hers only: a coordinator does not record time for her (time.forbidden)', () => {
    given([])
      .when(recordSpan('2026-04-07T13:00', '2026-04-07T14:00', { by: coordinator }))
      .thenThrows('time.forbidden', 'forbidden');
    given([])
      .when(recordSpan('2026-04-07T13:00', '2026-04-07T14:00', { by: operator }))
      .thenThrows('time.forbidden', 'forbidden');
  });
});

describe('CorrectEntry', () => {
  const entry = recorded(ENTRY, '2026-04-07T13:00', '2026-04-07T14:00');
  const corrected = (start: string, end: string, reason = '開始時刻の入力ミス'): TimesheetEvent => ({
    type: 'TimeEntryCorrected',
    data: {
      memberId: MEMBER,
      entryId: ENTRY,
      start: iso(start),
      end: iso(end),
      minutes: (tokyo(end).getTime() - tokyo(start).getTime()) / 60_000,
      reason,
    },
  });

  it('replaces the entry’s span, with her reason (trimmed)', () => {
    given([entry])
      .when(correctEntry(ENTRY, '2026-04-07T12:30', '2026-04-07T14:00', { reason: '  開始時刻の入力ミス ' }))
      .then([corrected('2026-04-07T12:30', '2026-04-07T14:00')]);
  });

  it('is the member’s or a coordinator of her region’s', () => {
    given([entry])
      .when(correctEntry(ENTRY, '2026-04-07T13:00', '2026-04-07T13:30', { by: coordinator }))
      .then([corrected('2026-04-07T13:00', '2026-04-07T13:30')]);
    for (const by of [teammate, setagayaCoordinator, operator])
      given([entry])
        .when(correctEntry(ENTRY, '2026-04-07T13:00', '2026-04-07T13:30', { by }))
        .thenThrows('time.forbidden', 'forbidden');
    given([entry])
      .when(correctEntry(ENTRY, '2026-04-07T13:00', '2026-04-07T13:30', { by: coordinator, memberRegionId: undefined }))
      .thenThrows('time.forbidden', 'forbidden');
  });

  it('needs a reason of 1 to 1,000 characters (time.reason_required, time.invalid_reason)', () => {
    for (const reason of ['', '   '])
      given([entry])
        .when(correctEntry(ENTRY, '2026-04-07T13:00', '2026-04-07T13:30', { reason }))
        .thenThrows('time.reason_required', 'invalid');
    given([entry])
      .when(correctEntry(ENTRY, '2026-04-07T13:00', '2026-04-07T13:30', { reason: 'あ'.repeat(1_001) }))
      .thenThrows('time.invalid_reason', 'invalid');
    given([entry])
      .when(correctEntry(ENTRY, '2026-04-07T13:00', '2026-04-07T13:30', { reason: 'あ'.repeat(1_000) }))
      .then([corrected('2026-04-07T13:00', '2026-04-07T13:30', 'あ'.repeat(1_000))]);
    given([entry])
      .when(correctEntry(ENTRY, '2026-04-07T13:00', '2026-04-07T13:30', { reason: 'a\u0000b' }))
      .thenThrows('text.invalid_characters', 'invalid');
  });

  it('is refused for an entry she does not have, or deleted (time.entry_not_found)', () => {
    given([entry])
      .when(correctEntry(ENTRY_2, '2026-04-07T13:00', '2026-04-07T13:30'))
      .thenThrows('time.entry_not_found', 'not_found');
    given([entry, { type: 'TimeEntryDeleted', data: { memberId: MEMBER, entryId: ENTRY, reason: 'x' } }])
      .when(correctEntry(ENTRY, '2026-04-07T13:00', '2026-04-07T13:30'))
      .thenThrows('time.entry_not_found', 'not_found');
  });

  it('changes nothing when the span is the same', () => {
    given([entry])
      .when(correctEntry(ENTRY, '2026-04-07T13:00', '2026-04-07T14:00'))
      .thenNothing();
  });

  it('refuses a new span that is not one, or ends in the future', () => {
    given([entry])
      .when(correctEntry(ENTRY, '2026-04-07T13:00', '2026-04-07T12:00'))
      .thenThrows('time.invalid_span', 'invalid');
    given([entry])
      .when(correctEntry(ENTRY, '2026-04-07T13:00:01', '2026-04-07T14:00'))
      .thenThrows('time.invalid_span', 'invalid');
    given([entry])
      .when(correctEntry(ENTRY, '2026-04-08T11:00', '2026-04-08T12:30'))
      .thenThrows('time.span_in_future', 'invalid');
  });

  it('refuses a new span outside her hold of the entry’s task (time.task_not_held)', () => {
    given([entry])
      .when(
        correctEntry(ENTRY, '2026-04-07T12:00', '2026-04-07T14:00', {
          holding: holding([{ from: tokyo('2026-04-07T12:30') }]),
        }),
      )
      .thenThrows('time.task_not_held', 'rule');
  });

  it('refuses a new span overlapping another entry, never the entry itself (time.overlapping_span)', () => {
    const other = recorded(ENTRY_2, '2026-04-07T14:00', '2026-04-07T15:00');
    given([entry, other])
      .when(correctEntry(ENTRY, '2026-04-07T13:30', '2026-04-07T14:30'))
      .thenThrows('time.overlapping_span', 'rule');
    given([entry, other])
      .when(correctEntry(ENTRY, '2026-04-07T12:30', '2026-04-07T13:30'))
      .then([corrected('2026-04-07T12:30', '2026-04-07T13:30')]);
    given([entry, timerStarted('2026-04-08T10:00')])
      .when(correctEntry(ENTRY, '2026-04-08T09:30', '2026-04-08T10:30'))
      .thenThrows('time.overlapping_span', 'rule');
  });

  it('counts the day without the entry’s old span (time.day_limit_exceeded only past the limit)', () => {
    const long = recorded(ENTRY, '2026-04-07T00:00', '2026-04-07T12:00');
    given([long])
      .when(correctEntry(ENTRY, '2026-04-07T01:00', '2026-04-07T13:00'))
      .then([corrected('2026-04-07T01:00', '2026-04-07T13:00')]);
    given([long])
      .when(correctEntry(ENTRY, '2026-04-07T01:00', '2026-04-07T13:01'))
      .thenThrows('time.day_limit_exceeded', 'rule');
  });

  it('reopens the approved week it touches, in the same decision', () => {
    const approval = approved(WEEK, [entry]);
    given([entry, approval])
      .when(correctEntry(ENTRY, '2026-04-07T13:00', '2026-04-07T13:30'))
      .then([
        corrected('2026-04-07T13:00', '2026-04-07T13:30'),
        { type: 'WeekReopened', data: { memberId: MEMBER, weekStart: WEEK } },
      ]);
  });

  it('reopens both approved weeks when it moves the entry from one to the other, and a reopened week not again', () => {
    const nextEntry = recorded(ENTRY_2, '2026-04-13T09:00', '2026-04-13T10:00');
    const history: TimesheetEvent[] = [entry, approved(WEEK, [entry]), nextEntry, approved(NEXT_WEEK, [nextEntry])];
    const at = tokyo('2026-04-21T09:00');
    given(history)
      .when(correctEntry(ENTRY, '2026-04-14T13:00', '2026-04-14T14:00', { at }))
      .then([
        corrected('2026-04-14T13:00', '2026-04-14T14:00'),
        { type: 'WeekReopened', data: { memberId: MEMBER, weekStart: WEEK } },
        { type: 'WeekReopened', data: { memberId: MEMBER, weekStart: NEXT_WEEK } },
      ]);
    given([...history, { type: 'WeekReopened', data: { memberId: MEMBER, weekStart: WEEK } }])
      .when(correctEntry(ENTRY, '2026-04-14T13:00', '2026-04-14T14:00', { at }))
      .then([
        corrected('2026-04-14T13:00', '2026-04-14T14:00'),
        { type: 'WeekReopened', data: { memberId: MEMBER, weekStart: NEXT_WEEK } },
      ]);
  });

  it('moves the entry to the week of its new start', () => {
    const sheet = fold(timesheetDecider, [entry, corrected('2026-04-13T13:00', '2026-04-13T14:00') as TimesheetEvent]);
    expect(Object.keys(sheet.weeks[WEEK]!.entries)).toEqual([]);
    expect(sheet.weeks[NEXT_WEEK]!.entries[ENTRY]).toMatchObject({
      start: tokyo('2026-04-13T13:00'),
      minutes: 60,
      taskId: TASK,
    });
  });
});

describe('DeleteEntry', () => {
  const entry = recorded(ENTRY, '2026-04-07T13:00', '2026-04-07T14:00');
  const deleted = (reason = '別の作業の時間だった'): TimesheetEvent => ({
    type: 'TimeEntryDeleted',
    data: { memberId: MEMBER, entryId: ENTRY, reason },
  });

  it('withdraws an entry with a reason: the member, or a coordinator of her region', () => {
    given([entry]).when(deleteEntry(ENTRY)).then([deleted()]);
    given([entry])
      .when(deleteEntry(ENTRY, { by: coordinator, reason: '重複入力' }))
      .then([deleted('重複入力')]);
    expect(entryOf(fold(timesheetDecider, [entry, deleted()]), ENTRY)).toBeUndefined();
  });

  it('reopens the approved week it was in', () => {
    given([entry, approved(WEEK, [entry])])
      .when(deleteEntry(ENTRY))
      .then([deleted(), { type: 'WeekReopened', data: { memberId: MEMBER, weekStart: WEEK } }]);
  });

  it('is refused to others, without a reason, and for an entry she does not have', () => {
    given([entry])
      .when(deleteEntry(ENTRY, { by: setagayaCoordinator }))
      .thenThrows('time.forbidden', 'forbidden');
    given([entry])
      .when(deleteEntry(ENTRY, { by: teammate }))
      .thenThrows('time.forbidden', 'forbidden');
    given([entry])
      .when(deleteEntry(ENTRY, { reason: ' ' }))
      .thenThrows('time.reason_required', 'invalid');
    given([entry, deleted()]).when(deleteEntry(ENTRY)).thenThrows('time.entry_not_found', 'not_found');
  });
});

describe('MarkTaskDone', () => {
  const done = (at: Date = NOW): TimesheetEvent => ({
    type: 'TaskMarkedDone',
    data: { memberId: MEMBER, taskId: TASK, jobId: JOB, regionId: REGION, at: at.toISOString() },
  });

  it('records the instant the cooperative received her work: the command’s time, unrounded', () => {
    const at = tokyo('2026-04-08T12:00:42.5');
    given([])
      .when(markTaskDone({ at }))
      .then([done(at)]);
  });

  it('is once per task: a second mark is refused and names the first receipt (time.already_done)', () => {
    const error = given([done()])
      .when(markTaskDone({ at: tokyo('2026-04-09T09:00') }))
      .thenThrows('time.already_done', 'rule');
    expect(error.details).toEqual({ taskId: TASK, at: NOW.toISOString() });
    given([done()])
      .when(markTaskDone({ taskId: OTHER_TASK, holding: holding(undefined, OTHER_TASK) }))
      .then([{ ...done(), data: { ...(done().data as object), taskId: OTHER_TASK } } as TimesheetEvent]);
  });

  it('is refused on a task she does not hold now (time.task_not_held)', () => {
    given([])
      .when(markTaskDone({ holding: holding([{ from: tokyo('2026-04-06T08:00'), to: tokyo('2026-04-08T11:00') }]) }))
      .thenThrows('time.task_not_held', 'rule');
    given([])
      .when(markTaskDone({ holding: undefined }))
      .thenThrows('time.task_not_held', 'rule');
  });

  it('is hers only (time.forbidden)', () => {
    given([])
      .when(markTaskDone({ by: coordinator }))
      .thenThrows('time.forbidden', 'forbidden');
  });
});

describe('ApproveWeek', () => {
  const monday = recorded(ENTRY, '2026-04-06T09:00', '2026-04-06T10:00');
  const sunday = recorded(ENTRY_2, '2026-04-12T23:00', '2026-04-13T01:00');
  const before = recorded(ENTRY_3, '2026-04-05T23:00', '2026-04-06T00:30');

  it('approves the full set of the week’s entries (by their start), earliest first', () => {
    given([sunday, before, monday])
      .when(approveWeek())
      .then([approved(WEEK, [monday, sunday])]);
  });

  it('is refused while the week is not over (time.week_not_over), not at its end', () => {
    given([monday])
      .when(approveWeek({ at: tokyo('2026-04-12T23:59:59.999') }))
      .thenThrows('time.week_not_over', 'rule');
    given([monday])
      .when(approveWeek({ at: tokyo('2026-04-13T00:00') }))
      .then([approved(WEEK, [monday])]);
  });

  it('is refused without time in the week (time.nothing_to_approve)', () => {
    given([before]).when(approveWeek()).thenThrows('time.nothing_to_approve', 'rule');
    given([monday, { type: 'TimeEntryDeleted', data: { memberId: MEMBER, entryId: ENTRY, reason: 'x' } }])
      .when(approveWeek())
      .thenThrows('time.nothing_to_approve', 'rule');
  });

  it('changes nothing for a week approved and unchanged since', () => {
    given([monday, approved(WEEK, [monday])])
      .when(approveWeek())
      .thenNothing();
  });

  it('approves a reopened week again, with its entries as they are now', () => {
    const correctedMonday: TimesheetEvent = {
      type: 'TimeEntryCorrected',
      data: {
        memberId: MEMBER,
        entryId: ENTRY,
        start: iso('2026-04-06T09:00'),
        end: iso('2026-04-06T09:30'),
        minutes: 30,
        reason: 'x',
      },
    };
    given([
      monday,
      approved(WEEK, [monday]),
      correctedMonday,
      { type: 'WeekReopened', data: { memberId: MEMBER, weekStart: WEEK } },
    ])
      .when(approveWeek())
      .then([approved(WEEK, [recorded(ENTRY, '2026-04-06T09:00', '2026-04-06T09:30')])]);
  });

  it('is refused while a timer started in the week still runs (time.timer_running)', () => {
    given([monday, timerStarted('2026-04-12T22:00')])
      .when(approveWeek())
      .thenThrows('time.timer_running', 'rule');
    given([monday, timerStarted('2026-04-13T08:00')])
      .when(approveWeek())
      .then([approved(WEEK, [monday])]);
  });

  it('is a coordinator of her region’s, never her own (time.forbidden)', () => {
    for (const by of [member, teammate, setagayaCoordinator, operator])
      given([monday]).when(approveWeek({ by })).thenThrows('time.forbidden', 'forbidden');
    given([monday])
      .when(approveWeek({ memberRegionId: undefined }))
      .thenThrows('time.forbidden', 'forbidden');
    given([monday])
      .when(approveWeek({ by: { ...coordinator, id: MEMBER } }))
      .thenThrows('time.forbidden', 'forbidden');
  });

  it('names a week by its Monday (time.invalid_week)', () => {
    for (const weekStart of ['2026-04-07', '2026-4-6', '2026-02-30', 'monday', ''])
      given([monday]).when(approveWeek({ weekStart })).thenThrows('time.invalid_week', 'invalid');
  });
});
