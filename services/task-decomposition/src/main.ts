#!/usr/bin/env node
/**
 * The task decomposition service as its own process, as a pod runs it:
 *
 *   node --import @workshare/telemetry/register services/task-decomposition/dist/src/main.js
 *
 * Configuration from the environment (config.ts, README): the store, the bus, identity's
 * address for verifying callers, the gRPC port, TASK_MAX_MINUTES. Serves the plans over gRPC
 * (health and reflection included) and runs the process manager on job intake's events; on
 * SIGTERM or SIGINT it drains the calls in flight, stops the consumers, closes the bus and the
 * store and stops telemetry before it exits. Logs carry ids, never personal data.
 */
import { openEventBus, type EventBus, type BusSubscription } from '@workshare/bus';
import type { EventStore } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import { IdentityTokenVerifierClient, type GrpcServer } from '@workshare/grpc';
import { createLogger, shutdownTelemetry } from '@workshare/telemetry';
import { startTaskDecompositionGrpc } from './adapters/grpc/task-decomposition-grpc.js';
import { startTaskDecompositionConsumers } from './application/process-manager.js';
import { ConfigError, readServiceConfig, type ServiceConfig } from './config.js';
import { openTaskDecompositionService } from './open-task-decomposition.js';

const NAME = 'task-decomposition';

const fail = (message: string): never => {
  process.stderr.write(`${NAME} could not start: ${message}\n`);
  process.exit(1);
};

const readConfig = (): ServiceConfig => {
  try {
    return readServiceConfig(process.env);
  } catch (error) {
    return fail(error instanceof ConfigError ? error.message : String(error));
  }
};

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const main = async (): Promise<void> => {
  const config = readConfig();
  const log = createLogger(NAME, { level: config.logLevel });

  let store: EventStore;
  try {
    store = await openEventStore(config.storeUrl);
  } catch (error) {
    log.fatal({}, 'could not open the event store');
    return fail(message(error));
  }
  const runtime = await openTaskDecompositionService({ store, maxTaskMinutes: config.maxTaskMinutes });
  const verifier = new IdentityTokenVerifierClient({ identityAddress: config.identityAddress });

  let server: GrpcServer;
  try {
    server = await startTaskDecompositionGrpc({ service: runtime.service, port: config.grpcPort, host: config.grpcHost, verifier, logger: log, drainDelayMs: config.drainDelayMs });
  } catch (error) {
    verifier.close();
    await store.close().catch(() => undefined);
    return fail(message(error));
  }

  // With NATS, this process may relay the store's log to JetStream (Nats-Msg-Id = event id, so
  // a second relay over the same store only causes deduplicated repeats); EVENTS_RELAY=off leaves
  // that to another process. Without NATS the bus reads the store itself.
  const bus: EventBus = openEventBus({ store, natsUrl: config.natsUrl, log, relay: config.relayEvents });
  const subscriptions: BusSubscription[] = startTaskDecompositionConsumers({ service: runtime.service, bus, logger: log });
  log.info(
    { host: config.grpcHost, port: server.port, store: store.kind, bus: bus.kind, maxTaskMinutes: config.maxTaskMinutes, identity: config.identityAddress },
    `${NAME} listening`,
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn({ signal }, 'second signal while stopping: exiting at once');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal, graceMs: config.shutdownGraceMs }, `${NAME} stopping: draining calls in flight`);
    void (async () => {
      let code = 0;
      try {
        const { forced } = await server.shutdown(config.shutdownGraceMs);
        await Promise.all(subscriptions.map((s) => s.stop()));
        await bus.close();
        verifier.close();
        await runtime.close();
        await store.close();
        log.info({ forced }, `${NAME} stopped`);
      } catch (error) {
        code = 1;
        log.error({ err: { type: error instanceof Error ? error.name : typeof error, message: message(error) } }, `${NAME} did not stop cleanly`);
      }
      await shutdownTelemetry().catch(() => undefined);
      process.exit(code);
    })();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
};

void main();
