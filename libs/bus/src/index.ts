export * from './bus.js';
export * from './envelope.js';
export {
  ChainFaultError,
  ChainVerifier,
  DEFAULT_CHAIN_TAILS,
  describeChainFault,
  type BusFault,
  type ChainFault,
  type PendingTails,
} from './chain.js';
export { contextFromTraceparent, inConsumerSpan } from './tracing.js';
export {
  EmbeddedEventBus,
  deadLetterStream,
  cursorCheckpointId,
  ledgerCheckpointId,
  DEAD_LETTERED,
  type EmbeddedEventBusOptions,
} from './embedded-bus.js';
export {
  NatsEventBus,
  DEAD_LETTER_HEADERS,
  DEFAULT_NATS_URL,
  DEFAULT_STREAM,
  type NatsEventBusOptions,
} from './nats/nats-bus.js';
export { EventRelay, EVENT_HEADERS, type RelayOptions, type RelayStats } from './nats/relay.js';
export { NatsLink, redactUrl, type ConnectRetryOptions } from './nats/connection.js';
export { NatsLedger, type LedgerOutcome } from './nats/ledger.js';
export { DEFAULT_JETSTREAM_TIMEOUT_MS, JetStreamRequests, type PublishAck } from './nats/requests.js';
export { deleteStreams, ensureStream, type EnsureStreamOptions } from './nats/streams.js';
export { openEventBus, type OpenEventBusOptions } from './open.js';
export { NatsSealLog, SEAL_STREAM, SEAL_SUBJECT, type NatsSealLogOptions } from './nats/seal-log.js';
