/**
 * Dated tables (reference §3 and §5): a value holds from its day on, until the next entry of the
 * same key. Keyed by day, not by fiscal year, because effective dates vary widely (Akita's FY2025
 * wage took effect on 2026-03-31); a change inside a month therefore applies from its own day, and
 * the close looks a rate up for each Tokyo day it pays.
 */
import type { MinimumWageEntry, PrefectureId } from './model.js';

/**
 * 地域別最低賃金, hourly, by prefecture and the day each took effect (reference §5). The
 * reference gives no effective day for the FY2024 (令和6年度) figures: they count here from
 * 2024-10-01 in both prefectures (unverified; it matters only for months before FY2025's rows).
 */
export const MINIMUM_WAGES: readonly MinimumWageEntry[] = [
  // 秋田県 FY2024 ¥951 (R6). Source: reference §5 table (FY2024 column); effective date unverified (2024-10-01 assumed). Conf. H (amount).
  { prefecture: 'akita', effectiveFrom: '2024-10-01', hourlyYen: 951n },
  // 秋田県 FY2025 ¥1,031 (+80) from 2026-03-31 (令和8年3月31日). Source: 秋田労働局 press release
  // https://jsite.mhlw.go.jp/akita-roudoukyoku/newpage_02646.html (官報 2025-09-22). Conf. H.
  { prefecture: 'akita', effectiveFrom: '2026-03-31', hourlyYen: 1031n },
  // 東京都 FY2024 ¥1,163 (R6). Source: reference §5 table (FY2024 column); effective date unverified (2024-10-01 assumed). Conf. H (amount).
  { prefecture: 'tokyo', effectiveFrom: '2024-10-01', hourlyYen: 1163n },
  // 東京都 FY2025 ¥1,226 (+63) from 2025-10-03. Source: 東京労働局 notice (官報 2025-09-03) via
  // https://niijima.or.jp/shokokai/magazine/3293 and shimodaira-office.com. Conf. H.
  { prefecture: 'tokyo', effectiveFrom: '2025-10-03', hourlyYen: 1226n },
  // FY2026 (令和8年度): not published when this table was written (reference §5, open item 3).
];

/** The entry in force on `day`: the latest whose start is on or before it, or undefined before the first. */
export const entryOn = <Entry extends { readonly effectiveFrom: string }>(
  entries: readonly Entry[],
  day: string,
): Entry | undefined => {
  let found: Entry | undefined;
  for (const entry of entries) {
    if (entry.effectiveFrom <= day && (found === undefined || entry.effectiveFrom > found.effectiveFrom)) found = entry;
  }
  return found;
};

/** The minimum hourly wage of a prefecture on a Tokyo day, from a table like MINIMUM_WAGES, or undefined. */
export const minimumWageOn = (
  table: readonly MinimumWageEntry[],
  prefecture: PrefectureId,
  day: string,
): bigint | undefined =>
  entryOn(
    table.filter((entry) => entry.prefecture === prefecture),
    day,
  )?.hourlyYen;

/** What a buyer may credit of the tax on a purchase from a seller who is not registered (免税). */
export type TransitionalCreditPercent = 80 | 70 | 50 | 30 | 0;

/**
 * 経過措置 for purchases from non-registered sellers, as revised by 令和8年度改正 (reference §3,
 * conf. M-H; sources: freee dev 8133, sogyotecho.jp/inputtaxcredit-extension, yckz.co.jp 25864):
 * 80% from the start of qualified invoices (2023-10-01) to 2026-09-30, 70% from 2026-10-01 to
 * 2028-09-30, 50% to 2030-09-30, 30% to 2031-09-30, then 0%.
 */
export const TRANSITIONAL_PURCHASE_CREDIT: readonly {
  readonly effectiveFrom: string;
  readonly creditPercent: TransitionalCreditPercent;
}[] = [
  { effectiveFrom: '2023-10-01', creditPercent: 80 },
  { effectiveFrom: '2026-10-01', creditPercent: 70 },
  { effectiveFrom: '2028-10-01', creditPercent: 50 },
  { effectiveFrom: '2030-10-01', creditPercent: 30 },
  { effectiveFrom: '2031-10-01', creditPercent: 0 },
];

/** The transitional credit on a transaction day; a day before qualified invoices (2023-10-01) is refused. */
export const transitionalCreditOn = (day: string): TransitionalCreditPercent => {
  const entry = entryOn(TRANSITIONAL_PURCHASE_CREDIT, day);
  if (entry === undefined) throw new RangeError(`${day} is before qualified invoices began (2023-10-01)`);
  return entry.creditPercent;
};
