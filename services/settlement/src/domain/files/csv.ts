/**
 * CSV for the accountant's and the payroll software's imports: comma-separated, CRLF after every
 * row (the last one too), a field quoted (RFC 4180: `"`, with `"` doubled) only when it holds a
 * comma, a quote or a line break; free text has its line breaks and tabs turned into spaces first,
 * so that a row is one line (弥生: "one entry per line"). Encodings with iconv-lite: UTF-8 with a BOM,
 * or Shift_JIS (CP932) refusing what it cannot hold (`csv.unencodable_character`) instead of the
 * encoder's silent `?`.
 */
import iconv from 'iconv-lite';
import { ValidationError } from '@workshare/eventsourcing';

export const CRLF = '\r\n';

/** Free text for a CSV field: CR, LF and tab become a space. */
export const csvText = (value: string): string => value.replace(/[\r\n\t]/g, ' ');

const field = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** Rows → CSV text, CRLF after every row. */
export const csvRows = (rows: readonly (readonly string[])[]): string =>
  rows.map((row) => row.map(field).join(',') + CRLF).join('');

/** CSV text → rows (RFC 4180 quoting; CRLF or LF; a final line break ends the last row). */
export const parseCsv = (text: string): string[][] => {
  const rows: string[][] = [];
  let row: string[] = [];
  let value = '';
  let quoted = false;
  let i = 0;
  const endField = () => {
    row.push(value);
    value = '';
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          value += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      value += ch;
      i++;
      continue;
    }
    if (ch === '"' && value === '') {
      quoted = true;
      i++;
    } else if (ch === ',') {
      endField();
      i++;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      endField();
      rows.push(row);
      row = [];
      i += 2;
    } else if (ch === '\n') {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else {
      value += ch;
      i++;
    }
  }
  if (quoted) throw new ValidationError('csv.unterminated_quote', 'a quoted CSV field is not closed');
  if (value !== '' || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows;
};

const asBytes = (buffer: Buffer): Uint8Array => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);

export const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

export const encodeUtf8WithBom = (text: string): Uint8Array => asBytes(iconv.encode(text, 'utf8', { addBOM: true }));

/** UTF-8 text; a BOM, when present, is removed. */
export const decodeUtf8 = (bytes: Uint8Array): string => iconv.decode(Buffer.from(bytes), 'utf8');

export const SHIFT_JIS = 'Shift_JIS';

/**
 * The usual Unicode ↔ CP932 variants: the JIS mapping's code points that CP932 holds under
 * another one (〜 WAVE DASH → ～ FULLWIDTH TILDE, and so on). Mapping them is not a loss: it is
 * the same character in the Windows code page the importers read.
 */
const CP932_VARIANTS: Readonly<Record<string, string>> = {
  '\u301C': '\uFF5E', // 〜 → ～
  '\u2212': '\uFF0D', // − → －
  '\u2016': '\u2225', // ‖ → ∥
  '\u00A2': '\uFFE0', // ¢ → ￠
  '\u00A3': '\uFFE1', // £ → ￡
  '\u00AC': '\uFFE2', // ¬ → ￢
  '\u2014': '\u2015', // — → ―
};

/**
 * Shift_JIS (CP932) bytes of a text. A character CP932 does not hold (emoji, 𠮷, ¥ U+00A5, which
 * would come back as a backslash, ...) is refused with `csv.unencodable_character` naming it:
 * iconv-lite would write `?` in its place.
 */
export const encodeShiftJis = (text: string): Uint8Array => {
  const mapped = text.replace(/[\u301C\u2212\u2016\u00A2\u00A3\u00AC\u2014]/g, (ch) => CP932_VARIANTS[ch]!);
  const bytes = iconv.encode(mapped, SHIFT_JIS);
  if (iconv.decode(bytes, SHIFT_JIS) !== mapped) {
    const refused = [
      ...new Set([...mapped].filter((ch) => iconv.decode(iconv.encode(ch, SHIFT_JIS), SHIFT_JIS) !== ch)),
    ];
    throw new ValidationError(
      'csv.unencodable_character',
      `Shift_JIS cannot hold ${refused
        .slice(0, 5)
        .map((ch) => `「${ch}」 (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`)
        .join(', ')}`,
      { characters: refused },
    );
  }
  return asBytes(bytes);
};

export const decodeShiftJis = (bytes: Uint8Array): string => iconv.decode(Buffer.from(bytes), SHIFT_JIS);
