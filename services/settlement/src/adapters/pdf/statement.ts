/**
 * 支払通知書 as a PDF in Japanese: the member (her name is given at render time: identity keeps it,
 * the settlement does not), each line of pay (job, work category, minutes, share, whether 源泉徴収
 * applies, and for an adjustment the month it corrects), the fee (報酬, or 賃金 for an employee), the
 * consumption tax (a registered contractor's 10%), the withholding (源泉徴収税額), the minimum-wage
 * top-up (最低賃金補填), the amount paid, the pay day and, for a contractor, the day the work was
 * received and the latest lawful pay day with the reading of フリーランス法 §4 that gives it.
 */
import { tokyoDate } from '@workshare/time';
import type { MonthSettlement, PaymentStatement, PayLine, PayTimingReading, WorkCategory } from '../../domain/model.js';
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

export const WORK_CATEGORY_JA: Readonly<Record<WorkCategory, string>> = {
  data_entry: 'データ入力',
  transcription: '文字起こし',
  writing: '執筆',
  design: 'デザイン',
  translation: '翻訳',
  illustration: 'イラスト',
  proofreading: '校正',
};

export const READING_JA: Readonly<Record<PayTimingReading, string>> = {
  two_months: '受領日から2か月以内（月末締めの運用）',
  strict_60_days: '受領日から60日以内（受領日を1日目として数える）',
};

const lineText = (line: PayLine): string =>
  line.origin.kind === 'adjustment'
    ? `${line.title}（${japaneseMonth(line.origin.correctsMonth)}分の調整）`
    : line.title;

type StatementSettlement = Pick<MonthSettlement, 'config' | 'month' | 'closedAt' | 'payDay'>;

export const drawStatement = (
  doc: PDFKit.PDFDocument,
  settlement: StatementSettlement,
  statement: PaymentStatement,
  memberName: string,
): void => {
  const width = contentWidth(doc);
  const employee = statement.contractType === 'employee';
  doc.fontSize(18).text('支払通知書', PAGE_MARGIN, PAGE_MARGIN, { width, align: 'center' });
  doc.moveDown(0.8);
  doc.fontSize(9);
  const top = doc.y;
  doc.text(`通知番号\u3000${statement.statementNumber}`, PAGE_MARGIN, top, { width, align: 'right' });
  doc.text(`発行日\u3000${japaneseDate(tokyoDate(settlement.closedAt))}`, { width, align: 'right' });

  doc.fontSize(13).text(`${memberName}\u3000様`, PAGE_MARGIN, top + 30, { width: width * 0.55 });
  doc.fontSize(9);
  if (statement.invoiceRegistrationNumber) {
    doc.text(`登録番号\u3000${statement.invoiceRegistrationNumber}`, { width: width * 0.55 });
  }
  doc.text(employee ? '雇用（パート）' : '業務委託', { width: width * 0.55 });
  const leftEnd = doc.y;

  const issuerX = PAGE_MARGIN + width * 0.58;
  doc.fontSize(10).text(settlement.config.issuerName, issuerX, top + 30, { width: width * 0.42 });
  doc.fontSize(9);
  doc.text(`登録番号\u3000${settlement.config.registrationNumber}`, issuerX, doc.y, { width: width * 0.42 });
  doc.text(settlement.config.address, issuerX, doc.y, { width: width * 0.42 });
  doc.y = Math.max(doc.y, leftEnd) + 16;
  doc.x = PAGE_MARGIN;

  doc.fontSize(12).text(`お支払額\u3000${yen(statement.payableYen)}`, PAGE_MARGIN, doc.y, { width });
  doc.moveDown(0.4);
  pairs(doc, [
    ['対象月', japaneseMonth(settlement.month)],
    ['お支払日', japaneseDate(settlement.payDay)],
    ['作業時間', duration(statement.minutes)],
  ]);

  heading(doc, '明細');
  table(
    doc,
    [
      { header: '業務', weight: 5 },
      { header: '区分', weight: 1.6 },
      { header: '作業時間', weight: 1.6, align: 'right' },
      { header: employee ? '賃金' : '報酬（税抜）', weight: 1.8, align: 'right' },
      { header: '源泉徴収', weight: 1.1, align: 'center' },
    ],
    statement.lines.map((line) => [
      lineText(line),
      WORK_CATEGORY_JA[line.workCategory],
      duration(line.minutes),
      yen(line.shareYen),
      line.withholdingApplies ? '対象' : '—',
    ]),
  );

  heading(doc, 'お支払額の内訳');
  const rows: [string, string][] = [[employee ? '賃金' : '報酬（税抜）', yen(statement.feeYen)]];
  if (!employee) {
    rows.push(['消費税（10%）', yen(statement.consumptionTaxYen)]);
    rows.push(['源泉徴収税額', yen(-statement.withholdingYen)]);
  }
  if (statement.minimumWage) {
    rows.push(['最低賃金（この月の作業時間分）', yen(statement.minimumWage.minimumYen)]);
  }
  if (statement.topUpYen !== 0n || employee) rows.push(['最低賃金補填', yen(statement.topUpYen)]);
  rows.push(['お支払額', yen(statement.payableYen)]);
  pairs(doc, rows, 200);

  if (statement.payTiming) {
    const timing = statement.payTiming;
    heading(doc, '支払期日（フリーランス法第4条）');
    pairs(
      doc,
      [
        ['成果物の受領日', japaneseDate(timing.receivedOn)],
        ['支払期日の読み方', READING_JA[timing.reading]],
        ['法定の支払期日', japaneseDate(timing.latestLawfulDay)],
        ['お支払日', `${japaneseDate(timing.payDay)}${timing.late ? '（法定の支払期日を過ぎています）' : ''}`],
      ],
      200,
    );
  }
  if (employee) {
    doc.moveDown(0.6);
    doc
      .fontSize(8.5)
      .text('給与の所得税・社会保険料はこの通知に含まれません。給与計算で差し引かれます。', PAGE_MARGIN, doc.y, {
        width,
      });
  }
};

/** The statement's PDF with a loaded font (see index.ts for the entry points). */
export const statementPdf = (
  font: Buffer,
  settlement: StatementSettlement,
  statement: PaymentStatement,
  memberName: string,
): Promise<Uint8Array> => {
  const doc = newDocument(font, {
    title: `支払通知書 ${statement.statementNumber}`,
    subject: `${japaneseMonth(settlement.month)}分`,
    author: settlement.config.issuerName,
    at: settlement.closedAt,
  });
  drawStatement(doc, settlement, statement, memberName);
  return finish(doc);
};
