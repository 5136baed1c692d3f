/**
 * Facts for closes of the Fujisato region (Akita): a configuration, builders for jobs, approved
 * days, receipts, members and businesses, and the close input around them.
 */
import type {
  ApprovedDay,
  BusinessFacts,
  CloseInput,
  JobFacts,
  MemberFacts,
  RegionSettlementConfig,
  WorkCategory,
  WorkReceipt,
} from '../../src/domain/model.js';
import { MINIMUM_WAGES } from '../../src/domain/tables.js';

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

/** An instant given in Tokyo time (`2026-04-20T15:00:00`). */
export const tokyo = (local: string): Date => new Date(`${local}+09:00`);

export const BUSINESS = 'b-akita-shoji';
export const OTHER_BUSINESS = 'b-fujisato-kikaku';

export const businesses: BusinessFacts[] = [
  { businessId: BUSINESS, name: '株式会社あきた商事', registrationNumber: 'T4011001098993' },
  { businessId: OTHER_BUSINESS, name: 'ふじさと企画', registrationNumber: 'T8010401088436' },
];

export const fixedJob = (
  jobId: string,
  feeYen: bigint,
  inspectionAcceptedAt: Date | null,
  overrides: Partial<JobFacts> = {},
): JobFacts => ({
  jobId,
  businessId: BUSINESS,
  regionId: 'fujisato',
  title: `請負 ${jobId}`,
  workCategory: 'design',
  pricing: { kind: 'fixed_price' },
  feeYen,
  paymentDate: '2026-05-31',
  inspectionAcceptedAt,
  cancelledAt: null,
  ...overrides,
});

export const hourlyJob = (jobId: string, hourlyRateYen: bigint, overrides: Partial<JobFacts> = {}): JobFacts => ({
  jobId,
  businessId: BUSINESS,
  regionId: 'fujisato',
  title: `準委任 ${jobId}`,
  workCategory: 'data_entry',
  pricing: { kind: 'hourly', hourlyRateYen },
  feeYen: 100_000n,
  paymentDate: '2026-05-31',
  inspectionAcceptedAt: null,
  cancelledAt: null,
  ...overrides,
});

export const worked = (memberId: string, jobId: string, day: string, minutes: number): ApprovedDay => ({
  memberId,
  jobId,
  day,
  minutes,
});

export const received = (memberId: string, jobId: string, at: Date): WorkReceipt => ({
  memberId,
  jobId,
  receivedAt: at,
});

export const contractor = (memberId: string, invoiceRegistrationNumber: string | null = null): MemberFacts => ({
  memberId,
  regionId: 'fujisato',
  contractType: 'contractor',
  invoiceRegistrationNumber,
  forgotten: false,
});

export const employee = (memberId: string): MemberFacts => ({
  memberId,
  regionId: 'fujisato',
  contractType: 'employee',
  invoiceRegistrationNumber: null,
  forgotten: false,
});

/** A registered contractor's own number (an individual's: form only). */
export const HANAKO_NUMBER = 'T1234567890123';

export const closeInput = (month: string, overrides: Partial<CloseInput> = {}): CloseInput => ({
  config: CONFIG,
  month,
  closedAt: tokyo(`${nextMonthOf(month)}-01T10:00:00`),
  jobs: [],
  approved: [],
  receipts: [],
  members: [],
  businesses,
  minimumWages: MINIMUM_WAGES,
  previous: [],
  ...overrides,
});

const nextMonthOf = (month: string): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

export const CATEGORIES: readonly WorkCategory[] = [
  'data_entry',
  'transcription',
  'writing',
  'design',
  'translation',
  'illustration',
  'proofreading',
];
