import { ValidationError } from './errors.js';

/**
 * Text that can be stored and read back. Every text field of every route and RPC is checked
 * here (the edges call it before anything else, the deciders for their own fields):
 * - no NUL (PostgreSQL cannot store it in text or jsonb), no lone surrogate, and no invalid
 *   UTF-8 (the edges decode invalid bytes to a lone surrogate, so they are refused the same way):
 *   code `text.invalid_characters`, one for all of them;
 * - at most a field's limit, counted in characters (code points), checked before anything else
 *   looks at the value;
 * - error messages never echo more than a short, escaped prefix of what they refuse (`preview`).
 */
export const TEXT_INVALID_CHARACTERS = 'text.invalid_characters';
export const TEXT_TOO_LONG = 'text.too_long';

/** How much of a refused value a message may show. */
export const PREVIEW_CHARACTERS = 32;

/** A marker the edges put in place of invalid UTF-8 bytes: a lone surrogate, which valid text never holds. */
export const INVALID_UTF8_MARKER = '\udfff';

// NUL, or a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
// eslint-disable-next-line no-control-regex
const INVALID = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a text cannot be stored, or undefined when it can. */
export const textFault = (text: string): 'nul' | 'invalid_unicode' | undefined => {
  const match = INVALID.exec(text);
  if (!match) return undefined;
  return match[0] === '\u0000' ? 'nul' : 'invalid_unicode';
};

/** Characters (code points) in a text, counting no further than `max + 1`. */
export const characterCount = (text: string, max = Number.POSITIVE_INFINITY): number => {
  // A code point is one or two UTF-16 units: text.length bounds the count from above.
  if (text.length <= max) return [...text].length;
  let count = 0;
  for (let i = 0; i < text.length && count <= max; i++, count++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
  }
  return count;
};

/**
 * A short, escaped prefix of a value for an error message: JSON-quoted (control characters and
 * lone surrogates escaped), at most PREVIEW_CHARACTERS characters, `…` when cut.
 */
export const preview = (value: unknown, max: number = PREVIEW_CHARACTERS): string => {
  if (typeof value !== 'string') {
    if (value === undefined) return 'undefined';
    const text = typeof value === 'bigint' ? `${value}n` : (JSON.stringify(value) ?? String(value));
    return text.length > max ? `${text.slice(0, max)}…` : text;
  }
  const cut = value.length > max;
  let head = value.slice(0, max);
  // Do not split a surrogate pair at the cut.
  if (cut && /[\ud800-\udbff]$/.test(head)) head = head.slice(0, -1);
  // JSON.stringify escapes control characters and (since ES2019) lone surrogates.
  const quoted = JSON.stringify(head);
  return cut ? `${quoted.slice(0, -1)}…"` : quoted;
};

export interface TextRule {
  /** The field's name as the caller wrote it (`title`, `tasks[2].note`), for the message. */
  readonly field: string;
  /** At most this many characters. */
  readonly maxLength: number;
  /** At least this many characters (default 0). */
  readonly minLength?: number;
  /** The code of a refusal for length (default `text.too_long`, or `text.too_short`). */
  readonly code?: string;
}

/** Refuses text that cannot be stored (NUL, invalid Unicode) with TEXT_INVALID_CHARACTERS. */
export const assertStorableText = (text: string, field: string): string => {
  const fault = textFault(text);
  if (fault !== undefined) {
    throw new ValidationError(
      TEXT_INVALID_CHARACTERS,
      `${field} holds ${fault === 'nul' ? 'a NUL character' : 'invalid Unicode (a lone surrogate, or bytes that are not UTF-8)'}`,
      { field, reason: fault },
    );
  }
  return text;
};

/** A text field checked: a string, within its length (checked first), storable. Answers it as given. */
export const assertText = (value: unknown, rule: TextRule): string => {
  if (typeof value !== 'string') {
    throw new ValidationError(rule.code ?? 'text.invalid', `${rule.field} must be text`, { field: rule.field });
  }
  const count = characterCount(value, rule.maxLength);
  if (count > rule.maxLength) {
    throw new ValidationError(
      rule.code ?? TEXT_TOO_LONG,
      `${rule.field} is longer than ${rule.maxLength} characters (it begins ${preview(value)})`,
      { field: rule.field, maxLength: rule.maxLength },
    );
  }
  if (count < (rule.minLength ?? 0)) {
    throw new ValidationError(
      rule.code ?? 'text.too_short',
      rule.minLength === 1 ? `${rule.field} is required` : `${rule.field} needs at least ${rule.minLength} characters`,
      { field: rule.field, minLength: rule.minLength },
    );
  }
  return assertStorableText(value, rule.field);
};
