/**
 * JSON ↔ settlement's proto messages: a region's configuration (its enums as settlement's
 * contract names them), a closed month's summary (money as integer yen, JSON numbers), the whole
 * settlement as the JSON settlement stores, and Download's request by kind. An answer that
 * breaks the contract (an unknown enum, a missing time, a settlement that is not JSON) is a 500.
 */
import { settlementV1 } from '@workshare/proto';
import { DOWNLOAD_KINDS, type DownloadKindName } from '@workshare/settlement/contract';
import {
  PAY_TIMING_READINGS,
  PAYER_ACCOUNT_TYPES,
  ROUNDING_RULES,
  type PayTimingReadingName,
  type RoundingRuleName,
  type SettlementConfigBody,
} from './schemas.js';
import { enumOf, int64, nameOf, protoTable, timeOf, UpstreamContractError, yenOf } from './views.js';

export type { SettlementConfigBody };

const ROUNDING = protoTable<RoundingRuleName, settlementV1.RoundingRule>(
  ROUNDING_RULES,
  settlementV1.RoundingRule,
  'ROUNDING_RULE_',
);
const READING = protoTable<PayTimingReadingName, settlementV1.PayTimingReading>(
  PAY_TIMING_READINGS,
  settlementV1.PayTimingReading,
  'PAY_TIMING_READING_',
);
const ACCOUNT_TYPE = protoTable<string, settlementV1.BankAccountType>(
  PAYER_ACCOUNT_TYPES,
  settlementV1.BankAccountType,
  'BANK_ACCOUNT_TYPE_',
);
const DOWNLOAD_KIND = protoTable<DownloadKindName, settlementV1.DownloadKind>(
  DOWNLOAD_KINDS,
  settlementV1.DownloadKind,
  'DOWNLOAD_KIND_',
);

/** ConfigureRegion's request: the region from the path; the rounding and the reading left out take settlement's defaults. */
export const configureRegionRequest = (
  requestId: string,
  regionId: string,
  body: SettlementConfigBody,
): settlementV1.ConfigureRegionRequest => ({
  requestId,
  config: {
    regionId,
    issuerName: body.issuerName,
    registrationNumber: body.registrationNumber,
    address: body.address,
    payerAccount: {
      bankCode: body.payerAccount.bankCode,
      bankNameKana: body.payerAccount.bankNameKana ?? '',
      branchCode: body.payerAccount.branchCode,
      branchNameKana: body.payerAccount.branchNameKana ?? '',
      type: enumOf(ACCOUNT_TYPE, body.payerAccount.type),
      number: body.payerAccount.number,
    },
    zenginRequesterCode: body.zenginRequesterCode,
    requesterNameKana: body.requesterNameKana,
    marginBasisPoints: body.marginBasisPoints,
    payDay: body.payDay,
    invoiceRounding:
      body.invoiceRounding === undefined
        ? settlementV1.RoundingRule.ROUNDING_RULE_UNSPECIFIED
        : enumOf(ROUNDING, body.invoiceRounding),
    payTimingReading:
      body.payTimingReading === undefined
        ? settlementV1.PayTimingReading.PAY_TIMING_READING_UNSPECIFIED
        : enumOf(READING, body.payTimingReading),
    officePrefecture: body.officePrefecture,
  },
});

export const regionConfigView = (config: settlementV1.RegionConfig | undefined) => {
  if (config === undefined || config.payerAccount === undefined)
    throw new UpstreamContractError('settlement answered no configuration');
  const account = config.payerAccount;
  return {
    regionId: config.regionId,
    issuerName: config.issuerName,
    registrationNumber: config.registrationNumber,
    address: config.address,
    payerAccount: {
      bankCode: account.bankCode,
      bankNameKana: account.bankNameKana,
      branchCode: account.branchCode,
      branchNameKana: account.branchNameKana,
      type: nameOf(ACCOUNT_TYPE, account.type, 'bank account type'),
      number: account.number,
    },
    zenginRequesterCode: config.zenginRequesterCode,
    requesterNameKana: config.requesterNameKana,
    marginBasisPoints: config.marginBasisPoints,
    payDay: config.payDay,
    invoiceRounding: nameOf(ROUNDING, config.invoiceRounding, 'invoice rounding'),
    payTimingReading: nameOf(READING, config.payTimingReading, 'pay-timing reading'),
    officePrefecture: config.officePrefecture,
  };
};

export const settlementConfigView = (response: settlementV1.GetRegionConfigResponse) => ({
  config: regionConfigView(response.config),
  configuredAt: timeOf(response.configuredAt, 'configuration time'),
  configuredBy: response.configuredBy,
  version: int64(response.version, 'configuration version'),
});

export const summaryView = (summary: settlementV1.SettlementSummary | undefined) => {
  if (summary === undefined) throw new UpstreamContractError('settlement answered no summary');
  return {
    regionId: summary.regionId,
    month: summary.month,
    closedAt: timeOf(summary.closedAt, 'close time'),
    closedBy: summary.closedBy,
    inputDigest: summary.inputDigest,
    payDay: summary.payDay,
    billedYen: yenOf(summary.billed),
    taxYen: yenOf(summary.tax),
    marginYen: yenOf(summary.margin),
    topUpYen: yenOf(summary.topUp),
    keptYen: yenOf(summary.kept),
    payableYen: yenOf(summary.payable),
    invoiceCount: summary.invoiceCount,
    statementCount: summary.statementCount,
    findings: summary.findings.map((f) => ({ code: f.code, count: f.count })),
  };
};

/** GetSettlement: the summary, and the stored settlement as the JSON object settlement wrote. */
export const settlementView = (response: settlementV1.GetSettlementResponse) => {
  let settlement: unknown;
  try {
    settlement = JSON.parse(response.settlementJson);
  } catch {
    throw new UpstreamContractError('settlement answered a settlement that is not JSON');
  }
  if (typeof settlement !== 'object' || settlement === null || Array.isArray(settlement))
    throw new UpstreamContractError('settlement answered a settlement that is not a JSON object');
  return { summary: summaryView(response.summary), settlement: settlement as Record<string, unknown> };
};

/** Download's request: one file of a closed month, by the kind settlement's contract names. */
export const downloadRequest = (
  kind: DownloadKindName,
  month: { readonly regionId: string; readonly month: string },
  subjectId = '',
): settlementV1.DownloadRequest => ({
  kind: enumOf(DOWNLOAD_KIND, kind),
  regionId: month.regionId,
  month: month.month,
  subjectId,
});
