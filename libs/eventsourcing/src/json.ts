/** JSON values as stored in events: what survives a JSON round trip unchanged. */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Why a value is not plain JSON, with the path to the offending part; undefined when it is. */
export const jsonProblem = (value: unknown, path = '$', seen: Set<object> = new Set()): string | undefined => {
  if (value === null) return undefined;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `${path} is ${value}, which JSON cannot hold`;
    case 'object': {
      if (seen.has(value)) return `${path} is a circular reference`;
      seen.add(value);
      try {
        if (Array.isArray(value)) {
          for (let i = 0; i < value.length; i++) {
            const problem = jsonProblem(value[i], `${path}[${i}]`, seen);
            if (problem) return problem;
          }
          return undefined;
        }
        const proto: unknown = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) {
          const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
          return `${path} is a ${name}, not a plain object (convert it to a string or number first)`;
        }
        for (const key of Object.keys(value)) {
          const problem = jsonProblem((value as Record<string, unknown>)[key], `${path}.${key}`, seen);
          if (problem) return problem;
        }
        return undefined;
      } finally {
        seen.delete(value);
      }
    }
    default:
      return `${path} is ${typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`}, which JSON cannot hold`;
  }
};

export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && jsonProblem(value) === undefined;

/**
 * Canonical JSON: object keys sorted by code unit, no whitespace. Used for hashing, so that
 * an event's digest does not depend on key order (a database may reorder keys on the way back).
 */
export const canonicalJson = (value: JsonValue): string => {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (i > 0) out += ',';
    out += `${JSON.stringify(key)}:${canonicalJson(value[key] as JsonValue)}`;
  }
  return `${out}}`;
};

const NOT_JSON = Symbol('not plain JSON');
const MAX_DEPTH = 100;

/** The canonical walk without paths or cycle bookkeeping: throws NOT_JSON at the first doubt. */
const fastCanonical = (v: unknown, depth: number): string => {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v)) throw NOT_JSON;
      return JSON.stringify(v);
    case 'object': {
      if (depth > MAX_DEPTH) throw NOT_JSON; // a cycle, or absurdly deep: the slow path says which
      if (Array.isArray(v)) {
        let out = '[';
        for (let i = 0; i < v.length; i++) out += (i > 0 ? ',' : '') + fastCanonical(v[i], depth + 1);
        return `${out}]`;
      }
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) throw NOT_JSON;
      const keys = Object.keys(v).sort();
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as string;
        out +=
          (i > 0 ? ',"' : '"') +
          (needsEscape(key) ? JSON.stringify(key).slice(1, -1) : key) +
          '":' +
          fastCanonical((v as Record<string, unknown>)[key], depth + 1);
      }
      return `${out}}`;
    }
    default:
      throw NOT_JSON;
  }
};

// Keys needing escapes go through JSON.stringify; the rest are copied as they are.
// eslint-disable-next-line no-control-regex
const ESCAPE = /["\\\u0000-\u001f\u2028\u2029\ud800-\udfff]/;
const needsEscape = (key: string): boolean => ESCAPE.test(key);

/**
 * Canonical JSON of a value not yet known to be JSON, checked in the same walk: throws a
 * TypeError saying why (with the path) when it is not plain JSON. One pass where
 * `jsonProblem` then `canonicalJson` would take two; used on every append.
 */
export const checkedCanonicalJson = (value: unknown, path = '$'): string => {
  try {
    return fastCanonical(value, 0);
  } catch (error) {
    if (error !== NOT_JSON) throw error;
    throw new TypeError(jsonProblem(value, path) ?? `${path} is nested more than ${MAX_DEPTH} levels deep`);
  }
};
