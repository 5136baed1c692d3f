/**
 * A region's Tokyo month recomputed from the source facts alone, as the audit reads them: the
 * approved time (time tracking's approved weeks, entry by entry), the jobs' accepted order terms
 * and inspections (job intake), the members' contracts (identity) and registrations (settlement's
 * payee records), the region's configuration. Pure: no I/O, no clock, integer yen as bigint.
 *
 * Nothing here calls settlement's close: the month is derived afresh, entry by entry, and every
 * yen keeps the entries, tasks and members it comes from. The rules are the settlement's (DESIGN
 * §1, settlement-formats.md), and where settlement exports a pure helper for one of them it is used
 * rather than written twice: consumption tax and its rounding, withholding (所得税法204条) and the
 * categories it applies to, the largest-remainder split of a pool, the split of a span by Tokyo
 * day, the minimum-wage table. What is composed here is the rest:
 * - billing: a fixed-price (請負) job once, in the Tokyo month its inspection is accepted, at its
 *   fee; an hourly (準委任) job each month at ⌊approved minutes × rate / 60⌋; a job accepted
 *   without pricing is not billed;
 * - margin ⌊billed × basis points / 10000⌋, pool = billed − margin, split among members by their
 *   approved minutes (fixed price: every day up to the inspection month's end; hourly: the
 *   month's); a job billed without approved minutes keeps all as margin;
 * - an employee's minimum: ⌈Σ_day minutes × that day's minimum wage / 60⌉, the top-up = minimum −
 *   wages when below;
 * - an earlier closed month is recomputed the same way (with its own configuration) and the
 *   difference against what the closes recorded for it is this month's adjustment.
 */
import {
  ceilDiv,
  floorDiv,
  minimumWageOn,
  splitByTokyoDay,
  splitPool,
  type MinimumWageEntry,
  type MonthSettlement,
  type RoundingRule,
  type WorkCategory,
} from '@workshare/settlement';
import { TOKYO_FIXED_OFFSET_SINCE_MS, TOKYO_OFFSET_MS, tokyoDate, tokyoDayAt, tokyoMonth } from '@workshare/time';

export type ReconPricing =
  { readonly kind: 'fixed_price' } | { readonly kind: 'hourly'; readonly hourlyRateYen: bigint };

/** A job as job intake accepted it (JobAccepted v2; v1: pricing and fee null), with its latest accepting inspection. */
export interface ReconJob {
  readonly jobId: string;
  readonly businessId: string;
  readonly regionId: string;
  readonly title: string;
  readonly workCategory: WorkCategory;
  readonly pricing: ReconPricing | null;
  readonly feeYen: bigint | null;
  readonly inspectionAcceptedAt: Date | null;
}

/** An entry of an approved week (the week's latest approval, not reopened since). */
export interface ApprovedEntry {
  readonly entryId: string;
  readonly memberId: string;
  readonly taskId: string;
  readonly jobId: string;
  readonly start: Date;
  readonly end: Date;
  readonly minutes: number;
}

export interface ReconMember {
  readonly memberId: string;
  readonly contractType: 'contractor' | 'employee';
  /** Whether she holds a qualified-invoice registration number (a contractor's). */
  readonly registered: boolean;
}

/** What of the region's configuration the amounts depend on. */
export interface ReconConfig {
  readonly marginBasisPoints: number;
  readonly invoiceRounding: RoundingRule;
  readonly officePrefecture: string;
}

export interface ReconciliationFacts {
  readonly regionId: string;
  readonly month: string;
  readonly config: ReconConfig;
  /** The region's accepted jobs. */
  readonly jobs: readonly ReconJob[];
  /** Approved entries on the region's jobs (days after the month's end are not read). */
  readonly entries: readonly ApprovedEntry[];
  readonly members: readonly ReconMember[];
  readonly minimumWages: readonly MinimumWageEntry[];
}

/** The part of an entry on one Tokyo day. */
export interface EntryPiece {
  readonly entryId: string;
  readonly memberId: string;
  readonly taskId: string;
  readonly jobId: string;
  readonly day: string;
  readonly minutes: number;
}

export interface ExpectedShare {
  readonly memberId: string;
  readonly minutes: number;
  readonly shareYen: bigint;
  readonly pieces: readonly EntryPiece[];
}

/** A job's money in a month, from the facts. */
export interface ExpectedJob {
  readonly job: ReconJob;
  readonly pricing: ReconPricing;
  readonly billedYen: bigint;
  /** Hourly: the month's approved minutes billed; fixed price: null. */
  readonly billedMinutes: number | null;
  readonly marginYen: bigint;
  readonly poolYen: bigint;
  readonly shares: readonly ExpectedShare[];
  /** The approved time the job is billed (hourly) or shared (both) on. */
  readonly pieces: readonly EntryPiece[];
}

export interface ExpectedEmployeeCheck {
  readonly memberId: string;
  readonly minutes: number;
  readonly minimumYen: bigint;
  readonly wagesYen: bigint;
  readonly topUpYen: bigint;
  /** Days worked with no minimum wage in the table (the minimum is then not known for them). */
  readonly daysWithoutRate: readonly string[];
}

export interface ExpectedMonth {
  readonly month: string;
  readonly jobs: readonly ExpectedJob[];
  /** Jobs with approved time or an inspection this month but accepted without pricing: not billed. */
  readonly pricingUnknown: readonly string[];
  readonly minutesByMember: ReadonlyMap<string, number>;
  readonly employees: ReadonlyMap<string, ExpectedEmployeeCheck>;
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** `YYYY-MM` of a Tokyo day. */
export const monthOfDay = (day: string): string => day.slice(0, 7);

/** The last Tokyo day of a month. */
export const lastDayOfMonth = (month: string): string => {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return tokyoDate(new Date(tokyoMonth(year, m).to.getTime() - 1));
};

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Every approved entry cut into its Tokyo days (a span crossing midnight counts on each), as the
 * close counts them (settlement's splitByTokyoDay). A span within one Tokyo day, nearly every one,
 * is one piece of that day, found by the fixed offset since 1952 (tokyoDayAt's own arithmetic),
 * its day's name computed once per day: a month holds hundreds of thousands of entries.
 */
export const piecesOf = (entries: readonly ApprovedEntry[], throughDay: string): EntryPiece[] => {
  const pieces: EntryPiece[] = [];
  const dayNames = new Map<number, string>();
  const ordered = [...entries].sort((a, b) => (a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0));
  for (const e of ordered) {
    const startMs = e.start.getTime();
    const endMs = e.end.getTime();
    const firstDay = Math.floor((startMs + TOKYO_OFFSET_MS) / DAY_MS);
    if (
      startMs >= TOKYO_FIXED_OFFSET_SINCE_MS &&
      endMs > startMs &&
      Math.floor((endMs - 1 + TOKYO_OFFSET_MS) / DAY_MS) === firstDay
    ) {
      let day = dayNames.get(firstDay);
      if (day === undefined) dayNames.set(firstDay, (day = tokyoDayAt(startMs).day));
      if (day <= throughDay && e.minutes > 0)
        pieces.push({
          entryId: e.entryId,
          memberId: e.memberId,
          taskId: e.taskId,
          jobId: e.jobId,
          day,
          minutes: e.minutes,
        });
      continue;
    }
    for (const { day, minutes } of splitByTokyoDay(e.start, e.end, e.minutes))
      if (day <= throughDay && minutes > 0)
        pieces.push({ entryId: e.entryId, memberId: e.memberId, taskId: e.taskId, jobId: e.jobId, day, minutes });
  }
  // In entry-id order (an entry's days one after another): every list made of them keeps that order.
  return pieces;
};

export const sumMinutes = (pieces: readonly { readonly minutes: number }[]): number =>
  pieces.reduce((sum, p) => sum + p.minutes, 0);

const group = <T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> => {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
};

/** The facts indexed once for every month computed from them. */
export interface IndexedFacts {
  readonly facts: ReconciliationFacts;
  readonly jobs: ReadonlyMap<string, ReconJob>;
  readonly members: ReadonlyMap<string, ReconMember>;
  /** Pieces on the region's known jobs, by job and by month. */
  readonly piecesByJob: ReadonlyMap<string, readonly EntryPiece[]>;
  readonly piecesByMonth: ReadonlyMap<string, readonly EntryPiece[]>;
  /** Entries on jobs the facts do not know (or of another region): no document can carry them. */
  readonly strayPieces: readonly EntryPiece[];
}

export const indexFacts = (facts: ReconciliationFacts): IndexedFacts => {
  const jobs = new Map(facts.jobs.filter((j) => j.regionId === facts.regionId).map((j) => [j.jobId, j]));
  const all = piecesOf(facts.entries, lastDayOfMonth(facts.month));
  const known = all.filter((p) => jobs.has(p.jobId));
  return {
    facts,
    jobs,
    members: new Map(facts.members.map((m) => [m.memberId, m])),
    piecesByJob: group(known, (p) => p.jobId),
    piecesByMonth: group(known, (p) => monthOfDay(p.day)),
    strayPieces: all.filter((p) => !jobs.has(p.jobId)),
  };
};

const inspectionMonth = (job: ReconJob): string | null =>
  job.inspectionAcceptedAt === null ? null : monthOfDay(tokyoDate(job.inspectionAcceptedAt));

/** One month's jobs and employees' checks, from the facts (with a month's own configuration). */
export const expectedMonth = (index: IndexedFacts, month: string, config: ReconConfig): ExpectedMonth => {
  const lastDay = lastDayOfMonth(month);
  const jobs: ExpectedJob[] = [];
  const pricingUnknown: string[] = [];
  for (const jobId of [...index.jobs.keys()].sort(byString)) {
    const job = index.jobs.get(jobId)!;
    const all = index.piecesByJob.get(jobId) ?? [];
    const ofMonth = all.filter((p) => monthOfDay(p.day) === month);
    const inspectedNow = inspectionMonth(job) === month;
    if (job.pricing === null || job.feeYen === null) {
      if (ofMonth.length > 0 || inspectedNow) pricingUnknown.push(jobId);
      continue;
    }
    let billedYen: bigint;
    let basis: readonly EntryPiece[];
    let billedMinutes: number | null;
    if (job.pricing.kind === 'fixed_price') {
      if (!inspectedNow) continue;
      billedYen = job.feeYen;
      basis = all.filter((p) => p.day <= lastDay);
      billedMinutes = null;
    } else {
      if (ofMonth.length === 0) continue;
      basis = ofMonth;
      billedMinutes = sumMinutes(ofMonth);
      billedYen = floorDiv(BigInt(billedMinutes) * job.pricing.hourlyRateYen, 60n);
    }
    const byMember = group(basis, (p) => p.memberId);
    if (byMember.size === 0) {
      jobs.push({
        job,
        pricing: job.pricing,
        billedYen,
        billedMinutes,
        marginYen: billedYen,
        poolYen: 0n,
        shares: [],
        pieces: [],
      });
      continue;
    }
    const marginYen = floorDiv(billedYen * BigInt(config.marginBasisPoints), 10_000n);
    const poolYen = billedYen - marginYen;
    const split = splitPool(
      poolYen,
      [...byMember.entries()].map(([memberId, pieces]) => ({ memberId, minutes: sumMinutes(pieces) })),
    );
    jobs.push({
      job,
      pricing: job.pricing,
      billedYen,
      billedMinutes,
      marginYen,
      poolYen,
      shares: split.map((s) => ({ ...s, pieces: byMember.get(s.memberId)! })),
      pieces: basis,
    });
  }

  const monthPieces = index.piecesByMonth.get(month) ?? [];
  const minutesByMember = new Map<string, number>();
  for (const p of monthPieces) minutesByMember.set(p.memberId, (minutesByMember.get(p.memberId) ?? 0) + p.minutes);
  const wages = new Map<string, bigint>();
  for (const j of jobs) for (const s of j.shares) wages.set(s.memberId, (wages.get(s.memberId) ?? 0n) + s.shareYen);
  const employees = new Map<string, ExpectedEmployeeCheck>();
  const piecesOfMember = group(
    monthPieces.filter((p) => index.members.get(p.memberId)?.contractType === 'employee'),
    (p) => p.memberId,
  );
  for (const memberId of [...new Set([...minutesByMember.keys(), ...wages.keys()])].sort(byString)) {
    if (index.members.get(memberId)?.contractType !== 'employee') continue;
    let weighted = 0n;
    const daysWithoutRate: string[] = [];
    for (const [day, pieces] of group(piecesOfMember.get(memberId) ?? [], (p) => p.day)) {
      const rate = minimumWageOn(index.facts.minimumWages, config.officePrefecture, day);
      if (rate === undefined) daysWithoutRate.push(day);
      else weighted += BigInt(sumMinutes(pieces)) * rate;
    }
    const minimumYen = ceilDiv(weighted, 60n);
    const wagesYen = wages.get(memberId) ?? 0n;
    employees.set(memberId, {
      memberId,
      minutes: minutesByMember.get(memberId) ?? 0,
      minimumYen,
      wagesYen,
      topUpYen: wagesYen < minimumYen ? minimumYen - wagesYen : 0n,
      daysWithoutRate: daysWithoutRate.sort(byString),
    });
  }
  return { month, jobs, pricingUnknown, minutesByMember, employees };
};

// ---- adjustments of earlier closed months ---------------------------------------------------------

export interface AdjustmentShare {
  readonly memberId: string;
  readonly minutes: number;
  readonly shareYen: bigint;
  readonly nowYen: bigint;
  readonly recordedYen: bigint;
}

export interface ExpectedAdjustment {
  readonly correctsMonth: string;
  readonly job: ReconJob;
  readonly pricing: ReconPricing;
  readonly billedYen: bigint;
  readonly nowBilledYen: bigint;
  readonly recordedBilledYen: bigint;
  readonly billedMinutes: number | null;
  readonly marginYen: bigint;
  readonly shares: readonly AdjustmentShare[];
}

export interface TopUpAdjustment {
  readonly correctsMonth: string;
  readonly memberId: string;
  readonly topUpYen: bigint;
}

/** The configuration a close was made with, as the amounts read it. */
export const reconConfigOf = (close: MonthSettlement): ReconConfig => ({
  marginBasisPoints: close.config.marginBasisPoints,
  invoiceRounding: close.config.invoiceRounding,
  officePrefecture: close.config.officePrefecture,
});

/**
 * What each earlier closed month should be now (recomputed from these facts with its own
 * configuration) against what the closes before this month recorded for it (its own close and the
 * adjustments naming it): the differences this month's close settles.
 */
export const expectedAdjustments = (
  index: IndexedFacts,
  earlier: readonly MonthSettlement[],
): { readonly jobs: ExpectedAdjustment[]; readonly topUps: TopUpAdjustment[]; readonly unknownJobs: string[] } => {
  const closes = [...earlier].filter((c) => c.month < index.facts.month).sort((a, b) => byString(a.month, b.month));
  const jobs: ExpectedAdjustment[] = [];
  const topUps: TopUpAdjustment[] = [];
  const unknownJobs: string[] = [];
  for (const close of closes) {
    const month = close.month;
    const now = expectedMonth(index, month, reconConfigOf(close));
    const recorded = new Map<
      string,
      { billed: bigint; margin: bigint; shares: Map<string, { minutes: number; yen: bigint }> }
    >();
    const recordedTopUps = new Map<string, bigint>();
    for (const c of closes) {
      for (const js of c.jobs) {
        const corrects = js.origin.kind === 'current' ? c.month === month : js.origin.correctsMonth === month;
        if (!corrects) continue;
        let r = recorded.get(js.jobId);
        if (!r) recorded.set(js.jobId, (r = { billed: 0n, margin: 0n, shares: new Map() }));
        r.billed += js.billedYen;
        r.margin += js.marginYen;
        for (const s of js.shares) {
          const seen = r.shares.get(s.memberId) ?? { minutes: 0, yen: 0n };
          r.shares.set(s.memberId, { minutes: seen.minutes + s.minutes, yen: seen.yen + s.shareYen });
        }
      }
      for (const s of c.statements) {
        if (c.month === month && s.minimumWage)
          recordedTopUps.set(s.memberId, (recordedTopUps.get(s.memberId) ?? 0n) + s.minimumWage.topUpYen);
        for (const a of s.topUpAdjustments ?? [])
          if (a.correctsMonth === month)
            recordedTopUps.set(s.memberId, (recordedTopUps.get(s.memberId) ?? 0n) + a.topUpYen);
      }
    }
    const nowById = new Map(now.jobs.map((j) => [j.job.jobId, j]));
    for (const jobId of [...new Set([...nowById.keys(), ...recorded.keys()])].sort(byString)) {
      const job = index.jobs.get(jobId);
      if (!job || job.pricing === null) {
        unknownJobs.push(jobId);
        continue;
      }
      const current = nowById.get(jobId);
      const was = recorded.get(jobId);
      const nowShares = new Map((current?.shares ?? []).map((s) => [s.memberId, s]));
      const shares: AdjustmentShare[] = [];
      for (const memberId of [...new Set([...nowShares.keys(), ...(was?.shares.keys() ?? [])])].sort(byString)) {
        const nowYen = nowShares.get(memberId)?.shareYen ?? 0n;
        const recordedYen = was?.shares.get(memberId)?.yen ?? 0n;
        const minutes = (nowShares.get(memberId)?.minutes ?? 0) - (was?.shares.get(memberId)?.minutes ?? 0);
        if (minutes !== 0 || nowYen !== recordedYen)
          shares.push({ memberId, minutes, shareYen: nowYen - recordedYen, nowYen, recordedYen });
      }
      const nowBilledYen = current?.billedYen ?? 0n;
      const recordedBilledYen = was?.billed ?? 0n;
      const marginYen = (current?.marginYen ?? 0n) - (was?.margin ?? 0n);
      if (nowBilledYen === recordedBilledYen && marginYen === 0n && shares.every((s) => s.shareYen === 0n)) continue;
      jobs.push({
        correctsMonth: month,
        job,
        pricing: job.pricing,
        billedYen: nowBilledYen - recordedBilledYen,
        nowBilledYen,
        recordedBilledYen,
        billedMinutes: job.pricing.kind === 'hourly' ? shares.reduce((sum, s) => sum + s.minutes, 0) : null,
        marginYen,
        shares,
      });
    }
    for (const memberId of [...new Set([...now.employees.keys(), ...recordedTopUps.keys()])].sort(byString)) {
      if (index.members.get(memberId)?.contractType !== 'employee') continue;
      const difference = (now.employees.get(memberId)?.topUpYen ?? 0n) - (recordedTopUps.get(memberId) ?? 0n);
      if (difference !== 0n) topUps.push({ correctsMonth: month, memberId, topUpYen: difference });
    }
  }
  return { jobs, topUps, unknownJobs: [...new Set(unknownJobs)].sort(byString) };
};
