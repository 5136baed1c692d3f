/**
 * Text → bytes for the files the cooperative hands out, with iconv-lite: UTF-8 with a BOM (what
 * Excel needs to read UTF-8 CSV as such), or Shift_JIS (CP932, what 弥生 and Japanese banks and
 * spreadsheets read). Shift_JIS cannot hold every character; iconv-lite would silently write `?`
 * in its place. Here such a character is refused with `csv.unencodable_character` naming it
 * (`encodeShiftJis`), or, only when the caller asks for it (`{ unencodable: 'replace' }`), written
 * as 〓 (U+3013 GETA MARK, the customary stand-in for a character a Japanese font or code page
 * lacks), never as a character that could be read as another one.
 */
import iconv from 'iconv-lite';
import { ValidationError } from '@workshare/eventsourcing';

const asBytes = (buffer: Buffer): Uint8Array => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);

export const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

export const encodeUtf8WithBom = (text: string): Uint8Array => asBytes(iconv.encode(text, 'utf8', { addBOM: true }));

/** UTF-8 text; a BOM, when present, is removed. */
export const decodeUtf8 = (bytes: Uint8Array): string => iconv.decode(Buffer.from(bytes), 'utf8');

export const SHIFT_JIS = 'Shift_JIS';

/** The error code of a character Shift_JIS (CP932) cannot hold. */
export const UNENCODABLE_CHARACTER = 'csv.unencodable_character';

/** What Shift_JIS writes for a character it cannot hold, when the caller asks for a replacement: 〓. */
export const SHIFT_JIS_REPLACEMENT = '\u3013';

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

const toCp932Variants = (text: string): string =>
  text.replace(/[\u301C\u2212\u2016\u00A2\u00A3\u00AC\u2014]/g, (ch) => CP932_VARIANTS[ch]!);

const holds = (ch: string): boolean => iconv.decode(iconv.encode(ch, SHIFT_JIS), SHIFT_JIS) === ch;

/** The characters of a text (after the CP932 variants) that Shift_JIS cannot hold, each once, in order. */
export const shiftJisUnencodable = (text: string): string[] => [
  ...new Set([...toCp932Variants(text)].filter((ch) => !holds(ch))),
];

const codePoint = (ch: string): string => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

export interface ShiftJisOptions {
  /** `refuse` (the default): `csv.unencodable_character`; `replace`: each such character becomes 〓. */
  readonly unencodable?: 'refuse' | 'replace';
}

/**
 * Shift_JIS (CP932) bytes of a text. A character CP932 does not hold (emoji, 𠮷, ¥ U+00A5, which
 * would come back as a backslash, ...) is refused with `csv.unencodable_character` naming it
 * (details: `characters`), or replaced by 〓 when `unencodable: 'replace'` is asked.
 */
export const encodeShiftJis = (text: string, options: ShiftJisOptions = {}): Uint8Array => {
  const mapped = toCp932Variants(text);
  const bytes = iconv.encode(mapped, SHIFT_JIS);
  if (iconv.decode(bytes, SHIFT_JIS) === mapped) return asBytes(bytes);
  if (options.unencodable === 'replace')
    return asBytes(iconv.encode([...mapped].map((ch) => (holds(ch) ? ch : SHIFT_JIS_REPLACEMENT)).join(''), SHIFT_JIS));
  const refused = shiftJisUnencodable(mapped);
  throw new ValidationError(
    UNENCODABLE_CHARACTER,
    `Shift_JIS cannot hold ${refused
      .slice(0, 5)
      .map((ch) => `「${ch}」 (${codePoint(ch)})`)
      .join(', ')}${refused.length > 5 ? ` and ${refused.length - 5} more` : ''}`,
    { characters: refused },
  );
};

export const decodeShiftJis = (bytes: Uint8Array): string => iconv.decode(Buffer.from(bytes), SHIFT_JIS);
