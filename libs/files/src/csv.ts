/**
 * CSV as the cooperative's files write it (the accountant's and the payroll software's imports,
 * the audit's exports): comma-separated, CRLF after every row (the last one too), a field quoted
 * (RFC 4180: `"`, with `"` doubled) only when it holds a comma, a quote or a line break. Free text
 * meant for an importer that reads one entry per line (弥生) goes through `csvText` first, which
 * turns its line breaks and tabs into spaces.
 */
import { ValidationError } from '@workshare/eventsourcing';

export const CRLF = '\r\n';

/** Free text for a CSV field that must stay on one line: CR, LF and tab become a space. */
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
