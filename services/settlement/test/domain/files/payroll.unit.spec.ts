import fc from 'fast-check';
import { hoursOf, PAYROLL_CSV_NOTE, PAYROLL_HEADER, writePayrollCsv } from '../../../src/domain/files/payroll.js';
import { SETTLEMENT, STATEMENTS } from './fixtures.js';

describe('payroll CSV (employees, for the payroll software)', () => {
  const bytes = writePayrollCsv(SETTLEMENT);
  const text = Buffer.from(bytes.subarray(3)).toString('utf8');

  it('UTF-8 with a BOM, CRLF, the header row, one row per employee (contractors are not in it)', () => {
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text).toBe(
      '従業員ID,対象月,労働時間(分),労働時間(時間),支給額(賃金),最低賃金補填,総支給額\r\n' +
        'member-c,2026-04,120,2.00,1000,1062,2062\r\n',
    );
    expect(PAYROLL_HEADER).toHaveLength(7);
  });

  it('総支給額 = wages + top-up = the statement’s payable (no consumption tax, no 204条 withholding on wages)', () => {
    const employee = STATEMENTS[2]!;
    expect(employee.feeYen + employee.topUpYen).toBe(employee.payableYen);
  });

  it('says that income tax and social insurance are the payroll software’s', () => {
    expect(PAYROLL_CSV_NOTE).toMatch(/income tax/i);
    expect(PAYROLL_CSV_NOTE).toMatch(/social insurance/i);
  });

  it.each([
    [0, '0.00'],
    [1, '0.02'],
    [50, '0.83'],
    [59, '0.98'],
    [61, '1.02'],
    [90, '1.50'],
    [125, '2.08'],
    [10_000, '166.67'],
  ])('hours from %i minutes: %s (nearest hundredth)', (minutes, hours) => {
    expect(hoursOf(minutes)).toBe(hours);
  });

  it('hours are the nearest hundredth of minutes / 60, and a tie never occurs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (minutes) => {
        const [whole, fraction] = hoursOf(minutes).split('.');
        expect(fraction).toHaveLength(2);
        const hundredths = Number(whole) * 100 + Number(fraction);
        // |100 m / 60 − h| ≤ 1/2, i.e. |100 m − 60 h| ≤ 30, and never exactly 30.
        expect(Math.abs(100 * minutes - 60 * hundredths)).toBeLessThan(30);
      }),
    );
  });

  it('the same month gives the same bytes', () => {
    expect(Buffer.from(writePayrollCsv(SETTLEMENT)).equals(Buffer.from(bytes))).toBe(true);
  });
});
