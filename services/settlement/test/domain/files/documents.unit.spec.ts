import { invoiceJson, statementJson } from '../../../src/domain/files/documents.js';
import type { Invoice } from '../../../src/domain/model.js';
import { INVOICES, SETTLEMENT, STATEMENTS } from './fixtures.js';

/** The same object with its keys in reverse order, all the way down. */
const reversed = <T>(value: T): T => {
  if (Array.isArray(value)) return value.map(reversed) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reversed(v)]),
    ) as T;
  }
  return value;
};

describe('invoice and statement as JSON data', () => {
  it('the invoice: money as decimal strings, Tokyo days, keys in a fixed order', () => {
    const json = invoiceJson(SETTLEMENT, INVOICES[1]!);
    const data = JSON.parse(json);
    expect(Object.keys(data)).toEqual([
      'document',
      'invoiceNumber',
      'month',
      'issueDate',
      'issuer',
      'recipient',
      'period',
      'lines',
      'totals',
      'returns',
      'returnTotals',
      'amountDueYen',
      'dueDate',
      'paymentAccount',
    ]);
    expect(data.amountDueYen).toBe('51700');
    expect(data.totals).toEqual([{ taxRatePercent: 10, amountYen: '50000', taxYen: '5000' }]);
    expect(data.returns[0]).toMatchObject({
      amountYen: '3000',
      hourlyRateYen: '1500',
      origin: { kind: 'adjustment', correctsMonth: '2026-03' },
      correctsInvoice: 'INV-fujisato-202603-002',
    });
    expect(data.lines[0].hourlyRateYen).toBeNull();
    expect(data.issueDate).toBe('2026-05-01');
    expect(data.paymentAccount).toEqual({
      bankCode: '0117',
      bankNameKana: 'アキタ',
      branchCode: '123',
      branchNameKana: 'フジサト',
      type: 'ordinary',
      number: '1234567',
      holderKana: 'フジサトワークシェアキョウドウクミアイ',
    });
    expect(json.endsWith('}\n')).toBe(true);
  });

  it('the same text whatever the key order of the input', () => {
    const invoice: Invoice = INVOICES[1]!;
    expect(invoiceJson(reversed(SETTLEMENT), reversed(invoice))).toBe(invoiceJson(SETTLEMENT, invoice));
    expect(statementJson(reversed(SETTLEMENT), reversed(STATEMENTS[2]!))).toBe(
      statementJson(SETTLEMENT, STATEMENTS[2]!),
    );
  });

  it('the statement: the issue date is the Tokyo day of the close; no member name in the data', () => {
    // 15:30 UTC on 30 April is 00:30 on 1 May in Tokyo.
    const late = { ...SETTLEMENT, closedAt: new Date('2026-04-30T15:30:00Z') };
    const data = JSON.parse(statementJson(late, STATEMENTS[0]!));
    expect(data.issueDate).toBe('2026-05-01');
    expect(data).toMatchObject({
      document: 'payment_statement',
      statementNumber: 'PAY-fujisato-202604-0001',
      month: '2026-04',
      payDay: '2026-05-25',
      memberId: 'member-a',
      feeYen: '85000',
      consumptionTaxYen: '8500',
      withholdingYen: '8678',
      topUpYen: '0',
      payableYen: '84822',
      minimumWage: null,
      payTiming: {
        receivedOn: '2026-04-20',
        latestLawfulDay: '2026-06-18',
        reading: 'two_months',
        payDay: '2026-05-25',
        late: false,
      },
    });
    expect(Object.keys(data)).not.toContain('name');
    const employee = JSON.parse(statementJson(SETTLEMENT, STATEMENTS[2]!));
    expect(employee.minimumWage).toEqual({
      prefecture: 'akita',
      minimumYen: '2062',
      wagesYen: '1000',
      topUpYen: '1062',
      below: true,
    });
    expect(employee.payTiming).toBeNull();
    expect(employee.lines[1].origin).toEqual({ kind: 'adjustment', correctsMonth: '2026-03' });
  });
});
