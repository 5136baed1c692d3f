#!/usr/bin/env node
/**
 * The team scheduling service as its own process, as a pod runs it (one replica: scheduling
 * commands are serialised within the process, see the README):
 *
 *   node --import @workshare/telemetry/register services/team-scheduling/dist/src/main.js
 *
 * Configuration from the environment (see config.ts and the README). Opens the store, serves
 * TeamSchedulingService over gRPC (health and reflection included; tokens checked by
 * identity's VerifyToken), starts its process managers on the bus (identity's members,
 * TasksPlanned, job inspections and cancellations, declared unavailability), and on SIGTERM or
 * SIGINT drains the calls in flight, stops the consumers, closes the store and stops telemetry
 * before it exits. Logs carry ids, never personal data.
 */
import { openEventBus, type BusSubscription, type EventBus } from '@workshare/bus';
import type { EventStore } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import { IdentityTokenVerifierClient, type GrpcServer } from '@workshare/grpc';
import { createLogger, shutdownTelemetry } from '@workshare/telemetry';
import { startTeamSchedulingGrpc } from './adapters/grpc/team-scheduling-grpc.js';
import { startTeamSchedulingConsumers } from './application/consumers.js';
import { ConfigError, readServiceConfig, type ServiceConfig } from './config.js';
import { openTeamSchedulingService, type TeamSchedulingRuntime } from './open-team-scheduling.js';

const fail = (message: string): never => {
  process.stderr.write(`team-scheduling could not start: ${message}\n`);
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
  const log = createLogger('team-scheduling', { level: config.logLevel });

  let store: EventStore;
  try {
    store = await openEventStore(config.storeUrl);
  } catch (error) {
    log.fatal({ code: (error as { code?: unknown }).code }, 'team-scheduling could not open its store');
    return fail(error instanceof Error ? error.message : String(error));
  }
  const runtime: TeamSchedulingRuntime = await openTeamSchedulingService({ store });
  const verifier = new IdentityTokenVerifierClient({ identityAddress: config.identityAddress });

  let server: GrpcServer;
  try {
    server = await startTeamSchedulingGrpc({ service: runtime.service, port: config.grpcPort, host: config.grpcHost, verifier, logger: log, drainDelayMs: config.drainDelayMs });
  } catch (error) {
    verifier.close();
    await runtime.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    return fail(error instanceof Error ? error.message : String(error));
  }
  log.info({ host: config.grpcHost, port: server.port, store: store.kind, identity: config.identityAddress, services: server.serviceNames }, 'team-scheduling gRPC listening');

  // With NATS, this process relays the store's log unless EVENTS_RELAY=off (another process relays).
  const bus: EventBus = openEventBus({ store, natsUrl: config.natsUrl, relay: config.relay, log });
  const subscriptions: BusSubscription[] = startTeamSchedulingConsumers({ service: runtime.service, bus, logger: log });
  log.info({ bus: bus.kind, consumers: subscriptions.map((s) => s.consumer) }, 'team-scheduling consumers started');

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn({ signal }, 'second signal while stopping: exiting at once');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal, graceMs: config.shutdownGraceMs }, 'team-scheduling stopping: draining calls in flight');
    void (async () => {
      let code = 0;
      try {
        const { forced } = await server.shutdown(config.shutdownGraceMs);
        await Promise.all(subscriptions.map((s) => s.stop()));
        await bus.close();
        verifier.close();
        await runtime.close();
        await store.close();
        log.info({ forced }, 'team-scheduling stopped');
      } catch (error) {
        code = 1;
        log.error({ err: { type: error instanceof Error ? error.name : typeof error, message: error instanceof Error ? error.message : String(error) } }, 'team-scheduling did not stop cleanly');
      }
      await shutdownTelemetry().catch(() => undefined);
      process.exit(code);
    })();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
};

void main();
