/**
 * Facts of a region's months for the reconciliation's tests, each given twice from one
 * description: as the audit reads them (approved entries, jobs, members) and as settlement's close
 * reads them (a CloseInput), so that a month closed by settlement from the same facts is a
 * consistent month to reconcile.
 */
import {
  closeMonth,
  MINIMUM_WAGES,
  splitByTokyoDay,
  type ApprovedDay,
  type BusinessFacts,
  type CloseInput,
  type JobFacts,
  type MemberFacts,
  type MonthSettlement,
  type RegionSettlementConfig,
  type WorkCategory,
} from '@workshare/settlement';
import type { ReconciliationInput } from '../../src/domain/reconciliation.js';
import type { ApprovedEntry, ReconJob, ReconMember } from '../../src/domain/reconciliation-facts.js';

export const CONFIG: RegionSettlementConfig = {
  regionId: 'fujisato',
  issuerName: '藤里ワークシェア協同組合',
  registrationNumber: 'T7123456789012',
  address: '秋田県山本郡藤里町藤琴字藤琴8',
  payerAccount: {
    bankCode: '0117',
    bankNameKana: 'アキタ',
    branchCode: '123',
    branchNameKana: 'フジサト',
    type: 'ordinary',
    number: '1234567',
  },
  zenginRequesterCode: '123456789',
  requesterNameKana: 'フジサトワークシェアキョウドウクミアイ',
  marginBasisPoints: 1500,
  payDay: 25,
  invoiceRounding: 'floor',
  payTimingReading: 'two_months',
  officePrefecture: 'akita',
};

export const BUSINESSES: BusinessFacts[] = [
  { businessId: 'b-akita-shoji', name: '株式会社あきた商事', registrationNumber: 'T4011001098993' },
  { businessId: 'b-fujisato-kikaku', name: 'ふじさと企画', registrationNumber: 'T8010401088436' },
];

/** An instant given in Tokyo time (`2026-04-20T15:00`). */
export const tokyo = (local: string): Date => new Date(`${local}:00+09:00`);

export interface JobSpec {
  readonly jobId: string;
  readonly businessId?: string;
  readonly workCategory?: WorkCategory;
  readonly pricing:
    | { readonly kind: 'fixed_price'; readonly feeYen: bigint }
    | { readonly kind: 'hourly'; readonly hourlyRateYen: bigint };
  readonly inspectedAt?: Date | null;
}

export interface MemberSpec {
  readonly memberId: string;
  readonly kind: 'registered' | 'unregistered' | 'employee';
}

export interface Facts {
  readonly jobs: readonly JobSpec[];
  readonly members: readonly MemberSpec[];
  readonly entries: readonly ApprovedEntry[];
}

let entrySerial = 0;
/** An approved entry: `minutes` from a Tokyo instant. */
export const entry = (
  memberId: string,
  jobId: string,
  taskId: string,
  startLocal: string,
  minutes: number,
): ApprovedEntry => {
  const start = tokyo(startLocal);
  entrySerial++;
  return {
    entryId: `e-${String(entrySerial).padStart(6, '0')}`,
    memberId,
    taskId,
    jobId,
    start,
    end: new Date(start.getTime() + minutes * 60_000),
    minutes,
  };
};

const jobFacts = (j: JobSpec): JobFacts => ({
  jobId: j.jobId,
  businessId: j.businessId ?? 'b-akita-shoji',
  regionId: 'fujisato',
  title: `仕事 ${j.jobId}`,
  workCategory: j.workCategory ?? 'data_entry',
  pricing:
    j.pricing.kind === 'hourly' ? { kind: 'hourly', hourlyRateYen: j.pricing.hourlyRateYen } : { kind: 'fixed_price' },
  feeYen: j.pricing.kind === 'hourly' ? 100_000n : j.pricing.feeYen,
  paymentDate: '2026-12-31',
  inspectionAcceptedAt: j.inspectedAt ?? null,
  cancelledAt: null,
});

export const reconJobs = (facts: Facts): ReconJob[] =>
  facts.jobs.map((j) => {
    const f = jobFacts(j);
    return {
      jobId: f.jobId,
      businessId: f.businessId,
      regionId: f.regionId,
      title: f.title,
      workCategory: f.workCategory,
      pricing: f.pricing,
      feeYen: f.feeYen,
      inspectionAcceptedAt: f.inspectionAcceptedAt,
    };
  });

export const reconMembers = (facts: Facts): ReconMember[] =>
  facts.members.map((m) => ({
    memberId: m.memberId,
    contractType: m.kind === 'employee' ? 'employee' : 'contractor',
    registered: m.kind === 'registered',
  }));

const memberFacts = (m: MemberSpec): MemberFacts => ({
  memberId: m.memberId,
  regionId: 'fujisato',
  contractType: m.kind === 'employee' ? 'employee' : 'contractor',
  invoiceRegistrationNumber: m.kind === 'registered' ? 'T1234567890123' : null,
  forgotten: false,
});

const approvedDays = (entries: readonly ApprovedEntry[]): ApprovedDay[] => {
  const sums = new Map<string, ApprovedDay>();
  for (const e of entries)
    for (const { day, minutes } of splitByTokyoDay(e.start, e.end, e.minutes)) {
      const key = `${e.memberId}|${e.jobId}|${day}`;
      sums.set(key, { memberId: e.memberId, jobId: e.jobId, day, minutes: (sums.get(key)?.minutes ?? 0) + minutes });
    }
  return [...sums.values()];
};

const nextMonth = (month: string): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

/** Settlement's close of the month from the facts (the earlier closes given). */
export const closeWith = (facts: Facts, month: string, previous: readonly MonthSettlement[] = []): MonthSettlement => {
  const input: CloseInput = {
    config: CONFIG,
    month,
    closedAt: tokyo(`${nextMonth(month)}-01T10:00`),
    jobs: facts.jobs.map(jobFacts),
    approved: approvedDays(facts.entries),
    receipts: [],
    members: facts.members.map(memberFacts),
    businesses: BUSINESSES,
    minimumWages: MINIMUM_WAGES,
    previous,
  };
  return closeMonth(input);
};

/** The reconciliation's input for the month from the same facts. */
export const reconInput = (
  facts: Facts,
  month: string,
  close: MonthSettlement | null,
  earlier: readonly MonthSettlement[] = [],
): ReconciliationInput => ({
  regionId: 'fujisato',
  month,
  config: {
    marginBasisPoints: CONFIG.marginBasisPoints,
    invoiceRounding: CONFIG.invoiceRounding,
    officePrefecture: CONFIG.officePrefecture,
  },
  jobs: reconJobs(facts),
  entries: facts.entries,
  members: reconMembers(facts),
  minimumWages: MINIMUM_WAGES,
  close,
  earlier,
});
