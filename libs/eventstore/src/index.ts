export { openEventStore, DEFAULT_EVENTSTORE_URL, type OpenEventStoreOptions } from './open.js';
export {
  SqlEventStore,
  leaseIdOf,
  MAX_SCAN_PAGE,
  type SqlEventStoreOptions,
  type LogScanner,
} from './sql-event-store.js';
export { KurrentDbEventStore } from './kurrentdb-event-store.js';
export { CatchUpSubscription } from './catch-up-subscription.js';
export { postgresDriver, LeaseLostError, type PostgresDriverOptions } from './pg-driver.js';
export { embeddedDriver } from './pglite-driver.js';
export type { SqlDriver } from './sql-driver.js';
export {
  LIMITS,
  prepareEvents,
  assertStreamName,
  assertExpectedVersion,
  assertCategories,
  type PreparedEvent,
} from './validation.js';
export type { LogPage, PagedLog } from './reading.js';
export { MIGRATIONS } from './schema.js';
export {
  createPostgresDatabase,
  dropPostgresDatabase,
  dropPostgresSchemas,
  postgresDatabaseUrl,
  uniqueSchemaName,
} from './schemas.js';
export { verifyLog, type LogVerification, type LogBreak, type LogBreakKind, type VerifyLogOptions } from './verify.js';
export {
  SEAL_REASONS,
  SEAL_KEY_ENV,
  LOG_START,
  logLink,
  sealBodyJson,
  sealDigest,
  sealKeyId,
  loadSealKey,
  generateSealKey,
  sealPublicKey,
  signSeal,
  sealShapeProblem,
  sealSignatureValid,
  checkSeals,
  lastTrustedSeal,
  FileSealLog,
  SealLogBrokenError,
  type Seal,
  type SealBody,
  type SealTip,
  type SealReason,
  type SealKey,
  type SealSink,
  type SealProblem,
  type LogLinkFields,
} from './seals.js';
export { LogSealer, SEALER_LEASE, type LogSealerOptions } from './sealer.js';
export { HashingPool, rowSchemes, type LogRow } from './log-hashing.js';
export { APPEND_ONLY_TRIGGER } from './schema.js';
export {
  SqlProjectionStore,
  openProjectionStore,
  openServiceProjections,
  projectionSchemaOf,
} from './sql-projection-store.js';
export { SqlTableProjection, tableDdl, insertSql, type SqlTableProjectionOptions } from './sql-table-projection.js';
