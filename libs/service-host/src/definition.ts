import type { BusSubscription, EventBus } from '@workshare/bus';
import type { EventStore, OperatedReadModel, ProjectionStore } from '@workshare/eventsourcing';
import type { AccessRevocationListener, TokenVerifier } from '@workshare/grpc';
import type { createLogger } from '@workshare/telemetry';
import type { Clock } from '@workshare/time';
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
  /**
   * `grpc`: a service others call at `<NAME>_ADDRESS`; `http`: the edge; `worker`: a process
   * that does work of its own and takes no calls (the relay), serving only grpc.health.v1 on its
   * port (`serveWorkerHealth`), so that probes and supervisors see how it is.
   */
  readonly protocol: 'grpc' | 'http' | 'worker';
  /** Its conventional port (DESIGN: identity 50051, job intake 50052, ..., the gateway 8080). */
  readonly defaultPort: number;
  /** The stream categories it owns (it alone appends to them): `job`, `plan`, ... */
  readonly streams: readonly string[];
  /** The read models it keeps (folded from the log), by name. */
  readonly readModels: readonly string[];
  /**
   * Its durable read models over a store and its projection store (see openServiceProjections:
   * the schema named after the service), as the read-models CLI rebuilds them from outside the
   * service. Each name is one of `readModels`.
   */
  readonly durableReadModels?: (source: EventStore, projections: ProjectionStore) => readonly OperatedReadModel[];
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
  /**
   * Opens the service (its facade and adapters) over the store it is given, on the platform's
   * clock (`deps.now`), which every decision and every event's occurredAt of the service reads.
   */
  open(deps: OpenDeps<Config>): Promise<OpenedService<Service>>;
  /** Serves it: its gRPC API (with health and reflection), the HTTP edge, or a worker's health. */
  serve(deps: ServeDeps<Service, Config>): Promise<Served>;
  /** Starts its process managers on the bus. */
  consumers?(deps: {
    readonly service: Service;
    readonly bus: EventBus;
    readonly logger: ServiceLogger;
  }): BusSubscription[];
  /**
   * What in the service itself remembers what tokens said and must hear identity's access
   * revocations (identity: which sessions have ended). The runners' IdentityTokenVerifierClient
   * hears them anyway (listenForAccessRevocations, one listener per process).
   */
  accessRevocations?(service: Service): AccessRevocationListener;
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
  /** Where identity's VerifyToken is, for a service that checks tokens with it. */
  readonly identityAddress?: string;
}

export interface OpenDeps<Config> {
  readonly config: Config;
  /** The store (opened and closed by the runner); undefined for a service that uses none. */
  readonly store: EventStore | undefined;
  readonly env: Env;
  readonly logger: ServiceLogger;
  /**
   * The platform's clock, given by whoever runs the platform (systemClock unless told otherwise;
   * the launcher's one-process mode may run every service on one simulated clock): what "now"
   * is for the service's rules, the events' occurredAt, tokens' issue and expiry, the current
   * week. Infrastructure timing (deadlines, retries, leases, caches, ids) stays on the real time.
   */
  readonly now: Clock;
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
  readonly identityAddress: string;
}): ProcessSettings => ({
  host: config.grpcHost,
  port: config.grpcPort,
  logLevel: config.logLevel,
  shutdownGraceMs: config.shutdownGraceMs,
  drainDelayMs: config.drainDelayMs,
  storeUrl: config.storeUrl,
  natsUrl: config.natsUrl,
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
