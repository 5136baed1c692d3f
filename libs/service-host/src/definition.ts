import type { BusSubscription, EventBus } from '@workshare/bus';
import type { EventStore } from '@workshare/eventsourcing';
import type { TokenVerifier } from '@workshare/grpc';
import type { createLogger } from '@workshare/telemetry';
import type { Env, LogLevel } from './config.js';

/** A process's logger: pino (@workshare/telemetry), personal data redacted. */
export type ServiceLogger = ReturnType<typeof createLogger>;

/**
 * One service, as every way of running it consumes it: `runServiceProcess` (a pod, or one
 * process of the launcher's process mode) and the launcher's single-process mode. The service
 * says what it is (its name, port, the streams it owns, its read models, its consumers), how it
 * reads its configuration, how it opens over a store, how it serves, and its process managers;
 * the runners own everything else (the store, the bus, token checks, signals, stopping).
 */
export interface ServiceDefinition<Service = unknown, Config = unknown> {
  /** `job-intake`: logs, `<NAME>_PORT` and `<NAME>_ADDRESS`, its folder under services/. */
  readonly name: string;
  /** `grpc`: a service others call at `<NAME>_ADDRESS`; `http`: the edge. */
  readonly protocol: 'grpc' | 'http';
  /** Its conventional port (DESIGN: identity 50051, job intake 50052, ..., the gateway 8080). */
  readonly defaultPort: number;
  /** The stream categories it owns (it alone appends to them): `job`, `plan`, ... */
  readonly streams: readonly string[];
  /** The read models it keeps (folded from the log), by name. */
  readonly readModels: readonly string[];
  /** The bus consumers it runs (its process managers), by consumer name. */
  readonly consumerNames: readonly string[];
  /** Whether it opens the event store (the gateway does not: it talks to the services only). */
  readonly usesStore: boolean;
  /** Whether its callers' tokens are checked by identity's VerifyToken (identity checks its own). */
  readonly verifiesTokensWithIdentity: boolean;
  /** Reads and checks its environment (a ConfigError names every problem). */
  readConfig(env: Env): Config;
  /** What the runners need to know of its configuration. */
  settings(config: Config): ProcessSettings;
  /** Opens the service (its facade and adapters) over the store it is given. */
  open(deps: OpenDeps<Config>): Promise<OpenedService<Service>>;
  /** Serves it: its gRPC API (with health and reflection) or the HTTP edge. */
  serve(deps: ServeDeps<Service, Config>): Promise<Served>;
  /** Starts its process managers on the bus. */
  consumers?(deps: {
    readonly service: Service;
    readonly bus: EventBus;
    readonly logger: ServiceLogger;
  }): BusSubscription[];
}

/** The settings every runner reads from a service's configuration. */
export interface ProcessSettings {
  readonly host: string;
  readonly port: number;
  readonly logLevel: LogLevel;
  readonly shutdownGraceMs: number;
  readonly drainDelayMs: number;
  /** EVENTSTORE_URL, for a service that uses the store. */
  readonly storeUrl?: string;
  /** NATS_URL: the bus (unset: the in-process bus over the store). */
  readonly natsUrl?: string | undefined;
  /** Whether this process relays the store's log to NATS. */
  readonly relayEvents?: boolean;
  /** Where identity's VerifyToken is, for a service that checks tokens with it. */
  readonly identityAddress?: string;
}

export interface OpenDeps<Config> {
  readonly config: Config;
  /** The store (opened and closed by the runner); undefined for a service that uses none. */
  readonly store: EventStore | undefined;
  readonly env: Env;
  readonly logger: ServiceLogger;
}

export interface OpenedService<Service> {
  readonly service: Service;
  /** Lets go of what `open` opened (clients, key vaults); the store stays open (the runner closes it). */
  close(): Promise<void>;
}

export interface ServeDeps<Service, Config> {
  readonly service: Service;
  readonly config: Config;
  readonly host: string;
  readonly port: number;
  /** Identity's token checks, for a service that verifies tokens with identity. */
  readonly verifier: TokenVerifier | undefined;
  readonly logger: ServiceLogger;
  readonly drainDelayMs: number;
}

/** A service serving: where, and how it stops. */
export interface Served {
  readonly port: number;
  /** `host:port` for gRPC, `http://host:port` for HTTP. */
  readonly address: string;
  /** What it serves, for the start-up log line (gRPC service names, or routes' prefix). */
  readonly description: readonly string[];
  /** Stops taking calls and lets those in flight finish, up to `graceMs`. */
  stop(graceMs: number): Promise<{ forced: boolean }>;
}

/** `job-intake` → `JOB_INTAKE`, for `<NAME>_PORT` and `<NAME>_ADDRESS`. */
export const envNameOf = (service: string): string => service.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
/** Where the other services find a gRPC service: `<NAME>_ADDRESS` (e.g. JOB_INTAKE_ADDRESS). */
export const addressVariable = (service: string): string => `${envNameOf(service)}_ADDRESS`;
export const portVariable = (service: string): string => `${envNameOf(service)}_PORT`;

/** The settings of a gRPC service's common configuration (readServiceConfig). */
export const grpcProcessSettings = (config: {
  readonly grpcHost: string;
  readonly grpcPort: number;
  readonly logLevel: LogLevel;
  readonly shutdownGraceMs: number;
  readonly drainDelayMs: number;
  readonly storeUrl: string;
  readonly natsUrl: string | undefined;
  readonly relayEvents: boolean;
  readonly identityAddress: string;
}): ProcessSettings => ({
  host: config.grpcHost,
  port: config.grpcPort,
  logLevel: config.logLevel,
  shutdownGraceMs: config.shutdownGraceMs,
  drainDelayMs: config.drainDelayMs,
  storeUrl: config.storeUrl,
  natsUrl: config.natsUrl,
  relayEvents: config.relayEvents,
  identityAddress: config.identityAddress,
});

/** A gRPC server (of @workshare/grpc) as a served service. */
export const servedGrpc = (server: {
  readonly port: number;
  readonly address: string;
  readonly serviceNames: readonly string[];
  shutdown(graceMs?: number): Promise<{ forced: boolean }>;
}): Served => ({
  port: server.port,
  address: server.address,
  description: server.serviceNames,
  stop: (graceMs) => server.shutdown(graceMs),
});
