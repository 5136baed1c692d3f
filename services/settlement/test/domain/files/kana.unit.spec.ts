import fc from 'fast-check';
import {
  cutZenginField,
  toZenginKana,
  toZenginName,
  ZENGIN_EMPTY_NAME,
  ZENGIN_INVALID_CHARACTER,
  ZENGIN_NAME_CHARACTERS,
} from '../../../src/domain/files/kana.js';

const refusal = (text: string): unknown => {
  try {
    toZenginKana(text);
  } catch (error) {
    return error;
  }
  throw new Error(`${text} was not refused`);
};

describe('Zengin kana: conversion of a name to half-width katakana', () => {
  it.each([
    ['full-width katakana', 'ヤマダ タロウ', 'ﾔﾏﾀﾞ ﾀﾛｳ'],
    ['hiragana', 'やまだ たろう', 'ﾔﾏﾀﾞ ﾀﾛｳ'],
    ['voiced and semi-voiced kana split into the kana and ﾞ / ﾟ', 'ガギグゲゴパピプペポヴ', 'ｶﾞｷﾞｸﾞｹﾞｺﾞﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟｳﾞ'],
    ['half-width kana kept', 'ﾔﾏﾀﾞ ﾀﾛｳ', 'ﾔﾏﾀﾞ ﾀﾛｳ'],
    ['small kana enlarged (キユウヨ, not キュウヨ)', 'キュウヨ', 'ｷﾕｳﾖ'],
    ['every full-width small kana', 'ァィゥェォャュョッヮヵヶ', 'ｱｲｳｴｵﾔﾕﾖﾂﾜｶｹ'],
    ['every half-width small kana', 'ｧｨｩｪｫｬｭｮｯ', 'ｱｲｳｴｵﾔﾕﾖﾂ'],
    ['small hiragana', 'ぁぃぅぇぉゃゅょっゎ', 'ｱｲｳｴｵﾔﾕﾖﾂﾜ'],
    ['lower-case ASCII to upper-case', 'abc Xyz', 'ABC XYZ'],
    ['full-width letters and digits', 'ＡＢＣ１２３ｄｅｆ', 'ABC123DEF'],
    ['中黒 to a full stop', 'ジョン・スミス', 'ｼﾞﾖﾝ.ｽﾐｽ'],
    ['half-width 中黒', 'ｼﾞｮﾝ･ｽﾐｽ', 'ｼﾞﾖﾝ.ｽﾐｽ'],
    ['long vowels and the full-width hyphen', 'センター ｾﾝﾀｰ ホウソウセンタ－', 'ｾﾝﾀ- ｾﾝﾀ- ﾎｳｿｳｾﾝﾀ-'],
    ['the ideographic space', 'サトウ　ハナコ', 'ｻﾄｳ ﾊﾅｺ'],
    ['corporate abbreviations with brackets', 'カ）ワークシェア', 'ｶ)ﾜ-ｸｼｴｱ'],
    ['a separate ゛ after a kana that takes it', 'カ゛', 'ｶﾞ'],
    ['leading and trailing spaces removed', '  ヤマダ  ', 'ﾔﾏﾀﾞ'],
    ['digits and ( ) - .', '(12-3.4)', '(12-3.4)'],
  ])('%s', (_, input, expected) => {
    expect(toZenginKana(input)).toBe(expected);
  });

  it('every character written is in the name set (one byte each in Shift_JIS)', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(
            ...'アイウエオカガサザタダナハバパマヤャユュヨョラワンッーァ・ abcXYZ019()-.　ｧｯ',
            'ｶﾞ',
            'ﾊﾟ',
          ),
          maxLength: 40,
        }),
        (text) => {
          for (const ch of toZenginKana(text)) expect(ZENGIN_NAME_CHARACTERS.has(ch)).toBe(true);
        },
      ),
    );
  });

  describe('refusal: zengin.invalid_character naming the character, never dropped', () => {
    it.each([
      ['a kanji', '山田', '山', 'U+5C71', 1],
      ['ヲ (not in name fields)', 'ヲノ', 'ヲ', 'U+30F2', 1],
      ['half-width ｦ', 'ｦﾉ', 'ｦ', 'U+FF66', 1],
      ['ヰ', 'ヰド', 'ヰ', 'U+30F0', 1],
      ['ampersand', 'A&B', '&', 'U+0026', 2],
      ['slash (full set only: avoided in names)', 'A/B', '/', 'U+002F', 2],
      ['comma', 'ヤマダ,タロウ', ',', 'U+002C', 4],
      ['an emoji', 'ヤマダ😀', '😀', 'U+1F600', 4],
      ['a tab', 'ヤマ\tダ', '\t', 'U+0009', 3],
      ['the iteration mark ヽ', 'サヽキ', 'ヽ', 'U+30FD', 2],
    ])('%s', (_, text, character, codePoint, position) => {
      const error = refusal(text) as { code: string; message: string; details: { characters: unknown[] } };
      expect(error.code).toBe(ZENGIN_INVALID_CHARACTER);
      expect(error.message).toContain(character);
      expect(error.message).toContain(codePoint);
      expect(error.details.characters).toContainEqual({ character, codePoint, position, reason: 'not_allowed' });
    });

    it('lists every refused character, at its position in the text as given', () => {
      const error = refusal('山田　ハナ子') as { details: { characters: { character: string; position: number }[] } };
      expect(error.details.characters.map((c) => [c.character, c.position])).toEqual([
        ['山', 1],
        ['田', 2],
        ['子', 6],
      ]);
    });

    it.each([
      ['ﾞ after a kana that takes none', 'ｱﾞ', 'ﾞ'],
      ['ﾟ after a kana that takes only ﾞ', 'ｶﾟ', 'ﾟ'],
      ['ﾞ at the start', 'ﾞｶ', 'ﾞ'],
      ['ﾞ after a space', 'ｶ ﾞ', 'ﾞ'],
      ['two marks', 'ｶﾞﾞ', 'ﾞ'],
    ])('a misplaced voiced mark: %s', (_, text, character) => {
      const error = refusal(text) as { code: string; details: { characters: { character: string; reason: string }[] } };
      expect(error.code).toBe(ZENGIN_INVALID_CHARACTER);
      expect(error.details.characters).toContainEqual(expect.objectContaining({ character, reason: 'misplaced_mark' }));
    });
  });

  describe('cutting to the field', () => {
    it('cuts to the byte length', () => {
      expect(cutZenginField('ABCDEFGHIJ', 4)).toBe('ABCD');
      expect(cutZenginField('ABC', 4)).toBe('ABC');
    });

    it('a cut that would separate ﾞ / ﾟ from its kana drops the kana too', () => {
      // ﾔﾏﾀﾞ: 4 bytes; at 3 the ﾞ would be cut off ﾀ, leaving ﾔﾏﾀ (another name).
      expect(cutZenginField('ﾔﾏﾀﾞ', 3)).toBe('ﾔﾏ');
      expect(cutZenginField('ﾔﾏﾀﾞ', 4)).toBe('ﾔﾏﾀﾞ');
      expect(cutZenginField('ﾊﾟﾊﾟ', 3)).toBe('ﾊﾟ');
    });

    it('trailing spaces left by the cut are removed', () => {
      expect(cutZenginField('ﾔﾏﾀﾞ ﾀﾛｳ', 5)).toBe('ﾔﾏﾀﾞ');
    });

    it('a cut name never ends in a kana whose mark was cut, and never exceeds the field', () => {
      fc.assert(
        fc.property(
          fc.string({ unit: fc.constantFrom(...'カガハパバ アイ'), minLength: 1, maxLength: 50 }),
          fc.integer({ min: 1, max: 40 }),
          (text, bytes) => {
            const kana = toZenginKana(text);
            const cut = cutZenginField(kana, bytes);
            expect(cut.length).toBeLessThanOrEqual(bytes);
            expect(kana.startsWith(cut)).toBe(true);
            const next = kana[cut.length];
            // The cut is never right before a mark (that mark's kana would be left without it).
            if (cut.length < kana.length) expect(next === 'ﾞ' || next === 'ﾟ').toBe(false);
            expect(cut.endsWith(' ')).toBe(false);
          },
        ),
      );
    });

    it('toZenginName converts and cuts; an empty name is zengin.empty_name', () => {
      expect(toZenginName('ヤマダ タロウ', 4)).toBe('ﾔﾏﾀﾞ');
      expect(toZenginName('ヤマダ タロウ', 3)).toBe('ﾔﾏ');
      expect(toZenginName('フジサトワークシェアキョウドウクミアイ', 40)).toBe('ﾌｼﾞｻﾄﾜ-ｸｼｴｱｷﾖｳﾄﾞｳｸﾐｱｲ');
      expect(() => toZenginName('　 ', 30)).toThrow(expect.objectContaining({ code: ZENGIN_EMPTY_NAME }));
    });
  });
});
