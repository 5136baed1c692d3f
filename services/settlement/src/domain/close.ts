/**
 * The close of one region's Tokyo month: `closeMonth(input)` turns a snapshot of the facts into
 * the month's invoices, payment statements, job settlements, journal entries, totals and
 * findings. Pure and deterministic: no I/O, no clock, integer yen; every list is ordered by ids
 * (never by the input's order), so the same facts in any order give the same settlement.
 *
 * The rules (settlement's, on DESIGN §1 and the settlement reference), each cited where it is applied:
 * - R1 billing: a fixed-price (請負) job is billed once, in the Tokyo month its inspection is
 *   accepted, at its fee; an hourly (準委任) job each month at ⌊approved minutes × rate / 60⌋
 *   (floor). A job without pricing (JobAccepted v1) is never billed: `settlement.job_pricing_unknown`.
 *   Cancellation changes nothing here: a cancelled job is never inspected, and approved time of an
 *   hourly job is work done.
 * - R2 margin: ⌊billed × marginBasisPoints / 10000⌋ (floor); pool = billed − margin.
 * - R3 shares: the pool split by approved minutes on the job (fixed price: every day up to the end
 *   of the inspection month; hourly: that month's), largest remainder (allocation.ts). A job that
 *   bills without approved minutes has no shares: all it bills is kept as margin,
 *   `settlement.no_approved_time`.
 * - R4 invoices: one per business and month, tax once per invoice per rate with the region's
 *   rounding; decreases of earlier closed months in a 返還 part with its own tax per rate.
 * - R5 contractors: fee = Σ shares; a registered contractor gets ⌊fee × 10 / 100⌋ on top;
 *   withholding on Σ shares of the lines whose category the law names (tax.ts); pay timing
 *   (pay-timing.ts) against the receipt of the work paid.
 * - R6 employees: wages = Σ shares; minimum = ⌈Σ_day minutes_day × minimumWage(day) / 60⌉ over
 *   her approved minutes of the month on the region's jobs, at the dated table of the region's
 *   office prefecture; below it, top-up = minimum − wages on a line of its own, paid out of the
 *   margin (kept = margin − top-ups). No consumption tax, no 204条 withholding.
 * - R7 adjustments: each earlier closed month is recomputed from the current facts (with its own
 *   configuration); the difference against what it billed and paid (its own close plus the
 *   adjustments naming it in later closes) becomes lines of this close naming the month.
 * - R8 journal: one balanced entry per invoice (sale), per 返還 part (sale_return), per
 *   contractor (contractor_fee) and per employee (wages); amounts tax included, never negative
 *   (a negative amount is written on the other side).
 */
import { DomainError } from '@workshare/eventsourcing';
import { splitPool, type MinutesClaim, type PoolShare } from './allocation.js';
import { compactMonth, firstDayOfMonth, lastDayOfMonth, monthOfDay, nextMonth, tokyoDay } from './calendar.js';
import type {
  ApprovedDay,
  BusinessFacts,
  CloseInput,
  Finding,
  FindingCode,
  Invoice,
  InvoiceLine,
  JobFacts,
  JobPricing,
  JobSettlement,
  JournalEntry,
  JournalLine,
  LineOrigin,
  MemberFacts,
  MinimumWageCheck,
  MinimumWageEntry,
  MonthSettlement,
  PaymentStatement,
  PayLine,
  PayTiming,
  RegionSettlementConfig,
  TaxCategory,
  TaxPerRate,
} from './model.js';
import { ceilDiv, floorDiv, maxYen, signed, sumYen } from './money.js';
import { payDayFor, payTimingOf } from './pay-timing.js';
import { transitionalCreditOn } from './tables.js';
import {
  CONSUMPTION_TAX_RATE_PERCENT,
  contractorConsumptionTax,
  taxPerRate,
  withholdingApplies,
  withholdingTax,
} from './tax.js';

/** Why a close is refused (the snapshot is incomplete or inconsistent): nothing is closed. */
export const CLOSE_ERRORS = {
  /** Approved time, a receipt or an earlier close names a member the snapshot does not hold. */
  memberUnknown: 'settlement.member_unknown',
  /** A job to invoice names a business the snapshot does not hold. */
  businessUnknown: 'settlement.business_unknown',
  /** An earlier close billed a job the snapshot does not hold. */
  jobUnknown: 'settlement.job_unknown',
  /** An employee worked on a day the minimum wage table has no rate for (her office's prefecture). */
  minimumWageUnknown: 'settlement.minimum_wage_unknown',
  /** The same job, member, business or closed month twice in the snapshot. */
  duplicateInput: 'settlement.duplicate_input',
  /** The month (or a later one) is closed already. */
  monthClosed: 'settlement.month_already_closed',
  /** An earlier close of another region. */
  regionMismatch: 'settlement.region_mismatch',
} as const;

/** The top-up line's sub-account in the wages entry (R6: shown as such). */
export const TOP_UP_SUB_ACCOUNT = '最低賃金補填';

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const pairKey = (a: string, b: string): string => `${a}\u0000${b}`;

const refuse = (code: string, message: string, details: Record<string, unknown> = {}): DomainError =>
  new DomainError(code, message, 'rule', details);

// ---- the facts, indexed ---------------------------------------------------------------------

interface Facts {
  readonly regionId: string;
  /** The region's jobs, by id, and their ids in order. */
  readonly jobs: ReadonlyMap<string, JobFacts>;
  readonly jobIds: readonly string[];
  readonly members: ReadonlyMap<string, MemberFacts>;
  readonly businesses: ReadonlyMap<string, BusinessFacts>;
  /** Approved minutes on the region's jobs (one per member, job and day, duplicates added), by job and by month. */
  readonly daysByJob: ReadonlyMap<string, readonly ApprovedDay[]>;
  readonly daysByMonth: ReadonlyMap<string, readonly ApprovedDay[]>;
  /** Receipt days (Tokyo), ascending, by member and job. */
  readonly receipts: ReadonlyMap<string, readonly string[]>;
  readonly minimumWages: ReadonlyMap<string, readonly MinimumWageEntry[]>;
}

const uniqueBy = <T>(items: readonly T[], id: (item: T) => string, what: string): Map<string, T> => {
  const map = new Map<string, T>();
  for (const item of items) {
    const key = id(item);
    if (map.has(key)) throw refuse(CLOSE_ERRORS.duplicateInput, `${what} ${key} appears twice in the close's input`);
    map.set(key, item);
  }
  return map;
};

const push = <K, V>(map: Map<K, V[]>, key: K, value: V): void => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

const indexFacts = (input: CloseInput): Facts => {
  const regionId = input.config.regionId;
  const jobs = uniqueBy(
    input.jobs.filter((job) => job.regionId === regionId),
    (job) => job.jobId,
    'job',
  );
  const minutes = new Map<string, ApprovedDay>();
  for (const entry of input.approved) {
    if (!jobs.has(entry.jobId) || entry.minutes <= 0) continue;
    const key = `${entry.jobId}\u0000${entry.memberId}\u0000${entry.day}`;
    const seen = minutes.get(key);
    minutes.set(key, seen ? { ...seen, minutes: seen.minutes + entry.minutes } : { ...entry });
  }
  const daysByJob = new Map<string, ApprovedDay[]>();
  const daysByMonth = new Map<string, ApprovedDay[]>();
  for (const key of [...minutes.keys()].sort(byString)) {
    const entry = minutes.get(key)!;
    push(daysByJob, entry.jobId, entry);
    push(daysByMonth, monthOfDay(entry.day), entry);
  }
  const receipts = new Map<string, string[]>();
  for (const receipt of input.receipts) {
    if (jobs.has(receipt.jobId)) push(receipts, pairKey(receipt.memberId, receipt.jobId), tokyoDay(receipt.receivedAt));
  }
  for (const days of receipts.values()) days.sort(byString);
  const minimumWages = new Map<string, MinimumWageEntry[]>();
  for (const entry of input.minimumWages) push(minimumWages, entry.prefecture, entry);
  for (const entries of minimumWages.values()) entries.sort((a, b) => byString(b.effectiveFrom, a.effectiveFrom));
  return {
    regionId,
    jobs,
    jobIds: [...jobs.keys()].sort(byString),
    members: uniqueBy(input.members, (member) => member.memberId, 'member'),
    businesses: uniqueBy(input.businesses, (business) => business.businessId, 'business'),
    daysByJob,
    daysByMonth,
    receipts,
    minimumWages,
  };
};

const memberOf = (facts: Facts, memberId: string): MemberFacts => {
  const member = facts.members.get(memberId);
  if (!member) throw refuse(CLOSE_ERRORS.memberUnknown, `member ${memberId} has approved time but no member facts`);
  return member;
};

/** The dated table (R6): the latest rate that took effect on or before the day. */
const minimumWageOf = (facts: Facts, prefecture: string, day: string): bigint => {
  const entry = facts.minimumWages.get(prefecture)?.find((e) => e.effectiveFrom <= day);
  if (!entry)
    throw refuse(CLOSE_ERRORS.minimumWageUnknown, `no minimum wage of ${prefecture} is in force on ${day}`, {
      prefecture,
      day,
    });
  return entry.hourlyYen;
};

/** A job's order terms when it has them (JobAccepted v2), or null (v1: never billed, R1). */
const termsOf = (
  job: JobFacts,
): { readonly pricing: JobPricing; readonly feeYen: bigint; readonly paymentDate: string } | null =>
  job.pricing === null || job.feeYen === null || job.paymentDate === null
    ? null
    : { pricing: job.pricing, feeYen: job.feeYen, paymentDate: job.paymentDate };

// ---- one month, computed from the facts -----------------------------------------------------

interface JobOfMonth {
  readonly job: JobFacts;
  readonly pricing: JobPricing;
  readonly paymentDate: string;
  readonly billedYen: bigint;
  readonly marginYen: bigint;
  readonly poolYen: bigint;
  /** Hourly: the month's approved minutes billed; fixed price: null. */
  readonly billedMinutes: number | null;
  readonly shares: readonly PoolShare[];
  readonly noApprovedTime: boolean;
}

interface MonthOfFacts {
  readonly month: string;
  readonly config: RegionSettlementConfig;
  readonly jobs: readonly JobOfMonth[];
  readonly pricingUnknown: readonly string[];
  /** Every member's approved minutes in the month on the region's jobs. */
  readonly minutesByMember: ReadonlyMap<string, number>;
  /** The minimum-wage check of every employee with minutes or wages in the month. */
  readonly employees: ReadonlyMap<string, MinimumWageCheck>;
}

const claimsOf = (days: readonly ApprovedDay[]): MinutesClaim[] => {
  const byMember = new Map<string, number>();
  for (const day of days) byMember.set(day.memberId, (byMember.get(day.memberId) ?? 0) + day.minutes);
  return [...byMember.entries()].map(([memberId, minutes]) => ({ memberId, minutes }));
};

const computeMonth = (facts: Facts, month: string, config: RegionSettlementConfig): MonthOfFacts => {
  const lastDay = lastDayOfMonth(month);
  const jobs: JobOfMonth[] = [];
  const pricingUnknown: string[] = [];
  for (const jobId of facts.jobIds) {
    const job = facts.jobs.get(jobId)!;
    const days = facts.daysByJob.get(jobId) ?? [];
    const monthDays = days.filter((d) => monthOfDay(d.day) === month);
    const inspectedThisMonth =
      job.inspectionAcceptedAt !== null && monthOfDay(tokyoDay(job.inspectionAcceptedAt)) === month;
    const terms = termsOf(job);
    if (terms === null) {
      if (monthDays.length > 0 || inspectedThisMonth) pricingUnknown.push(jobId);
      continue;
    }
    let billedYen: bigint;
    let basis: readonly ApprovedDay[];
    let billedMinutes: number | null;
    if (terms.pricing.kind === 'fixed_price') {
      // R1: billed once, in the month its inspection is accepted, at the fee; R3: its pool over every day up to then.
      if (!inspectedThisMonth) continue;
      billedYen = terms.feeYen;
      basis = days.filter((d) => d.day <= lastDay);
      billedMinutes = null;
    } else {
      // R1: each month at ⌊approved minutes × hourly rate / 60⌋ (floor: a part of a yen is not billed).
      if (monthDays.length === 0) continue;
      basis = monthDays;
      billedMinutes = monthDays.reduce((sum, d) => sum + d.minutes, 0);
      billedYen = floorDiv(BigInt(billedMinutes) * terms.pricing.hourlyRateYen, 60n);
    }
    const claims = claimsOf(basis);
    for (const claim of claims) memberOf(facts, claim.memberId);
    if (claims.length === 0) {
      // R3: no approved minutes: no shares, all it bills is kept (and flagged).
      jobs.push({
        job,
        pricing: terms.pricing,
        paymentDate: terms.paymentDate,
        billedYen,
        marginYen: billedYen,
        poolYen: 0n,
        billedMinutes,
        shares: [],
        noApprovedTime: true,
      });
      continue;
    }
    // R2: margin floored, so billed = pool + margin exactly.
    const marginYen = floorDiv(billedYen * BigInt(config.marginBasisPoints), 10_000n);
    const poolYen = billedYen - marginYen;
    jobs.push({
      job,
      pricing: terms.pricing,
      paymentDate: terms.paymentDate,
      billedYen,
      marginYen,
      poolYen,
      billedMinutes,
      shares: splitPool(poolYen, claims),
      noApprovedTime: false,
    });
  }

  const minutesByMember = new Map<string, number>();
  const minutesByMemberDay = new Map<string, Map<string, number>>();
  for (const d of facts.daysByMonth.get(month) ?? []) {
    minutesByMember.set(d.memberId, (minutesByMember.get(d.memberId) ?? 0) + d.minutes);
    let days = minutesByMemberDay.get(d.memberId);
    if (!days) minutesByMemberDay.set(d.memberId, (days = new Map()));
    days.set(d.day, (days.get(d.day) ?? 0) + d.minutes);
  }
  const wages = new Map<string, bigint>();
  for (const j of jobs) for (const s of j.shares) wages.set(s.memberId, (wages.get(s.memberId) ?? 0n) + s.shareYen);

  const employees = new Map<string, MinimumWageCheck>();
  for (const memberId of [...new Set([...minutesByMember.keys(), ...wages.keys()])].sort(byString)) {
    if (memberOf(facts, memberId).contractType !== 'employee') continue;
    // R6: minutes × the rate of each day, summed exactly, rounded up once (ceil: never below the law).
    let weighted = 0n;
    for (const [day, minutes] of minutesByMemberDay.get(memberId) ?? [])
      weighted += BigInt(minutes) * minimumWageOf(facts, config.officePrefecture, day);
    const minimumYen = ceilDiv(weighted, 60n);
    const wagesYen = wages.get(memberId) ?? 0n;
    const topUpYen = maxYen(0n, minimumYen - wagesYen);
    employees.set(memberId, {
      prefecture: config.officePrefecture,
      minimumYen,
      wagesYen,
      topUpYen,
      below: wagesYen < minimumYen,
    });
  }
  return { month, config, jobs, pricingUnknown, minutesByMember, employees };
};

// ---- what an earlier month billed and paid, and its differences (R7) ------------------------

interface Recorded {
  billedYen: bigint;
  marginYen: bigint;
  poolYen: bigint;
  readonly shares: Map<string, { minutes: number; shareYen: bigint }>;
}

const correctsMonth = (origin: LineOrigin, closedMonth: string, month: string): boolean =>
  origin.kind === 'current' ? closedMonth === month : origin.correctsMonth === month;

/** Per job: what `month` billed, kept and paid, over its own close and every later adjustment naming it. */
const recordedJobs = (previous: readonly MonthSettlement[], month: string): Map<string, Recorded> => {
  const recorded = new Map<string, Recorded>();
  for (const close of previous) {
    for (const js of close.jobs) {
      if (!correctsMonth(js.origin, close.month, month)) continue;
      let r = recorded.get(js.jobId);
      if (!r) recorded.set(js.jobId, (r = { billedYen: 0n, marginYen: 0n, poolYen: 0n, shares: new Map() }));
      r.billedYen += js.billedYen;
      r.marginYen += js.marginYen;
      r.poolYen += js.poolYen;
      for (const s of js.shares) {
        const seen = r.shares.get(s.memberId) ?? { minutes: 0, shareYen: 0n };
        r.shares.set(s.memberId, { minutes: seen.minutes + s.minutes, shareYen: seen.shareYen + s.shareYen });
      }
    }
  }
  return recorded;
};

/** Per member: the top-ups paid for `month` (its own check plus later adjustments naming it). */
const recordedTopUps = (previous: readonly MonthSettlement[], month: string): Map<string, bigint> => {
  const topUps = new Map<string, bigint>();
  const add = (memberId: string, yen: bigint) => topUps.set(memberId, (topUps.get(memberId) ?? 0n) + yen);
  for (const close of previous) {
    for (const statement of close.statements) {
      if (close.month === month && statement.minimumWage) add(statement.memberId, statement.minimumWage.topUpYen);
      for (const adjustment of statement.topUpAdjustments ?? [])
        if (adjustment.correctsMonth === month) add(statement.memberId, adjustment.topUpYen);
    }
  }
  return topUps;
};

/** The first invoice (by month) that billed a job for `month`: the one a 返還 line corrects. */
const invoicesOfMonth = (previous: readonly MonthSettlement[], month: string): Map<string, string> => {
  const invoices = new Map<string, string>();
  for (const close of previous)
    for (const invoice of close.invoices)
      for (const line of invoice.lines)
        if (correctsMonth(line.origin, close.month, month) && !invoices.has(line.jobId))
          invoices.set(line.jobId, invoice.invoiceNumber);
  return invoices;
};

interface Adjustment {
  readonly month: string;
  readonly jobs: readonly {
    readonly settlement: JobSettlement;
    readonly job: JobFacts;
    readonly pricing: JobPricing;
    readonly paymentDate: string;
    readonly billedMinutes: number | null;
    readonly correctsInvoice: string | null;
  }[];
  readonly topUps: ReadonlyMap<string, bigint>;
}

const adjustmentOf = (facts: Facts, close: MonthSettlement, previous: readonly MonthSettlement[]): Adjustment => {
  const month = close.month;
  const now = computeMonth(facts, month, close.config);
  const recorded = recordedJobs(previous, month);
  const invoices = invoicesOfMonth(previous, month);
  const nowById = new Map(now.jobs.map((j) => [j.job.jobId, j]));
  const jobs: Adjustment['jobs'][number][] = [];
  for (const jobId of [...new Set([...nowById.keys(), ...recorded.keys()])].sort(byString)) {
    const job = facts.jobs.get(jobId);
    const terms = job && termsOf(job);
    if (!job || !terms)
      throw refuse(CLOSE_ERRORS.jobUnknown, `the close of ${month} billed job ${jobId}, which the input lacks`, {
        jobId,
        month,
      });
    const current = nowById.get(jobId);
    const was = recorded.get(jobId);
    const nowShares = new Map((current?.shares ?? []).map((s) => [s.memberId, s]));
    const shares: { memberId: string; minutes: number; shareYen: bigint }[] = [];
    for (const memberId of [...new Set([...nowShares.keys(), ...(was?.shares.keys() ?? [])])].sort(byString)) {
      const minutes = (nowShares.get(memberId)?.minutes ?? 0) - (was?.shares.get(memberId)?.minutes ?? 0);
      const shareYen = (nowShares.get(memberId)?.shareYen ?? 0n) - (was?.shares.get(memberId)?.shareYen ?? 0n);
      if (minutes !== 0 || shareYen !== 0n) shares.push({ memberId, minutes, shareYen });
    }
    const billedYen = (current?.billedYen ?? 0n) - (was?.billedYen ?? 0n);
    const marginYen = (current?.marginYen ?? 0n) - (was?.marginYen ?? 0n);
    const poolYen = (current?.poolYen ?? 0n) - (was?.poolYen ?? 0n);
    if (billedYen === 0n && marginYen === 0n && shares.every((s) => s.shareYen === 0n)) continue;
    for (const s of shares) memberOf(facts, s.memberId);
    jobs.push({
      settlement: {
        jobId,
        businessId: job.businessId,
        billedYen,
        marginYen,
        poolYen,
        shares,
        origin: { kind: 'adjustment', correctsMonth: month },
      },
      job,
      pricing: terms.pricing,
      paymentDate: terms.paymentDate,
      billedMinutes: terms.pricing.kind === 'hourly' ? shares.reduce((sum, s) => sum + s.minutes, 0) : null,
      correctsInvoice: invoices.get(jobId) ?? null,
    });
  }
  const paid = recordedTopUps(previous, month);
  const topUps = new Map<string, bigint>();
  for (const memberId of [...new Set([...now.employees.keys(), ...paid.keys()])].sort(byString)) {
    // Only members who are employees under the current facts: a top-up once paid is not taken back for a change of contract.
    if (facts.members.get(memberId)?.contractType !== 'employee') continue;
    const difference = (now.employees.get(memberId)?.topUpYen ?? 0n) - (paid.get(memberId) ?? 0n);
    if (difference !== 0n) topUps.set(memberId, difference);
  }
  return { month, jobs, topUps };
};

// ---- documents ------------------------------------------------------------------------------

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** R4: the order terms' payment date, or, when it is before the issue date, the end of the month after the close. */
const dueDateOf = (paymentDate: string, issueDate: string, closedMonth: string): string =>
  paymentDate >= issueDate ? paymentDate : lastDayOfMonth(nextMonth(closedMonth));

const originOrder = (a: LineOrigin, b: LineOrigin): number =>
  a.kind === b.kind
    ? a.kind === 'adjustment' && b.kind === 'adjustment'
      ? byString(a.correctsMonth, b.correctsMonth)
      : 0
    : a.kind === 'current'
      ? -1
      : 1;

const lineOrder = <L extends { readonly origin: LineOrigin; readonly jobId: string }>(a: L, b: L): number =>
  originOrder(a.origin, b.origin) || byString(a.jobId, b.jobId);

const sumTotals = (totals: readonly TaxPerRate[]): bigint => sumYen(totals.map((t) => t.amountYen + t.taxYen));

/** `2026-04` → `2026年4月分` (journal descriptions). */
const monthLabel = (month: string): string => `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月分`;

/**
 * The consumption tax a tax-included purchase from a non-registered seller is deemed to contain,
 * ⌊amount × 10 / 110⌋ (floor): the journal line's tax, of which the accounting product credits
 * the transitional percentage its tax category names.
 */
const deemedTaxIncluded = (amountYen: bigint): bigint =>
  signed(amountYen, (a) =>
    floorDiv(a * BigInt(CONSUMPTION_TAX_RATE_PERCENT), 100n + BigInt(CONSUMPTION_TAX_RATE_PERCENT)),
  );

/** A journal line; a negative amount goes on the other side (R8: amounts are never negative). */
const journalLine = (
  side: JournalLine['side'],
  account: JournalLine['account'],
  amountYen: bigint,
  taxYen: bigint,
  taxCategory: TaxCategory,
  subAccount: string | null = null,
): JournalLine =>
  amountYen < 0n || (amountYen === 0n && taxYen < 0n)
    ? {
        side: side === 'debit' ? 'credit' : 'debit',
        account,
        subAccount,
        taxCategory,
        amountYen: -amountYen,
        taxYen: -taxYen,
      }
    : { side, account, subAccount, taxCategory, amountYen, taxYen };

const finding = (code: FindingCode, message: string, ids: { memberId?: string; jobId?: string } = {}): Finding => ({
  code,
  message,
  ...(ids.memberId === undefined ? {} : { memberId: ids.memberId }),
  ...(ids.jobId === undefined ? {} : { jobId: ids.jobId }),
});

/**
 * R5: the day the cooperative received the work a line pays: her earliest receipt (TaskMarkedDone)
 * on the job within the line's period, or, without one, the first day of her approved work on it
 * there. The period of a fixed-price line is every day up to the end of the month it is billed
 * for; of an hourly line, that month.
 */
const receivedOnOf = (facts: Facts, memberId: string, jobId: string, pricing: JobPricing, month: string): string => {
  const from = pricing.kind === 'hourly' ? firstDayOfMonth(month) : '';
  const to = lastDayOfMonth(month);
  const within = (day: string) => day >= from && day <= to;
  const receipt = (facts.receipts.get(pairKey(memberId, jobId)) ?? []).find(within);
  if (receipt !== undefined) return receipt;
  const worked = (facts.daysByJob.get(jobId) ?? []).filter((d) => d.memberId === memberId && within(d.day));
  return worked.reduce((first, d) => (d.day < first ? d.day : first), to);
};

/** Closes a region's month (see the rules above). */
export const closeMonth = (input: CloseInput): MonthSettlement => {
  const { config, month } = input;
  const regionId = config.regionId;
  const firstDay = firstDayOfMonth(month);
  const lastDay = lastDayOfMonth(month);
  const issueDate = tokyoDay(input.closedAt);
  const payDay = payDayFor(month, config.payDay);

  uniqueBy(input.previous, (close) => close.month, 'closed month');
  for (const close of input.previous) {
    if (close.regionId !== regionId)
      throw refuse(CLOSE_ERRORS.regionMismatch, `the close of ${close.regionId} ${close.month} is not of ${regionId}`);
    if (close.month >= month)
      throw refuse(CLOSE_ERRORS.monthClosed, `${regionId} ${close.month} is closed: ${month} cannot be closed now`, {
        month: close.month,
      });
  }
  const previous = [...input.previous].sort((a, b) => byString(a.month, b.month));
  const facts = indexFacts(input);
  const current = computeMonth(facts, month, config);
  const adjustments = previous.map((close) => adjustmentOf(facts, close, previous));

  const findings: Finding[] = [];
  for (const jobId of current.pricingUnknown)
    findings.push(
      finding(
        'settlement.job_pricing_unknown',
        `job ${jobId} was accepted without pricing (JobAccepted v1): it is not billed and its time is not paid`,
        { jobId },
      ),
    );
  for (const j of current.jobs)
    if (j.noApprovedTime)
      findings.push(
        finding(
          'settlement.no_approved_time',
          `job ${j.job.jobId} bills ¥${j.billedYen} in ${month} without approved minutes: no shares, all of it is kept as margin`,
          { jobId: j.job.jobId },
        ),
      );

  // Job settlements: this month's, then the adjustments by the month they correct.
  const jobSettlements: JobSettlement[] = [
    ...current.jobs.map((j): JobSettlement => ({
      jobId: j.job.jobId,
      businessId: j.job.businessId,
      billedYen: j.billedYen,
      marginYen: j.marginYen,
      poolYen: j.poolYen,
      shares: j.shares,
      origin: { kind: 'current' },
    })),
    ...adjustments.flatMap((a) => a.jobs.map((j) => j.settlement)),
  ];

  // Invoices (R4): lines per business; increases as lines, decreases as 返還.
  type ReturnLine = InvoiceLine & { readonly correctsInvoice: string | null };
  const perBusiness = new Map<string, { lines: InvoiceLine[]; returns: ReturnLine[] }>();
  const billing = (businessId: string) => {
    let b = perBusiness.get(businessId);
    if (!b) perBusiness.set(businessId, (b = { lines: [], returns: [] }));
    return b;
  };
  for (const j of current.jobs) {
    if (j.billedYen === 0n) continue;
    billing(j.job.businessId).lines.push({
      jobId: j.job.jobId,
      title: j.job.title,
      pricing: j.pricing.kind,
      minutes: j.billedMinutes,
      hourlyRateYen: j.pricing.kind === 'hourly' ? j.pricing.hourlyRateYen : null,
      amountYen: j.billedYen,
      taxRatePercent: CONSUMPTION_TAX_RATE_PERCENT,
      dueDate: dueDateOf(j.paymentDate, issueDate, month),
      origin: { kind: 'current' },
    });
  }
  for (const a of adjustments) {
    for (const j of a.jobs) {
      const billed = j.settlement.billedYen;
      if (billed === 0n) continue;
      const line: InvoiceLine = {
        jobId: j.job.jobId,
        title: j.job.title,
        pricing: j.pricing.kind,
        minutes: j.billedMinutes === null ? null : billed > 0n ? j.billedMinutes : -j.billedMinutes,
        hourlyRateYen: j.pricing.kind === 'hourly' ? j.pricing.hourlyRateYen : null,
        amountYen: billed > 0n ? billed : -billed,
        taxRatePercent: CONSUMPTION_TAX_RATE_PERCENT,
        dueDate: dueDateOf(j.paymentDate, issueDate, month),
        origin: j.settlement.origin,
      };
      if (billed > 0n) billing(j.job.businessId).lines.push(line);
      else billing(j.job.businessId).returns.push({ ...line, correctsInvoice: j.correctsInvoice });
    }
  }
  const invoices: Invoice[] = [...perBusiness.keys()].sort(byString).map((businessId, index) => {
    const business = facts.businesses.get(businessId);
    if (!business)
      throw refuse(CLOSE_ERRORS.businessUnknown, `business ${businessId} is billed but the input lacks it`, {
        businessId,
      });
    const { lines, returns } = perBusiness.get(businessId)!;
    lines.sort(lineOrder);
    returns.sort(lineOrder);
    const totals = taxPerRate(lines, config.invoiceRounding);
    const returnTotals = taxPerRate(returns, config.invoiceRounding);
    const dueDates = (lines.length > 0 ? lines : returns).map((l) => l.dueDate).sort(byString);
    return {
      invoiceNumber: `INV-${regionId}-${compactMonth(month)}-${pad(index + 1, 3)}`,
      month,
      issueDate,
      issuer: { name: config.issuerName, registrationNumber: config.registrationNumber, address: config.address },
      recipient: { businessId, name: business.name, registrationNumber: business.registrationNumber },
      period: { from: firstDay, to: lastDay },
      lines,
      totals,
      returns,
      returnTotals,
      amountDueYen: sumTotals(totals) - sumTotals(returnTotals),
      dueDate: dueDates[0]!,
    };
  });

  // Pay lines per member: this month's shares (R3), then the adjustments' differences (R7).
  interface Paid {
    readonly line: PayLine;
    readonly pricing: JobPricing;
    readonly month: string;
  }
  const paidByMember = new Map<string, Paid[]>();
  for (const j of current.jobs)
    for (const s of j.shares)
      push(paidByMember, s.memberId, {
        line: {
          jobId: j.job.jobId,
          title: j.job.title,
          workCategory: j.job.workCategory,
          minutes: s.minutes,
          shareYen: s.shareYen,
          withholdingApplies: false,
          origin: { kind: 'current' },
        },
        pricing: j.pricing,
        month,
      });
  for (const a of adjustments)
    for (const j of a.jobs)
      for (const s of j.settlement.shares)
        if (s.shareYen !== 0n)
          push(paidByMember, s.memberId, {
            line: {
              jobId: j.job.jobId,
              title: j.job.title,
              workCategory: j.job.workCategory,
              minutes: s.minutes,
              shareYen: s.shareYen,
              withholdingApplies: false,
              origin: j.settlement.origin,
            },
            pricing: j.pricing,
            month: a.month,
          });
  const topUpAdjustmentsOf = (memberId: string) =>
    adjustments.flatMap((a) => {
      const topUpYen = a.topUps.get(memberId);
      return topUpYen === undefined ? [] : [{ correctsMonth: a.month, topUpYen }];
    });

  const memberIds = new Set<string>([...paidByMember.keys(), ...current.employees.keys()]);
  for (const a of adjustments) for (const memberId of a.topUps.keys()) memberIds.add(memberId);

  const statements: PaymentStatement[] = [...memberIds].sort(byString).map((memberId, index) => {
    const member = memberOf(facts, memberId);
    const contractor = member.contractType === 'contractor';
    const paid = (paidByMember.get(memberId) ?? [])
      .map((p) => ({
        ...p,
        // R5: withholding by the job's work category, for contractors only (employees: never, R6).
        line: { ...p.line, withholdingApplies: contractor && withholdingApplies(p.line.workCategory) },
      }))
      .sort((a, b) => lineOrder(a.line, b.line));
    const lines = paid.map((p) => p.line);
    const feeYen = sumYen(lines.map((l) => l.shareYen));
    const statementNumber = `PAY-${regionId}-${compactMonth(month)}-${pad(index + 1, 4)}`;
    const minutes = current.minutesByMember.get(memberId) ?? 0;
    if (member.forgotten)
      findings.push(
        finding(
          'settlement.member_forgotten',
          `member ${memberId} is forgotten: her statement ${statementNumber} is computed, but her name and bank account cannot be read for the transfer`,
          { memberId },
        ),
      );
    if (contractor) {
      const registered = member.invoiceRegistrationNumber !== null;
      const consumptionTaxYen = contractorConsumptionTax(feeYen, registered);
      const withholdingYen = withholdingTax(sumYen(lines.filter((l) => l.withholdingApplies).map((l) => l.shareYen)));
      const payableYen = feeYen + consumptionTaxYen - withholdingYen;
      // R5: the timing of the payment of each line that pays something; the statement's is that of the earliest receipt.
      let payTiming: PayTiming | null = null;
      for (const p of paid) {
        if (p.line.shareYen <= 0n) continue;
        const timing = payTimingOf(
          receivedOnOf(facts, memberId, p.line.jobId, p.pricing, p.month),
          payDay,
          config.payTimingReading,
        );
        if (payTiming === null || timing.receivedOn < payTiming.receivedOn) payTiming = timing;
        if (timing.late)
          findings.push(
            finding(
              'settlement.payment_late',
              `member ${memberId}, job ${p.line.jobId} (${p.month}): work received on ${timing.receivedOn} must be paid by ${timing.latestLawfulDay} (${timing.reading}), the pay day is ${payDay}`,
              { memberId, jobId: p.line.jobId },
            ),
          );
      }
      if (payableYen < 0n)
        findings.push(
          finding(
            'settlement.payable_negative',
            `member ${memberId}: statement ${statementNumber} comes to −¥${-payableYen} through adjustments; nothing is transferred`,
            { memberId },
          ),
        );
      return {
        statementNumber,
        memberId,
        contractType: member.contractType,
        invoiceRegistrationNumber: member.invoiceRegistrationNumber,
        lines,
        feeYen,
        consumptionTaxYen,
        withholdingYen,
        minimumWage: null,
        topUpAdjustments: [],
        topUpYen: 0n,
        payableYen,
        minutes,
        payTiming,
      };
    }
    const check: MinimumWageCheck = current.employees.get(memberId) ?? {
      prefecture: config.officePrefecture,
      minimumYen: 0n,
      wagesYen: 0n,
      topUpYen: 0n,
      below: false,
    };
    const topUpAdjustments = topUpAdjustmentsOf(memberId);
    const topUpYen = check.topUpYen + sumYen(topUpAdjustments.map((t) => t.topUpYen));
    const payableYen = feeYen + topUpYen;
    if (check.below)
      findings.push(
        finding(
          'settlement.minimum_wage_topped_up',
          `member ${memberId}: wages ¥${check.wagesYen} for ${minutes} minutes are below the minimum wage of ${check.prefecture} (¥${check.minimumYen}); topped up by ¥${check.topUpYen} out of the margin`,
          { memberId },
        ),
      );
    if (payableYen < 0n)
      findings.push(
        finding(
          'settlement.payable_negative',
          `member ${memberId}: statement ${statementNumber} comes to −¥${-payableYen} through adjustments; nothing is paid`,
          { memberId },
        ),
      );
    return {
      statementNumber,
      memberId,
      contractType: member.contractType,
      invoiceRegistrationNumber: null,
      lines,
      feeYen,
      consumptionTaxYen: 0n,
      withholdingYen: 0n,
      minimumWage: check,
      topUpAdjustments,
      topUpYen,
      payableYen,
      minutes,
      payTiming: null,
    };
  });

  // Journal (R8).
  const drafts: Omit<JournalEntry, 'number'>[] = [];
  for (const invoice of invoices) {
    const sale = (kind: 'sale' | 'sale_return', totals: readonly TaxPerRate[]) => {
      if (totals.length === 0) return;
      const receivable = journalLine(kind === 'sale' ? 'debit' : 'credit', 'receivable', sumTotals(totals), 0n, 'none');
      const sales = totals.map((t) =>
        journalLine(kind === 'sale' ? 'credit' : 'debit', 'sales', t.amountYen + t.taxYen, t.taxYen, 'sales_10'),
      );
      const corrected = [
        ...new Set(invoice.returns.map((r) => (r.origin.kind === 'adjustment' ? r.origin.correctsMonth : month))),
      ]
        .sort(byString)
        .map(monthLabel)
        .join('・');
      drafts.push({
        date: lastDay,
        kind,
        counterparty: invoice.recipient.name,
        description:
          kind === 'sale'
            ? `${monthLabel(month)} 請求 ${invoice.invoiceNumber}`
            : `${monthLabel(month)} 返還 ${invoice.invoiceNumber}（${corrected}の訂正）`,
        lines: kind === 'sale' ? [receivable, ...sales] : [...sales, receivable],
      });
    };
    sale('sale', invoice.totals);
    sale('sale_return', invoice.returnTotals);
  }
  for (const s of statements) {
    if (s.contractType === 'contractor') {
      // The purchase's tax category by the transaction day, the closed month's last day; a registered
      // contractor's line carries her 10%, a non-registered one's the tax its price is deemed to contain.
      const registered = s.invoiceRegistrationNumber !== null;
      const taxCategory: TaxCategory = registered
        ? 'purchase_10_qualified'
        : { kind: 'purchase_10_transitional', creditPercent: transitionalCreditOn(lastDay) };
      const purchase = s.feeYen + s.consumptionTaxYen;
      // Dated on the pay day, when the bank line moves (as the reference's 弥生 and Money Forward examples).
      drafts.push({
        date: payDay,
        kind: 'contractor_fee',
        counterparty: s.memberId,
        description: `${monthLabel(month)} 報酬 ${s.statementNumber}`,
        lines: [
          journalLine(
            'debit',
            'outsourcing',
            purchase,
            registered ? s.consumptionTaxYen : deemedTaxIncluded(purchase),
            taxCategory,
          ),
          journalLine('credit', 'bank', maxYen(0n, s.payableYen), 0n, 'none'),
          journalLine('credit', 'withholding_payable', s.withholdingYen, 0n, 'none', '源泉所得税'),
          // A negative payable is not transferred: what she owes back stays open (the finding carries it).
          journalLine('debit', 'accrued', maxYen(0n, -s.payableYen), 0n, 'none'),
        ],
      });
    } else {
      drafts.push({
        date: lastDay,
        kind: 'wages',
        counterparty: s.memberId,
        description: `${monthLabel(month)} 賃金 ${s.statementNumber}`,
        lines: [
          journalLine('debit', 'wages', s.feeYen, 0n, 'none'),
          journalLine('debit', 'wages', s.topUpYen, 0n, 'none', TOP_UP_SUB_ACCOUNT),
          journalLine('credit', 'accrued', s.payableYen, 0n, 'none'),
        ],
      });
    }
  }
  const journal: JournalEntry[] = drafts
    .map((d) => ({ ...d, lines: d.lines.filter((l) => l.amountYen !== 0n || l.taxYen !== 0n) }))
    .filter((d) => d.lines.length > 0)
    .map((d, index) => ({ number: index + 1, ...d }));

  const billedYen = sumYen(jobSettlements.map((j) => j.billedYen));
  const marginYen = sumYen(jobSettlements.map((j) => j.marginYen));
  const topUpYen = sumYen(statements.map((s) => s.topUpYen));
  const keptYen = marginYen - topUpYen;
  // Only top-ups can make the cooperative pay out of its own funds (a negative margin is an adjustment's return).
  if (topUpYen > 0n && keptYen < 0n)
    findings.push(
      finding(
        'settlement.margin_below_top_ups',
        `the margin of ${month} (¥${marginYen}) does not cover the minimum-wage top-ups (¥${topUpYen}): ¥${-keptYen} comes from the cooperative's funds`,
      ),
    );
  findings.sort(
    (a, b) =>
      byString(a.code, b.code) ||
      byString(a.memberId ?? '', b.memberId ?? '') ||
      byString(a.jobId ?? '', b.jobId ?? '') ||
      byString(a.message, b.message),
  );

  return {
    regionId,
    month,
    closedAt: input.closedAt,
    config,
    invoices,
    statements,
    jobs: jobSettlements,
    journal,
    payDay,
    totals: {
      billedYen,
      taxYen: sumYen(
        invoices.map((i) => sumYen(i.totals.map((t) => t.taxYen)) - sumYen(i.returnTotals.map((t) => t.taxYen))),
      ),
      marginYen,
      topUpYen,
      keptYen,
      payableYen: sumYen(statements.map((s) => s.payableYen)),
    },
    findings,
  };
};
