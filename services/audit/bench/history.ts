/**
 * A cooperative's history, generated week by week from a seed (mulberry32, @workshare/bench):
 * several regions, each with its members and businesses (registered in identity by the loader;
 * here they are indexes, mapped to identity's ids), and, every Tokyo week (Monday to Sunday):
 *
 * - jobs of the region's businesses submitted, quoted and accepted the week before they are
 *   worked (job intake's `job-<id>`), planned into tasks of one window each (task decomposition's
 *   `plan-<id>`: PlanProposed, TasksPlanned), received and scheduled (team scheduling's
 *   `schedule-<id>`: TasksReceived, one TaskAssigned per task), started (JobStarted);
 * - each member's windows of the week (3–11 tasks, 15–75 minutes each, at 09:00, 11:00, 14:00 and
 *   19:00 Tokyo give or take half an hour), recorded as time entries (one, or a task split in two),
 *   with corrections (4%) and deletions (1%) within the week, each with its reason, and her
 *   receipt of each task she finished (TaskMarkedDone);
 * - hand-offs (8% of the tasks): the holder releases the task (before its window, or halfway
 *   through it, with a progress note) with her reason, and a teammate takes it over in her
 *   evening window (21:00) of the same day (TaskReleased, TaskHandedOff);
 * - the week before approved on Monday 10:00 by the region's coordinator (WeekApproved); 1% of its
 *   entries corrected afterwards (TimeEntryCorrected, WeekReopened) and the week approved again;
 * - the week before's jobs delivered on Monday and inspected on Tuesday (JobDelivered,
 *   JobInspected): a fixed-price job is billed in the month of its inspection;
 * - every Tokyo month whose last week was approved on Monday is due to be closed on Tuesday 10:00
 *   (`closes`): the loader closes it through settlement's facade (the real close).
 *
 * Every event is of its producer's domain type (JobEvent, PlanEvent, ScheduleEvent,
 * TimesheetEvent, imported from the services), so a change of a producer's events fails this
 * file's typecheck; the loader checks the published ones against their catalogues too.
 * Nothing here is random but the seed: the same seed and sizes give the same weeks.
 */
import { seededRandom, type Random } from '@workshare/bench';
import { SYSTEM_ACTORS, type JsonObject, type NewEvent } from '@workshare/eventsourcing';
import { WORK_CATEGORIES, type JobEvent, type WorkCategory } from '@workshare/job-intake';
import type { PlanEvent } from '@workshare/task-decomposition';
import type { ScheduleEvent } from '@workshare/team-scheduling';
import type { ApprovedEntryData, TimesheetEvent } from '@workshare/time-tracking';
import { DAY_MS, TOKYO_OFFSET_MS, tokyoWeekStartMs } from '@workshare/time';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * DAY_MS;

/** The ids a region's history needs, as identity gave them (by the plan's index). */
export interface RegionCast {
  readonly regionId: string;
  readonly coordinatorId: string;
  /** Identity's member ids (the plan's members by index). */
  readonly memberIds: readonly string[];
  readonly businessIds: readonly string[];
  /** The user acting for each business (submits, accepts, inspects its jobs). */
  readonly businessUserIds: readonly string[];
}

export interface HistoryOptions {
  readonly seed: number;
  readonly regions: readonly RegionCast[];
  /** The first day worked, 00:00 Tokyo (epoch ms). */
  readonly firstDayMs: number;
}

/** Events for one stream, in one append. */
export interface Batch {
  readonly stream: string;
  readonly events: NewEvent[];
}

/** A task of the week, as the generator knows it: who holds it when (for the who-held checks). */
export interface TaskFacts {
  readonly taskId: string;
  readonly jobId: string;
  readonly regionId: string;
  /** The holders in order: from when (epoch ms); `to` null while still held. */
  readonly holders: readonly { readonly memberId: string; readonly fromMs: number; readonly toMs: number | null }[];
  /** When the first holder got it and when its last window ends. */
  readonly assignedMs: number;
  readonly endMs: number;
}

export interface Week {
  /** Monday 00:00 Tokyo of the week (epoch ms) and as `YYYY-MM-DD`. */
  readonly startMs: number;
  readonly weekStart: string;
  /**
   * The week's appends in the order they go in: each phase's batches name distinct streams (so
   * they may go in at once), and a phase goes in after the one before. Phase 0: the approvals of
   * the week before (and the corrections after them); then the loader closes the months due;
   * phase 1: jobs, plans and schedules of next week, deliveries and inspections of last week's
   * jobs, this week's hand-offs; phase 2: this week's timesheets.
   */
  readonly phases: readonly (readonly Batch[])[];
  /** Months whose last week is approved in phase 0: closed on Tuesday 10:00 Tokyo, after phase 0. */
  readonly closes: readonly { readonly regionId: string; readonly month: string; readonly atMs: number }[];
  /** Tasks worked this week (their holders), for the bench's questions. */
  readonly tasks: readonly TaskFacts[];
}

// ---- texts ----------------------------------------------------------------------------------

const HAND_OFF_REASONS = [
  '子どもが熱を出した',
  '急な通院',
  '家族の介護',
  '回線の不調',
  '本業の急用',
  '学校からの呼び出し',
] as const;
const PROGRESS_NOTES = [
  '半分まで入力済み',
  '前半の確認は終わっています',
  '残りは見出しの整理だけ',
  '下書きまで',
] as const;
const CORRECTION_REASONS = ['終了時刻の打ち間違い', 'タイマーの止め忘れ', '開始時刻の記録漏れ'] as const;
const DELETION_REASONS = ['別のタスクに記録していた', '二重に記録した'] as const;
const TITLES: Readonly<Record<WorkCategory, string>> = {
  data_entry: '名簿の入力',
  transcription: '会議録の文字起こし',
  writing: '広報誌の記事',
  design: 'チラシのデザイン',
  translation: '観光パンフレットの英訳',
  illustration: '地図の挿絵',
  proofreading: '町史の校正',
};
const SKILLS: Readonly<Record<WorkCategory, string>> = {
  data_entry: 'data entry',
  transcription: 'transcription',
  writing: 'writing',
  design: 'design',
  translation: 'translation',
  illustration: 'illustration',
  proofreading: 'proofreading',
};

// ---- time -----------------------------------------------------------------------------------

const iso = (ms: number): string => new Date(ms).toISOString();
/** `YYYY-MM-DD` of the Tokyo day at `ms`. */
const tokyoDay = (ms: number): string => new Date(ms + TOKYO_OFFSET_MS).toISOString().slice(0, 10);
/** `YYYY-MM` of the Tokyo month at `ms`. */
const tokyoMonth = (ms: number): string => tokyoDay(ms).slice(0, 7);
// ---- the week's plan ------------------------------------------------------------------------

interface Window {
  readonly memberIndex: number;
  readonly startMs: number;
  readonly minutes: number;
}

interface EntryDraft {
  readonly entryId: string;
  readonly memberIndex: number;
  readonly taskId: string;
  readonly jobId: string;
  startMs: number;
  endMs: number;
  deleted: boolean;
}

interface TaskPlan {
  readonly taskId: string;
  readonly key: string;
  readonly window: Window;
  /** A hand-off: released at `atMs` (with a progress note when halfway), taken over in `successor`'s evening window. */
  handOff: { atMs: number; halfway: boolean; successor: Window } | null;
}

interface JobPlan {
  readonly jobId: string;
  readonly businessIndex: number;
  readonly workCategory: WorkCategory;
  readonly title: string;
  readonly hourlyRateYen: number | null;
  readonly feeYen: number;
  readonly estimatedMinutes: number;
  readonly tasks: readonly TaskPlan[];
}

interface RegionState {
  readonly cast: RegionCast;
  readonly random: Random;
  /** The jobs of the week being generated (planned the week before). */
  planned: JobPlan[];
  /** Last week's jobs: delivered and inspected this week. */
  toInspect: JobPlan[];
  /** Each member's entries of last week, as they stand: approved on Monday. */
  lastWeekEntries: Map<number, EntryDraft[]>;
}

const SLOT_STARTS_MIN = [9 * 60, 11 * 60, 14 * 60, 19 * 60] as const;
const EVENING_START_MIN = 21 * 60;

const shuffle = <T>(random: Random, items: T[]): T[] => {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
};

/** The jobs worked in the week starting `weekMs`: every member's windows, cut into jobs. */
const planWeek = (state: RegionState, weekMs: number, firstDayMs: number): JobPlan[] => {
  const { random, cast } = state;
  const windows: Window[] = [];
  const eveningTaken = new Set<string>();
  for (let m = 0; m < cast.memberIds.length; m++) {
    const count = random.int(3, 11);
    const taken = new Set<number>();
    for (let k = 0; k < count; k++) {
      const slot = random.int(0, 7 * SLOT_STARTS_MIN.length - 1);
      const day = Math.floor(slot / SLOT_STARTS_MIN.length);
      const dayMs = weekMs + day * DAY_MS;
      if (taken.has(slot) || dayMs < firstDayMs) continue;
      taken.add(slot);
      const startMin = SLOT_STARTS_MIN[slot % SLOT_STARTS_MIN.length]! + random.int(0, 6) * 5;
      windows.push({ memberIndex: m, startMs: dayMs + startMin * MINUTE_MS, minutes: random.int(3, 15) * 5 });
    }
  }
  shuffle(random, windows);
  const jobs: JobPlan[] = [];
  for (let i = 0; i < windows.length;) {
    const size = Math.min(random.int(5, 40), windows.length - i);
    const chunk = windows.slice(i, i + size).sort((a, b) => a.startMs - b.startMs);
    i += size;
    const workCategory = random.pick(WORK_CATEGORIES);
    const hourly = random.chance(0.55);
    const rate = hourly ? random.int(12, 30) * 100 : random.int(13, 35) * 100;
    const tasks: TaskPlan[] = chunk.map((window, k) => ({
      taskId: random.uuid(),
      key: `t${k + 1}`,
      window,
      handOff: null,
    }));
    // Hand-offs: the holder cannot go on; a teammate free that evening takes the task over.
    for (const task of tasks) {
      if (!random.chance(0.08)) continue;
      const dayMs = weekMs + Math.floor((task.window.startMs - weekMs) / DAY_MS) * DAY_MS;
      for (let attempt = 0; attempt < 5; attempt++) {
        const successor = random.int(0, cast.memberIds.length - 1);
        const key = `${successor}:${dayMs}`;
        if (successor === task.window.memberIndex || eveningTaken.has(key)) continue;
        eveningTaken.add(key);
        const halfway = random.chance(0.5);
        const atMs = halfway
          ? task.window.startMs + Math.floor(task.window.minutes / 10) * 5 * MINUTE_MS
          : task.window.startMs - random.int(1, 8) * HOUR_MS;
        task.handOff = {
          atMs: Math.max(atMs, dayMs + 6 * HOUR_MS),
          halfway,
          successor: {
            memberIndex: successor,
            startMs: dayMs + (EVENING_START_MIN + random.int(0, 4) * 5) * MINUTE_MS,
            minutes: random.int(3, 9) * 5,
          },
        };
        break;
      }
    }
    const minutes = tasks.reduce((n, t) => n + t.window.minutes, 0);
    jobs.push({
      jobId: random.uuid(),
      businessIndex: random.int(0, cast.businessIds.length - 1),
      workCategory,
      title: `${TITLES[workCategory]} ${tokyoDay(weekMs).slice(5)}-${jobs.length + 1}`,
      hourlyRateYen: hourly ? rate : null,
      feeYen: Math.max(1_000, Math.round((minutes * rate) / 60 / 1_000) * 1_000),
      estimatedMinutes: minutes,
      tasks,
    });
  }
  return jobs;
};

// ---- events ---------------------------------------------------------------------------------

type Typed = JobEvent | PlanEvent | ScheduleEvent | TimesheetEvent;

/** An event of its producer's domain type, as the producer appends it (its actor in the metadata). */
const event = (e: Typed, atMs: number, actor: string, schemaVersion = 1): NewEvent => ({
  type: e.type,
  data: e.data as unknown as JsonObject,
  schemaVersion,
  metadata: { actor },
  occurredAt: new Date(atMs),
});

const JOB_INTAKE = SYSTEM_ACTORS.processManager('job-intake').id;
const TASK_DECOMPOSITION = SYSTEM_ACTORS.processManager('task-decomposition').id;
const TEAM_SCHEDULING = SYSTEM_ACTORS.processManager('team-scheduling').id;

/** Job intake's, task decomposition's and team scheduling's events of a job planned in the week before `weekMs`. */
const jobBatches = (cast: RegionCast, job: JobPlan, weekMs: number): Batch[] => {
  const before = weekMs - WEEK_MS;
  const businessId = cast.businessIds[job.businessIndex]!;
  const businessUser = cast.businessUserIds[job.businessIndex]!;
  const skills = [SKILLS[job.workCategory]];
  const pricing =
    job.hourlyRateYen === null
      ? ({ kind: 'fixed_price' } as const)
      : ({ kind: 'hourly', hourlyRateYen: String(job.hourlyRateYen) } as const);
  const deadline = iso(weekMs + 13 * DAY_MS);
  const deliveryDate = iso(weekMs + 7 * DAY_MS + 2 * HOUR_MS);
  const inspectionDate = iso(weekMs + 9 * DAY_MS);
  // 月末締め翌月末払い: 00:00 Tokyo of the last day of the month after the week's.
  const month = tokyoMonth(weekMs + 6 * DAY_MS);
  const [y, m] = month.split('-').map(Number) as [number, number];
  const paymentDate = iso(Date.UTC(y, m + 1, 1) - TOKYO_OFFSET_MS - DAY_MS);
  const submittedAt = before + (10 * 60 + (job.businessIndex % 50)) * MINUTE_MS;
  const acceptedAt = before + 2 * DAY_MS + 10 * HOUR_MS;
  const plannedAt = before + 3 * DAY_MS + 11 * HOUR_MS;
  const tasks = job.tasks.map((t, k) => ({
    taskId: t.taskId,
    key: t.key,
    title: `${job.title} (${k + 1}/${job.tasks.length})`,
    estimatedMinutes: t.window.minutes,
    skills,
    dependsOn: [] as string[],
    deadline,
  }));
  const jobEvents: NewEvent[] = [
    event(
      {
        type: 'JobSubmitted',
        data: {
          jobId: job.jobId,
          businessId,
          title: job.title,
          description: `${job.title}をお願いします`,
          workCategory: job.workCategory,
          pricing,
          amountYen: String(job.feeYen),
          deadline,
          regionId: cast.regionId,
          localOnlyTownId: null,
          skills,
          submittedBy: businessUser,
        },
      },
      submittedAt,
      businessUser,
    ),
    event(
      {
        type: 'JobQuoted',
        data: {
          jobId: job.jobId,
          amountYen: String(job.feeYen),
          estimatedMinutes: job.estimatedMinutes,
          deliveryDate,
          note: '',
          quotedBy: cast.coordinatorId,
        },
      },
      before + DAY_MS + 15 * HOUR_MS,
      cast.coordinatorId,
    ),
    event(
      {
        type: 'JobAccepted',
        data: {
          jobId: job.jobId,
          businessId,
          regionId: cast.regionId,
          localOnlyTownId: null,
          workCategory: job.workCategory,
          title: job.title,
          skills,
          deadline,
          estimatedMinutes: job.estimatedMinutes,
          pricing,
          feeYen: String(job.feeYen),
          deliveryDate,
          inspectionDate,
          paymentDate,
          acceptedBy: businessUser,
        },
      },
      acceptedAt,
      businessUser,
      2,
    ),
    event({ type: 'JobStarted', data: { jobId: job.jobId, startedBy: JOB_INTAKE } }, plannedAt + MINUTE_MS, JOB_INTAKE),
  ];
  const planEvents: NewEvent[] = [
    event(
      {
        type: 'PlanProposed',
        data: {
          jobId: job.jobId,
          businessId,
          regionId: cast.regionId,
          localOnlyTownId: null,
          workCategory: job.workCategory,
          jobEstimatedMinutes: job.estimatedMinutes,
          jobDeadline: deadline,
          maxTaskMinutes: 90,
          round: 1,
          tasks: tasks.map(({ taskId: _taskId, ...draft }) => draft),
        },
      },
      acceptedAt + MINUTE_MS,
      TASK_DECOMPOSITION,
    ),
    event(
      {
        type: 'TasksPlanned',
        data: {
          jobId: job.jobId,
          businessId,
          regionId: cast.regionId,
          localOnlyTownId: null,
          workCategory: job.workCategory,
          round: 1,
          tasks,
          plannedBy: cast.coordinatorId,
        },
      },
      plannedAt,
      cast.coordinatorId,
    ),
  ];
  const scheduleEvents: NewEvent[] = [
    event(
      {
        type: 'TasksReceived',
        data: {
          jobId: job.jobId,
          businessId,
          regionId: cast.regionId,
          localOnlyTownId: null,
          round: 1,
          tasks,
        },
      },
      plannedAt + 30_000,
      TEAM_SCHEDULING,
    ),
    ...job.tasks.map((t) =>
      event(
        {
          type: 'TaskAssigned',
          data: {
            taskId: t.taskId,
            memberId: cast.memberIds[t.window.memberIndex]!,
            start: iso(t.window.startMs),
            end: iso(t.window.startMs + t.window.minutes * MINUTE_MS),
            teamRegionId: cast.regionId,
            by: TEAM_SCHEDULING,
            reason: 'tasks planned (round 1)',
          },
        },
        plannedAt + 30_000,
        TEAM_SCHEDULING,
      ),
    ),
  ];
  return [
    { stream: `job-${job.jobId}`, events: jobEvents },
    { stream: `plan-${job.jobId}`, events: planEvents },
    { stream: `schedule-${job.jobId}`, events: scheduleEvents },
  ];
};

/** Last week's job delivered on Monday 11:00 and inspected (accepted) by its business on Tuesday. */
const inspectionBatch = (cast: RegionCast, job: JobPlan, weekMs: number, random: Random): Batch => {
  const businessUser = cast.businessUserIds[job.businessIndex]!;
  return {
    stream: `job-${job.jobId}`,
    events: [
      event(
        { type: 'JobDelivered', data: { jobId: job.jobId, note: '納品します', deliveredBy: cast.coordinatorId } },
        weekMs + 11 * HOUR_MS,
        cast.coordinatorId,
      ),
      event(
        { type: 'JobInspected', data: { jobId: job.jobId, accepted: true, reason: '', inspectedBy: businessUser } },
        weekMs + DAY_MS + (13 + random.int(0, 5)) * HOUR_MS,
        businessUser,
      ),
    ],
  };
};

const approved = (e: EntryDraft, regionId: string): ApprovedEntryData => ({
  entryId: e.entryId,
  taskId: e.taskId,
  jobId: e.jobId,
  regionId,
  start: iso(e.startMs),
  end: iso(e.endMs),
  minutes: Math.round((e.endMs - e.startMs) / MINUTE_MS),
});

/** The generator: one week at a time, for ever (the loader stops it). */
export function* generateHistory(options: HistoryOptions): Generator<Week> {
  const states: RegionState[] = options.regions.map((cast, r) => ({
    cast,
    random: seededRandom((options.seed * 1_000_003 + r * 7_919) >>> 0),
    planned: [],
    toInspect: [],
    lastWeekEntries: new Map(),
  }));
  let weekMs = tokyoWeekStartMs(options.firstDayMs);
  for (const s of states) s.planned = planWeek(s, weekMs, options.firstDayMs);
  let first = true;
  for (; ; weekMs += WEEK_MS, first = false) {
    const approvals: Batch[] = [];
    const schedules: Batch[] = [];
    const timesheets: Batch[] = [];
    const tasks: TaskFacts[] = [];
    const closes: { regionId: string; month: string; atMs: number }[] = [];
    // A month whose last day was in last week: its time is all approved on Monday, closed on Tuesday.
    const lastWeekMonth = tokyoMonth(weekMs - WEEK_MS);
    const closing = !first && lastWeekMonth !== tokyoMonth(weekMs) && lastWeekMonth >= tokyoMonth(options.firstDayMs);
    for (const state of states) {
      const { cast, random } = state;
      const memberId = (m: number) => cast.memberIds[m]!;
      const stream = (m: number) => `timesheet-${memberId(m)}`;

      // Phase 0: last week approved on Monday 10:00; a few entries corrected after it, approved again.
      const lastWeekStart = tokyoDay(weekMs - WEEK_MS);
      for (const [m, entries] of [...state.lastWeekEntries].sort((a, b) => a[0] - b[0])) {
        const kept = entries.filter((e) => !e.deleted).sort((a, b) => a.startMs - b.startMs);
        if (kept.length === 0) continue;
        const approvedAt = weekMs + 10 * HOUR_MS + random.int(0, 50) * MINUTE_MS;
        const events: NewEvent[] = [
          event(
            {
              type: 'WeekApproved',
              data: {
                memberId: memberId(m),
                weekStart: lastWeekStart,
                entries: kept.map((e) => approved(e, cast.regionId)),
              },
            },
            approvedAt,
            cast.coordinatorId,
          ),
        ];
        const late = kept.find((e) => random.chance(0.01) && e.endMs - e.startMs >= 20 * MINUTE_MS);
        if (late !== undefined) {
          const correctedAt = approvedAt + 3 * HOUR_MS;
          late.endMs -= 5 * MINUTE_MS;
          events.push(
            event(
              {
                type: 'TimeEntryCorrected',
                data: {
                  memberId: memberId(m),
                  entryId: late.entryId,
                  start: iso(late.startMs),
                  end: iso(late.endMs),
                  minutes: Math.round((late.endMs - late.startMs) / MINUTE_MS),
                  reason: random.pick(CORRECTION_REASONS),
                },
              },
              correctedAt,
              memberId(m),
            ),
            event(
              { type: 'WeekReopened', data: { memberId: memberId(m), weekStart: lastWeekStart } },
              correctedAt,
              memberId(m),
            ),
            event(
              {
                type: 'WeekApproved',
                data: {
                  memberId: memberId(m),
                  weekStart: lastWeekStart,
                  entries: kept.map((e) => approved(e, cast.regionId)),
                },
              },
              weekMs + DAY_MS + 9 * HOUR_MS,
              cast.coordinatorId,
            ),
          );
        }
        approvals.push({ stream: stream(m), events });
      }
      state.lastWeekEntries = new Map();
      if (closing) closes.push({ regionId: cast.regionId, month: lastWeekMonth, atMs: weekMs + DAY_MS + 10 * HOUR_MS });

      // The first week's jobs, planned the week before the history begins.
      if (first) for (const job of state.planned) approvals.push(...jobBatches(cast, job, weekMs));

      // Phase 1: next week's jobs planned and scheduled; last week's inspected; this week's hand-offs.
      const next = planWeek(state, weekMs + WEEK_MS, options.firstDayMs);
      for (const job of next) schedules.push(...jobBatches(cast, job, weekMs + WEEK_MS));
      for (const job of state.toInspect) schedules.push(inspectionBatch(cast, job, weekMs, random));

      // Phase 2: this week's timesheets, built from the week's plan.
      const nextMondayMs = weekMs + WEEK_MS;
      const byMember = new Map<number, { atMs: number; event: NewEvent }[]>();
      const add = (m: number, atMs: number, e: NewEvent) => {
        let list = byMember.get(m);
        if (list === undefined) byMember.set(m, (list = []));
        list.push({ atMs, event: e });
      };
      const entriesOf = (m: number): EntryDraft[] => {
        let list = state.lastWeekEntries.get(m);
        if (list === undefined) state.lastWeekEntries.set(m, (list = []));
        return list;
      };
      /** Her work on a task between two instants: one entry, or two with a break; done at the end when `done`. */
      const work = (m: number, job: JobPlan, taskId: string, startMs: number, endMs: number, done: boolean) => {
        const minutes = Math.round((endMs - startMs) / MINUTE_MS);
        const split = minutes >= 40 && random.chance(0.3);
        const cut = split ? startMs + Math.floor(minutes / 10) * 5 * MINUTE_MS : endMs;
        const spans = split
          ? [[startMs, cut] as const, [cut + 5 * MINUTE_MS, endMs] as const]
          : [[startMs, endMs] as const];
        for (const [from, to] of spans) {
          const draft: EntryDraft = {
            entryId: random.uuid(),
            memberIndex: m,
            taskId,
            jobId: job.jobId,
            startMs: from,
            endMs: to,
            deleted: false,
          };
          add(
            m,
            to,
            event(
              {
                type: 'TimeEntryRecorded',
                data: {
                  memberId: memberId(m),
                  entryId: draft.entryId,
                  taskId,
                  jobId: job.jobId,
                  regionId: cast.regionId,
                  start: iso(from),
                  end: iso(to),
                  minutes: Math.round((to - from) / MINUTE_MS),
                  source: random.chance(0.6) ? 'timer' : 'manual',
                },
              },
              to,
              memberId(m),
            ),
          );
          entriesOf(m).push(draft);
          // Within the week: a span corrected (the end a little off) or an entry withdrawn.
          const roll = random.next();
          if (roll < 0.04) {
            draft.endMs = to - random.int(1, 3) * 5 * MINUTE_MS;
            if (draft.endMs <= draft.startMs) draft.endMs = draft.startMs + 5 * MINUTE_MS;
            const at = Math.min(to + random.int(1, 20) * HOUR_MS, nextMondayMs + 9 * HOUR_MS);
            add(
              m,
              at,
              event(
                {
                  type: 'TimeEntryCorrected',
                  data: {
                    memberId: memberId(m),
                    entryId: draft.entryId,
                    start: iso(draft.startMs),
                    end: iso(draft.endMs),
                    minutes: Math.round((draft.endMs - draft.startMs) / MINUTE_MS),
                    reason: random.pick(CORRECTION_REASONS),
                  },
                },
                at,
                random.chance(0.7) ? memberId(m) : cast.coordinatorId,
              ),
            );
          } else if (roll < 0.05 && spans.length === 2) {
            draft.deleted = true;
            const at = Math.min(to + random.int(1, 20) * HOUR_MS, nextMondayMs + 9 * HOUR_MS);
            add(
              m,
              at,
              event(
                {
                  type: 'TimeEntryDeleted',
                  data: { memberId: memberId(m), entryId: draft.entryId, reason: random.pick(DELETION_REASONS) },
                },
                at,
                memberId(m),
              ),
            );
          }
        }
        if (done)
          add(
            m,
            endMs,
            event(
              {
                type: 'TaskMarkedDone',
                data: { memberId: memberId(m), taskId, jobId: job.jobId, regionId: cast.regionId, at: iso(endMs) },
              },
              endMs,
              memberId(m),
            ),
          );
      };
      for (const job of state.planned) {
        const handOffs: NewEvent[] = [];
        for (const task of job.tasks) {
          const w = task.window;
          const endMs = w.startMs + w.minutes * MINUTE_MS;
          const assignedMs = weekMs - WEEK_MS + 3 * DAY_MS + 11 * HOUR_MS + 30_000;
          if (task.handOff === null) {
            work(w.memberIndex, job, task.taskId, w.startMs, endMs, true);
            tasks.push({
              taskId: task.taskId,
              jobId: job.jobId,
              regionId: cast.regionId,
              holders: [{ memberId: memberId(w.memberIndex), fromMs: assignedMs, toMs: null }],
              assignedMs,
              endMs,
            });
            continue;
          }
          const h = task.handOff;
          const from = memberId(w.memberIndex);
          const to = memberId(h.successor.memberIndex);
          if (h.halfway) work(w.memberIndex, job, task.taskId, w.startMs, h.atMs, false);
          const reason = random.pick(HAND_OFF_REASONS);
          const progressNote = h.halfway ? random.pick(PROGRESS_NOTES) : '';
          const successorEnd = h.successor.startMs + h.successor.minutes * MINUTE_MS;
          handOffs.push(
            event(
              { type: 'TaskReleased', data: { taskId: task.taskId, memberId: from, reason, progressNote, by: from } },
              h.atMs,
              from,
            ),
            event(
              {
                type: 'TaskHandedOff',
                data: {
                  taskId: task.taskId,
                  fromMemberId: from,
                  toMemberId: to,
                  start: iso(h.successor.startMs),
                  end: iso(successorEnd),
                  teamRegionId: cast.regionId,
                  reason,
                  progressNote,
                  by: from,
                },
              },
              h.atMs,
              from,
            ),
          );
          work(h.successor.memberIndex, job, task.taskId, h.successor.startMs, successorEnd, true);
          tasks.push({
            taskId: task.taskId,
            jobId: job.jobId,
            regionId: cast.regionId,
            holders: [
              { memberId: from, fromMs: assignedMs, toMs: h.atMs },
              { memberId: to, fromMs: h.atMs, toMs: null },
            ],
            assignedMs,
            endMs: successorEnd,
          });
        }
        if (handOffs.length > 0) {
          // One append per job for its week's hand-offs, in the order they happened.
          const ordered = handOffs
            .map((e, i) => ({ e, i }))
            .sort((a, b) => a.e.occurredAt!.getTime() - b.e.occurredAt!.getTime() || a.i - b.i)
            .map(({ e }) => e);
          schedules.push({ stream: `schedule-${job.jobId}`, events: ordered });
        }
      }
      for (const [m, list] of [...byMember].sort((a, b) => a[0] - b[0])) {
        list.sort((a, b) => a.atMs - b.atMs);
        // At most the store's limit per append (a busy member's week stays far below it).
        timesheets.push({ stream: stream(m), events: list.map((x) => x.event) });
      }
      state.toInspect = state.planned;
      state.planned = next;
    }
    yield {
      startMs: weekMs,
      weekStart: tokyoDay(weekMs),
      phases: [approvals, schedules, timesheets],
      closes,
      tasks,
    };
  }
}
