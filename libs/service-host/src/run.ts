import { openEventBus, type BusSubscription, type EventBus } from '@workshare/bus';
import type { EventStore } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import { DEFAULT_VERIFIED_TTL_MS, IdentityTokenVerifierClient } from '@workshare/grpc';
import { createLogger, shutdownTelemetry } from '@workshare/telemetry';
import { systemClock, type Clock } from '@workshare/time';
import { ConfigError } from './config.js';
import type { OpenedService, Served, ServiceDefinition } from './definition.js';
import { listenForAccessRevocations } from './revocations.js';

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export interface RunServiceOptions {
  /** The platform's clock, given to the service's `open` and to its token checks (default systemClock). */
  readonly now?: Clock;
}

/**
 * A service as its own process, as a pod runs it (`node --import @workshare/telemetry/register
 * services/<name>/dist/src/main.js`, whose main is `runServiceProcess(definition)`): reads its
 * configuration (exit 1 listing every problem), opens the store (if it uses one), opens the
 * service, serves it (gRPC with health and reflection, callers' tokens checked by identity's
 * VerifyToken; the HTTP edge; or a worker's health), starts its process managers on the bus (a
 * service's process never relays the store's log to NATS: the relay service does, by lease), and
 * on SIGTERM or SIGINT stops taking calls, lets those in flight finish (SHUTDOWN_GRACE_MS), stops
 * the consumers, closes the bus, the service and the store, stops telemetry and exits 0 (1 if
 * something did not stop cleanly; a second signal exits at once). Logs carry ids, never personal
 * data. The service runs on the system's clock unless `options.now` says otherwise.
 */
export const runServiceProcess = async <Service, Config>(
  definition: ServiceDefinition<Service, Config>,
  options: RunServiceOptions = {},
): Promise<void> => {
  const { name } = definition;
  const now = options.now ?? systemClock;
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
  const settings = definition.settings(config);
  const log = createLogger(name, { level: settings.logLevel });

  let store: EventStore | undefined;
  if (definition.usesStore) {
    try {
      store = await openEventStore(settings.storeUrl);
    } catch (error) {
      log.fatal({ code: (error as { code?: unknown }).code }, `${name} could not open its store`);
      return fail(messageOf(error));
    }
  }
  const verifier =
    definition.verifiesTokensWithIdentity && settings.identityAddress !== undefined
      ? new IdentityTokenVerifierClient({ identityAddress: settings.identityAddress, clock: now })
      : undefined;
  let opened: OpenedService<Service> | undefined;
  let served: Served;
  try {
    opened = await definition.open({ config, store, env: process.env, logger: log, now });
    served = await definition.serve({
      service: opened.service,
      config,
      host: settings.host,
      port: settings.port,
      verifier,
      logger: log,
      drainDelayMs: settings.drainDelayMs,
    });
  } catch (error) {
    verifier?.close();
    await opened?.close().catch(() => undefined);
    await store?.close().catch(() => undefined);
    log.fatal(
      { err: { type: error instanceof Error ? error.name : typeof error, message: messageOf(error) } },
      `${name} could not start`,
    );
    return fail(messageOf(error));
  }
  const running = opened;
  log.info(
    {
      host: settings.host,
      port: served.port,
      address: served.address,
      store: store?.kind,
      ...(verifier !== undefined ? { identity: settings.identityAddress } : {}),
      services: served.description,
    },
    definition.protocol === 'http' ? `${name} listening` : `${name} gRPC listening`,
  );

  // The bus only for a service with process managers, or that checks tokens (it hears identity's
  // access revocations); never with a relay (the relay service publishes the store's log to
  // NATS, one replica at a time). A process without a store (the gateway) listens on NATS only.
  let bus: EventBus | undefined;
  const subscriptions: BusSubscription[] = [];
  const startConsumers = definition.consumers;
  const revocationListeners = [
    ...(verifier !== undefined ? [verifier] : []),
    ...(definition.accessRevocations !== undefined ? [definition.accessRevocations(running.service)] : []),
  ];
  const wantsBus = (store !== undefined && startConsumers !== undefined) || revocationListeners.length > 0;
  if (wantsBus && (store !== undefined || settings.natsUrl !== undefined)) {
    bus = openEventBus({ ...(store !== undefined ? { store } : {}), natsUrl: settings.natsUrl, relay: false, log });
    if (revocationListeners.length > 0)
      subscriptions.push(listenForAccessRevocations({ bus, listeners: revocationListeners, logger: log }));
    if (store !== undefined && startConsumers !== undefined)
      subscriptions.push(...startConsumers({ service: running.service, bus, logger: log }));
    log.info({ bus: bus.kind, consumers: subscriptions.map((s) => s.consumer) }, `${name} consumers started`);
  } else if (revocationListeners.length > 0) {
    log.warn(
      { verifiedTokensTrustedMs: DEFAULT_VERIFIED_TTL_MS },
      `${name} has no bus (no NATS_URL): identity's revocations reach its token checks only when what they remember expires`,
    );
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn({ signal }, 'second signal while stopping: exiting at once');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal, graceMs: settings.shutdownGraceMs }, `${name} stopping: draining calls in flight`);
    void (async () => {
      let code = 0;
      try {
        const { forced } = await served.stop(settings.shutdownGraceMs);
        await Promise.all(subscriptions.map((s) => s.stop()));
        await bus?.close();
        verifier?.close();
        await running.close();
        await store?.close();
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
