import { assertStorableText, characterCount, preview, TEXT_TOO_LONG, ValidationError } from '@workshare/eventsourcing';

/**
 * What every request of every RPC must be before its handler sees it (the host checks it, so no
 * service can forget a field):
 * - every string field within its length limit, checked first, so that a refusal of a 1 MB
 *   field comes back at once and echoes a short prefix only (`text.too_long`);
 * - every string storable: no NUL, no invalid Unicode (`text.invalid_characters`; invalid UTF-8
 *   bytes decode to a marker that is refused the same way, see @workshare/proto);
 * - every timestamp a real instant from 0001-01-01 to 9999-12-31 with nanos 0..999,999,999
 *   (`request.invalid_timestamp`; @workshare/proto decodes a Timestamp outside that as an invalid date).
 */
/**
 * A field's limit: the most characters it may hold, or that with the code a longer value is
 * refused with, when the field's contract names its own (`{ maxLength: 200, code: 'job.invalid_title' }`);
 * otherwise the code is `text.too_long`.
 */
export type FieldLimit = number | { readonly maxLength: number; readonly code: string };

export interface RequestLimits {
  /** The longest a string field may be when its method does not name it (default ID_MAX_LENGTH). */
  readonly defaultMaxLength?: number;
  /**
   * Per method (as named in the implementation, `submitJob`), per field path in ts-proto's names
   * (camelCase): `title`, a nested field `window.note`, a field of every element of a repeated
   * field `tasks[].title`, the elements of a repeated string `skills[]`.
   */
  readonly fields?: { readonly [method: string]: { readonly [path: string]: FieldLimit } };
}

/** Ids, request ids, slugs, codes: what a string field is unless its method says otherwise. */
export const ID_MAX_LENGTH = 128;

// 0001-01-01T00:00:00Z (Date.UTC would take year 1 for 1901).
const FIRST_INSTANT = (() => {
  const d = new Date(0);
  d.setUTCFullYear(1, 0, 1);
  d.setUTCHours(0, 0, 0, 0);
  return d.getTime();
})();
const LAST_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** The earliest and latest instant a request may carry. */
export const TIMESTAMP_RANGE = { from: new Date(FIRST_INSTANT), to: new Date(LAST_INSTANT) } as const;

/** A field path as the proto names it (`tasks.due_at`), for messages. */
const fieldName = (path: string): string => path.replaceAll('[]', '').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Checks one request as the host receives it (decoded by ts-proto); throws the first problem. */
export const checkRequest = (
  request: unknown,
  limits: { readonly [path: string]: FieldLimit } | undefined,
  defaultMax: number,
): void => {
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string') {
      const limit = limits?.[path] ?? defaultMax;
      const max = typeof limit === 'number' ? limit : limit.maxLength;
      if (value.length > max && characterCount(value, max) > max) {
        throw new ValidationError(
          typeof limit === 'number' ? TEXT_TOO_LONG : limit.code,
          `${fieldName(path)} is longer than ${max} characters (it begins ${preview(value)})`,
          {
            field: fieldName(path),
            maxLength: max,
          },
        );
      }
      assertStorableText(value, fieldName(path));
      return;
    }
    if (value instanceof Date) {
      const ms = value.getTime();
      if (!(ms >= FIRST_INSTANT && ms <= LAST_INSTANT)) {
        throw new ValidationError(
          'request.invalid_timestamp',
          `${fieldName(path)} is not a time from 0001-01-01 to 9999-12-31 (seconds and nanos 0..999,999,999)`,
          { field: fieldName(path) },
        );
      }
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) walk(item, `${path}[]`);
      return;
    }
    if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) {
      for (const [key, item] of Object.entries(value)) walk(item, path === '' ? key : `${path}.${key}`);
    }
  };
  walk(request, '');
};
