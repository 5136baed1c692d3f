// The audit service: the accountant's questions of the whole history (the full history of a job,
// task, member, business or month; who held a task when; a job's timeline; hand-offs;
// reconciliation; a stream as of an instant; search; corrections), answered from query tables
// folded from the whole log, every query itself recorded; and the log's tamper evidence (the
// sealer, verification against the seals).

// The application interface (also `@workshare/audit/contract`).
export * from './contract.js';

// Composition: what the launcher, a service process and other services' tests call.
export { openAuditService, type OpenAuditOptions, type AuditRuntime } from './open-audit.js';
export {
  startAuditGrpc,
  auditGrpcService,
  createAuditClient,
  AUDIT_REQUEST_LIMITS,
  type AuditClient,
  type StartAuditGrpcOptions,
} from './adapters/grpc/audit-grpc.js';
export { personalTextOf, personalTextMessage } from './adapters/grpc/messages.js';
export { IdentityPeople, type IdentityPeopleOptions } from './adapters/identity/identity-people.js';
export { openSealing, closesMonth, type Sealing, type SealingOptions } from './adapters/seals/sealing.js';
export {
  readServiceConfig,
  SEAL_LOG_ENV,
  DEFAULT_SEAL_INTERVAL_MS,
  DEFAULT_VERIFY_INTERVAL_MS,
  type ServiceConfig,
} from './config.js';

// Application: the facade, its projections, its ports.
export {
  AuditApplication,
  AUDIT_PROJECTIONS,
  auditReadModels,
  type AuditApplicationOptions,
  type AuditExport,
  type AuditRequest,
} from './application/audit-service.js';
export { historyProjection, HISTORY_PROJECTION, HISTORY_TABLES } from './application/history-projection.js';
export { reconciliationProjection } from './application/reconciliation.js';
export { searchProjection } from './application/search.js';
export type {
  AuditScope,
  AuditTables,
  AuditQueryDeps,
  LogVerifier,
  ParsedSearch,
  PersonalTexts,
  PersonNames,
  SealSummary,
  StoredText,
  TextsAsker,
} from './application/ports.js';

// Domain: the query decider, the fold of the log's facts, the replay, the inputs' parsing, the tables.
export * as auditQuery from './domain/audit-query.js';
export { AUDIT_QUERY_CATEGORY, auditQueryStream, type AuditQueried } from './domain/audit-query.js';
export { foldPage, splitStream, logOrder } from './domain/log-facts.js';
export { replayState, genericFold, plainJson, FOLDERS } from './domain/replay.js';
export {
  parseInstant,
  parseMonth,
  parseYen,
  parsePeriod,
  parseStreamName,
  parseSubjectId,
  tokyoMinute,
} from './domain/parsing.js';
export { toAuditTable } from './domain/tables.js';

// The service's one definition (for runServiceProcess and the launcher).
export { auditDefinition } from './service.js';

// The command line `workshare audit …` (the launcher's `workshare` command runs it).
export {
  auditCliMain,
  runAuditCli,
  parseAuditCli,
  AUDIT_CLI_USAGE,
  AUDIT_CLI_EXIT,
  grpcAuditCliConnector,
  type AuditCliIo,
  type AuditCliConnector,
} from './cli/index.js';
