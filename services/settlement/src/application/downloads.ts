/**
 * The files of a closed month as downloads: the bytes, their media type and a file name. Built
 * from the MonthSettlement as stored (the same settlement gives the same bytes, whichever store
 * it was read from): the documents (invoice, statement) as JSON (files/documents.ts) and PDF
 * (the PdfRenderer port, adapters/pdf), the Zengin 総合振込 file (files/zengin.ts, with the bank
 * accounts given for the time it is written), the journals (files/journals.ts), the payroll CSV
 * (files/payroll.ts), and the whole settlement as JSON.
 */
import { canonicalJson, type JsonValue } from '@workshare/eventsourcing';
import { settlementToJson } from '../domain/codec.js';
import { invoiceJson, statementJson } from '../domain/files/documents.js';
import { JOURNAL_ENCODINGS, JOURNAL_WRITERS, type JournalVendor } from '../domain/files/journals.js';
import { writePayrollCsv } from '../domain/files/payroll.js';
import { writeSettlementZenginFile, ZENGIN_ENCODING, type ZenginBankAccount } from '../domain/files/zengin.js';
import type { Invoice, MonthSettlement, PaymentStatement } from '../domain/model.js';

/** A file to hand over: what the HTTP edge answers with Content-Type and Content-Disposition. */
export interface Download {
  readonly bytes: Uint8Array;
  readonly mediaType: string;
  readonly fileName: string;
}

/** Renders the documents as PDF (adapters/pdf: Japanese text in the IPAex Gothic font). */
export interface PdfRenderer {
  invoice(settlement: MonthSettlement, invoice: Invoice): Promise<Uint8Array>;
  /** The member's name is printed on her statement (identity's, read for this document only). */
  statement(settlement: MonthSettlement, statement: PaymentStatement, memberName: string): Promise<Uint8Array>;
}

export const MEDIA_TYPES = Object.freeze({
  json: 'application/json',
  pdf: 'application/pdf',
  /** Fixed 120-byte records with CRLF, Shift_JIS: text, in the bank's encoding. */
  zengin: `text/plain; charset=${ZENGIN_ENCODING}`,
  csv: (charset: string) => `text/csv; charset=${charset}`,
});

/** The vendors as the downloads name them, and the file-name word of each. */
export const JOURNAL_FILE_WORDS: Readonly<Record<JournalVendor, string>> = {
  freee: 'freee',
  money_forward: 'moneyforward',
  yayoi: 'yayoi',
};

const utf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));

const sortKeys = (value: JsonValue): JsonValue => {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sortKeys);
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys(value[key]!)]),
  );
};

/**
 * The whole settlement as JSON (money as decimal strings, instants ISO-8601 UTC) with its input's
 * digest: keys sorted at every level, two-space indent, a final newline, so that the text does not
 * depend on the order a store gave the keys back in (canonicalJson is the same data without the
 * spaces).
 */
export const settlementJsonText = (settlement: MonthSettlement, inputDigest: string): string => {
  const json = sortKeys({ ...settlementToJson(settlement), inputDigest });
  // canonicalJson checks the value is plain JSON (it throws otherwise) before it is pretty-printed.
  canonicalJson(json);
  return `${JSON.stringify(json, null, 2)}\n`;
};

const monthWord = (settlement: MonthSettlement): string => `${settlement.regionId}-${settlement.month}`;

export const settlementDownload = (settlement: MonthSettlement, inputDigest: string): Download => ({
  bytes: utf8(settlementJsonText(settlement, inputDigest)),
  mediaType: MEDIA_TYPES.json,
  fileName: `settlement-${monthWord(settlement)}.json`,
});

export const invoiceJsonDownload = (settlement: MonthSettlement, invoice: Invoice): Download => ({
  bytes: utf8(invoiceJson(settlement, invoice)),
  mediaType: MEDIA_TYPES.json,
  fileName: `invoice-${invoice.invoiceNumber}.json`,
});

export const invoicePdfDownload = async (
  pdf: PdfRenderer,
  settlement: MonthSettlement,
  invoice: Invoice,
): Promise<Download> => ({
  bytes: await pdf.invoice(settlement, invoice),
  mediaType: MEDIA_TYPES.pdf,
  fileName: `invoice-${invoice.invoiceNumber}.pdf`,
});

export const statementJsonDownload = (settlement: MonthSettlement, statement: PaymentStatement): Download => ({
  bytes: utf8(statementJson(settlement, statement)),
  mediaType: MEDIA_TYPES.json,
  fileName: `statement-${statement.statementNumber}.json`,
});

export const statementPdfDownload = async (
  pdf: PdfRenderer,
  settlement: MonthSettlement,
  statement: PaymentStatement,
  memberName: string,
): Promise<Download> => ({
  bytes: await pdf.statement(settlement, statement, memberName),
  mediaType: MEDIA_TYPES.pdf,
  fileName: `statement-${statement.statementNumber}.pdf`,
});

/** The contractors the Zengin file pays: those with a payable above zero (employees are paid through payroll). */
export const transferredMembers = (settlement: MonthSettlement): string[] =>
  settlement.statements.filter((s) => s.contractType === 'contractor' && s.payableYen > 0n).map((s) => s.memberId);

export const zenginDownload = (
  settlement: MonthSettlement,
  accounts: ReadonlyMap<string, ZenginBankAccount>,
): Download => ({
  bytes: writeSettlementZenginFile(settlement, accounts),
  mediaType: MEDIA_TYPES.zengin,
  fileName: `zengin-${monthWord(settlement)}.txt`,
});

export const journalDownload = (settlement: MonthSettlement, vendor: JournalVendor): Download => ({
  bytes: JOURNAL_WRITERS[vendor](settlement),
  mediaType: MEDIA_TYPES.csv(JOURNAL_ENCODINGS[vendor]),
  fileName: `journal-${JOURNAL_FILE_WORDS[vendor]}-${monthWord(settlement)}.csv`,
});

export const payrollDownload = (settlement: MonthSettlement): Download => ({
  bytes: writePayrollCsv(settlement),
  mediaType: MEDIA_TYPES.csv('UTF-8'),
  fileName: `payroll-${monthWord(settlement)}.csv`,
});
