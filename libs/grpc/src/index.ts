/**
 * @workshare/grpc: the gRPC host every service uses (DESIGN §2): a server with health and
 * reflection, async handlers with the verified caller, DomainError ↔ status mapping, spans and
 * trace propagation, a retrying client with deadlines, graceful shutdown.
 */
export * from './caller.js';
export * from './errors.js';
export * from './logger.js';
export * from './telemetry.js';
export { CLIENT_ADDRESS_KEY, clientAddressOf, defineService, peerHost, serviceNameOf } from './service.js';
export type {
  AsyncService,
  AuthenticatedCallContext,
  CallContext,
  RequestOf,
  ResponseOf,
  ServiceRegistration,
  UnaryHandler,
  UnaryMethodName,
} from './service.js';
export * from './address.js';
export * from './client.js';
export * from './server.js';
export * from './bench.js';
export * from './identity-verifier.js';
export * from './wire.js';
export * from './request-fields.js';
export * from './request-checks.js';
export * from './command-context.js';
export * from './attempt-limits.js';
export { readModelsGrpcService } from './read-models.js';
