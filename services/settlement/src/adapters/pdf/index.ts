/**
 * The settlement's PDFs: the invoice (適格請求書) and the payment statement (支払通知書), in Japanese
 * with IPAexGothic (document.ts). `createPdfRenderer` reads the font once for many documents; the
 * two functions read it for one.
 */
import type { Invoice, MonthSettlement, PaymentStatement } from '../../domain/model.js';
import { loadFont, type PdfOptions } from './document.js';
import { invoicePdf } from './invoice.js';
import { statementPdf } from './statement.js';

export { DEFAULT_FONT_PATH, FONT_FAMILY, FONT_MISSING, FONT_PACKAGE, loadFont, type PdfOptions } from './document.js';

export interface PdfRenderer {
  invoice(settlement: Pick<MonthSettlement, 'config' | 'closedAt'>, invoice: Invoice): Promise<Uint8Array>;
  statement(
    settlement: Pick<MonthSettlement, 'config' | 'month' | 'closedAt' | 'payDay'>,
    statement: PaymentStatement,
    memberName: string,
  ): Promise<Uint8Array>;
}

/** Reads the font (or fails with `settlement.font_missing`) and renders with it. */
export const createPdfRenderer = (options: PdfOptions = {}): PdfRenderer => {
  const font = loadFont(options.fontPath);
  return {
    invoice: (settlement, invoice) => invoicePdf(font, settlement, invoice),
    statement: (settlement, statement, memberName) => statementPdf(font, settlement, statement, memberName),
  };
};

export const renderInvoicePdf = async (
  settlement: Pick<MonthSettlement, 'config' | 'closedAt'>,
  invoice: Invoice,
  options: PdfOptions = {},
): Promise<Uint8Array> => invoicePdf(loadFont(options.fontPath), settlement, invoice);

export const renderStatementPdf = async (
  settlement: Pick<MonthSettlement, 'config' | 'month' | 'closedAt' | 'payDay'>,
  statement: PaymentStatement,
  memberName: string,
  options: PdfOptions = {},
): Promise<Uint8Array> => statementPdf(loadFont(options.fontPath), settlement, statement, memberName);
