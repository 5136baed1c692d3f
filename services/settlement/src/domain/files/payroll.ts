/**
 * The employees' month for the payroll software (給与計算ソフト): one row per employee (パート雇用)
 * of the closed month, in statement order. Settlement computes gross wages only: income tax on
 * wages (源泉所得税 of 給与) and social insurance are the payroll software's, computed there from
 * this file (PAYROLL_CSV_NOTE). UTF-8 with a BOM, CRLF, a header row:
 *
 *   従業員ID,対象月,労働時間(分),労働時間(時間),支給額(賃金),最低賃金補填,総支給額
 *
 * - 従業員ID: the member id (map it to the payroll software's employee number there);
 * - 対象月: `YYYY-MM` (Tokyo);
 * - 労働時間(分): approved minutes, an integer;
 * - 労働時間(時間): minutes / 60 with 2 decimals, rounded to the nearest hundredth (a tie cannot
 *   occur: 100 × minutes / 60 never ends in exactly .5), e.g. 50 min → 0.83, 1 min → 0.02;
 * - 支給額(賃金): Σ shares (wages), 最低賃金補填: the minimum-wage top-up, 総支給額: their sum; yen.
 */
import type { MonthSettlement, PaymentStatement } from '../model.js';
import { csvRows, encodeUtf8WithBom } from '@workshare/files';

export const PAYROLL_CSV_NOTE =
  'Income tax on wages and social insurance are not in this file: the payroll software computes them from the gross wages and hours it gives.';

export const PAYROLL_HEADER: readonly string[] = [
  '従業員ID',
  '対象月',
  '労働時間(分)',
  '労働時間(時間)',
  '支給額(賃金)',
  '最低賃金補填',
  '総支給額',
];

/** Minutes as hours with two decimals, rounded to the nearest hundredth (integer arithmetic). */
export const hoursOf = (minutes: number): string => {
  if (!Number.isSafeInteger(minutes) || minutes < 0)
    throw new RangeError(`minutes must be a whole number ≥ 0: ${minutes}`);
  const hundredths = (BigInt(minutes) * 100n + 30n) / 60n;
  return `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}`;
};

const row = (month: string, s: PaymentStatement): string[] => [
  s.memberId,
  month,
  String(s.minutes),
  hoursOf(s.minutes),
  s.feeYen.toString(),
  s.topUpYen.toString(),
  (s.feeYen + s.topUpYen).toString(),
];

export const writePayrollCsv = (settlement: Pick<MonthSettlement, 'month' | 'statements'>): Uint8Array =>
  encodeUtf8WithBom(
    csvRows([
      [...PAYROLL_HEADER],
      ...settlement.statements.filter((s) => s.contractType === 'employee').map((s) => row(settlement.month, s)),
    ]),
  );
