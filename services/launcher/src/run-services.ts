/**
 * The services in this process over one event store, each from its definition as its own
 * process would run it, on loopback, on one clock; the bus in process over the store. The store
 * is the caller's: opened before and closed after, so that two runs can follow each other over
 * it (the demo's past month on a simulated clock, then the platform on the real one).
 */
import { openEventBus, type BusSubscription, type EventBus } from '@workshare/bus';
import type { EventStore } from '@workshare/eventsourcing';
import { IdentityTokenVerifierClient, type AccessRevocationListener } from '@workshare/grpc';
import {
  addressVariable,
  listenForAccessRevocations,
  portVariable,
  type Env,
  type ServiceDefinition,
} from '@workshare/service-host';
import { createLogger } from '@workshare/telemetry';
import type { Clock } from '@workshare/time';
import { DEFINITIONS, planServices, SERVICES, type ServicePlan } from './plan.js';

const log = createLogger('launcher');

export interface RunServicesOptions {
  /** The store's URL, as the services read it (EVENTSTORE_URL). */
  readonly storeUrl: string;
  /** Ports: the conventions, `<SERVICE>_PORT` from `env` overriding (0: any free port). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: Clock;
  readonly maxTaskMinutes?: number;
  readonly rateLimitPerMinute?: number;
  /** Which services (default every one, in start order). */
  readonly definitions?: readonly ServiceDefinition<unknown, unknown>[];
}

export interface RunningServices {
  readonly bus: EventBus;
  /** host:port of each service (the gateway's too), by name. */
  readonly addresses: Readonly<Record<string, string>>;
  /** Each service's facade in this process, by name. */
  readonly services: Readonly<Record<string, unknown>>;
  /** Stops the services and the bus; the store stays open. */
  stop(): Promise<void>;
}

const planOf = (plans: readonly ServicePlan[], name: string): ServicePlan => {
  const plan = plans.find((p) => p.name === name);
  if (!plan) throw new Error(`no plan for ${name}`);
  return plan;
};

/**
 * The environment a service reads in the one-process mode: the launcher's own, with the shared
 * store, no NATS, its loopback port, where the services started before it listen, and the
 * launcher's options as the variables the services read.
 */
const embeddedEnvironment = (
  env: Env,
  definition: Pick<ServiceDefinition, 'name' | 'protocol'>,
  options: {
    readonly storeUrl: string;
    readonly host: string;
    readonly port: number;
    readonly addresses: Readonly<Record<string, string>>;
    readonly maxTaskMinutes?: number;
    readonly rateLimitPerMinute?: number;
  },
): Env => {
  const own =
    definition.protocol === 'grpc'
      ? { GRPC_PORT: String(options.port), GRPC_HOST: options.host }
      : { PORT: String(options.port), HOST: options.host };
  return {
    ...env,
    EVENTSTORE_URL: options.storeUrl,
    NATS_URL: undefined,
    ...own,
    [portVariable(definition.name)]: String(options.port),
    ...Object.fromEntries(Object.entries(options.addresses).map(([name, address]) => [addressVariable(name), address])),
    ...(options.maxTaskMinutes !== undefined ? { TASK_MAX_MINUTES: String(options.maxTaskMinutes) } : {}),
    ...(options.rateLimitPerMinute !== undefined
      ? { GATEWAY_RATE_LIMIT_PER_MINUTE: String(options.rateLimitPerMinute) }
      : {}),
  };
};

export const runServices = async (store: EventStore, options: RunServicesOptions): Promise<RunningServices> => {
  const { now } = options;
  const plans = planServices(SERVICES, options.env);
  const host = '127.0.0.1';
  const bus = openEventBus({ store, natsUrl: undefined });
  const closers: (() => Promise<unknown>)[] = [() => bus.close()];
  const stop = async () => {
    for (const close of closers.reverse())
      await close().catch((error: unknown) => log.error({ err: error }, 'while stopping'));
  };
  const addresses: Record<string, string> = {};
  const services: Record<string, unknown> = {};
  try {
    // Each service from its definition, as its own process would run it, but over the one store
    // and bus of this process, on loopback; each learns where the ones before it listen.
    let verifier: IdentityTokenVerifierClient | undefined;
    const consumers: (() => BusSubscription[])[] = [];
    /** What remembers what tokens said: the one verifier, and what services keep themselves (identity's sessions). */
    const revocationListeners: AccessRevocationListener[] = [];
    for (const definition of options.definitions ?? DEFINITIONS) {
      const plan = planOf(plans, definition.name);
      const env = embeddedEnvironment(options.env, definition, {
        storeUrl: options.storeUrl,
        host,
        port: plan.port,
        addresses,
        ...(options.maxTaskMinutes !== undefined ? { maxTaskMinutes: options.maxTaskMinutes } : {}),
        ...(options.rateLimitPerMinute !== undefined ? { rateLimitPerMinute: options.rateLimitPerMinute } : {}),
      });
      const config = definition.readConfig(env);
      const logger = createLogger(definition.name, { level: definition.settings(config).logLevel });
      const opened = await definition.open({
        config,
        store: definition.usesStore ? store : undefined,
        env,
        logger,
        now,
      });
      closers.push(() => opened.close());
      if (definition.verifiesTokensWithIdentity && verifier === undefined) {
        const identityAddress = addresses.identity;
        if (identityAddress === undefined) throw new Error(`${definition.name} needs identity, which starts first`);
        const opening = new IdentityTokenVerifierClient({ identityAddress, clock: now });
        verifier = opening;
        revocationListeners.push(opening);
        closers.push(async () => opening.close());
      }
      if (definition.accessRevocations) revocationListeners.push(definition.accessRevocations(opened.service));
      const served = await definition.serve({
        service: opened.service,
        config,
        host,
        port: plan.port,
        verifier: definition.verifiesTokensWithIdentity ? verifier : undefined,
        logger,
        drainDelayMs: 0,
      });
      closers.push(() => served.stop(5_000));
      addresses[definition.name] = served.address;
      services[definition.name] = opened.service;
      if (definition.consumers) {
        const start = definition.consumers;
        consumers.push(() => start({ service: opened.service, bus, logger }));
      }
    }

    // Identity's access revocations (a role revoked, an account forgotten, a logout), heard once
    // for the whole process. Then the process managers, once every service serves: JobAccepted →
    // a proposed plan; TasksPlanned → the job starts and its tasks are scheduled; members come
    // from identity's events; a declared absence hands off.
    const revocations = listenForAccessRevocations({ bus, listeners: revocationListeners, logger: log });
    closers.push(() => revocations.stop());
    await revocations.ready;
    for (const subscription of consumers.flatMap((start) => start())) {
      closers.push(() => subscription.stop());
      await subscription.ready;
    }
    return { bus, addresses, services, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};
