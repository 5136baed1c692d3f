/**
 * Taxes of the close (DESIGN §1 "Rules that are law"; reference §3–§4):
 * - 消費税 on an invoice: once per invoice per rate (消費税法施行令70条の10, 基通1-8-15), over the
 *   tax-excluded total of that rate, with the region's rounding (floor by default): three lines of
 *   ¥105 at 10% give ⌊315 × 10 / 100⌋ = ¥31, never 3 × ⌊10.5⌋ = ¥30;
 * - a registered contractor's 10%: once over her statement's fee, floored (settlement's rule);
 * - 源泉徴収 (所得税法204条1項1号) on a contractor's tax-excluded fee for the work categories the
 *   law names: ⌊A × 1021 / 10000⌋ for A ≤ ¥1,000,000, else ⌊(A − 1,000,000) × 2042 / 10000⌋ +
 *   ¥102,100, in integers (10.21% and 20.42% are never floats).
 */
import type { RoundingRule, TaxPerRate, WorkCategory } from './model.js';
import { floorDiv, roundRatio, signed } from './money.js';

/** Workshare's services are taxed at the standard rate only. */
export const CONSUMPTION_TAX_RATE_PERCENT = 10 as const;

/**
 * Consumption tax on a tax-excluded amount at 10%, rounded once by `rule`. A negative amount (a
 * decrease) gets the negative of the tax of the same increase.
 */
export const consumptionTax = (amountYen: bigint, rule: RoundingRule): bigint =>
  signed(amountYen, (a) => roundRatio(a * BigInt(CONSUMPTION_TAX_RATE_PERCENT), 100n, rule));

/**
 * The totals per rate of an invoice's lines (or of its 返還 part): amounts summed per rate first,
 * the tax computed once per rate. Lines of no rate give no total; rates ascending.
 */
export const taxPerRate = (
  lines: readonly { readonly amountYen: bigint; readonly taxRatePercent: 10 }[],
  rule: RoundingRule,
): TaxPerRate[] => {
  const byRate = new Map<10, bigint>();
  for (const line of lines) byRate.set(line.taxRatePercent, (byRate.get(line.taxRatePercent) ?? 0n) + line.amountYen);
  return [...byRate.entries()]
    .sort(([a], [b]) => a - b)
    .map(([taxRatePercent, amountYen]) => ({ taxRatePercent, amountYen, taxYen: consumptionTax(amountYen, rule) }));
};

/** A registered contractor's consumption tax: 10% of her fee, once per statement, floored (切捨て). */
export const contractorConsumptionTax = (feeYen: bigint, registered: boolean): bigint =>
  registered ? consumptionTax(feeYen, 'floor') : 0n;

/** 源泉徴収: the threshold, the tax at it, and the two rates in ten-thousandths (10.21%, 20.42%). */
export const WITHHOLDING_THRESHOLD_YEN = 1_000_000n;
export const WITHHOLDING_AT_THRESHOLD_YEN = 102_100n;
const LOWER_RATE = 1021n;
const UPPER_RATE = 2042n;

/**
 * 源泉徴収税額 of one payment on its tax-excluded amount A (所得税法204条, 205条; NTA No.2795),
 * fractions below ¥1 dropped: ⌊A × 1021 / 10000⌋ for A ≤ 1,000,000, else
 * ⌊(A − 1,000,000) × 2042 / 10000⌋ + 102,100. A negative A (a payment that gives back more than
 * it pays, through adjustments) gives the negative of the tax on |A|: the tax withheld too much
 * is returned the same way.
 */
export const withholdingTax = (amountYen: bigint): bigint =>
  signed(amountYen, (a) =>
    a <= WITHHOLDING_THRESHOLD_YEN
      ? floorDiv(a * LOWER_RATE, 10_000n)
      : floorDiv((a - WITHHOLDING_THRESHOLD_YEN) * UPPER_RATE, 10_000n) + WITHHOLDING_AT_THRESHOLD_YEN,
  );

/**
 * Whether a job's work category is one 所得税法204条1項1号 names (reference §4): 原稿 (writing),
 * デザイン (design), 翻訳 (translation), 挿絵 (illustration), 校正 (proofreading) are; data entry and
 * 文字起こし (transcription) alone are not (NTA 質疑応答: not listed). Every category must be
 * decided here (a Record over WorkCategory), and a test holds the keys to job intake's published
 * categories, so a new category cannot slip through undecided.
 */
export const WITHHOLDING_BY_WORK_CATEGORY: Readonly<Record<WorkCategory, boolean>> = {
  data_entry: false,
  transcription: false,
  writing: true,
  design: true,
  translation: true,
  illustration: true,
  proofreading: true,
};

/** The categories withheld on, in the order of WITHHOLDING_BY_WORK_CATEGORY. */
export const WITHHOLDING_WORK_CATEGORIES: readonly WorkCategory[] = (
  Object.keys(WITHHOLDING_BY_WORK_CATEGORY) as WorkCategory[]
).filter((category) => WITHHOLDING_BY_WORK_CATEGORY[category]);

export const withholdingApplies = (category: WorkCategory): boolean => WITHHOLDING_BY_WORK_CATEGORY[category];
