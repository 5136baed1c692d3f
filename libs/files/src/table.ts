/**
 * A table as a CSV file: a header row of its columns, then its rows, CRLF after each, in UTF-8
 * with a BOM or in Shift_JIS (CP932). What the audit's exports (CLI, gateway, page) write.
 */
import { ValidationError } from '@workshare/eventsourcing';
import { csvRows } from './csv.js';
import { encodeShiftJis, encodeUtf8WithBom, type ShiftJisOptions } from './encoding.js';

export interface CsvTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export const CSV_ENCODINGS = ['utf-8', 'shift_jis'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

export const isCsvEncoding = (value: string): value is CsvEncoding =>
  (CSV_ENCODINGS as readonly string[]).includes(value);

/** The CSV text of a table: its columns as the header row, then every row (each as wide as the header). */
export const tableCsv = (table: CsvTable): string => {
  table.rows.forEach((row, index) => {
    if (row.length !== table.columns.length)
      throw new ValidationError(
        'csv.row_width',
        `row ${index + 1} has ${row.length} fields where the table has ${table.columns.length} columns`,
        { row: index + 1 },
      );
  });
  return csvRows([table.columns, ...table.rows]);
};

/**
 * A table's CSV bytes: `utf-8` with a BOM, or `shift_jis` (CP932), which refuses a character it
 * cannot hold (`csv.unencodable_character`, naming it) unless `unencodable: 'replace'` is given
 * (then 〓 stands for it). CRLF after every row.
 */
export const encodeCsv = (table: CsvTable, encoding: CsvEncoding, options: ShiftJisOptions = {}): Buffer => {
  const text = tableCsv(table);
  const bytes = encoding === 'utf-8' ? encodeUtf8WithBom(text) : encodeShiftJis(text, options);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
};
