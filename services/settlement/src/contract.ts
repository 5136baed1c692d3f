/**
 * The settlement service's published contract for other packages (the gateway's schemas, other
 * services): its limits, download kinds and media types, pure values with no I/O.
 *   import { DOWNLOAD_KINDS, MEDIA_TYPES } from '@workshare/settlement/contract';
 */
export { CONFIG_LIMITS, DEFAULT_INVOICE_ROUNDING, DEFAULT_PAY_TIMING_READING } from './domain/config.js';
export { ROUNDING_RULES } from './domain/money.js';
export { PAY_TIMING_READINGS } from './domain/pay-timing.js';
export { MEDIA_TYPES } from './application/downloads.js';
export type { PayTimingReading, RoundingRule } from './domain/model.js';
export { JOURNAL_ENCODINGS, type JournalVendor } from './domain/files/journals.js';
export { ZENGIN_ENCODING } from './domain/files/zengin.js';
export { PUBLISHED_MONTH_PATTERN as MONTH_PATTERN } from '@workshare/contracts';

/** The files of a closed month, as Download's request names them (the gRPC enum without its prefix). */
export const DOWNLOAD_KINDS = [
  'settlement_json',
  'invoice_json',
  'invoice_pdf',
  'statement_json',
  'statement_pdf',
  'zengin',
  'journal_freee',
  'journal_money_forward',
  'journal_yayoi',
  'payroll_csv',
] as const;
export type DownloadKindName = (typeof DOWNLOAD_KINDS)[number];

/**
 * The largest answer a caller of settlement's gRPC API must accept: a region's whole settlement
 * as JSON (GetSettlement, Download of settlement.json) is about 3 KB per member (6 MB for 2,000
 * members), above gRPC's default 4 MiB. Callers set `grpc.max_receive_message_length` to this.
 */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

// The events other services may consume, each at its schema versions (@workshare/contracts):
// only these; every other event of settlement is its own.
export { SETTLEMENT_PUBLISHED_EVENTS as PUBLISHED_EVENTS, MonthClosedV1 } from '@workshare/contracts';
