/**
 * The invoice (適格請求書, with its 返還 part) and the payment statement (支払通知書) as JSON data:
 * money (`bigint` yen) as a decimal string (`"-1200"`), days as the Tokyo `YYYY-MM-DD` they are
 * (the issue date is the Tokyo day of the close), keys in a fixed order written out here (not the
 * input's), two-space indent, a final newline: the same settlement gives the same text.
 * A member's name is not in the statement's data (identity keeps it; the PDF takes it at render time).
 */
import { tokyoDate } from '@workshare/time';
import type {
  Invoice,
  InvoiceLine,
  LineOrigin,
  MonthSettlement,
  PaymentStatement,
  PayLine,
  TaxPerRate,
} from '../model.js';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const origin = (o: LineOrigin): Json =>
  o.kind === 'adjustment' ? { kind: o.kind, correctsMonth: o.correctsMonth } : { kind: o.kind };

const invoiceLine = (l: InvoiceLine): { [key: string]: Json } => ({
  jobId: l.jobId,
  title: l.title,
  pricing: l.pricing,
  minutes: l.minutes,
  hourlyRateYen: l.hourlyRateYen === null ? null : l.hourlyRateYen.toString(),
  amountYen: l.amountYen.toString(),
  taxRatePercent: l.taxRatePercent,
  dueDate: l.dueDate,
  origin: origin(l.origin),
});

const perRate = (t: TaxPerRate): Json => ({
  taxRatePercent: t.taxRatePercent,
  amountYen: t.amountYen.toString(),
  taxYen: t.taxYen.toString(),
});

const issuerOf = (settlement: Pick<MonthSettlement, 'config'>): Json => ({
  name: settlement.config.issuerName,
  registrationNumber: settlement.config.registrationNumber,
  address: settlement.config.address,
});

export const invoiceDocument = (settlement: Pick<MonthSettlement, 'config'>, invoice: Invoice): Json => {
  const account = settlement.config.payerAccount;
  return {
    document: 'invoice',
    invoiceNumber: invoice.invoiceNumber,
    month: invoice.month,
    issueDate: invoice.issueDate,
    issuer: {
      name: invoice.issuer.name,
      registrationNumber: invoice.issuer.registrationNumber,
      address: invoice.issuer.address,
    },
    recipient: {
      businessId: invoice.recipient.businessId,
      name: invoice.recipient.name,
      registrationNumber: invoice.recipient.registrationNumber,
    },
    period: { from: invoice.period.from, to: invoice.period.to },
    lines: invoice.lines.map(invoiceLine),
    totals: invoice.totals.map(perRate),
    returns: invoice.returns.map((r) => ({ ...invoiceLine(r), correctsInvoice: r.correctsInvoice })),
    returnTotals: invoice.returnTotals.map(perRate),
    amountDueYen: invoice.amountDueYen.toString(),
    dueDate: invoice.dueDate,
    paymentAccount: {
      bankCode: account.bankCode,
      bankNameKana: account.bankNameKana,
      branchCode: account.branchCode,
      branchNameKana: account.branchNameKana,
      type: account.type,
      number: account.number,
      holderKana: settlement.config.requesterNameKana,
    },
  };
};

const payLine = (l: PayLine): Json => ({
  jobId: l.jobId,
  title: l.title,
  workCategory: l.workCategory,
  minutes: l.minutes,
  shareYen: l.shareYen.toString(),
  withholdingApplies: l.withholdingApplies,
  origin: origin(l.origin),
});

export const statementDocument = (
  settlement: Pick<MonthSettlement, 'config' | 'month' | 'closedAt' | 'payDay'>,
  statement: PaymentStatement,
): Json => {
  const check = statement.minimumWage;
  const timing = statement.payTiming;
  return {
    document: 'payment_statement',
    statementNumber: statement.statementNumber,
    month: settlement.month,
    issueDate: tokyoDate(settlement.closedAt),
    payDay: settlement.payDay,
    issuer: issuerOf(settlement),
    memberId: statement.memberId,
    contractType: statement.contractType,
    invoiceRegistrationNumber: statement.invoiceRegistrationNumber,
    lines: statement.lines.map(payLine),
    minutes: statement.minutes,
    feeYen: statement.feeYen.toString(),
    consumptionTaxYen: statement.consumptionTaxYen.toString(),
    withholdingYen: statement.withholdingYen.toString(),
    minimumWage:
      check === null
        ? null
        : {
            prefecture: check.prefecture,
            minimumYen: check.minimumYen.toString(),
            wagesYen: check.wagesYen.toString(),
            topUpYen: check.topUpYen.toString(),
            below: check.below,
          },
    topUpYen: statement.topUpYen.toString(),
    payableYen: statement.payableYen.toString(),
    payTiming:
      timing === null
        ? null
        : {
            receivedOn: timing.receivedOn,
            latestLawfulDay: timing.latestLawfulDay,
            reading: timing.reading,
            payDay: timing.payDay,
            late: timing.late,
          },
  };
};

const text = (value: Json): string => `${JSON.stringify(value, null, 2)}\n`;

export const invoiceJson = (settlement: Pick<MonthSettlement, 'config'>, invoice: Invoice): string =>
  text(invoiceDocument(settlement, invoice));

export const statementJson = (
  settlement: Pick<MonthSettlement, 'config' | 'month' | 'closedAt' | 'payDay'>,
  statement: PaymentStatement,
): string => text(statementDocument(settlement, statement));
