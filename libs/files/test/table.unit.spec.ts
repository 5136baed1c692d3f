import fc from 'fast-check';
import {
  decodeShiftJis,
  decodeUtf8,
  encodeCsv,
  encodeShiftJis,
  parseCsv,
  SHIFT_JIS_REPLACEMENT,
  shiftJisUnencodable,
  tableCsv,
} from '../src/index.js';

const table = { columns: ['日時 (JST)', '金額 (円)', '備考'], rows: [['2026-11-04 09:30', '1200', '病児, "急"']] };

describe('encodeCsv', () => {
  it('given a table, when encoded in UTF-8, then a BOM, the header row and CRLF after every row', () => {
    const bytes = encodeCsv(table, 'utf-8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(decodeUtf8(bytes)).toBe('日時 (JST),金額 (円),備考\r\n2026-11-04 09:30,1200,"病児, ""急"""\r\n');
  });

  it('given a table, when encoded in Shift_JIS, then the same text in CP932 bytes', () => {
    const bytes = encodeCsv(table, 'shift_jis');
    expect(bytes.subarray(0, 2).toString('hex')).toBe('93fa'); // 日
    expect(decodeShiftJis(bytes)).toBe(tableCsv(table));
  });

  it('given a character Shift_JIS cannot hold, then csv.unencodable_character naming it, or 〓 when a replacement is asked', () => {
    const withEmoji = { columns: ['名前'], rows: [['𠮷田😀']] };
    expect(() => encodeCsv(withEmoji, 'shift_jis')).toThrow(
      expect.objectContaining({ code: 'csv.unencodable_character', details: { characters: ['𠮷', '😀'] } }),
    );
    expect(decodeShiftJis(encodeCsv(withEmoji, 'shift_jis', { unencodable: 'replace' }))).toBe(
      `名前\r\n${SHIFT_JIS_REPLACEMENT}田${SHIFT_JIS_REPLACEMENT}\r\n`,
    );
  });

  it('given a row narrower than the header, then csv.row_width', () => {
    expect(() => encodeCsv({ columns: ['a', 'b'], rows: [['x']] }, 'utf-8')).toThrow(
      expect.objectContaining({ code: 'csv.row_width' }),
    );
  });

  const cell = fc.string({ unit: 'grapheme', maxLength: 8 });
  const tables = fc.integer({ min: 1, max: 4 }).chain((width) =>
    fc.record({
      columns: fc.array(cell, { minLength: width, maxLength: width }),
      rows: fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: 5 }),
    }),
  );
  const rowsOf = (t: { columns: string[]; rows: string[][] }) => [t.columns, ...t.rows];
  // A row of one empty field is written as an empty line, which reads back as no row (RFC 4180 has no other way).
  const readable = (t: { columns: string[]; rows: string[][] }) => rowsOf(t).every((r) => r.length > 1 || r[0] !== '');

  it('any text: UTF-8 reads back as the same table', () => {
    fc.assert(
      fc.property(tables.filter(readable), (t) => {
        expect(parseCsv(decodeUtf8(encodeCsv(t, 'utf-8')))).toEqual(rowsOf(t));
      }),
    );
  });

  it('any text: Shift_JIS either reads back as the same table (CP932 variants aside) or is refused naming exactly what it cannot hold', () => {
    fc.assert(
      fc.property(tables.filter(readable), (t) => {
        const text = tableCsv(t);
        const refused = shiftJisUnencodable(text);
        if (refused.length === 0) {
          expect(decodeShiftJis(encodeCsv(t, 'shift_jis'))).toBe(decodeShiftJis(encodeShiftJis(text)));
          expect(parseCsv(decodeShiftJis(encodeCsv(t, 'shift_jis'))).length).toBe(rowsOf(t).length);
        } else {
          expect(() => encodeCsv(t, 'shift_jis')).toThrow(
            expect.objectContaining({ code: 'csv.unencodable_character', details: { characters: refused } }),
          );
          const replaced = decodeShiftJis(encodeCsv(t, 'shift_jis', { unencodable: 'replace' }));
          expect(shiftJisUnencodable(replaced)).toEqual([]);
          expect([...replaced].length).toBe([...text].length);
        }
      }),
    );
  });

  it('Japanese text Shift_JIS holds comes back exactly', () => {
    const jis = fc.string({
      unit: fc.constantFrom('売', '掛', '金', 'ｱ', 'カ', 'な', '（', '削', '除', '済', 'み', '）', ',', '"', 'A', '1'),
      maxLength: 10,
    });
    fc.assert(
      fc.property(fc.array(jis, { minLength: 2, maxLength: 4 }), (columns) => {
        expect(parseCsv(decodeShiftJis(encodeCsv({ columns, rows: [] }, 'shift_jis')))).toEqual([columns]);
      }),
    );
  });
});
