/**
 * A region's settlement configuration (who issues the invoices and pays the members), checked
 * before it is recorded. Every refusal is a ValidationError naming the field (`details.field`):
 * `settlement.invalid_config` for a missing or malformed value, and the registration number's
 * own codes `settlement.registration_number_malformed` / `settlement.registration_number_check_digit`
 * (the cooperative is a corporation: its check digit is verified). Defaults: invoice tax rounded
 * down (floor), the two-month reading of フリーランス法 §4.
 */
import { assertStorableText, characterCount, isDomainError, preview, ValidationError } from '@workshare/eventsourcing';
import { toZenginKana, toZenginName } from './files/kana.js';
import type { PayerAccount, PayTimingReading, RegionSettlementConfig, RoundingRule } from './model.js';
import { ROUNDING_RULES } from './money.js';
import { PAY_TIMING_READINGS } from './pay-timing.js';
import { parseIssuerRegistrationNumber } from './registration-number.js';
import { MINIMUM_WAGES } from './tables.js';

export const INVALID_CONFIG = 'settlement.invalid_config';

export const DEFAULT_INVOICE_ROUNDING: RoundingRule = 'floor';
export const DEFAULT_PAY_TIMING_READING: PayTimingReading = 'two_months';

export const CONFIG_LIMITS = {
  regionId: 64,
  issuerName: 200,
  address: 300,
  /** 振込依頼人名 (40 bytes in the Zengin header: one half-width character each). */
  requesterNameBytes: 40,
  kanaText: 100,
  marginBasisPoints: { min: 0, max: 10_000 },
  payDay: { min: 1, max: 31 },
  zenginRequesterCodeDigits: 10,
} as const;

/** What an operator sends: the configuration, with the rounding and the reading optional (defaults above). */
export type RegionSettlementConfigInput = Omit<RegionSettlementConfig, 'invoiceRounding' | 'payTimingReading'> & {
  readonly invoiceRounding?: RoundingRule | null;
  readonly payTimingReading?: PayTimingReading | null;
};

const refuse = (field: string, message: string, details: Record<string, unknown> = {}): ValidationError =>
  new ValidationError(INVALID_CONFIG, `${field}: ${message}`, { field, ...details });

const text = (value: unknown, field: string, max: number): string => {
  if (typeof value !== 'string') throw refuse(field, 'must be text');
  if (characterCount(value, max) > max) throw refuse(field, `has at most ${max} characters`, { maxLength: max });
  assertStorableText(value, field);
  const trimmed = value.trim();
  if (trimmed.length === 0) throw refuse(field, 'is required');
  return trimmed;
};

const digits = (value: unknown, field: string, pattern: RegExp, what: string): string => {
  if (typeof value !== 'string' || !pattern.test(value)) throw refuse(field, `must be ${what}, got ${preview(value)}`);
  return value;
};

const integer = (value: unknown, field: string, range: { readonly min: number; readonly max: number }): number => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max)
    throw refuse(field, `must be an integer from ${range.min} to ${range.max}, got ${preview(value)}`, range);
  return value;
};

const oneOf = <T extends string>(value: unknown, field: string, allowed: readonly T[], fallback?: T): T => {
  if (value === undefined || value === null) {
    if (fallback === undefined) throw refuse(field, `is required: one of ${allowed.join(', ')}`);
    return fallback;
  }
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    throw refuse(field, `must be one of ${allowed.join(', ')}, got ${preview(value)}`, { allowed: [...allowed] });
  return value as T;
};

/** Kana the Zengin file can carry (files/kana.ts decides); a Zengin refusal is answered under this field. */
const zenginKana = (value: unknown, field: string, required: boolean): string => {
  if (typeof value !== 'string') throw refuse(field, 'must be text');
  if (characterCount(value, CONFIG_LIMITS.kanaText) > CONFIG_LIMITS.kanaText)
    throw refuse(field, `has at most ${CONFIG_LIMITS.kanaText} characters`, { maxLength: CONFIG_LIMITS.kanaText });
  assertStorableText(value, field);
  const trimmed = value.trim();
  if (!required && trimmed.length === 0) return '';
  try {
    if (required) toZenginName(trimmed, CONFIG_LIMITS.requesterNameBytes);
    else toZenginKana(trimmed);
  } catch (error) {
    if (!isDomainError(error)) throw error;
    throw refuse(field, `cannot be written in Zengin half-width kana (${error.message})`, {
      reason: error.code,
      ...error.details,
    });
  }
  return trimmed;
};

const payerAccount = (value: unknown): PayerAccount => {
  if (typeof value !== 'object' || value === null) throw refuse('payerAccount', 'is required');
  const account = value as Partial<Record<keyof PayerAccount, unknown>>;
  return {
    bankCode: digits(account.bankCode, 'payerAccount.bankCode', /^\d{4}$/, '4 digits (金融機関コード)'),
    bankNameKana: zenginKana(account.bankNameKana ?? '', 'payerAccount.bankNameKana', false),
    branchCode: digits(account.branchCode, 'payerAccount.branchCode', /^\d{3}$/, '3 digits (支店コード)'),
    branchNameKana: zenginKana(account.branchNameKana ?? '', 'payerAccount.branchNameKana', false),
    type: oneOf(account.type, 'payerAccount.type', ['ordinary', 'current'] as const),
    number: digits(account.number, 'payerAccount.number', /^\d{7}$/, '7 digits (口座番号)'),
  };
};

/**
 * The configuration checked and normalised (texts trimmed, the registration number as `T` + 13
 * digits, defaults filled in). `officePrefecture` must have minimum wages in the table the close
 * uses (`prefectures`, by default those of MINIMUM_WAGES), so no close is refused later for want
 * of one.
 */
export const validateRegionSettlementConfig = (
  input: RegionSettlementConfigInput,
  prefectures: ReadonlySet<string> = new Set(MINIMUM_WAGES.map((entry) => entry.prefecture)),
): RegionSettlementConfig => {
  if (typeof input !== 'object' || input === null) throw refuse('config', 'is required');
  const regionId = text(input.regionId, 'regionId', CONFIG_LIMITS.regionId);
  if (!/^[a-z][a-z0-9_-]*$/.test(regionId)) throw refuse('regionId', `is not a region id: ${preview(regionId)}`);
  const registrationNumber = (() => {
    if (typeof input.registrationNumber !== 'string') throw refuse('registrationNumber', 'must be text');
    return parseIssuerRegistrationNumber(input.registrationNumber, 'registrationNumber');
  })();
  const officePrefecture = text(input.officePrefecture, 'officePrefecture', CONFIG_LIMITS.regionId);
  if (!prefectures.has(officePrefecture))
    throw refuse('officePrefecture', `has no minimum wage table: one of ${[...prefectures].sort().join(', ')}`, {
      allowed: [...prefectures].sort(),
    });
  return {
    regionId,
    issuerName: text(input.issuerName, 'issuerName', CONFIG_LIMITS.issuerName),
    registrationNumber,
    address: text(input.address, 'address', CONFIG_LIMITS.address),
    payerAccount: payerAccount(input.payerAccount),
    zenginRequesterCode: digits(
      input.zenginRequesterCode,
      'zenginRequesterCode',
      /^\d{1,10}$/,
      '1 to 10 digits (振込依頼人コード)',
    ),
    requesterNameKana: zenginKana(input.requesterNameKana, 'requesterNameKana', true),
    marginBasisPoints: integer(input.marginBasisPoints, 'marginBasisPoints', CONFIG_LIMITS.marginBasisPoints),
    payDay: integer(input.payDay, 'payDay', CONFIG_LIMITS.payDay),
    invoiceRounding: oneOf(input.invoiceRounding, 'invoiceRounding', ROUNDING_RULES, DEFAULT_INVOICE_ROUNDING),
    payTimingReading: oneOf(
      input.payTimingReading,
      'payTimingReading',
      PAY_TIMING_READINGS,
      DEFAULT_PAY_TIMING_READING,
    ),
    officePrefecture,
  };
};
