/**
 * The close of one region's Tokyo month, as data: what goes in (a snapshot of the facts the
 * close reads: the region's configuration, the jobs, the approved time, the members, earlier
 * closes) and what comes out (invoices, payment statements, transfers, journal entries, the
 * payroll export, findings). Pure types, no I/O. Money is integer yen as `bigint`; instants are
 * `Date` (UTC); Tokyo calendar days are `YYYY-MM-DD` strings; a month is `YYYY-MM` (Tokyo).
 *
 * The close (`closeMonth` in close.ts) is a pure function of a `CloseInput`: the same input
 * gives the same `MonthSettlement`, and the same settlement the same files, byte for byte.
 */

/** 請負 (a fixed price, billed when its inspection is accepted) or 準委任 (billed monthly by the hour). */
export type PricingKind = 'fixed_price' | 'hourly';

/** How a tax amount is rounded to the yen (once per invoice per rate). */
export type RoundingRule = 'floor' | 'round_half_up' | 'ceil';

/** フリーランス法 §4: the strict 60 days (receipt = day 1), or the JFTC's two-month reading for a monthly close. */
export type PayTimingReading = 'two_months' | 'strict_60_days';

/** A job's work category (job intake's): it decides withholding (源泉徴収). */
export type WorkCategory =
  'data_entry' | 'transcription' | 'writing' | 'design' | 'translation' | 'illustration' | 'proofreading';

export type ContractType = 'contractor' | 'employee';

/** A prefecture id as identity writes it (`akita`, `tokyo`, ...). */
export type PrefectureId = string;

/** The cooperative's bank account (it is the payer: 振込依頼人). */
export interface PayerAccount {
  /** 金融機関コード (4 digits) and its half-width kana name (optional in the file). */
  readonly bankCode: string;
  readonly bankNameKana: string;
  /** 支店コード (3 digits) and its kana name. */
  readonly branchCode: string;
  readonly branchNameKana: string;
  readonly type: 'ordinary' | 'current';
  /** 口座番号, 7 digits. */
  readonly number: string;
}

/** Who issues the invoices and pays the members, per region (configuration, recorded as an event). */
export interface RegionSettlementConfig {
  readonly regionId: string;
  /** The cooperative entity, as it appears on invoices and statements. */
  readonly issuerName: string;
  /** `T` + 13 digits, check digit verified (a corporation's). */
  readonly registrationNumber: string;
  readonly address: string;
  readonly payerAccount: PayerAccount;
  /** 振込依頼人コード (委託者コード), up to 10 digits, assigned by the bank. */
  readonly zenginRequesterCode: string;
  /** 振込依頼人名 in kana (converted to half-width for the file). */
  readonly requesterNameKana: string;
  /** The share of what a job bills that the cooperative keeps, in basis points (1500 = 15%). */
  readonly marginBasisPoints: number;
  /** The day of the month after the close on which members are paid (1–31; past the month's end = its last day). */
  readonly payDay: number;
  /** How invoice tax is rounded (floor by default). */
  readonly invoiceRounding: RoundingRule;
  /** Which reading of フリーランス法 §4 the close applies (two_months by default). */
  readonly payTimingReading: PayTimingReading;
  /** The prefecture of the region's office: whose minimum wage binds its employees. */
  readonly officePrefecture: PrefectureId;
}

/** How a job is billed: 請負 at its fee, or 準委任 at an hourly rate (tax excluded). */
export type JobPricing = { readonly kind: 'fixed_price' } | { readonly kind: 'hourly'; readonly hourlyRateYen: bigint };

/**
 * A job as settlement knows it: from job intake's published JobAccepted (v2), JobInspected and
 * JobCancelled. A job accepted at JobAccepted v1 carries no pricing, fee or payment date (all
 * three null): the close never bills it and reports it as `settlement.job_pricing_unknown`.
 */
export interface JobFacts {
  readonly jobId: string;
  readonly businessId: string;
  readonly regionId: string;
  readonly title: string;
  readonly workCategory: WorkCategory;
  readonly pricing: JobPricing | null;
  /** The accepted quote's fee (a fixed-price job's amount; an hourly job's estimate); null at v1. */
  readonly feeYen: bigint | null;
  /** The order terms' payment date (a Tokyo day); null at v1. */
  readonly paymentDate: string | null;
  /** When its inspection was accepted (the latest accepting JobInspected), or null. */
  readonly inspectionAcceptedAt: Date | null;
  readonly cancelledAt: Date | null;
}

/** Approved minutes of one member on one job on one Tokyo day (a span crossing midnight counts on each day). */
export interface ApprovedDay {
  readonly memberId: string;
  readonly jobId: string;
  readonly day: string;
  readonly minutes: number;
}

/**
 * When the cooperative received a member's work on a job (her TaskMarkedDone). One or more per
 * member and job (one per task marked done); the close takes the earliest that applies to the work
 * it pays (see close.ts).
 */
export interface WorkReceipt {
  readonly memberId: string;
  readonly jobId: string;
  readonly receivedAt: Date;
}

export interface MemberFacts {
  readonly memberId: string;
  readonly regionId: string;
  readonly contractType: ContractType;
  /** A contractor's own qualified-invoice registration number, or null (not registered: 免税). */
  readonly invoiceRegistrationNumber: string | null;
  readonly forgotten: boolean;
}

export interface BusinessFacts {
  readonly businessId: string;
  readonly name: string;
  readonly registrationNumber: string;
}

/** The minimum wage of a prefecture from a day on (a dated table: a change inside a month applies from its day). */
export interface MinimumWageEntry {
  readonly prefecture: PrefectureId;
  readonly effectiveFrom: string;
  readonly hourlyYen: bigint;
}

/** Everything one close reads: a snapshot taken when the close command arrives. */
export interface CloseInput {
  readonly config: RegionSettlementConfig;
  /** `YYYY-MM`, a Tokyo month. */
  readonly month: string;
  /** When the close was decided (its command's time): the documents' issue date. */
  readonly closedAt: Date;
  readonly jobs: readonly JobFacts[];
  /** Approved time of every month up to and including the closed one (earlier months: for fixed-price pools and adjustments). */
  readonly approved: readonly ApprovedDay[];
  readonly receipts: readonly WorkReceipt[];
  readonly members: readonly MemberFacts[];
  readonly businesses: readonly BusinessFacts[];
  readonly minimumWages: readonly MinimumWageEntry[];
  /**
   * The region's earlier closes (any order; months before `month`): what was billed and paid,
   * their adjustments included. Each is recomputed from the facts above; differences become
   * adjustment lines of this close.
   */
  readonly previous: readonly MonthSettlement[];
}

// ---- the result ---------------------------------------------------------------------------------

/** What a line of pay or billing is for: this month's work, or an adjustment of an earlier closed month. */
export type LineOrigin = { readonly kind: 'current' } | { readonly kind: 'adjustment'; readonly correctsMonth: string };

export interface InvoiceLine {
  readonly jobId: string;
  readonly title: string;
  readonly pricing: PricingKind;
  /**
   * Approved minutes billed (hourly), or null (fixed price). An adjustment line carries the
   * difference in minutes (of a 返還 line: the minutes taken off, positive).
   */
  readonly minutes: number | null;
  readonly hourlyRateYen: bigint | null;
  /**
   * Tax excluded, positive (a 返還 line: the amount returned). For hourly: ⌊minutes × rate / 60⌋
   * (floor, close.ts). An adjustment line: the difference of what the corrected month bills now
   * and what it billed (so not ⌊Δminutes × rate / 60⌋ in general).
   */
  readonly amountYen: bigint;
  readonly taxRatePercent: 10;
  /**
   * The order terms' payment date of the job (a Tokyo day), or, when that day is before the
   * invoice's issue date (an adjustment, a late inspection), the last day of the month after the
   * closed month (月末締め翌月末払い, as job intake's order terms).
   */
  readonly dueDate: string;
  readonly origin: LineOrigin;
}

export interface TaxPerRate {
  readonly taxRatePercent: 10;
  /** Tax excluded. */
  readonly amountYen: bigint;
  /** Computed once over amountYen with the region's rounding rule. */
  readonly taxYen: bigint;
}

/** 適格請求書 (and, when a closed month is decreased, its 返還 part), per business and month. */
export interface Invoice {
  /** `INV-<region>-<YYYYMM>-<nnn>`, numbered by business id order. */
  readonly invoiceNumber: string;
  readonly month: string;
  readonly issueDate: string;
  readonly issuer: { readonly name: string; readonly registrationNumber: string; readonly address: string };
  readonly recipient: { readonly businessId: string; readonly name: string; readonly registrationNumber: string };
  /** The transaction period: the month's first and last Tokyo day. */
  readonly period: { readonly from: string; readonly to: string };
  readonly lines: readonly InvoiceLine[];
  readonly totals: readonly TaxPerRate[];
  /** 返還: decreases of earlier closed months, each naming the month and invoice it corrects. */
  readonly returns: readonly (InvoiceLine & { readonly correctsInvoice: string | null })[];
  readonly returnTotals: readonly TaxPerRate[];
  /** Σ totals (amount + tax) − Σ returnTotals (amount + tax). */
  readonly amountDueYen: bigint;
  /** The earliest due date of its lines. */
  readonly dueDate: string;
}

export interface PayLine {
  readonly jobId: string;
  readonly title: string;
  readonly workCategory: WorkCategory;
  /** The minutes her share is of (a fixed-price job: all months up to its inspection). Adjustment: the difference. */
  readonly minutes: number;
  /** Her part of the job's pool (tax excluded). Adjustment: the difference, negative for a decrease. */
  readonly shareYen: bigint;
  readonly withholdingApplies: boolean;
  readonly origin: LineOrigin;
}

/** A minimum-wage check of an employee's month. */
export interface MinimumWageCheck {
  readonly prefecture: PrefectureId;
  /** The minimum for her minutes, day by day at each day's rate, rounded up to the yen. */
  readonly minimumYen: bigint;
  readonly wagesYen: bigint;
  readonly topUpYen: bigint;
  readonly below: boolean;
}

export interface PayTiming {
  /** The Tokyo day the cooperative received the work paid here (the earliest), day 1 of the count. */
  readonly receivedOn: string;
  readonly latestLawfulDay: string;
  readonly reading: PayTimingReading;
  readonly payDay: string;
  readonly late: boolean;
}

/** 支払通知書: one member's pay for the month. */
export interface PaymentStatement {
  /** `PAY-<region>-<YYYYMM>-<nnnn>`, numbered by member id order. */
  readonly statementNumber: string;
  readonly memberId: string;
  readonly contractType: ContractType;
  readonly invoiceRegistrationNumber: string | null;
  readonly lines: readonly PayLine[];
  /** Σ shares: a contractor's fee (tax excluded) or an employee's wages. */
  readonly feeYen: bigint;
  /** A registered contractor's 10% (once over the fee, floored); 0 otherwise. */
  readonly consumptionTaxYen: bigint;
  /** 204条: on the tax-excluded fee of the lines it applies to; 0 for employees. */
  readonly withholdingYen: bigint;
  /** An employee's check of this month (null for contractors). */
  readonly minimumWage: MinimumWageCheck | null;
  /**
   * Differences of earlier months' top-ups, recomputed from the current facts (employees only).
   * closeMonth always sets it (empty when none); absent reads as empty.
   */
  readonly topUpAdjustments?: readonly { readonly correctsMonth: string; readonly topUpYen: bigint }[];
  /** This month's top-up (minimumWage.topUpYen) + Σ topUpAdjustments. */
  readonly topUpYen: bigint;
  /**
   * fee + tax − withholding + top-up. Negative only through adjustments: then nothing is
   * transferred and the finding `settlement.payable_negative` carries it.
   */
  readonly payableYen: bigint;
  /** Her approved minutes in the closed month on the region's jobs (an employee's hours worked, for payroll). */
  readonly minutes: number;
  /** Contractors only (employees' wages are paid through payroll). */
  readonly payTiming: PayTiming | null;
}

/**
 * A job's money in this close: what it billed, its pool, the margin kept (billed = Σ shares +
 * margin). A job that bills without approved minutes has no shares: its margin is all it billed
 * (`settlement.no_approved_time`). An adjustment: the differences for the month it corrects.
 */
export interface JobSettlement {
  readonly jobId: string;
  readonly businessId: string;
  readonly billedYen: bigint;
  readonly marginYen: bigint;
  readonly poolYen: bigint;
  readonly shares: readonly { readonly memberId: string; readonly minutes: number; readonly shareYen: bigint }[];
  readonly origin: LineOrigin;
}

/** One journal entry (仕訳), balanced: Σ debit = Σ credit. */
export interface JournalEntry {
  /** Entries with the same number form one compound entry. */
  readonly number: number;
  readonly date: string;
  readonly kind: 'sale' | 'sale_return' | 'contractor_fee' | 'wages';
  readonly counterparty: string;
  readonly description: string;
  readonly lines: readonly JournalLine[];
}

export type TaxCategory =
  | 'none'
  | 'sales_10'
  | 'purchase_10_qualified'
  /** Purchase from a non-registered seller, with the transitional credit of the transaction day (80, 70, 50, 30, 0). */
  | { readonly kind: 'purchase_10_transitional'; readonly creditPercent: 80 | 70 | 50 | 30 | 0 };

export interface JournalLine {
  readonly side: 'debit' | 'credit';
  /** 売掛金, 売上高, 外注費, 普通預金, 預り金, 給料手当, 未払金 (the vendors' own names are the writers'). */
  readonly account: 'receivable' | 'sales' | 'outsourcing' | 'bank' | 'withholding_payable' | 'wages' | 'accrued';
  readonly subAccount: string | null;
  readonly taxCategory: TaxCategory;
  /** Tax included. */
  readonly amountYen: bigint;
  readonly taxYen: bigint;
}

export type FindingCode =
  | 'settlement.payment_late'
  | 'settlement.minimum_wage_topped_up'
  | 'settlement.margin_below_top_ups'
  | 'settlement.member_forgotten'
  | 'settlement.job_pricing_unknown'
  | 'settlement.no_approved_time'
  | 'settlement.payable_negative';

export interface Finding {
  readonly code: FindingCode;
  readonly message: string;
  readonly memberId?: string;
  readonly jobId?: string;
}

export interface MonthSettlement {
  readonly regionId: string;
  readonly month: string;
  readonly closedAt: Date;
  readonly config: RegionSettlementConfig;
  readonly invoices: readonly Invoice[];
  readonly statements: readonly PaymentStatement[];
  readonly jobs: readonly JobSettlement[];
  readonly journal: readonly JournalEntry[];
  /** The Tokyo day transfers are made (the config's pay day in the next month). */
  readonly payDay: string;
  readonly totals: {
    readonly billedYen: bigint;
    readonly taxYen: bigint;
    readonly marginYen: bigint;
    readonly topUpYen: bigint;
    /** margin − top-ups: what the cooperative keeps. */
    readonly keptYen: bigint;
    readonly payableYen: bigint;
  };
  readonly findings: readonly Finding[];
}
