/**
 * The people, ids and times of the timesheet's tests. Times are written in Tokyo time
 * (`tokyo('2026-04-06T09:00')` is 09:00 Asia/Tokyo, 00:00 UTC); the week of Monday 2026-04-06
 * runs to Monday 2026-04-13 00:00 Tokyo.
 */
import type { Actor } from '@workshare/eventsourcing';
import type {
  ApproveWeek,
  CorrectEntry,
  DeleteEntry,
  HoldingInterval,
  MarkTaskDone,
  RecordSpan,
  StartWork,
  StopWork,
  TaskHolding,
  TimeEntryRecorded,
  TimerStarted,
  WeekApproved,
} from '../../src/domain/timesheet.js';

export const MEMBER = '01960000-0000-7000-8000-000000000001';
export const TEAMMATE = '01960000-0000-7000-8000-000000000002';
export const COORDINATOR = '01960000-0000-7000-8000-000000000003';
export const TASK = '01960000-0000-7000-8000-0000000000a1';
export const OTHER_TASK = '01960000-0000-7000-8000-0000000000a2';
export const JOB = '01960000-0000-7000-8000-0000000000b1';
export const ENTRY = '01960000-0000-7000-8000-0000000000e1';
export const ENTRY_2 = '01960000-0000-7000-8000-0000000000e2';
export const ENTRY_3 = '01960000-0000-7000-8000-0000000000e3';
export const REGION = 'fujisato';

export const member: Actor = { id: MEMBER, roles: [{ kind: 'member' }] };
export const teammate: Actor = { id: TEAMMATE, roles: [{ kind: 'member' }] };
/** A coordinator of fujisato (a member of it too, as the cooperative's coordinators are). */
export const coordinator: Actor = {
  id: COORDINATOR,
  roles: [{ kind: 'member' }, { kind: 'coordinator', regionId: REGION }],
};
export const setagayaCoordinator: Actor = {
  id: '01960000-0000-7000-8000-000000000004',
  roles: [{ kind: 'coordinator', regionId: 'setagaya' }],
};
export const operator: Actor = { id: '01960000-0000-7000-8000-000000000005', roles: [{ kind: 'operator' }] };

/** An instant given in Tokyo time: `2026-04-06T09:00` or with seconds. */
export const tokyo = (local: string): Date => new Date(`${local.length === 16 ? `${local}:00` : local}+09:00`);
export const iso = (local: string): string => tokyo(local).toISOString();

export const WEEK = '2026-04-06';
export const NEXT_WEEK = '2026-04-13';
/** Wednesday of the week: "now" for most commands. */
export const NOW = tokyo('2026-04-08T12:00');

/** She held the task from Monday 08:00 on, and holds it still. */
export const HELD_ALL_WEEK: readonly HoldingInterval[] = [{ from: tokyo('2026-03-30T08:00') }];

export const holding = (intervals: readonly HoldingInterval[] = HELD_ALL_WEEK, taskId: string = TASK): TaskHolding => ({
  taskId,
  jobId: JOB,
  regionId: REGION,
  intervals,
});

// ---- events -----------------------------------------------------------------------------------

export const recorded = (
  entryId: string,
  start: string,
  end: string,
  source: 'timer' | 'manual' = 'manual',
  taskId: string = TASK,
): TimeEntryRecorded => ({
  type: 'TimeEntryRecorded',
  data: {
    memberId: MEMBER,
    entryId,
    taskId,
    jobId: JOB,
    regionId: REGION,
    start: iso(start),
    end: iso(end),
    minutes: (tokyo(end).getTime() - tokyo(start).getTime()) / 60_000,
    source,
  },
});

export const timerStarted = (start: string, taskId: string = TASK): TimerStarted => ({
  type: 'TimerStarted',
  data: { memberId: MEMBER, taskId, jobId: JOB, regionId: REGION, start: iso(start) },
});

/** The approval of a week holding these entries (as recorded). */
export const approved = (weekStart: string, entries: readonly TimeEntryRecorded[]): WeekApproved => ({
  type: 'WeekApproved',
  data: {
    memberId: MEMBER,
    weekStart,
    entries: entries.map(({ data: { entryId, taskId, jobId, regionId, start, end, minutes } }) => ({
      entryId,
      taskId,
      jobId,
      regionId,
      start,
      end,
      minutes,
    })),
  },
});

// ---- commands ---------------------------------------------------------------------------------

export const startWork = (overrides: Partial<StartWork> = {}): StartWork => ({
  type: 'StartWork',
  memberId: MEMBER,
  taskId: TASK,
  holding: holding(),
  by: member,
  at: NOW,
  ...overrides,
});

export const stopWork = (overrides: Partial<StopWork> = {}): StopWork => ({
  type: 'StopWork',
  memberId: MEMBER,
  entryId: ENTRY,
  holding: holding(),
  by: member,
  at: NOW,
  ...overrides,
});

export const recordSpan = (start: string, end: string, overrides: Partial<RecordSpan> = {}): RecordSpan => ({
  type: 'RecordSpan',
  memberId: MEMBER,
  entryId: ENTRY,
  taskId: TASK,
  start: tokyo(start),
  end: tokyo(end),
  holding: holding(),
  by: member,
  at: NOW,
  ...overrides,
});

export const correctEntry = (
  entryId: string,
  start: string,
  end: string,
  overrides: Partial<CorrectEntry> = {},
): CorrectEntry => ({
  type: 'CorrectEntry',
  memberId: MEMBER,
  entryId,
  start: tokyo(start),
  end: tokyo(end),
  reason: '開始時刻の入力ミス',
  holding: holding(),
  memberRegionId: REGION,
  by: member,
  at: NOW,
  ...overrides,
});

export const deleteEntry = (entryId: string, overrides: Partial<DeleteEntry> = {}): DeleteEntry => ({
  type: 'DeleteEntry',
  memberId: MEMBER,
  entryId,
  reason: '別の作業の時間だった',
  memberRegionId: REGION,
  by: member,
  ...overrides,
});

export const markTaskDone = (overrides: Partial<MarkTaskDone> = {}): MarkTaskDone => ({
  type: 'MarkTaskDone',
  memberId: MEMBER,
  taskId: TASK,
  holding: holding(),
  by: member,
  at: NOW,
  ...overrides,
});

export const approveWeek = (overrides: Partial<ApproveWeek> = {}): ApproveWeek => ({
  type: 'ApproveWeek',
  memberId: MEMBER,
  weekStart: WEEK,
  memberRegionId: REGION,
  by: coordinator,
  at: tokyo('2026-04-13T09:00'),
  ...overrides,
});
