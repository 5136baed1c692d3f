import type { NewEvent } from '@workshare/eventsourcing';
import { generateHistory, type RegionCast, type Week } from '../../bench/history.js';
import { checkPublished } from '../../bench/load.js';

const cast = (regionId: string, members: number): RegionCast => ({
  regionId,
  coordinatorId: `${regionId}-coordinator`,
  memberIds: Array.from({ length: members }, (_, i) => `${regionId}-member-${i}`),
  businessIds: Array.from({ length: 5 }, (_, i) => `${regionId}-business-${i}`),
  businessUserIds: Array.from({ length: 5 }, (_, i) => `${regionId}-business-user-${i}`),
});
const FIRST_DAY_MS = Date.parse('2026-04-01T00:00:00+09:00');

const weeks = (seed: number, count: number, members = 30): Week[] => {
  const history = generateHistory({
    seed,
    regions: [cast('fujisato', members), cast('chofu', members)],
    firstDayMs: FIRST_DAY_MS,
  });
  return Array.from({ length: count }, () => history.next().value as Week);
};

const eventsOf = (list: readonly Week[]): { stream: string; event: NewEvent }[] =>
  list.flatMap((w) =>
    w.phases.flatMap((batches) => batches.flatMap((b) => b.events.map((event) => ({ stream: b.stream, event })))),
  );

describe('the generated history', () => {
  const history = weeks(1, 12);
  const all = eventsOf(history);

  it('is the same for the same seed, another for another seed', () => {
    // given two generators of the same seed, and one of another
    const again = eventsOf(weeks(1, 12));
    const other = eventsOf(weeks(2, 12));
    // then the same seed gives the same events in the same order
    expect(JSON.stringify(again)).toBe(JSON.stringify(all));
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(all));
  });

  it('writes only events their producers may publish, each phase on distinct streams', () => {
    for (const week of history)
      for (const batches of week.phases) {
        for (const batch of batches) expect(() => checkPublished(batch)).not.toThrow();
        const streams = batches.map((b) => b.stream);
        expect(new Set(streams).size).toBe(streams.length);
      }
    // every kind of fact the audit asks about is there
    const types = new Set(all.map((e) => e.event.type));
    for (const type of [
      'JobAccepted',
      'TasksPlanned',
      'TaskAssigned',
      'TaskReleased',
      'TaskHandedOff',
      'TimeEntryRecorded',
      'TimeEntryCorrected',
      'TimeEntryDeleted',
      'WeekApproved',
      'WeekReopened',
      'TaskMarkedDone',
      'JobInspected',
    ])
      expect(types).toContain(type);
  });

  it('records a member’s time only on a task she holds, within its span, never two entries at once', () => {
    // the spans each member holds each task for, from the schedules
    const spans = new Map<string, { start: number; end: number }>();
    for (const { event } of all) {
      const d = event.data as Record<string, string>;
      if (event.type === 'TaskAssigned')
        spans.set(`${d.taskId}|${d.memberId}`, { start: Date.parse(d.start!), end: Date.parse(d.end!) });
      if (event.type === 'TaskHandedOff')
        spans.set(`${d.taskId}|${d.toMemberId}`, { start: Date.parse(d.start!), end: Date.parse(d.end!) });
    }
    const byMember = new Map<string, { start: number; end: number }[]>();
    for (const { event } of all) {
      if (event.type !== 'TimeEntryRecorded') continue;
      const d = event.data as Record<string, string | number>;
      const start = Date.parse(String(d.start));
      const end = Date.parse(String(d.end));
      const span = spans.get(`${d.taskId}|${d.memberId}`);
      expect(span).toBeDefined();
      expect(start).toBeGreaterThanOrEqual(span!.start);
      expect(end).toBeLessThanOrEqual(span!.end);
      expect(d.minutes).toBe((end - start) / 60_000);
      const list = byMember.get(String(d.memberId)) ?? [];
      list.push({ start, end });
      byMember.set(String(d.memberId), list);
    }
    for (const list of byMember.values()) {
      list.sort((a, b) => a.start - b.start);
      for (let i = 1; i < list.length; i++) expect(list[i]!.start).toBeGreaterThanOrEqual(list[i - 1]!.end);
    }
  });

  it('knows who holds each task when, as the schedule events say', () => {
    const holderAt = new Map<string, { at: number; memberId: string | null }[]>();
    for (const { event } of all) {
      const d = event.data as Record<string, string>;
      const change =
        event.type === 'TaskAssigned'
          ? d.memberId!
          : event.type === 'TaskHandedOff'
            ? d.toMemberId!
            : event.type === 'TaskReleased'
              ? null
              : undefined;
      if (change === undefined) continue;
      const list = holderAt.get(d.taskId!) ?? [];
      list.push({ at: event.occurredAt!.getTime(), memberId: change });
      holderAt.set(d.taskId!, list);
    }
    const tasks = history.slice(0, -1).flatMap((w) => w.tasks);
    expect(tasks.length).toBeGreaterThan(1_000);
    for (const task of tasks) {
      const changes = holderAt.get(task.taskId)!;
      for (const h of task.holders) {
        const at = h.toMs === null ? h.fromMs + 1 : (h.fromMs + h.toMs) / 2;
        let holder: string | null = null;
        for (const c of changes) if (c.at <= at) holder = c.memberId;
        expect(holder).toBe(h.memberId);
      }
    }
  });

  it('approves each member’s week with her entries as they stand, and closes each month after its last week', () => {
    const entries = new Map<string, { minutes: number; deleted: boolean }>();
    for (const { event } of all) {
      const d = event.data as Record<string, unknown>;
      if (event.type === 'TimeEntryRecorded' || event.type === 'TimeEntryCorrected')
        entries.set(String(d.entryId), { minutes: Number(d.minutes), deleted: false });
      if (event.type === 'TimeEntryDeleted') entries.set(String(d.entryId), { minutes: 0, deleted: true });
      if (event.type === 'WeekApproved')
        for (const e of d.entries as { entryId: string; minutes: number }[]) {
          expect(entries.get(e.entryId)).toEqual({ minutes: e.minutes, deleted: false });
        }
    }
    // April's last week (27 April–3 May) is approved on Monday 4 May: April closes on Tuesday 5 May, 10:00 Tokyo.
    const closes = history.flatMap((w) => w.closes);
    expect(closes).toEqual([
      { regionId: 'fujisato', month: '2026-04', atMs: Date.parse('2026-05-05T10:00:00+09:00') },
      { regionId: 'chofu', month: '2026-04', atMs: Date.parse('2026-05-05T10:00:00+09:00') },
      { regionId: 'fujisato', month: '2026-05', atMs: Date.parse('2026-06-02T10:00:00+09:00') },
      { regionId: 'chofu', month: '2026-05', atMs: Date.parse('2026-06-02T10:00:00+09:00') },
    ]);
  });
});
