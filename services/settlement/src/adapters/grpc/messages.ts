import { ValidationError } from '@workshare/eventsourcing';
import { missingField, requiredText } from '@workshare/grpc';
import { moneyFromYen, settlementV1 } from '@workshare/proto';
import type { RegionSettlementConfigInput } from '../../domain/config.js';
import type { PayTimingReading, RegionSettlementConfig, RoundingRule } from '../../domain/model.js';
import type { DownloadRequest, RegionConfigView, SettlementSummary } from '../../application/settlement-service.js';

export { missingField, requiredText, requestIdOf } from '@workshare/grpc';

/**
 * Proto messages ↔ the facade's inputs and views, and the checks that belong to the edge: a
 * required field left empty or absent (`request.missing_field`, with the field's proto name), an
 * enum this contract does not know (`settlement.invalid_config` with the field,
 * `settlement.invalid_download_kind`). What the values mean (the registration number's check
 * digit, digits of bank codes, the margin, the pay day) is the domain's to check
 * (validateRegionSettlementConfig). All of it happens before the facade is called: a bad
 * request stores nothing.
 */

const { BankAccountType, RoundingRule: ProtoRounding, PayTimingReading: ProtoReading, DownloadKind } = settlementV1;

const invalidEnum = (field: string): ValidationError =>
  new ValidationError('settlement.invalid_config', `${field} is not a value this contract knows`, { field });

const ROUNDING_OF: ReadonlyMap<settlementV1.RoundingRule, RoundingRule | undefined> = new Map([
  [ProtoRounding.ROUNDING_RULE_UNSPECIFIED, undefined],
  [ProtoRounding.ROUNDING_RULE_FLOOR, 'floor'],
  [ProtoRounding.ROUNDING_RULE_ROUND_HALF_UP, 'round_half_up'],
  [ProtoRounding.ROUNDING_RULE_CEIL, 'ceil'],
]);
const ROUNDING_MESSAGE: ReadonlyMap<RoundingRule, settlementV1.RoundingRule> = new Map([
  ['floor', ProtoRounding.ROUNDING_RULE_FLOOR],
  ['round_half_up', ProtoRounding.ROUNDING_RULE_ROUND_HALF_UP],
  ['ceil', ProtoRounding.ROUNDING_RULE_CEIL],
]);
const READING_OF: ReadonlyMap<settlementV1.PayTimingReading, PayTimingReading | undefined> = new Map([
  [ProtoReading.PAY_TIMING_READING_UNSPECIFIED, undefined],
  [ProtoReading.PAY_TIMING_READING_TWO_MONTHS, 'two_months'],
  [ProtoReading.PAY_TIMING_READING_STRICT_60_DAYS, 'strict_60_days'],
]);
const READING_MESSAGE: ReadonlyMap<PayTimingReading, settlementV1.PayTimingReading> = new Map([
  ['two_months', ProtoReading.PAY_TIMING_READING_TWO_MONTHS],
  ['strict_60_days', ProtoReading.PAY_TIMING_READING_STRICT_60_DAYS],
]);

const accountTypeOf = (type: settlementV1.BankAccountType): 'ordinary' | 'current' => {
  switch (type) {
    case BankAccountType.BANK_ACCOUNT_TYPE_ORDINARY:
      return 'ordinary';
    case BankAccountType.BANK_ACCOUNT_TYPE_CURRENT:
      return 'current';
    default:
      throw new ValidationError(
        'settlement.invalid_config',
        'payer_account.type is BANK_ACCOUNT_TYPE_ORDINARY (普通) or _CURRENT (当座)',
        {
          field: 'payerAccount.type',
        },
      );
  }
};

/** ConfigureRegion's configuration: the rounding and the reading left unspecified take their defaults (floor, two months). */
export const regionConfigInput = (message: settlementV1.RegionConfig | undefined): RegionSettlementConfigInput => {
  if (message === undefined) throw missingField('config');
  const account = message.payerAccount;
  if (account === undefined) throw missingField('config.payer_account');
  if (!ROUNDING_OF.has(message.invoiceRounding)) throw invalidEnum('invoiceRounding');
  if (!READING_OF.has(message.payTimingReading)) throw invalidEnum('payTimingReading');
  return {
    regionId: requiredText(message.regionId, 'config.region_id'),
    issuerName: message.issuerName,
    registrationNumber: message.registrationNumber,
    address: message.address,
    payerAccount: {
      bankCode: account.bankCode,
      bankNameKana: account.bankNameKana,
      branchCode: account.branchCode,
      branchNameKana: account.branchNameKana,
      type: accountTypeOf(account.type),
      number: account.number,
    },
    zenginRequesterCode: message.zenginRequesterCode,
    requesterNameKana: message.requesterNameKana,
    marginBasisPoints: message.marginBasisPoints,
    payDay: message.payDay,
    invoiceRounding: ROUNDING_OF.get(message.invoiceRounding) ?? null,
    payTimingReading: READING_OF.get(message.payTimingReading) ?? null,
    officePrefecture: message.officePrefecture,
  };
};

export const regionConfigMessage = (config: RegionSettlementConfig): settlementV1.RegionConfig => ({
  regionId: config.regionId,
  issuerName: config.issuerName,
  registrationNumber: config.registrationNumber,
  address: config.address,
  payerAccount: {
    bankCode: config.payerAccount.bankCode,
    bankNameKana: config.payerAccount.bankNameKana,
    branchCode: config.payerAccount.branchCode,
    branchNameKana: config.payerAccount.branchNameKana,
    type:
      config.payerAccount.type === 'current'
        ? BankAccountType.BANK_ACCOUNT_TYPE_CURRENT
        : BankAccountType.BANK_ACCOUNT_TYPE_ORDINARY,
    number: config.payerAccount.number,
  },
  zenginRequesterCode: config.zenginRequesterCode,
  requesterNameKana: config.requesterNameKana,
  marginBasisPoints: config.marginBasisPoints,
  payDay: config.payDay,
  invoiceRounding: ROUNDING_MESSAGE.get(config.invoiceRounding) ?? ProtoRounding.ROUNDING_RULE_UNSPECIFIED,
  payTimingReading: READING_MESSAGE.get(config.payTimingReading) ?? ProtoReading.PAY_TIMING_READING_UNSPECIFIED,
  officePrefecture: config.officePrefecture,
});

export const regionConfigResponse = (view: RegionConfigView): settlementV1.GetRegionConfigResponse => ({
  config: regionConfigMessage(view.config),
  configuredAt: view.configuredAt,
  configuredBy: view.configuredBy,
  version: String(view.version),
});

export const summaryMessage = (summary: SettlementSummary): settlementV1.SettlementSummary => ({
  regionId: summary.regionId,
  month: summary.month,
  closedAt: summary.closedAt,
  closedBy: summary.closedBy,
  inputDigest: summary.inputDigest,
  payDay: summary.payDay,
  billed: moneyFromYen(summary.totals.billedYen),
  tax: moneyFromYen(summary.totals.taxYen),
  margin: moneyFromYen(summary.totals.marginYen),
  topUp: moneyFromYen(summary.totals.topUpYen),
  kept: moneyFromYen(summary.totals.keptYen),
  payable: moneyFromYen(summary.totals.payableYen),
  invoiceCount: summary.invoiceCount,
  statementCount: summary.statementCount,
  findings: Object.entries(summary.findings).map(([code, count]) => ({ code, count })),
});

/** A month of a region, both required (their form is the facade's to check). */
export const monthRefOf = (request: { readonly regionId: string; readonly month: string }) => ({
  regionId: requiredText(request.regionId, 'region_id'),
  month: requiredText(request.month, 'month'),
});

/** Download's request as the facade's: the kind decides what subject_id names. */
export const downloadRequestOf = (request: settlementV1.DownloadRequest): DownloadRequest => {
  const ref = monthRefOf(request);
  const subject = () => requiredText(request.subjectId, 'subject_id');
  switch (request.kind) {
    case DownloadKind.DOWNLOAD_KIND_SETTLEMENT_JSON:
      return { ...ref, kind: 'settlement' };
    case DownloadKind.DOWNLOAD_KIND_INVOICE_JSON:
      return { ...ref, kind: 'invoice', businessId: subject(), format: 'json' };
    case DownloadKind.DOWNLOAD_KIND_INVOICE_PDF:
      return { ...ref, kind: 'invoice', businessId: subject(), format: 'pdf' };
    case DownloadKind.DOWNLOAD_KIND_STATEMENT_JSON:
      return { ...ref, kind: 'statement', memberId: subject(), format: 'json' };
    case DownloadKind.DOWNLOAD_KIND_STATEMENT_PDF:
      return { ...ref, kind: 'statement', memberId: subject(), format: 'pdf' };
    case DownloadKind.DOWNLOAD_KIND_ZENGIN:
      return { ...ref, kind: 'zengin' };
    case DownloadKind.DOWNLOAD_KIND_JOURNAL_FREEE:
      return { ...ref, kind: 'journal', vendor: 'freee' };
    case DownloadKind.DOWNLOAD_KIND_JOURNAL_MONEY_FORWARD:
      return { ...ref, kind: 'journal', vendor: 'money_forward' };
    case DownloadKind.DOWNLOAD_KIND_JOURNAL_YAYOI:
      return { ...ref, kind: 'journal', vendor: 'yayoi' };
    case DownloadKind.DOWNLOAD_KIND_PAYROLL_CSV:
      return { ...ref, kind: 'payroll' };
    default:
      throw new ValidationError('settlement.invalid_download_kind', 'kind is not set to a download kind', {
        field: 'kind',
      });
  }
};
