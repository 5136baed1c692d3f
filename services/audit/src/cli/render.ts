/**
 * An audit table as a terminal reads it: columns aligned by display width (a kanji or kana is
 * two columns wide, as terminals draw them), a rule under the header, one row a line. CSV is
 * libs/files' (encodeCsv): UTF-8 with a BOM or Shift_JIS, CRLF.
 */
import type { AuditTable } from '../contract.js';

/** Wide characters (East Asian Wide and Fullwidth): CJK, kana, Hangul, full-width forms, emoji. */
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;

/** Combining marks and zero-width characters take no column (by code point). */
const ZERO_WIDTH_RANGES: readonly (readonly [number, number])[] = [
  [0x0300, 0x036f],
  [0x200b, 0x200f],
  [0x2060, 0x2060],
  [0x3099, 0x309a],
  [0xfe00, 0xfe0f],
];
const isZeroWidth = (char: string): boolean => {
  const code = char.codePointAt(0) ?? 0;
  return ZERO_WIDTH_RANGES.some(([from, to]) => code >= from && code <= to);
};

/** How many terminal columns `text` takes. */
export const displayWidth = (text: string): number => {
  let width = 0;
  for (const char of text) width += isZeroWidth(char) ? 0 : WIDE.test(char) ? 2 : 1;
  return width;
};

/** A cell on one line: line breaks and tabs become spaces. */
const oneLine = (cell: string): string => cell.replace(/[\r\n\t]+/g, ' ');

const pad = (text: string, width: number): string => text + ' '.repeat(Math.max(0, width - displayWidth(text)));

/** The table as aligned text lines, ending with a count of its rows. */
export const renderTable = (table: AuditTable): string => {
  const rows = table.rows.map((row) => row.map(oneLine));
  const header = table.columns.map(oneLine);
  const widths = header.map((name, i) =>
    Math.max(displayWidth(name), ...rows.map((row) => displayWidth(row[i] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : pad(cell, widths[i]!)))
      .join('  ')
      .trimEnd();
  return [
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
    `(${rows.length.toLocaleString('en')} ${rows.length === 1 ? 'row' : 'rows'})`,
  ]
    .join('\n')
    .concat('\n');
};

/** A progress bar of `fraction` (0 to 1), as the read-models command draws it. */
export const progressBar = (fraction: number, width = 30): string => {
  const clamped = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  const filled = Math.round(clamped * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(clamped * 100).toFixed(0).padStart(3)}%`;
};
