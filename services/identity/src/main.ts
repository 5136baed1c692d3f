#!/usr/bin/env node
/**
 * The identity service as its own process, as a pod runs it:
 *
 *   node --import @workshare/telemetry/register services/identity/dist/src/main.js
 *
 * Configuration from the environment (see config.ts and the README): the store, the gRPC
 * port, the master and signing keys, the log level. Opens the identity service, serves it
 * over gRPC on every interface (health and reflection included), and on SIGTERM or SIGINT
 * drains the calls in flight, closes the store and stops telemetry before it exits.
 * Logs carry ids, never personal data.
 */
import { openEventBus, type EventBus } from '@workshare/bus';
import { createLogger, shutdownTelemetry } from '@workshare/telemetry';
import { startIdentityGrpc } from './adapters/grpc/identity-grpc.js';
import { ConfigError, readServiceConfig, type ServiceConfig } from './config.js';
import { openIdentityService } from './open-identity.js';

const fail = (message: string): never => {
  process.stderr.write(`identity could not start: ${message}\n`);
  process.exit(1);
};

const readConfig = (): ServiceConfig => {
  try {
    return readServiceConfig(process.env);
  } catch (error) {
    return fail(error instanceof ConfigError ? error.message : String(error));
  }
};

const main = async (): Promise<void> => {
  const config = readConfig();
  const log = createLogger('identity', { level: config.logLevel });

  let runtime: Awaited<ReturnType<typeof openIdentityService>>;
  try {
    runtime = await openIdentityService({
      env: process.env,
      storeUrl: config.storeUrl,
      readStalenessMs: config.readStalenessMs,
    });
  } catch (error) {
    const code =
      typeof error === 'object' && error !== null && 'code' in error
        ? String((error as { code: unknown }).code)
        : undefined;
    log.fatal({ code }, 'identity could not open its store and keys');
    return fail(error instanceof Error ? error.message : String(error));
  }

  let server: Awaited<ReturnType<typeof startIdentityGrpc>>;
  try {
    server = await startIdentityGrpc({
      service: runtime.service,
      port: config.grpcPort,
      host: config.grpcHost,
      logger: log,
      drainDelayMs: config.drainDelayMs,
    });
  } catch (error) {
    await runtime.close().catch(() => undefined);
    return fail(error instanceof Error ? error.message : String(error));
  }
  log.info(
    { host: config.grpcHost, port: server.port, store: runtime.store.kind, services: server.serviceNames },
    'identity gRPC listening',
  );

  // With NATS, this process relays the store's log to JetStream (Nats-Msg-Id = event id, so a
  // second relay over the same store only causes deduplicated repeats). EVENTS_RELAY=off leaves
  // relaying to another process. Without NATS there is nothing to relay to.
  let bus: EventBus | undefined;
  if (config.natsUrl !== undefined && config.relayEvents) {
    bus = openEventBus({ store: runtime.store, natsUrl: config.natsUrl, log });
    log.info({ bus: bus.kind }, 'relaying the event log to NATS');
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn({ signal }, 'second signal while stopping: exiting at once');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal, graceMs: config.shutdownGraceMs }, 'identity stopping: draining calls in flight');
    void (async () => {
      let code = 0;
      try {
        const { forced } = await server.shutdown(config.shutdownGraceMs);
        await bus?.close();
        await runtime.close();
        log.info({ forced }, 'identity stopped');
      } catch (error) {
        code = 1;
        log.error(
          {
            err: {
              type: error instanceof Error ? error.name : typeof error,
              message: error instanceof Error ? error.message : String(error),
            },
          },
          'identity did not stop cleanly',
        );
      }
      await shutdownTelemetry().catch(() => undefined);
      process.exit(code);
    })();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
};

void main();
