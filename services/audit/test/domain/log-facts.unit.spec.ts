import type { ProjectedEvent } from '@workshare/eventsourcing';
import {
  addReferences,
  emptyKnown,
  emptyReferences,
  foldPage,
  logOrder,
  splitStream,
} from '../../src/domain/log-facts.js';

let n = 0;
const event = (streamName: string, type: string, data: Record<string, unknown>, actor = 'actor-1'): ProjectedEvent => {
  n++;
  return {
    id: `e-${n}`,
    type,
    schemaVersion: 1,
    streamName,
    streamVersion: n,
    position: { commit: 7n, prepare: BigInt(n) },
    data: data as never,
    metadata: { actor },
    occurredAt: new Date(Date.UTC(2026, 10, 4, 1, n)),
    recordedAt: new Date(Date.UTC(2026, 10, 4, 1, n)),
  };
};

describe('the facts of the log, page by page', () => {
  it('names every subject an event concerns, across streams', () => {
    const page = [
      event('job-J', 'JobSubmitted', {
        jobId: 'J',
        businessId: 'B',
        regionId: 'fujisato',
        title: 'カタログ入力',
        amountYen: '48000',
      }),
      event('schedule-J', 'TaskHandedOff', {
        taskId: 'T',
        fromMemberId: 'A',
        toMemberId: 'C',
        reason: 'sick child',
        progressNote: '',
        by: 'A',
      }),
      event('timesheet-C', 'TimeEntryRecorded', {
        memberId: 'C',
        entryId: 'E',
        taskId: 'T',
        jobId: 'J',
        regionId: 'fujisato',
        start: 's',
        end: 'e',
        minutes: 40,
      }),
      event('settlement-fujisato.2026-11', 'MonthClosed', {
        invoices: [{ recipient: { businessId: 'B' } }],
        statements: [{ memberId: 'C' }],
      }),
    ];
    const folded = foldPage(page, emptyKnown());
    expect(folded.events.map((e) => e.subjects.map((s) => `${s.kind}:${s.id}`))).toEqual([
      ['job:J', 'business:B'],
      ['job:J', 'business:B', 'task:T', 'member:A', 'member:C'],
      ['member:C', 'task:T', 'job:J'],
      ['settlement:fujisato.2026-11', 'business:B', 'member:C'],
    ]);
    expect(folded.jobs.get('J')).toMatchObject({ regionId: 'fujisato', businessId: 'B', title: 'カタログ入力' });
  });

  it('follows who holds a task, and records every hand-off with its reason and the job’s region', () => {
    const folded = foldPage(
      [
        event('schedule-J', 'TaskAssigned', { taskId: 'T', memberId: 'A' }),
        event('schedule-J', 'TaskHandedOff', {
          taskId: 'T',
          fromMemberId: 'A',
          toMemberId: 'C',
          reason: { sealedFor: 'A', sealed: 'v1.x' },
          progressNote: 'half',
        }),
        event('schedule-J', 'TaskReleased', { taskId: 'T', memberId: 'C', reason: 'left', progressNote: '' }),
      ],
      { ...emptyKnown(), jobs: new Map([['J', { regionId: 'setagaya', businessId: 'B', title: null }]]) },
    );
    expect(folded.events.flatMap((e) => e.holdings.map((h) => [h.kind, h.memberId]))).toEqual([
      ['assigned', 'A'],
      ['handed_off', 'C'],
      ['released', null],
    ]);
    expect(folded.events[1]!.handOff).toMatchObject({
      regionId: 'setagaya',
      fromMemberId: 'A',
      toMemberId: 'C',
      reason: { sealedFor: 'A', sealed: 'v1.x' },
    });
    expect(folded.events[2]!.handOff).toMatchObject({ fromMemberId: 'C', toMemberId: null });
  });

  it('ends a holding when the task is done or its job cancelled, the cancellation no hand-off', () => {
    const folded = foldPage(
      [
        event('schedule-J', 'TaskAssigned', { taskId: 'T', memberId: 'A' }),
        event('schedule-J', 'TaskAssigned', { taskId: 'U', memberId: 'C' }),
        event('timesheet-A', 'TaskMarkedDone', {
          memberId: 'A',
          taskId: 'T',
          jobId: 'J',
          regionId: 'fujisato',
          at: '2026-11-04T01:03:00.000Z',
        }),
        event('schedule-J', 'JobCancelledRecorded', { jobId: 'J', reason: 'business withdrew' }),
        event('schedule-J', 'TaskReleased', { taskId: 'U', memberId: 'C', reason: 'job cancelled', progressNote: '' }),
      ],
      emptyKnown(),
    );
    expect(folded.events.flatMap((e) => e.holdings.map((h) => [h.taskId, h.kind, h.memberId, h.jobId]))).toEqual([
      ['T', 'assigned', 'A', 'J'],
      ['U', 'assigned', 'C', 'J'],
      ['T', 'done', null, 'J'],
      ['U', 'cancelled', null, 'J'],
    ]);
    expect(folded.events.map((e) => e.handOff)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it("compares a correction with what earlier pages knew: a time entry's before and after", () => {
    const known = emptyKnown();
    known.entries.set('E', {
      memberId: 'C',
      taskId: 'T',
      jobId: 'J',
      regionId: 'fujisato',
      start: 's0',
      end: 'e0',
      minutes: 40,
    });
    const corrected = event(
      'timesheet-C',
      'TimeEntryCorrected',
      { memberId: 'C', entryId: 'E', start: 's0', end: 'e1', minutes: 30, reason: 'typo' },
      'coord',
    );
    const refs = emptyReferences();
    addReferences(corrected, refs);
    expect([...refs.entries]).toEqual(['E']);
    const folded = foldPage(
      [corrected, event('timesheet-C', 'TimeEntryDeleted', { memberId: 'C', entryId: 'E', reason: 'twice' })],
      known,
    );
    expect(folded.events[0]!.correction).toMatchObject({
      regionId: 'fujisato',
      actor: 'coord',
      reason: 'typo',
      reasonOwner: 'C',
      changes: [
        { field: 'start', before: 's0', after: 's0' },
        { field: 'end', before: 'e0', after: 'e1' },
        { field: 'minutes', before: 40, after: 30 },
      ],
    });
    // The deletion is compared with the entry as this page corrected it.
    expect(folded.events[1]!.correction!.changes).toEqual([
      { field: 'entry', before: { start: 's0', end: 'e1', minutes: 30, taskId: 'T' }, after: null },
    ]);
    expect(folded.events[0]!.subjects.map((s) => s.kind)).toEqual(['member', 'task', 'job']);
  });

  it('records a quote that changed the amount, availability changes, role changes, a reopened week', () => {
    const known = emptyKnown();
    known.members.set('M', { regionId: 'fujisato' });
    known.facts.set('availability:M', [{ day: 'mon', start: '09:00', end: '12:00' }]);
    const folded = foldPage(
      [
        event('job-J', 'JobSubmitted', {
          jobId: 'J',
          businessId: 'B',
          regionId: 'fujisato',
          title: 't',
          amountYen: '48000',
        }),
        event('job-J', 'JobQuoted', { jobId: 'J', amountYen: '52000' }),
        event('member-M', 'MemberAvailabilityUpdated', {
          memberId: 'M',
          availability: [{ day: 'tue', start: '09:00', end: '12:00' }],
        }),
        event('member-M', 'RoleGranted', { accountId: 'M', role: { kind: 'coordinator', regionId: 'fujisato' } }),
        event('timesheet-M', 'WeekReopened', { memberId: 'M', weekStart: '2026-11-02' }),
        event('member-M', 'MemberAvailabilityUpdated', {
          memberId: 'M',
          availability: [{ day: 'tue', start: '09:00', end: '12:00' }],
        }),
      ],
      known,
    );
    expect(folded.events.map((e) => e.correction?.changes ?? null)).toEqual([
      null,
      [{ field: 'amountYen', before: '48000', after: '52000' }],
      [
        {
          field: 'availability',
          before: [{ day: 'mon', start: '09:00', end: '12:00' }],
          after: [{ day: 'tue', start: '09:00', end: '12:00' }],
        },
      ],
      [{ field: 'role', before: null, after: 'coordinator:fujisato' }],
      [{ field: 'week 2026-11-02', before: 'approved', after: 'reopened' }],
      // The same availability again corrects nothing.
      null,
    ]);
  });

  it('remembers a forgotten member and every audit query', () => {
    const folded = foldPage(
      [
        event('member-M', 'MemberForgotten', { memberId: 'M', reason: 'APPI' }),
        event('auditquery-Q', 'AuditQueried', {
          queryId: 'Q',
          actorId: 'acc',
          query: 'history',
          parameters: { subject: 'job', id: 'J', limit: 5 },
        }),
      ],
      emptyKnown(),
    );
    expect(folded.facts.get('forgotten:M')?.value).toBe(true);
    expect(folded.events[1]!.query).toMatchObject({
      actor: 'acc',
      query: 'history',
      parameters: { subject: 'job', id: 'J' },
    });
  });

  it('orders positions as one number, and splits stream names', () => {
    expect(BigInt(logOrder({ commit: 2n, prepare: 0n }))).toBeGreaterThan(
      BigInt(logOrder({ commit: 1n, prepare: 2n ** 63n })),
    );
    expect(splitStream('settlement-fujisato.2026-11')).toEqual({ category: 'settlement', id: 'fujisato.2026-11' });
    expect(splitStream('plain')).toEqual({ category: 'plain', id: '' });
  });

  it('passes over what it does not know', () => {
    const folded = foldPage(
      [event('session-S', 'SessionStarted', {}), event('accountEmail-x', 'EmailReserved', {})],
      emptyKnown(),
    );
    expect(folded.events.map((e) => [e.subjects, e.holdings, e.handOff, e.correction])).toEqual([
      [[], [], undefined, undefined],
      [[], [], undefined, undefined],
    ]);
  });
});

describe('a hand-off decided as a release and its successor', () => {
  it('is one hand-off (TaskHandedOff), while a release with no successor is one of its own', () => {
    const release = (v: number) => ({
      ...event('schedule-J', 'TaskReleased', { taskId: 'T', memberId: 'A', reason: 'sick', progressNote: '' }),
      streamVersion: v,
    });
    const handedOff = (v: number) => ({
      ...event('schedule-J', 'TaskHandedOff', {
        taskId: 'T',
        fromMemberId: 'A',
        toMemberId: 'C',
        reason: 'sick',
        progressNote: '',
      }),
      streamVersion: v,
    });
    const folded = foldPage([release(10), handedOff(11), release(12)], emptyKnown());
    expect(folded.events.map((e) => e.handOff?.toMemberId)).toEqual([undefined, 'C', null]);
    expect(folded.events.map((e) => e.holdings.map((h) => h.kind))).toEqual([
      ['released'],
      ['handed_off'],
      ['released'],
    ]);
  });
});
