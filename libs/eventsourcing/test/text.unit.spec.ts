import fc from 'fast-check';
import {
  assertText,
  characterCount,
  INVALID_UTF8_MARKER,
  preview,
  PREVIEW_CHARACTERS,
  TEXT_INVALID_CHARACTERS,
  TEXT_TOO_LONG,
  textFault,
} from '../src/text.js';
import { ValidationError } from '../src/errors.js';

const refusal = (run: () => unknown): ValidationError => {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('not refused');
};

/** Text that can be stored: any code points but NUL and surrogates. */
const storable = fc.string({ unit: 'grapheme', maxLength: 60 }).filter((s) => !s.includes('\u0000'));
/** A text with one bad piece somewhere: NUL, a lone high or low surrogate, or the invalid UTF-8 marker. */
const withFault = fc
  .tuple(storable, fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00', INVALID_UTF8_MARKER, 'a\ud83dz'), storable)
  .map(([a, bad, b]) => a + bad + b);

describe('text that can be stored', () => {
  it('accepts Japanese, emoji and other well-formed text', () => {
    expect(textFault('子どもが熱を出したため 🙇‍♀️ Ü')).toBeUndefined();
    expect(assertText('藤琴川まいたけ', { field: 'name', maxLength: 7 })).toBe('藤琴川まいたけ');
  });

  it('refuses NUL and lone surrogates with one code, naming the field', () => {
    for (const bad of ['a\u0000b', '\ud800', 'x\udc00', `ok${INVALID_UTF8_MARKER}`]) {
      const error = refusal(() => assertText(bad, { field: 'reason', maxLength: 100 }));
      expect(error.code).toBe(TEXT_INVALID_CHARACTERS);
      expect(error.details).toMatchObject({ field: 'reason' });
    }
  });

  it('counts characters (code points), not UTF-16 units', () => {
    expect(characterCount('🙂🙂')).toBe(2);
    expect(assertText('🙂🙂', { field: 'note', maxLength: 2 })).toBe('🙂🙂');
    expect(refusal(() => assertText('🙂🙂🙂', { field: 'note', maxLength: 2 })).code).toBe(TEXT_TOO_LONG);
  });

  it('a refusal of a huge value comes at once and echoes only a short escaped prefix', () => {
    const huge = `\u0000${'x'.repeat(1_000_000)}`;
    const error = refusal(() => assertText(huge, { field: 'note', maxLength: 2000 }));
    expect(error.code).toBe(TEXT_TOO_LONG);
    expect(error.message.length).toBeLessThan(120);
    expect(error.message).toContain('"\\u0000xxx');
  });

  it('property: every text with NUL or a lone surrogate is refused; every storable one within its limit is accepted', () => {
    fc.assert(
      fc.property(
        withFault,
        (text) => refusal(() => assertText(text, { field: 'f', maxLength: 1000 })).code === TEXT_INVALID_CHARACTERS,
      ),
    );
    fc.assert(fc.property(storable, (text) => assertText(text, { field: 'f', maxLength: 1000 }) === text));
  });

  it('property: a preview is short, escaped JSON text that never holds a NUL or a lone surrogate', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const shown = preview(text);
        expect([...shown].length).toBeLessThanOrEqual(PREVIEW_CHARACTERS * 6 + 3);
        expect(textFault(shown)).toBeUndefined();
        expect(shown.startsWith('"')).toBe(true);
      }),
    );
  });
});
