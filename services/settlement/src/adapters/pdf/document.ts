/**
 * What the invoice and statement PDFs share: the Japanese font, a deterministic pdfkit document,
 * and a few layout helpers (yen, dates, a table that breaks across pages).
 *
 * Font: Debian's IPAexGothic (package `fonts-ipaexfont-gothic`, which CI and the service's image
 * install) at DEFAULT_FONT_PATH unless the caller names another file; pdfkit embeds a subset of
 * it (only the glyphs used, as a CIDFontType2 with FontFile2, named `XXXXXX+IPAexGothic`). A missing
 * font file is `settlement.font_missing`, naming the path and the package.
 *
 * Byte-identical output for the same input: pdfkit's only variable inputs are the document info
 * and its file /ID. The info is fixed here (CreationDate = ModDate = the settlement's closedAt,
 * Producer and Creator constant, Title = the document number), and pdfkit derives /ID as the MD5
 * of that info (PDFSecurity.generateFileID: no randomness without encryption, and none is used), so
 * /ID is fixed too. The font subset's tag comes from pdfkit's font id (F1, …), the subset's glyph
 * order from the text drawn, and Flate compression (zlib) is deterministic; the tests render twice
 * and compare the bytes.
 */
import { existsSync, readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { DomainError } from '@workshare/eventsourcing';

export const DEFAULT_FONT_PATH = '/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf';
export const FONT_PACKAGE = 'fonts-ipaexfont-gothic';
export const FONT_FAMILY = 'IPAexGothic';
export const FONT_MISSING = 'settlement.font_missing';

export interface PdfOptions {
  /** The IPAexGothic TrueType file (default: Debian's). */
  readonly fontPath?: string;
}

/** The font file's bytes, or `settlement.font_missing`. */
export const loadFont = (fontPath: string = DEFAULT_FONT_PATH): Buffer => {
  if (!existsSync(fontPath)) {
    throw new DomainError(
      FONT_MISSING,
      `the Japanese font ${fontPath} is missing: install the Debian package ${FONT_PACKAGE} (or give the path of IPAexGothic)`,
      'rule',
      { path: fontPath, package: FONT_PACKAGE },
    );
  }
  return readFileSync(fontPath);
};

export const PAGE_MARGIN = 50;

/** A pdfkit document with fixed metadata and the Japanese font selected. */
export const newDocument = (
  font: Buffer,
  meta: { readonly title: string; readonly subject: string; readonly author: string; readonly at: Date },
): PDFKit.PDFDocument => {
  const doc = new PDFDocument({
    size: 'A4',
    margin: PAGE_MARGIN,
    pdfVersion: '1.7',
    lang: 'ja-JP',
    displayTitle: true,
    compress: true,
    info: {
      Title: meta.title,
      Subject: meta.subject,
      Author: meta.author,
      Creator: 'workshare settlement',
      Producer: 'workshare settlement (pdfkit)',
      CreationDate: meta.at,
      ModDate: meta.at,
    },
  });
  doc.registerFont(FONT_FAMILY, font);
  doc.font(FONT_FAMILY);
  return doc;
};

/** The document's bytes once it has ended. */
export const finish = (doc: PDFKit.PDFDocument): Promise<Uint8Array> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('error', reject);
    doc.on('end', () => {
      const bytes = Buffer.concat(chunks);
      resolve(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
    });
    doc.end();
  });

// ---- text ------------------------------------------------------------------------------------------

/** `1234567n` → `1,234,567円` (`-1,200円` below zero); grouping by hand, not by the locale. */
export const yen = (amount: bigint): string => {
  const negative = amount < 0n;
  const digits = (negative ? -amount : amount).toString();
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}円`;
};

/** `2026-05-31` → `2026年5月31日`. */
export const japaneseDate = (day: string): string => {
  const [y, m, d] = day.split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
};

/** `2026-04` → `2026年4月`. */
export const japaneseMonth = (month: string): string => {
  const [y, m] = month.split('-');
  return `${y}年${Number(m)}月`;
};

/** Minutes as `12時間30分`. */
export const duration = (minutes: number): string => {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h === 0 ? `${m}分` : m === 0 ? `${h}時間` : `${h}時間${m}分`;
};

// ---- layout ----------------------------------------------------------------------------------------

export const contentWidth = (doc: PDFKit.PDFDocument): number => doc.page.width - 2 * PAGE_MARGIN;

const bottom = (doc: PDFKit.PDFDocument): number => doc.page.height - PAGE_MARGIN;

/** Starts a new page when `height` more points do not fit. */
export const ensureSpace = (doc: PDFKit.PDFDocument, height: number): void => {
  if (doc.y + height > bottom(doc)) {
    doc.addPage();
    doc.font(FONT_FAMILY);
  }
};

export const heading = (doc: PDFKit.PDFDocument, text: string, size = 12): void => {
  ensureSpace(doc, size * 3);
  doc.moveDown(0.6);
  doc.fontSize(size).text(text, PAGE_MARGIN, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.3);
  doc.fontSize(9);
};

/** `label: value` pairs, one a line, value at a fixed offset. */
export const pairs = (
  doc: PDFKit.PDFDocument,
  rows: readonly (readonly [string, string])[],
  labelWidth = 130,
): void => {
  doc.fontSize(9);
  for (const [label, value] of rows) {
    const width = contentWidth(doc) - labelWidth;
    const height = Math.max(doc.heightOfString(value, { width }), doc.heightOfString(label, { width: labelWidth }));
    ensureSpace(doc, height + 2);
    const y = doc.y;
    doc.text(label, PAGE_MARGIN, y, { width: labelWidth });
    doc.text(value, PAGE_MARGIN + labelWidth, y, { width });
    doc.y = y + height + 2;
  }
};

export interface Column {
  readonly header: string;
  /** A share of the content width. */
  readonly weight: number;
  readonly align?: 'left' | 'right' | 'center';
}

/** A table: its header again on every page it continues on. */
export const table = (
  doc: PDFKit.PDFDocument,
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
): void => {
  const total = columns.reduce((s, c) => s + c.weight, 0);
  const widths = columns.map((c) => (contentWidth(doc) * c.weight) / total);
  const pad = 3;
  const drawRow = (cells: readonly string[], header: boolean) => {
    doc.fontSize(header ? 8.5 : 9);
    const height =
      Math.max(...cells.map((cell, i) => doc.heightOfString(cell, { width: widths[i]! - 2 * pad }))) + 2 * pad;
    const y = doc.y;
    let x = PAGE_MARGIN;
    if (header)
      doc.rect(PAGE_MARGIN, y, contentWidth(doc), height).fillAndStroke('#eeeeee', '#999999').fillColor('black');
    else doc.rect(PAGE_MARGIN, y, contentWidth(doc), height).strokeColor('#999999').stroke();
    cells.forEach((cell, i) => {
      doc.text(cell, x + pad, y + pad, { width: widths[i]! - 2 * pad, align: columns[i]!.align ?? 'left' });
      x += widths[i]!;
    });
    doc.y = y + height;
    return height;
  };
  const headerCells = columns.map((c) => c.header);
  const rowHeight = (cells: readonly string[]) =>
    Math.max(...cells.map((cell, i) => doc.heightOfString(cell, { width: widths[i]! - 6 }))) + 6;
  ensureSpace(doc, rowHeight(headerCells) + (rows[0] ? rowHeight(rows[0]) : 0));
  drawRow(headerCells, true);
  for (const row of rows) {
    if (doc.y + rowHeight(row) > bottom(doc)) {
      doc.addPage();
      doc.font(FONT_FAMILY);
      drawRow(headerCells, true);
    }
    drawRow(row, false);
  }
  doc.x = PAGE_MARGIN;
};
