/** The CLI's table drawing: columns aligned by display width (kanji and kana two columns), a rule, a row count. */
import fc from 'fast-check';
import { displayWidth, progressBar, renderTable } from '../../src/cli/render.js';

describe('an audit table on a terminal', () => {
  it('aligns columns by display width: a kanji or kana is two columns, ASCII one', () => {
    expect(displayWidth('佐藤')).toBe(4);
    expect(displayWidth('ｱｲ')).toBe(2); // half-width katakana
    expect(displayWidth('¥1,200')).toBe(6);
    const text = renderTable({
      columns: ['who', 'amount'],
      rows: [
        ['佐藤 里奈', '¥60,000'],
        ['ryo', '¥1,200'],
      ],
    });
    expect(text).toBe(
      ['who        amount', '---------  -------', '佐藤 里奈  ¥60,000', 'ryo        ¥1,200', '(2 rows)', ''].join('\n'),
    );
  });

  it('keeps each row on one line, whatever its cells hold', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string(), { minLength: 2, maxLength: 2 }), { maxLength: 5 }), (rows) => {
        const lines = renderTable({ columns: ['a', 'b'], rows }).split('\n');
        expect(lines).toHaveLength(rows.length + 4);
        expect(lines.at(-2)).toBe(`(${rows.length} ${rows.length === 1 ? 'row' : 'rows'})`);
      }),
    );
  });

  it('draws progress from 0 to 100 %, clamped', () => {
    expect(progressBar(0)).toBe(`[${'.'.repeat(30)}]   0%`);
    expect(progressBar(0.5)).toBe(`[${'#'.repeat(15)}${'.'.repeat(15)}]  50%`);
    expect(progressBar(2)).toBe(`[${'#'.repeat(30)}] 100%`);
    expect(progressBar(Number.NaN)).toBe(`[${'.'.repeat(30)}]   0%`);
  });
});
