import type { RecordedEvent } from '@workshare/eventsourcing';
import { genericFold, plainJson, recordedBy, replayState } from '../../src/domain/replay.js';
import { summaryOf } from '../../src/domain/summaries.js';

const recorded = (
  streamName: string,
  streamVersion: number,
  type: string,
  data: object,
  at: string,
): RecordedEvent => ({
  id: `e${streamVersion}`,
  type,
  schemaVersion: 1,
  streamName,
  streamVersion,
  position: { commit: 1n, prepare: BigInt(streamVersion) },
  data: data as never,
  metadata: {},
  occurredAt: new Date(at),
  recordedAt: new Date(at),
  hash: '',
  previousHash: '',
});

describe('a stream as of an instant', () => {
  const stream = 'timesheet-M';
  const events = [
    recorded(
      stream,
      0,
      'TimeEntryRecorded',
      {
        memberId: 'M',
        entryId: 'E',
        taskId: 'T',
        jobId: 'J',
        regionId: 'fujisato',
        start: '2026-11-04T02:00:00.000Z',
        end: '2026-11-04T02:40:00.000Z',
        minutes: 40,
        source: 'span',
      },
      '2026-11-04T03:00:00Z',
    ),
    recorded(
      stream,
      1,
      'TimeEntryCorrected',
      {
        memberId: 'M',
        entryId: 'E',
        start: '2026-11-04T02:00:00.000Z',
        end: '2026-11-04T02:30:00.000Z',
        minutes: 30,
        reason: 'typo',
      },
      '2026-11-05T03:00:00Z',
    ),
  ];

  it('takes the events recorded by then', () => {
    expect(recordedBy(events, new Date('2026-11-04T12:00:00Z')).map((e) => e.streamVersion)).toEqual([0]);
    expect(recordedBy(events, new Date('2026-11-05T03:00:00Z'))).toHaveLength(2);
  });

  it("folds them with the owner's own evolve", () => {
    const before = replayState(stream, recordedBy(events, new Date('2026-11-04T12:00:00Z')));
    const after = replayState(stream, events);
    expect(before.folder).toBe('timesheet');
    expect(JSON.stringify(plainJson(before.state))).toContain('"minutes":40');
    expect(JSON.stringify(plainJson(after.state))).toContain('"minutes":30');
  });

  it('folds a stream of no service here generically', () => {
    const other = [
      recorded('accountEmail-x', 0, 'EmailReserved', { owner: 'a' }, '2026-11-01T00:00:00Z'),
      recorded('accountEmail-x', 1, 'EmailReleased', { owner: null }, '2026-11-02T00:00:00Z'),
    ];
    expect(replayState('accountEmail-x', other)).toEqual({ folder: 'generic', state: genericFold(other) });
    expect(genericFold(other)).toEqual({
      owner: null,
      lastEvent: 'EmailReleased',
      lastEventAt: '2026-11-02T00:00:00.000Z',
    });
  });

  it('shows a state as plain JSON, personal data withheld', () => {
    expect(
      plainJson({
        at: new Date('2026-11-01T00:00:00Z'),
        yen: 12n,
        set: new Set([1]),
        map: new Map([['k', 1]]),
        personalData: 'sealed',
        note: { sealedFor: 'M', sealed: 'v1.x' },
      }),
    ).toEqual({
      at: '2026-11-01T00:00:00.000Z',
      yen: '12',
      set: [1],
      map: { k: 1 },
      personalData: { kind: 'withheld' },
      note: { kind: 'withheld' },
    });
  });
});

describe('summaries', () => {
  it('says in Japanese what an event did, with names', () => {
    const names: Record<string, string> = { A: '佐藤', C: '鈴木' };
    const name = (id: string) => names[id] ?? id;
    expect(
      summaryOf(
        { type: 'TaskHandedOff', streamName: 'schedule-J', data: { fromMemberId: 'A', toMemberId: 'C' } },
        name,
      ),
    ).toBe('タスクを引き継ぎ: 佐藤 → 鈴木');
    expect(
      summaryOf(
        { type: 'JobSubmitted', streamName: 'job-J', data: { title: 'カタログ入力', amountYen: '48000' } },
        name,
      ),
    ).toBe('仕事の依頼: カタログ入力（48,000円）');
    expect(
      summaryOf(
        { type: 'RoleGranted', streamName: 'member-A', data: { role: { kind: 'coordinator', regionId: 'fujisato' } } },
        name,
      ),
    ).toBe('役割を付与: コーディネーター（fujisato）');
    expect(summaryOf({ type: 'SomethingNew', streamName: 'x-1', data: {} }, name)).toBe('SomethingNew');
  });
});
