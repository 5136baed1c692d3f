/**
 * @workshare/service-host: one service definition (ServiceDefinition) and the ways of running
 * it: as its own process (a pod: configuration from the environment, the store, the bus and its
 * consumers, its API or a worker's health, a graceful stop), and the helpers the launcher and the
 * process tests use.
 */
export * from './config.js';
export * from './definition.js';
export * from './run.js';
export * from './processes.js';
export * from './revocations.js';
export * from './worker.js';
