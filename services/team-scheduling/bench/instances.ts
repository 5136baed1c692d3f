/**
 * Deterministic problem generators for the benchmark and the optimality test: a seeded
 * pseudo-random generator (mulberry32), small instances (up to 8 members × 20 tasks, generous
 * deadlines) and the week-long instance of 20,000 tasks over 2,000 members.
 */
import type {
  SchedulingMember,
  SchedulingProblem,
  SchedulingTask,
  WeeklyWindow,
  Weekday,
} from '../src/domain/scheduler/model.js';
import { DAY_MS, MINUTE_MS, TOKYO_OFFSET_MS, WEEKDAYS } from '../src/domain/scheduler/windows.js';

export interface Random {
  /** [0, 1) */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** `count` distinct items, in the order of `items`. */
  some<T>(items: readonly T[], count: number): T[];
  chance(p: number): boolean;
}

export const seededRandom = (seed: number): Random => {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: (items) => items[int(0, items.length - 1)] as (typeof items)[number],
    some: (items, count) => {
      const chosen = new Set<number>();
      const wanted = Math.min(count, items.length);
      while (chosen.size < wanted) chosen.add(int(0, items.length - 1));
      return [...chosen].sort((a, b) => a - b).map((i) => items[i] as (typeof items)[number]);
    },
    chance: (p) => next() < p,
  };
};

/** Monday 2026-04-06 00:00 Asia/Tokyo. */
export const MONDAY = Date.UTC(2026, 3, 6) - TOKYO_OFFSET_MS;

const clock = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** A window of `minutes` on a random day, starting on a 10-minute boundary, within the day. */
export const randomWindow = (
  random: Random,
  minMinutes: number,
  maxMinutes: number,
  day: Weekday = random.pick(WEEKDAYS),
): WeeklyWindow => {
  const length = random.int(Math.ceil(minMinutes / 10), Math.floor(maxMinutes / 10)) * 10;
  const start = random.int(0, (1440 - length) / 10) * 10;
  return { day, start: clock(start), end: clock(start + length) };
};

export const SMALL_SKILLS = ['data entry', 'transcription', 'proofreading', 'translation'] as const;
export const SMALL_TOWNS = ['fujisato/fujikoto', 'fujisato/kasuge', 'fujisato/tara'] as const;

export interface SmallInstanceOptions {
  readonly maxMembers?: number;
  readonly maxTasks?: number;
}

/**
 * Up to 8 members × 20 tasks with deadlines three to four weeks away (generous: the fairness of
 * the split matters, not the race for time). Members have 1–3 skills of four, 2–6 windows a
 * week of 20–180 minutes, wished hours from 1 to 20 a week; tasks of 10–150 minutes in 1–3
 * jobs, some chained, some jobs local to a town.
 */
export const smallInstance = (random: Random, options: SmallInstanceOptions = {}): SchedulingProblem => {
  const notBefore = MONDAY + random.int(0, 7 * 24 * 6) * 10 * MINUTE_MS;
  const towns = SMALL_TOWNS.slice(0, random.int(2, 3));
  const members: SchedulingMember[] = Array.from({ length: random.int(2, options.maxMembers ?? 8) }, (_, i) => ({
    memberId: `member-${String(i).padStart(2, '0')}`,
    regionId: 'fujisato',
    townId: random.pick(towns),
    skills: random.some(SMALL_SKILLS, random.int(1, 3)),
    windows: Array.from({ length: random.int(2, 6) }, () => randomWindow(random, 20, 180)),
    wishedMinutesPerWeek: random.int(2, 40) * 30,
    busy: [],
    unavailable: [],
  }));
  const jobs = Array.from({ length: random.int(1, 3) }, (_, j) => ({
    jobId: `job-${j}`,
    town: random.chance(0.2) ? random.pick(towns) : null,
    skills: random.some(SMALL_SKILLS, random.int(1, 2)),
  }));
  const deadline = notBefore + random.int(21, 28) * DAY_MS;
  const tasks: SchedulingTask[] = [];
  const lastOfJob = new Map<string, string>();
  const count = random.int(3, options.maxTasks ?? 20);
  for (let i = 0; i < count; i++) {
    const job = random.pick(jobs);
    const taskId = `task-${String(i).padStart(2, '0')}`;
    const previous = lastOfJob.get(job.jobId);
    tasks.push({
      taskId,
      jobId: job.jobId,
      estimatedMinutes: random.int(10, 150),
      skills: random.chance(0.8) ? [random.pick(job.skills)] : [],
      dependsOn: previous !== undefined && random.chance(0.3) ? [previous] : [],
      deadline,
      localOnlyTownId: job.town,
    });
    lastOfJob.set(job.jobId, taskId);
  }
  return { notBefore, members, tasks };
};

export const BENCH_SKILLS = [
  'data entry',
  'transcription',
  'proofreading',
  'translation',
  'writing',
  'design',
  'illustration',
  'research',
] as const;
export const BENCH_TOWNS = [
  'fujisato/fujikoto',
  'fujisato/kasuge',
  'fujisato/tara',
  'setagaya/sangenjaya',
  'setagaya/shimokitazawa',
  'setagaya/kyodo',
  'chofu/kokuryo',
  'chofu/sengawa',
  'chofu/fuda',
] as const;

export interface WeekInstanceOptions {
  readonly members: number;
  readonly tasks: number;
}

/**
 * A week of work: members of three regions' towns with 2–4 skills of eight and 3–10 windows a
 * week of 60–240 minutes, wishing about the hours their windows hold; jobs of 5–20 tasks of
 * 15–120 minutes (each task depending on up to two earlier tasks of its job), due two to seven
 * days after Monday 00:00, one job in ten local to a town.
 */
export const weekInstance = (random: Random, options: WeekInstanceOptions): SchedulingProblem => {
  const notBefore = MONDAY;
  const members: SchedulingMember[] = Array.from({ length: options.members }, (_, i) => {
    const windows: WeeklyWindow[] = [];
    const days = random.some(WEEKDAYS, random.int(3, 7));
    const count = random.int(3, 10);
    for (let w = 0; w < count; w++) windows.push(randomWindow(random, 60, 240, days[w % days.length]));
    const windowMinutes = windows.reduce((sum, w) => sum + toMinutes(w.end) - toMinutes(w.start), 0);
    return {
      memberId: `member-${String(i).padStart(5, '0')}`,
      regionId: '',
      townId: random.pick(BENCH_TOWNS),
      skills: random.some(BENCH_SKILLS, random.int(2, 4)),
      windows,
      wishedMinutesPerWeek: Math.max(30, Math.round((windowMinutes * (0.4 + 0.5 * random.next())) / 10) * 10),
      busy: [],
      unavailable: [],
    };
  }).map((m) => ({ ...m, regionId: m.townId.split('/')[0] as string }));
  const tasks: SchedulingTask[] = [];
  let job = 0;
  while (tasks.length < options.tasks) {
    const jobId = `job-${String(job++).padStart(5, '0')}`;
    const size = Math.min(random.int(5, 20), options.tasks - tasks.length);
    const skills = random.some(BENCH_SKILLS, random.int(1, 2));
    const town = random.chance(0.1) ? random.pick(BENCH_TOWNS) : null;
    const deadline = notBefore + random.int(2 * 24, 7 * 24) * 60 * MINUTE_MS;
    const first = tasks.length;
    for (let k = 0; k < size; k++) {
      const dependsOn =
        k === 0
          ? []
          : [
              ...new Set(
                Array.from(
                  { length: random.int(0, 2) },
                  () => (tasks[first + random.int(0, k - 1)] as SchedulingTask).taskId,
                ),
              ),
            ];
      tasks.push({
        taskId: `${jobId}-${String(k).padStart(2, '0')}`,
        jobId,
        estimatedMinutes: random.int(15, 120),
        skills: [random.pick(skills)],
        dependsOn,
        deadline,
        localOnlyTownId: town,
      });
    }
  }
  return { notBefore, members, tasks };
};

const toMinutes = (clockText: string): number => {
  const [h, m] = clockText.split(':').map(Number);
  return (h as number) * 60 + (m as number);
};
