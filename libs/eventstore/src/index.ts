export { openEventStore, DEFAULT_EVENTSTORE_URL, type OpenEventStoreOptions } from './open.js';
export { SqlEventStore, leaseIdOf, type SqlEventStoreOptions } from './sql-event-store.js';
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
export { verifyLog, type LogVerification, type LogBreak } from './verify.js';
export {
  SqlProjectionStore,
  openProjectionStore,
  openServiceProjections,
  projectionSchemaOf,
} from './sql-projection-store.js';
