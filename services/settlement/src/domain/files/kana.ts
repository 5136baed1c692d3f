/**
 * Names for the Zengin file (全銀協 総合振込): half-width katakana, upper-case letters, digits and a
 * few symbols, one byte each in Shift_JIS / JIS X 0201. The reference (settlement-formats.md §1,
 * "Allowed characters in kana names") gives the set this module writes to a name field:
 *
 *   ｱ–ﾝ without ｦ, ﾞ ﾟ, A–Z, 0–9, space, ( ) - .
 *
 * (the recommended subset for 受取人名 / 依頼人名; ｦ, small kana, `' + , / : ?`, ¥ ｢ ｣ are left out).
 *
 * The conversion, character by character:
 * - NFKC of each character first (full-width ASCII → ASCII, half-width kana → full-width, the
 *   ideographic space → space, `－` → `-`, `ｰ` → `ー`, `･` → `・`); NFKC is applied to one character
 *   at a time, so a position in an error is a position in the text as given;
 * - hiragana → katakana; voiced and semi-voiced kana → the base kana followed by ﾞ / ﾟ as a
 *   character of its own (ガ → ｶﾞ, パ → ﾊﾟ, ヴ → ｳﾞ); a separate ゛ / ゜ / ﾞ / ﾟ (or the combining
 *   U+3099 / U+309A) is kept as ﾞ / ﾟ when the kana before it takes it;
 * - small kana enlarged (the reference: "キユウヨ, not キュウヨ"): ァィゥェォャュョッヮヵヶ, and
 *   their half-width forms ｧｨｩｪｫｬｭｮｯ, → ｱｲｳｴｵﾔﾕﾖﾂﾜｶｹ;
 * - lower-case ASCII → upper-case; `・` → `.`; the long vowel `ー` / `ｰ` and the dashes `－` `‐` `−`
 *   → `-`;
 * - leading and trailing spaces are removed (a field is left-aligned and space-filled);
 * - anything else is refused with `zengin.invalid_character`, naming each such character and its
 *   position: nothing is dropped or replaced silently (ヲ, ヰ, ヱ, kanji, `&`, `/`, `,`, ...).
 *
 * Cutting to a field (`cutZenginField`): a field holds at most its length in bytes, one byte per
 * character here. A cut that would separate ﾞ / ﾟ from its kana drops the kana too (ﾔﾏﾀﾞ cut
 * after ﾀ gives ﾔﾏ, never ﾔﾏﾀ, which would be another name), and trailing spaces left by the cut
 * are removed.
 */
import { ValidationError } from '@workshare/eventsourcing';

export const ZENGIN_INVALID_CHARACTER = 'zengin.invalid_character';
export const ZENGIN_EMPTY_NAME = 'zengin.empty_name';

const FULL_KATAKANA = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン';
const HALF_KATAKANA = 'ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝ';
/** Small kana (full-width; the half-width ones reach here as these after NFKC) → the full-size kana. */
const SMALL_KANA = 'ァィゥェォャュョッヮヵヶ';
const LARGE_KANA = 'アイウエオヤユヨツワカケ';

const TO_HALF = new Map<string, string>();
for (let i = 0; i < FULL_KATAKANA.length; i++) TO_HALF.set(FULL_KATAKANA[i]!, HALF_KATAKANA[i]!);
for (let i = 0; i < SMALL_KANA.length; i++) TO_HALF.set(SMALL_KANA[i]!, TO_HALF.get(LARGE_KANA[i]!)!);

export const VOICED_MARK = 'ﾞ';
export const SEMI_VOICED_MARK = 'ﾟ';
/** The half-width kana that take ﾞ (ｳﾞ, ｶﾞ–ｺﾞ, ｻﾞ–ｿﾞ, ﾀﾞ–ﾄﾞ, ﾊﾞ–ﾎﾞ, ﾜﾞ) and ﾟ (ﾊﾟ–ﾎﾟ). */
const TAKES_VOICED = new Set('ｳｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾊﾋﾌﾍﾎﾜ');
const TAKES_SEMI_VOICED = new Set('ﾊﾋﾌﾍﾎ');

/** ASCII kept as it is (upper-case letters, digits, space and the name symbols). */
const NAME_ASCII = /^[A-Z0-9 ().-]$/;
const HYPHENS = new Set(['ー', '-', '‐', '−']);

/** Every character a name field may hold (the recommended subset above). */
export const ZENGIN_NAME_CHARACTERS: ReadonlySet<string> = new Set([
  ...HALF_KATAKANA,
  VOICED_MARK,
  SEMI_VOICED_MARK,
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ().-',
]);

/** Whether a voiced / semi-voiced mark may follow `previous` (the character before it in the result). */
export const markFits = (mark: string, previous: string | undefined): boolean =>
  previous !== undefined && (mark === VOICED_MARK ? TAKES_VOICED : TAKES_SEMI_VOICED).has(previous);

const codePointLabel = (character: string): string =>
  `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

export interface RefusedCharacter {
  readonly character: string;
  readonly codePoint: string;
  /** 1-based position in the text as given, counted in characters (code points). */
  readonly position: number;
  readonly reason: 'not_allowed' | 'misplaced_mark';
}

/** One decomposed character (NFKC then NFD) → what it becomes, or null when it is not allowed. */
const convertUnit = (unit: string): string | null => {
  if (unit === '\u3099') return VOICED_MARK;
  if (unit === '\u309A') return SEMI_VOICED_MARK;
  if (/^[a-z]$/.test(unit)) return unit.toUpperCase();
  if (NAME_ASCII.test(unit)) return unit;
  if (unit === '・') return '.';
  if (HYPHENS.has(unit)) return '-';
  const code = unit.codePointAt(0)!;
  // Hiragana ぁ (U+3041) .. ゖ (U+3096) → katakana, 0x60 further on.
  const katakana = code >= 0x3041 && code <= 0x3096 ? String.fromCodePoint(code + 0x60) : unit;
  return TO_HALF.get(katakana) ?? null;
};

/**
 * A name in Zengin half-width kana (not cut), or `zengin.invalid_character` listing every
 * character that cannot be written (details: `characters`, each with its code point and 1-based
 * position; the message names the first ones).
 */
export const toZenginKana = (text: string): string => {
  const out: string[] = [];
  const refused: RefusedCharacter[] = [];
  let position = 0;
  for (const character of text) {
    position++;
    // ゛ and ゜ (spacing marks) decompose under NFKC to a space and the combining mark: take them as the mark.
    const source = character === '゛' ? '\u3099' : character === '゜' ? '\u309A' : character;
    const units = [...source.normalize('NFKC').normalize('NFD')];
    const converted: string[] = [];
    let reason: RefusedCharacter['reason'] | null = null;
    for (const unit of units) {
      const half = convertUnit(unit);
      if (half === null) {
        reason = 'not_allowed';
        break;
      }
      if (half === VOICED_MARK || half === SEMI_VOICED_MARK) {
        const previous = converted.length > 0 ? converted[converted.length - 1] : out[out.length - 1];
        if (!markFits(half, previous)) {
          reason = 'misplaced_mark';
          break;
        }
      }
      converted.push(half);
    }
    if (reason !== null) {
      refused.push({ character, codePoint: codePointLabel(character), position, reason });
      continue;
    }
    out.push(...converted);
  }
  if (refused.length > 0) {
    const named = refused
      .slice(0, 5)
      .map(
        (r) =>
          `「${r.character}」 (${r.codePoint}) at position ${r.position}${r.reason === 'misplaced_mark' ? ' (a voiced mark that no kana before it takes)' : ''}`,
      )
      .join(', ');
    throw new ValidationError(
      ZENGIN_INVALID_CHARACTER,
      `a Zengin name field cannot hold ${named}${refused.length > 5 ? ` and ${refused.length - 5} more` : ''}`,
      { characters: refused },
    );
  }
  return out.join('').replace(/^ +| +$/g, '');
};

/**
 * A converted name cut to a field of `bytes` bytes (one byte per character): never between a kana
 * and its ﾞ / ﾟ (the kana is dropped with its mark), trailing spaces removed.
 */
export const cutZenginField = (kana: string, bytes: number): string => {
  if (kana.length <= bytes) return kana;
  const next = kana[bytes];
  const end = next === VOICED_MARK || next === SEMI_VOICED_MARK ? bytes - 1 : bytes;
  return kana.slice(0, Math.max(0, end)).replace(/ +$/, '');
};

/**
 * A name for a required name field (受取人名, 振込依頼人名): converted, cut to `bytes`, and not
 * empty (`zengin.empty_name`).
 */
export const toZenginName = (text: string, bytes: number): string => {
  const name = cutZenginField(toZenginKana(text), bytes);
  if (name.length === 0) {
    throw new ValidationError(ZENGIN_EMPTY_NAME, 'a Zengin name field needs at least one character', { bytes });
  }
  return name;
};
