// The relay: publishes the event store's log to NATS JetStream (the store is the outbox), in
// replicas of which exactly one publishes, by a PostgreSQL advisory lock held as a lease.
export {
  readRelayConfig,
  DEFAULT_GRPC_PORT,
  DEFAULT_LEASE_ID,
  DEFAULT_LEASE_RETRY_MS,
  ConfigError,
  type RelayConfig,
} from './config.js';
export { PostgresLease, LEASE_LOCK_CLASS, type LeaseOptions, type HeldLease } from './lease.js';
export { RelayWorker, type RelayState, type RelayWorkerOptions } from './relay-worker.js';

// The relay's one definition (for runServiceProcess and the launcher).
export { relayDefinition } from './service.js';
