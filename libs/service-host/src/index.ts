/**
 * @workshare/service-host: a service as its own process (a pod): its configuration from the
 * environment, the store, the bus and its consumers, its gRPC API, a graceful stop. Every
 * service but identity (whose keys make its start-up its own) runs through it.
 */
export * from './config.js';
export * from './run.js';
export * from './processes.js';
