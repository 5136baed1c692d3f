// The settlement service: the close of one region's Tokyo month (invoices, payment statements,
// the Zengin transfer file, journals, the payroll export), who issues and pays per region, and
// the contractors' own registration numbers.

// Composition: what the launcher, a service process and other services' tests call.
export { openSettlementService, type OpenSettlementOptions, type SettlementRuntime } from './open-settlement.js';
export {
  startSettlementGrpc,
  settlementGrpcService,
  SETTLEMENT_REQUEST_LIMITS,
  type StartSettlementGrpcOptions,
} from './adapters/grpc/settlement-grpc.js';
export {
  IdentityGrpcLookup,
  PREFECTURE_OF_ISO_CODE,
  DEFAULT_REGIONS_TTL_MS,
} from './adapters/identity/identity-lookup.js';

// Application: the facade, its inputs and views, the read models.
export {
  SettlementService,
  FORGOTTEN_NAME,
  type SettlementServiceOptions,
  type SettlementSummary,
  type RegionConfigView,
  type MonthRef,
  type DocumentFormat,
  type DownloadRequest,
} from './application/settlement-service.js';
export { MEDIA_TYPES, type Download, type PdfRenderer } from './application/downloads.js';
export type { IdentityLookup } from './application/ports.js';
export { SettlementJobs, JOBS_PROJECTION } from './application/jobs.js';
export { Timesheets, TIMESHEETS_PROJECTION } from './application/timesheets.js';
export { Members, MEMBERS_PROJECTION } from './application/members.js';
export { Closes, CLOSES_PROJECTION } from './application/closes.js';

// Domain: the deciders, the model, the close and the codec (for other services' tests and understanding).
export * from './domain/model.js';
export { closeMonth } from './domain/close.js';
export * as regionSettlement from './domain/region.js';
export * as payee from './domain/payee.js';
export * as monthClose from './domain/month.js';
export {
  closeInputDigest,
  closeInputFromJson,
  closeInputToJson,
  CodecError,
  settlementFromJson,
  settlementToJson,
} from './domain/codec.js';
// The close's rules as pure helpers, written once here: the audit recomputes a month from the
// facts with them (its tracing and its comparison with the documents are its own).
export { floorDiv, ceilDiv, roundRatio } from './domain/money.js';
export {
  CONSUMPTION_TAX_RATE_PERCENT,
  consumptionTax,
  contractorConsumptionTax,
  withholdingTax,
  withholdingApplies,
} from './domain/tax.js';
export { splitPool, type MinutesClaim, type PoolShare } from './domain/allocation.js';
export { splitByTokyoDay } from './domain/approved-time.js';
export { MINIMUM_WAGES, minimumWageOn } from './domain/tables.js';
export { payDayFor } from './domain/pay-timing.js';
export { validateRegionSettlementConfig, type RegionSettlementConfigInput } from './domain/config.js';

// The service's one definition (for runServiceProcess and the launcher).
export { settlementDefinition } from './service.js';
