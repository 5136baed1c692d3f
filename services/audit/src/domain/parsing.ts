import { isUuid, parsePosition, preview, ValidationError, type GlobalPosition } from '@workshare/eventsourcing';
import { tokyoMonth, tokyoTime } from '@workshare/time';
import { AUDIT_SUBJECTS, type AuditSubject } from '../contract.js';

/**
 * The audit's inputs as they arrive (text from the gateway, the CLI and gRPC), checked once:
 * a bad value is refused with `audit.invalid_<field>` (INVALID_ARGUMENT), nothing recorded.
 */

const invalid = (field: string, message: string): ValidationError =>
  new ValidationError(`audit.invalid_${field}`, message, { field });

/**
 * An ISO-8601 instant with its offset: `2026-11-04T09:30:00+09:00`, `2026-11-04T00:30:00.000Z`,
 * seconds and fractions optional. A date alone, or a time without an offset, is refused (which
 * zone would it be in?).
 */
const INSTANT =
  /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.(\d{1,9}))?)?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

export const parseInstant = (value: unknown, field = 'at'): Date => {
  if (typeof value !== 'string' || value.length > 40)
    throw invalid(field, `${preview(value)} is not an instant (ISO-8601 with an offset, e.g. 2026-11-04T09:30+09:00)`);
  const match = INSTANT.exec(value);
  if (match === null)
    throw invalid(field, `${preview(value)} is not an instant (ISO-8601 with an offset, e.g. 2026-11-04T09:30+09:00)`);
  const [, y, mo, d] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) throw invalid(field, `${preview(value)} names no day: ${y}-${mo} has ${daysInMonth} days`);
  const fraction = match[7];
  const normalised =
    fraction !== undefined && fraction.length > 3 ? value.replace(`.${fraction}`, `.${fraction.slice(0, 3)}`) : value;
  const date = new Date(normalised);
  if (Number.isNaN(date.getTime()) || year < 1970)
    throw invalid(field, `${preview(value)} is not an instant after 1970`);
  return date;
};

/** A Tokyo month `YYYY-MM`, and its instants (from its 1st 00:00 JST, to the next month's). */
export const parseMonth = (value: unknown, field = 'month'): { month: string; from: Date; to: Date } => {
  if (typeof value !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(value))
    throw invalid(field, `${preview(value)} is not a month YYYY-MM`);
  const year = Number(value.slice(0, 4));
  if (year < 1970) throw invalid(field, `${preview(value)} is before 1970`);
  return { month: value, ...tokyoMonth(year, Number(value.slice(5, 7))) };
};

/** A period: both ends instants, `from` before `to`. */
export const parsePeriod = (from: unknown, to: unknown): { from: Date; to: Date } => {
  const start = parseInstant(from, 'from');
  const end = parseInstant(to, 'to');
  if (start.getTime() >= end.getTime())
    throw invalid('period', `the period's start ${preview(from)} is not before its end ${preview(to)}`);
  return { from: start, to: end };
};

/** An optional period: either end may be missing. */
export const parseOptionalPeriod = (from: unknown, to: unknown): { from?: Date; to?: Date } => {
  const start = from === undefined || from === '' ? undefined : parseInstant(from, 'from');
  const end = to === undefined || to === '' ? undefined : parseInstant(to, 'to');
  if (start !== undefined && end !== undefined && start.getTime() >= end.getTime())
    throw invalid('period', `the period's start ${preview(from)} is not before its end ${preview(to)}`);
  return { ...(start ? { from: start } : {}), ...(end ? { to: end } : {}) };
};

/** The most a search or a history page may be asked for. */
export const MAX_YEN = Number.MAX_SAFE_INTEGER;

/**
 * An amount of yen: a whole number, from a number or a text (`12000`, `12,000`, `¥12,000`,
 * `12000円`, full-width digits too). Negative amounts are refused.
 */
export const parseYen = (value: unknown, field: string): number => {
  let text: string;
  if (typeof value === 'number') text = String(value);
  else if (typeof value === 'string' && value.length <= 40) text = value;
  else throw invalid(field, `${preview(value)} is not an amount of yen`);
  const ascii = text
    .trim()
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/^[¥￥]/, '')
    .replace(/円$/, '');
  if (!/^(\d{1,3}(,\d{3})+|\d+)$/.test(ascii)) throw invalid(field, `${preview(value)} is not a whole amount of yen`);
  const amount = Number(ascii.replace(/,/g, ''));
  if (!Number.isSafeInteger(amount)) throw invalid(field, `${preview(value)} is too large an amount`);
  return amount;
};

/** A page size: 1 to `max`, `fallback` when not given. */
export const parseLimit = (value: unknown, fallback: number, max: number): number => {
  if (value === undefined || value === 0) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > max)
    throw invalid('limit', `${preview(value)} is not a number of results from 1 to ${max}`);
  return value;
};

export const parseLogPosition = (value: unknown, field = 'after'): GlobalPosition => {
  if (typeof value !== 'string' || value.length > 50) throw invalid(field, `${preview(value)} is not a log position`);
  try {
    return parsePosition(value);
  } catch {
    throw invalid(field, `${preview(value)} is not a log position <commit>/<prepare>`);
  }
};

const REGION_ID = /^[a-z][a-z0-9_-]{0,63}$/;

export const parseRegionId = (value: unknown, field = 'region_id'): string => {
  if (typeof value !== 'string' || !REGION_ID.test(value)) throw invalid(field, `${preview(value)} is not a region id`);
  return value;
};

export const parseId = (value: unknown, field: string): string => {
  if (!isUuid(value)) throw invalid(field, `${preview(value)} is not an id (a UUID)`);
  return value.toLowerCase();
};

export const parseSubject = (value: unknown): AuditSubject => {
  if (typeof value !== 'string' || !(AUDIT_SUBJECTS as readonly string[]).includes(value))
    throw invalid('subject', `${preview(value)} is not a subject: ${AUDIT_SUBJECTS.join(', ')}`);
  return value as AuditSubject;
};

/** A settlement's id: `<regionId>.<YYYY-MM>`. */
export const parseSettlementId = (value: unknown): { regionId: string; month: string } => {
  if (typeof value !== 'string' || value.length > 80)
    throw invalid('id', `${preview(value)} is not <region>.<YYYY-MM>`);
  const dot = value.lastIndexOf('.');
  if (dot < 1) throw invalid('id', `${preview(value)} is not <region>.<YYYY-MM>`);
  return { regionId: parseRegionId(value.slice(0, dot), 'id'), month: parseMonth(value.slice(dot + 1), 'id').month };
};

/** A subject's id, checked for its kind. */
export const parseSubjectId = (subject: AuditSubject, value: unknown): string => {
  if (subject === 'settlement') {
    const { regionId, month } = parseSettlementId(value);
    return `${regionId}.${month}`;
  }
  return parseId(value, 'id');
};

const STREAM = /^[A-Za-z][A-Za-z0-9_]*-[A-Za-z0-9_.:@-]{1,200}$/;

/** A stream's name, `<category>-<id>`. */
export const parseStreamName = (value: unknown): string => {
  if (typeof value !== 'string' || !STREAM.test(value))
    throw invalid('stream', `${preview(value)} is not a stream name <category>-<id>`);
  return value;
};

/** A counterparty searched for: a name or id fragment, 1 to 100 characters. */
export const parseCounterparty = (value: unknown): string | undefined => {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > 100)
    throw invalid('counterparty', `${preview(value)} is not a counterparty (1 to 100 characters)`);
  return value.trim().normalize('NFKC');
};

/** `2026-11-04 09:30`: an instant as a person in Tokyo reads it, to the minute. */
export const tokyoMinute = (instant: Date): string => tokyoTime(instant).slice(0, 16).replace('T', ' ');
