/**
 * The close's data as JSON, both ways: a MonthSettlement as its close's events store it (month.ts
 * splits it into parts and a MonthClosed; settlementFromParts joins them), a CloseInput as its
 * digest hashes it. Money (`bigint` yen) travels as a decimal string (`"-1200"`), an
 * instant (`Date`) as ISO-8601 UTC (`2026-11-30T15:00:00.000Z`); Tokyo days and months stay the
 * strings they are.
 *
 * One convention of the model (model.ts) makes this exact both ways: every money field is named
 * `…Yen` and every instant `…At`, and no other field is. Encoding holds the model to it (a bigint
 * under another name, or a Date, is refused: a new field must follow the convention or the codec
 * must learn it), and decoding turns exactly those fields back (a `…Yen` field that is not whole
 * yen, or an `…At` field that is not an ISO instant, is a CodecError naming its path, such as
 * `settlement.invoices[0].amountDueYen`). What was stored is read back as it was, or not at all.
 */
import { canonicalJson, sha256Hex, type JsonObject, type JsonValue } from '@workshare/eventsourcing';
import type { CloseInput, MonthSettlement, RegionSettlementConfig } from './model.js';

/** A stored value that is not what its field must be: the field's path and why. */
export class CodecError extends TypeError {
  override readonly name = 'CodecError';
  constructor(
    readonly path: string,
    why: string,
  ) {
    super(`${path}: ${why}`);
  }
}

const isMoneyKey = (key: string): boolean => key.endsWith('Yen');
const isInstantKey = (key: string): boolean => key.endsWith('At');

// ---- encoding -----------------------------------------------------------------------------------

const encode = (value: unknown, key: string, path: string): JsonValue => {
  if (value === null) return null;
  switch (typeof value) {
    case 'bigint':
      if (!isMoneyKey(key)) throw new CodecError(path, 'a bigint must be money, in a field named …Yen');
      return value.toString();
    case 'string':
      if (isMoneyKey(key) || isInstantKey(key))
        throw new CodecError(
          path,
          `a …${isMoneyKey(key) ? 'Yen' : 'At'} field holds ${isMoneyKey(key) ? 'a bigint' : 'a Date'}, not a string`,
        );
      return value;
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new CodecError(path, `${value} has no JSON form`);
      if (isMoneyKey(key)) throw new CodecError(path, 'money is a bigint, never a number');
      return value;
    case 'object': {
      if (value instanceof Date) {
        if (!isInstantKey(key)) throw new CodecError(path, 'a Date must be an instant, in a field named …At');
        if (Number.isNaN(value.getTime())) throw new CodecError(path, 'an invalid date has no JSON form');
        return value.toISOString();
      }
      if (Array.isArray(value)) return value.map((item, i) => encode(item, key, `${path}[${i}]`));
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw new CodecError(path, 'not a plain object');
      const out: JsonObject = {};
      for (const [k, item] of Object.entries(value)) if (item !== undefined) out[k] = encode(item, k, `${path}.${k}`);
      return out;
    }
    default:
      throw new CodecError(path, `a ${typeof value} has no JSON form`);
  }
};

/** Any value of the model as JSON (bigint → decimal string, Date → ISO-8601, absent optional fields left out). */
export const toJson = (value: unknown, path = '$'): JsonValue => encode(value, '', path);

const asObject = (value: JsonValue): JsonObject => value as JsonObject;

/** A MonthSettlement as JSON: what a close's events hold between them (month.ts), and the settlement JSON download. */
export const settlementToJson = (settlement: MonthSettlement): JsonObject => asObject(toJson(settlement, 'settlement'));

/** A CloseInput as JSON (for its digest, and to keep a close's input beside it in tests and audits). */
export const closeInputToJson = (input: CloseInput): JsonObject => asObject(toJson(input, 'input'));

/** A region's configuration as RegionConfigured stores it (plain JSON: no money, no instants). */
export const regionConfigToJson = (config: RegionSettlementConfig): JsonObject => asObject(toJson(config, 'config'));

/**
 * The digest of a close's input: SHA-256 (hex) of its canonical JSON (keys sorted, no spaces).
 * The same facts give the same digest whatever order the keys were written in.
 */
export const closeInputDigest = (input: CloseInput): string => sha256Hex(canonicalJson(closeInputToJson(input)));

// ---- decoding -----------------------------------------------------------------------------------

const YEN = /^-?(0|[1-9]\d*)$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const decode = (value: JsonValue, key: string, path: string): unknown => {
  if (value === null) return null;
  if (Array.isArray(value)) return value.map((item, i) => decode(item, key, `${path}[${i}]`));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(value)) out[k] = decode(item, k, `${path}.${k}`);
    return out;
  }
  if (isMoneyKey(key)) {
    if (typeof value !== 'string' || !YEN.test(value) || value === '-0')
      throw new CodecError(path, `expected whole yen as a decimal string, got ${JSON.stringify(value)}`);
    return BigInt(value);
  }
  if (isInstantKey(key)) {
    const date = typeof value === 'string' && ISO_INSTANT.test(value) ? new Date(value) : undefined;
    if (date === undefined || Number.isNaN(date.getTime()) || date.toISOString() !== value)
      throw new CodecError(path, `expected an ISO-8601 UTC instant, got ${JSON.stringify(value)}`);
    return date;
  }
  return value;
};

const objectAt = (value: JsonValue | undefined, path: string): JsonObject => {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new CodecError(path, `expected an object, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
  return value;
};

/** Checks the fields every reader of a settlement relies on before anything else reads it. */
const requireFields = (o: JsonObject, path: string, fields: readonly string[]): void => {
  for (const field of fields) if (o[field] === undefined) throw new CodecError(`${path}.${field}`, 'missing');
};

const SETTLEMENT_FIELDS = [
  'regionId',
  'month',
  'closedAt',
  'config',
  'invoices',
  'statements',
  'jobs',
  'journal',
  'payDay',
  'totals',
  'findings',
] as const;

/**
 * The lists of a MonthSettlement that grow with the region (its documents and its books): a close
 * stores each in part events of its own (month.ts), in order.
 */
export const SETTLEMENT_LISTS = ['invoices', 'statements', 'jobs', 'journal'] as const;
export type SettlementList = (typeof SETTLEMENT_LISTS)[number];

/** Every other field of a MonthSettlement: what the close's MonthClosed carries itself. */
export const SETTLEMENT_SUMMARY_FIELDS = SETTLEMENT_FIELDS.filter(
  (field): field is Exclude<(typeof SETTLEMENT_FIELDS)[number], SettlementList> =>
    !(SETTLEMENT_LISTS as readonly string[]).includes(field),
);

const INPUT_FIELDS = [
  'config',
  'month',
  'closedAt',
  'jobs',
  'approved',
  'receipts',
  'members',
  'businesses',
  'minimumWages',
  'previous',
] as const;

/**
 * A MonthSettlement from its JSON (settlementToJson's, or a MonthClosed of the first layout, which
 * held it whole; fields it does not know, such as the input's digest, are left out). A CodecError
 * names the first field at fault.
 */
export const settlementFromJson = (value: JsonValue | undefined, path = 'settlement'): MonthSettlement => {
  const o = objectAt(value, path);
  requireFields(o, path, SETTLEMENT_FIELDS);
  const picked: JsonObject = {};
  for (const field of SETTLEMENT_FIELDS) picked[field] = o[field]!;
  return decode(picked, '', path) as MonthSettlement;
};

/**
 * A MonthSettlement from the parts of its close as stored (month.ts): MonthClosed's own fields
 * (SETTLEMENT_SUMMARY_FIELDS; the others it holds are left out) and the lists its part events
 * hold, each whole and in order. A CodecError names the first field at fault, as
 * settlementFromJson does (`settlement.statements[1203].payableYen`).
 */
export const settlementFromParts = (
  summary: JsonValue | undefined,
  lists: Readonly<Record<SettlementList, readonly JsonValue[]>>,
  path = 'settlement',
): MonthSettlement => {
  const o = objectAt(summary, path);
  const joined: JsonObject = {};
  for (const field of SETTLEMENT_FIELDS)
    joined[field] = (SETTLEMENT_LISTS as readonly string[]).includes(field)
      ? (lists[field as SettlementList] as JsonValue[])
      : o[field]!;
  return settlementFromJson(joined, path);
};

/** A CloseInput from its JSON (closeInputToJson's); a CodecError names the first field at fault. */
export const closeInputFromJson = (value: JsonValue | undefined, path = 'input'): CloseInput => {
  const o = objectAt(value, path);
  requireFields(o, path, INPUT_FIELDS);
  return decode(o, '', path) as CloseInput;
};

/** A region's configuration from RegionConfigured's JSON. */
export const regionConfigFromJson = (value: JsonValue | undefined, path = 'config'): RegionSettlementConfig =>
  decode(objectAt(value, path), '', path) as RegionSettlementConfig;
