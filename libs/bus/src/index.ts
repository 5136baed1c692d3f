export * from './bus.js';
export * from './envelope.js';
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
export { JetStreamRequests, type PublishAck } from './nats/requests.js';
export { ensureStream, type EnsureStreamOptions } from './nats/streams.js';
export { openEventBus, type OpenEventBusOptions } from './open.js';
