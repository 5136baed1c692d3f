import fc from 'fast-check';
import {
  csvRows,
  csvText,
  decodeShiftJis,
  decodeUtf8,
  encodeShiftJis,
  encodeUtf8WithBom,
  parseCsv,
} from '../src/index.js';

describe('CSV', () => {
  it('CRLF after every row; a field is quoted only when it holds a comma, a quote or a line break', () => {
    expect(csvRows([['a', 'b,c', 'd"e', ''], ['x']])).toBe('a,"b,c","d""e",\r\nx\r\n');
  });

  it('free text: line breaks and tabs become spaces', () => {
    expect(csvText('a\r\nb\tc\nd')).toBe('a  b c d');
  });

  it('rows parse back to the same fields', () => {
    fc.assert(
      fc.property(
        fc
          .array(
            fc.array(fc.string({ unit: fc.constantFrom('a', ',', '"', '\r', '\n', ' ', '売'), maxLength: 6 }), {
              minLength: 1,
              maxLength: 5,
            }),
            {
              minLength: 1,
              maxLength: 5,
            },
          )
          .filter((rows) => rows.every((r) => r.length > 1 || r[0] !== '')),
        (rows) => {
          expect(parseCsv(csvRows(rows))).toEqual(rows);
        },
      ),
    );
  });

  it('an unterminated quote is csv.unterminated_quote', () => {
    expect(() => parseCsv('"abc')).toThrow(expect.objectContaining({ code: 'csv.unterminated_quote' }));
  });

  it('UTF-8 with a BOM; the BOM is removed when read', () => {
    const bytes = encodeUtf8WithBom('売掛金');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(decodeUtf8(bytes)).toBe('売掛金');
  });

  it('Shift_JIS: 売掛金 is 94 84 8A7C 8BE0; what CP932 cannot hold is refused, not written as ?', () => {
    expect(Buffer.from(encodeShiftJis('売掛金')).toString('hex')).toBe('94848a7c8be0');
    expect(decodeShiftJis(encodeShiftJis('ｱｲｳ ABC ①'))).toBe('ｱｲｳ ABC ①');
    for (const text of ['😀', '𠮷野家', '¥100']) {
      expect(() => encodeShiftJis(text)).toThrow(expect.objectContaining({ code: 'csv.unencodable_character' }));
    }
    // The JIS ↔ CP932 variants are written as CP932 holds them.
    expect(decodeShiftJis(encodeShiftJis('〜−'))).toBe('～－');
  });
});
