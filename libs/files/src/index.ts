// Files the cooperative hands out: CSV (RFC 4180 quoting, CRLF), UTF-8 with a BOM, Shift_JIS
// (CP932) that refuses, or visibly replaces, what it cannot hold.
export { CRLF, csvText, csvRows, parseCsv } from './csv.js';
export {
  UTF8_BOM,
  SHIFT_JIS,
  SHIFT_JIS_REPLACEMENT,
  UNENCODABLE_CHARACTER,
  encodeUtf8WithBom,
  decodeUtf8,
  encodeShiftJis,
  decodeShiftJis,
  shiftJisUnencodable,
  type ShiftJisOptions,
} from './encoding.js';
export { CSV_ENCODINGS, encodeCsv, isCsvEncoding, tableCsv, type CsvEncoding, type CsvTable } from './table.js';
