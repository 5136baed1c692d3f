/**
 * 適格請求書 as a PDF in Japanese. The six items 消費税法57条の4① requires, in this order on the page:
 * ① the issuer's name and registration number (発行者, 登録番号), ② the transaction period (取引期間),
 * ③ what was done (明細: each job), ④ the tax-excluded amount totalled per tax rate with the rate
 * (10%対象), ⑤ the consumption tax per rate (消費税), ⑥ the recipient's name (… 御中). Also the due
 * date, the account to pay into and, when an earlier closed month was decreased, the 返還 part
 * (適格返還請求書, 消法57条の4③: the corrected month and invoice, the returned amount and its tax per
 * rate), with the amount due net of it.
 */
import type { Invoice, InvoiceLine, MonthSettlement } from '../../domain/model.js';
import {
  contentWidth,
  duration,
  finish,
  heading,
  japaneseDate,
  japaneseMonth,
  newDocument,
  PAGE_MARGIN,
  pairs,
  table,
  yen,
} from './document.js';

const ACCOUNT_TYPE_JA = { ordinary: '普通', current: '当座' } as const;

const lineText = (line: InvoiceLine): string =>
  line.origin.kind === 'adjustment'
    ? `${line.title}（${japaneseMonth(line.origin.correctsMonth)}分の調整）`
    : line.title;

const quantity = (line: InvoiceLine): string => (line.minutes === null ? '一式' : duration(line.minutes));
const unitPrice = (line: InvoiceLine): string =>
  line.hourlyRateYen === null ? yen(line.amountYen) : `${yen(line.hourlyRateYen)}/時間`;

/** Draws one invoice on a document (exported for renderers that batch). */
export const drawInvoice = (
  doc: PDFKit.PDFDocument,
  settlement: Pick<MonthSettlement, 'config'>,
  invoice: Invoice,
): void => {
  const width = contentWidth(doc);
  doc.fontSize(18).text('適格請求書', PAGE_MARGIN, PAGE_MARGIN, { width, align: 'center' });
  doc.moveDown(0.8);
  doc.fontSize(9);
  const top = doc.y;
  doc.text(`請求書番号\u3000${invoice.invoiceNumber}`, PAGE_MARGIN, top, { width, align: 'right' });
  doc.text(`発行日\u3000${japaneseDate(invoice.issueDate)}`, { width, align: 'right' });

  // ⑥ the recipient.
  doc.fontSize(13).text(`${invoice.recipient.name}\u3000御中`, PAGE_MARGIN, top + 30, { width: width * 0.55 });
  doc.fontSize(9);
  if (invoice.recipient.registrationNumber)
    doc.text(`登録番号\u3000${invoice.recipient.registrationNumber}`, { width: width * 0.55 });
  const leftEnd = doc.y;

  // ① the issuer and its registration number.
  const issuerX = PAGE_MARGIN + width * 0.58;
  doc.fontSize(10).text(invoice.issuer.name, issuerX, top + 30, { width: width * 0.42 });
  doc.fontSize(9);
  doc.text(`登録番号\u3000${invoice.issuer.registrationNumber}`, issuerX, doc.y, { width: width * 0.42 });
  doc.text(invoice.issuer.address, issuerX, doc.y, { width: width * 0.42 });
  doc.y = Math.max(doc.y, leftEnd) + 16;
  doc.x = PAGE_MARGIN;

  doc.fontSize(12).text(`ご請求金額（税込）\u3000${yen(invoice.amountDueYen)}`, PAGE_MARGIN, doc.y, { width });
  doc.moveDown(0.4);
  pairs(doc, [
    ['件名', `${japaneseMonth(invoice.month)}分 業務委託料`],
    // ② the transaction period.
    ['取引期間', `${japaneseDate(invoice.period.from)}〜${japaneseDate(invoice.period.to)}`],
    ['お支払期限', japaneseDate(invoice.dueDate)],
  ]);

  // ③ what was done.
  heading(doc, '明細');
  table(
    doc,
    [
      { header: '内容', weight: 5 },
      { header: '数量', weight: 1.6, align: 'right' },
      { header: '単価', weight: 1.8, align: 'right' },
      { header: '金額（税抜）', weight: 1.8, align: 'right' },
      { header: '税率', weight: 0.8, align: 'center' },
    ],
    invoice.lines.map((line) => [
      lineText(line),
      quantity(line),
      unitPrice(line),
      yen(line.amountYen),
      `${line.taxRatePercent}%`,
    ]),
  );

  // ④ ⑤ per tax rate: the tax-excluded total, the rate, the tax (computed once per rate).
  heading(doc, '税率ごとの合計');
  table(
    doc,
    [
      { header: '税率', weight: 2 },
      { header: '対象額（税抜）', weight: 2, align: 'right' },
      { header: '消費税額', weight: 2, align: 'right' },
      { header: '合計（税込）', weight: 2, align: 'right' },
    ],
    invoice.totals.map((t) => [
      `${t.taxRatePercent}%対象`,
      yen(t.amountYen),
      yen(t.taxYen),
      yen(t.amountYen + t.taxYen),
    ]),
  );

  if (invoice.returns.length > 0) {
    heading(doc, '返還（適格返還請求書）');
    doc.text(`返還の日\u3000${japaneseDate(invoice.issueDate)}`, PAGE_MARGIN, doc.y, { width });
    doc.moveDown(0.3);
    table(
      doc,
      [
        { header: '内容', weight: 4 },
        { header: '元の取引', weight: 3 },
        { header: '返還額（税抜）', weight: 2, align: 'right' },
        { header: '税率', weight: 0.8, align: 'center' },
      ],
      invoice.returns.map((r) => [
        r.title,
        [r.origin.kind === 'adjustment' ? `${japaneseMonth(r.origin.correctsMonth)}分` : '', r.correctsInvoice ?? '']
          .filter((t) => t !== '')
          .join('\n'),
        yen(r.amountYen),
        `${r.taxRatePercent}%`,
      ]),
    );
    heading(doc, '返還の税率ごとの合計');
    table(
      doc,
      [
        { header: '税率', weight: 2 },
        { header: '返還額（税抜）', weight: 2, align: 'right' },
        { header: '消費税額', weight: 2, align: 'right' },
        { header: '合計（税込）', weight: 2, align: 'right' },
      ],
      invoice.returnTotals.map((t) => [
        `${t.taxRatePercent}%対象`,
        yen(t.amountYen),
        yen(t.taxYen),
        yen(t.amountYen + t.taxYen),
      ]),
    );
  }

  heading(doc, 'お支払');
  const account = settlement.config.payerAccount;
  pairs(doc, [
    ['差引ご請求金額（税込）', yen(invoice.amountDueYen)],
    ['お支払期限', japaneseDate(invoice.dueDate)],
    [
      'お振込先',
      `${account.bankNameKana}（${account.bankCode}）\u3000${account.branchNameKana}（${account.branchCode}）\u3000${ACCOUNT_TYPE_JA[account.type]}\u3000${account.number}`,
    ],
    ['口座名義', settlement.config.requesterNameKana],
  ]);
};

/** The invoice's PDF with a loaded font (see index.ts for the entry points). */
export const invoicePdf = (
  font: Buffer,
  settlement: Pick<MonthSettlement, 'config' | 'closedAt'>,
  invoice: Invoice,
): Promise<Uint8Array> => {
  const doc = newDocument(font, {
    title: `適格請求書 ${invoice.invoiceNumber}`,
    subject: `${japaneseMonth(invoice.month)}分`,
    author: invoice.issuer.name,
    at: settlement.closedAt,
  });
  drawInvoice(doc, settlement, invoice);
  return finish(doc);
};
