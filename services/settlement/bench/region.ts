/**
 * A Fujisato sized up, generated from a seed (mulberry32): the same seed gives the same
 * members, businesses, jobs, tasks, time entries and receipts, in the same order. Only the ids
 * identity assigns (members, businesses) differ from run to run; every other id (jobs, tasks,
 * entries) comes from the seed.
 *
 * - Members: 40% contractors with their own registration number (`T` + 13 digits), 40%
 *   contractors without one, 20% part-time employees, in Fujisato's three towns, each with a
 *   bank account (katakana holder) as identity keeps it.
 * - Businesses of Fujisato, each with a corporate registration number (check digit valid).
 * - Jobs spread over the businesses and the seven work categories: 55% hourly (準委任, ¥1,200–
 *   ¥3,000 an hour), 40% fixed-price (請負) inspected and accepted between 16 and 30 November
 *   (one in ten after a first rejection), 5% fixed-price not inspected yet (worked on, billed in
 *   a later month). A fixed-price job's fee is its approved minutes at ¥1,300–¥3,500 an hour,
 *   rounded to ¥1,000. 5–20 tasks each.
 * - Time: exactly `entries` approved entries in the Tokyo month of November 2026, 50–150 per
 *   member, 3–7 a working day, 15–75 minutes each, between 08:00 and 22:00 Tokyo (none crosses
 *   midnight, none overlaps another of hers, no day over 12 hours), on 1–4 jobs per member (every
 *   job has at least one member); her receipt (TaskMarkedDone) of each task at the end of her
 *   last entry on it.
 */
import { JAPANESE_GIVEN_NAMES, JAPANESE_SURNAMES, randomDigits, seededRandom, type Random } from '@workshare/bench';
import { DAY_MS, TOKYO_OFFSET_MS } from '@workshare/time';
import type { WorkCategory } from '../src/domain/model.js';

export const REGION_ID = 'fujisato';
export const MONTH = '2026-11';
/** November 2026 in Tokyo: 30 days, from Sunday 1 November. */
const DAYS_IN_MONTH = 30;
const MONTH_START_MS = Date.parse('2026-11-01T00:00:00+09:00');
const MINUTE_MS = 60_000;

export type MemberKind = 'registered' | 'unregistered' | 'employee';

export interface MemberPlan {
  readonly index: number;
  readonly kind: MemberKind;
  readonly name: string;
  /** 口座名義 in katakana. */
  readonly holder: string;
  readonly townId: string;
  readonly bankAccount: {
    readonly bankCode: string;
    readonly branchCode: string;
    readonly type: 'ordinary' | 'current';
    readonly number: string;
    readonly holder: string;
  };
  readonly skills: readonly string[];
  /** A registered contractor's own number (`T` + 13 digits); null otherwise. */
  readonly registrationNumber: string | null;
}

export interface BusinessPlan {
  readonly index: number;
  readonly name: string;
  /** 12 digits: the corporate number's base (identity's corporateRegistrationNumber adds the check digit). */
  readonly corporateBase: string;
}

export type JobPricingPlan =
  | { readonly kind: 'hourly'; readonly hourlyRateYen: number }
  | { readonly kind: 'fixed_price'; readonly inspectedAt: Date | null; readonly rejectedAt: Date | null };

export interface JobPlan {
  readonly index: number;
  readonly jobId: string;
  readonly businessIndex: number;
  readonly workCategory: WorkCategory;
  readonly title: string;
  readonly pricing: JobPricingPlan;
  /** Fixed price: the fee; hourly: the estimate (set once the time is drawn). */
  feeYen: number;
  readonly estimatedMinutes: number;
  readonly taskIds: readonly string[];
}

/** One approved entry of a member. */
export interface EntryPlan {
  readonly entryId: string;
  readonly jobIndex: number;
  readonly taskId: string;
  readonly startMs: number;
  readonly minutes: number;
}

export interface ReceiptPlan {
  readonly jobIndex: number;
  readonly taskId: string;
  readonly atMs: number;
}

export interface MemberMonth {
  /** Earliest first. */
  readonly entries: EntryPlan[];
  readonly receipts: ReceiptPlan[];
}

export interface RegionPlan {
  readonly members: readonly MemberPlan[];
  readonly businesses: readonly BusinessPlan[];
  readonly jobs: readonly JobPlan[];
  /** By member index. */
  readonly months: readonly MemberMonth[];
  readonly entryCount: number;
}

export interface RegionSizes {
  readonly members: number;
  readonly businesses: number;
  readonly jobs: number;
  readonly entries: number;
}

const SURNAMES = JAPANESE_SURNAMES;
const GIVEN_NAMES = JAPANESE_GIVEN_NAMES;
const TOWNS = ['fujisato/fujikoto', 'fujisato/kasuge', 'fujisato/tara'] as const;
const BANK_CODES = ['0117', '0118', '9999', '2213'] as const;
const BUSINESS_NAMES = ['白神木工', '藤里観光', '素波里商店', '太良鉱山記念館', '粕毛農園', '藤琴印刷'] as const;
const CATEGORIES: readonly WorkCategory[] = [
  'data_entry',
  'transcription',
  'writing',
  'design',
  'translation',
  'illustration',
  'proofreading',
];
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

const digits = randomDigits;

/** Whole numbers drawn in [min, max] adding up to `total` exactly (each kept within the bounds). */
const countsAddingUpTo = (random: Random, n: number, total: number, min: number, max: number): number[] => {
  if (total < n * min || total > n * max)
    throw new RangeError(`${total} entries cannot be split ${min}–${max} over ${n}`);
  const counts = Array.from({ length: n }, () => random.int(min, max));
  let sum = counts.reduce((a, b) => a + b, 0);
  for (let i = 0; sum !== total; i = (i + 1) % n) {
    if (sum < total && counts[i]! < max) {
      counts[i]!++;
      sum++;
    } else if (sum > total && counts[i]! > min) {
      counts[i]!--;
      sum--;
    }
  }
  return counts;
};

/** The member's month: her jobs and tasks, her working days, her entries and her receipts. */
const memberMonth = (random: Random, memberIndex: number, count: number, jobs: readonly JobPlan[]): MemberMonth => {
  // Her first job makes every job someone's; then 0–3 more.
  const jobIndexes = [memberIndex % jobs.length];
  const more = random.int(0, 3);
  for (let k = 0; k < more; k++) {
    const j = random.int(0, jobs.length - 1);
    if (!jobIndexes.includes(j)) jobIndexes.push(j);
  }
  const tasks = jobIndexes.flatMap((j) => {
    const job = jobs[j]!;
    const n = random.int(1, 2);
    const picked = new Set<string>();
    for (let k = 0; k < n; k++) picked.add(random.pick(job.taskIds));
    return [...picked].map((taskId) => ({ jobIndex: j, taskId }));
  });
  // 3–7 entries a working day, on distinct days of the month.
  let perDay = random.int(3, 6);
  while (Math.ceil(count / perDay) > DAYS_IN_MONTH) perDay++;
  const dayCount = Math.ceil(count / perDay);
  const days = new Set<number>();
  while (days.size < dayCount) days.add(random.int(0, DAYS_IN_MONTH - 1));
  const ordered = [...days].sort((a, b) => a - b);
  const entries: EntryPlan[] = [];
  let left = count;
  ordered.forEach((day, i) => {
    const today = Math.ceil(left / (ordered.length - i));
    left -= today;
    // From 08:00–10:00 Tokyo, back to back with 0–20 minute breaks: at most 7 × 75 + 6 × 20 minutes, ending by 20:45.
    let cursor = MONTH_START_MS + day * DAY_MS + (8 * 60 + random.int(0, 24) * 5) * MINUTE_MS;
    for (let k = 0; k < today; k++) {
      const task = random.pick(tasks);
      const minutes = random.int(3, 15) * 5;
      entries.push({ entryId: random.uuid(), jobIndex: task.jobIndex, taskId: task.taskId, startMs: cursor, minutes });
      cursor += (minutes + random.int(0, 4) * 5) * MINUTE_MS;
    }
  });
  // Her receipt of each task: the end of her last entry on it.
  const last = new Map<string, EntryPlan>();
  for (const e of entries) last.set(e.taskId, e);
  const receipts = [...last.values()].map((e) => ({
    jobIndex: e.jobIndex,
    taskId: e.taskId,
    atMs: e.startMs + e.minutes * MINUTE_MS,
  }));
  return { entries, receipts };
};

/** The region, drawn from `seed`. */
export const generateRegion = (seed: number, sizes: RegionSizes): RegionPlan => {
  const random = seededRandom(seed);
  const members: MemberPlan[] = Array.from({ length: sizes.members }, (_, index) => {
    const [surname, surnameKana] = random.pick(SURNAMES);
    const [given, givenKana] = random.pick(GIVEN_NAMES);
    const roll = random.next();
    const kind: MemberKind = roll < 0.4 ? 'registered' : roll < 0.8 ? 'unregistered' : 'employee';
    const holder = `${surnameKana} ${givenKana}`;
    return {
      index,
      kind,
      name: `${surname} ${given}`,
      holder,
      townId: random.pick(TOWNS),
      bankAccount: {
        bankCode: random.pick(BANK_CODES),
        branchCode: digits(random, 3),
        type: random.chance(0.95) ? 'ordinary' : 'current',
        number: digits(random, 7),
        holder,
      },
      skills: [SKILLS[random.pick(CATEGORIES)]],
      registrationNumber: kind === 'registered' ? `T9${digits(random, 12)}` : null,
    };
  });
  const businesses: BusinessPlan[] = Array.from({ length: sizes.businesses }, (_, index) => ({
    index,
    name: `${BUSINESS_NAMES[index % BUSINESS_NAMES.length]} 第${index + 1}事業所`,
    corporateBase: `88${String(index + 1).padStart(10, '0')}`,
  }));
  const novemberAt = (day: number, hour: number): Date =>
    new Date(MONTH_START_MS + (day - 1) * DAY_MS + hour * 3_600_000);
  const jobs: JobPlan[] = Array.from({ length: sizes.jobs }, (_, index) => {
    const workCategory = random.pick(CATEGORIES);
    const roll = random.next();
    const pricing: JobPricingPlan =
      roll < 0.55
        ? { kind: 'hourly', hourlyRateYen: random.int(12, 30) * 100 }
        : roll < 0.95
          ? {
              kind: 'fixed_price',
              inspectedAt: novemberAt(random.int(16, 30), random.int(9, 17)),
              rejectedAt: random.chance(0.1) ? novemberAt(random.int(10, 15), 10) : null,
            }
          : { kind: 'fixed_price', inspectedAt: null, rejectedAt: null };
    return {
      index,
      jobId: random.uuid(),
      businessIndex: index % sizes.businesses,
      workCategory,
      title: `${TITLES[workCategory]} (${index + 1})`,
      pricing,
      feeYen: 0,
      estimatedMinutes: random.int(10, 200) * 60,
      taskIds: Array.from({ length: random.int(5, 20) }, () => random.uuid()),
    };
  });
  const counts = countsAddingUpTo(random, sizes.members, sizes.entries, 50, 150);
  const months = counts.map((count, i) => memberMonth(random, i, count, jobs));
  // A fixed-price job's fee: its approved minutes at ¥1,300–¥3,500 an hour, to the ¥1,000.
  const minutesOf = new Array<number>(jobs.length).fill(0);
  for (const month of months) for (const e of month.entries) minutesOf[e.jobIndex]! += e.minutes;
  for (const job of jobs) {
    const rate = job.pricing.kind === 'hourly' ? job.pricing.hourlyRateYen : random.int(13, 35) * 100;
    job.feeYen = Math.max(1_000, Math.round((minutesOf[job.index]! * rate) / 60 / 1_000) * 1_000);
  }
  return { members, businesses, jobs, months, entryCount: sizes.entries };
};

/** The Monday (Tokyo) of the week an instant falls in, `YYYY-MM-DD`. */
export const weekStartOf = (ms: number): string => {
  const local = ms + TOKYO_OFFSET_MS;
  const dayStart = Math.floor(local / DAY_MS) * DAY_MS;
  const weekday = (new Date(dayStart).getUTCDay() + 6) % 7; // Monday 0
  return new Date(dayStart - weekday * DAY_MS).toISOString().slice(0, 10);
};

/** The Tokyo day an instant falls on, `YYYY-MM-DD`. */
export const tokyoDayOf = (ms: number): string =>
  new Date(Math.floor((ms + TOKYO_OFFSET_MS) / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
