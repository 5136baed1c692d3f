import { openEventBus, type BusSubscription, type EventBus } from '@workshare/bus';
import type { EventStore } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import { IdentityTokenVerifierClient, type GrpcServer, type Logger, type TokenVerifier } from '@workshare/grpc';
import { createLogger, shutdownTelemetry } from '@workshare/telemetry';
import { ConfigError, type ServiceConfig } from './config.js';

/** The process's logger (pino, personal data redacted). */
export type ServiceLogger = ReturnType<typeof createLogger>;

/** What a service opens on its store: its facade, closed before the store. */
export interface ServiceRuntime<Service> {
  readonly service: Service;
  close(): Promise<void>;
}

export interface ServiceProcess<Service, Config extends ServiceConfig> {
  /** The service's name, for logs and messages (`job-intake`). */
  readonly name: string;
  /** Reads and checks the environment (throws ConfigError with every problem). */
  readConfig(env: NodeJS.ProcessEnv): Config;
  open(options: { store: EventStore; config: Config }): Promise<ServiceRuntime<Service>>;
  serve(options: {
    service: Service;
    port: number;
    host: string;
    verifier: TokenVerifier;
    logger: Logger;
    drainDelayMs: number;
  }): Promise<GrpcServer>;
  /** Its process managers on the bus. */
  consumers?(options: { service: Service; bus: EventBus; logger: ServiceLogger }): BusSubscription[];
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * A service as its own process, as a pod runs it (`node --import @workshare/telemetry/register
 * services/<name>/dist/src/main.js`): reads its configuration (exit 1 listing every problem),
 * opens the store, serves its gRPC API (health and reflection included; callers' tokens checked
 * by identity's VerifyToken), starts its process managers on the bus (relaying the store's log
 * to NATS unless EVENTS_RELAY=off), and on SIGTERM or SIGINT drains the calls in flight, stops
 * the consumers, closes the bus, the service and the store, stops telemetry and exits 0 (1 if
 * something did not stop cleanly; a second signal exits at once). Logs carry ids, never
 * personal data.
 */
export const runServiceProcess = async <Service, Config extends ServiceConfig>(
  definition: ServiceProcess<Service, Config>,
): Promise<void> => {
  const { name } = definition;
  const fail = (message: string): never => {
    process.stderr.write(`${name} could not start: ${message}\n`);
    process.exit(1);
  };
  let config: Config;
  try {
    config = definition.readConfig(process.env);
  } catch (error) {
    return fail(error instanceof ConfigError ? error.message : messageOf(error));
  }
  const log = createLogger(name, { level: config.logLevel });

  let store: EventStore;
  try {
    store = await openEventStore(config.storeUrl);
  } catch (error) {
    log.fatal({ code: (error as { code?: unknown }).code }, `${name} could not open its store`);
    return fail(messageOf(error));
  }
  const verifier = new IdentityTokenVerifierClient({ identityAddress: config.identityAddress });
  let runtime: ServiceRuntime<Service> | undefined;
  let server: GrpcServer;
  try {
    runtime = await definition.open({ store, config });
    server = await definition.serve({
      service: runtime.service,
      port: config.grpcPort,
      host: config.grpcHost,
      verifier,
      logger: log,
      drainDelayMs: config.drainDelayMs,
    });
  } catch (error) {
    verifier.close();
    await runtime?.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    return fail(messageOf(error));
  }
  const opened = runtime;
  log.info(
    {
      host: config.grpcHost,
      port: server.port,
      store: store.kind,
      identity: config.identityAddress,
      services: server.serviceNames,
    },
    `${name} gRPC listening`,
  );

  const bus: EventBus = openEventBus({ store, natsUrl: config.natsUrl, relay: config.relayEvents, log });
  const subscriptions = definition.consumers?.({ service: opened.service, bus, logger: log }) ?? [];
  log.info(
    {
      bus: bus.kind,
      relay: config.natsUrl !== undefined && config.relayEvents,
      consumers: subscriptions.map((s) => s.consumer),
    },
    `${name} consumers started`,
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn({ signal }, 'second signal while stopping: exiting at once');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal, graceMs: config.shutdownGraceMs }, `${name} stopping: draining calls in flight`);
    void (async () => {
      let code = 0;
      try {
        const { forced } = await server.shutdown(config.shutdownGraceMs);
        await Promise.all(subscriptions.map((s) => s.stop()));
        await bus.close();
        verifier.close();
        await opened.close();
        await store.close();
        log.info({ forced }, `${name} stopped`);
      } catch (error) {
        code = 1;
        log.error(
          { err: { type: error instanceof Error ? error.name : typeof error, message: messageOf(error) } },
          `${name} did not stop cleanly`,
        );
      }
      await shutdownTelemetry().catch(() => undefined);
      process.exit(code);
    })();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
};
