/**
 * The whole platform in one process (the embedded default of `npm start`, and what e2e/ runs):
 * one event store and one bus shared by every service, each service on its own loopback gRPC
 * port, the gateway's HTTP API in front, and the demo cooperative seeded once. Every service runs
 * on the one clock it is given (the system's by default; a SimulatedClock runs the whole platform
 * at a simulated time).
 */
import { openEventBus, type BusSubscription, type EventBus } from '@workshare/bus';
import type { EventStore } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import { IdentityTokenVerifierClient, type AccessRevocationListener } from '@workshare/grpc';
import { DEMO_BUSINESS_USER_EMAILS, DEMO_COORDINATOR_EMAIL, type IdentityService } from '@workshare/identity';
import {
  addressVariable,
  listenForAccessRevocations,
  portVariable,
  type Env,
  type ServiceDefinition,
} from '@workshare/service-host';
import { createLogger } from '@workshare/telemetry';
import { systemClock, type Clock } from '@workshare/time';
import { seedDemoJobs, type DemoHandOff, type DemoJob, type DemoWork } from './demo-jobs.js';
import { seedDemoOnce, type DemoSeedResult } from './demo-seed.js';
import { DEFINITIONS, planServices, SERVICES, type ServicePlan } from './plan.js';

const log = createLogger('launcher');

export const DEMO_PASSWORD_DEFAULT = 'fujisato-demo';

export interface EmbeddedPlatformOptions {
  /** `embedded:<dir>` or `embedded:memory`; PostgreSQL works too (one process over it). */
  readonly storeUrl: string;
  /** Ports: default the conventions, `<SERVICE>_PORT` from `env` overriding (0: any free port). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Seed the demo cooperative (default true) with this password (default `fujisato-demo`). */
  readonly demo?: false | { readonly password?: string };
  /** The longest task of a plan, in minutes (default TASK_MAX_MINUTES or 120). */
  readonly maxTaskMinutes?: number;
  /** The gateway's rate limit per identity and minute (default its own). */
  readonly rateLimitPerMinute?: number;
  /**
   * The platform's clock, given to every service's `open` and to the token checks (default
   * systemClock): `new SimulatedClock(start).now` runs the whole platform at a simulated time,
   * every decision and every event's occurredAt on it.
   */
  readonly now?: Clock;
}

export interface EmbeddedPlatform {
  readonly store: EventStore;
  readonly bus: EventBus;
  /** host:port of each gRPC service, by name. */
  readonly addresses: Readonly<Record<string, string>>;
  /** The gateway's base URL, e.g. http://127.0.0.1:8080. */
  readonly gatewayUrl: string;
  /**
   * Identity's facade in this process: what bootstraps the first operator (`bootstrapOperator`),
   * which no public API does.
   */
  readonly identity: IdentityService;
  readonly demo?: { readonly seed: DemoSeedResult; readonly jobs: readonly DemoJob[]; readonly handOff?: DemoHandOff };
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

export const startEmbeddedPlatform = async (options: EmbeddedPlatformOptions): Promise<EmbeddedPlatform> => {
  const baseEnv = options.env ?? process.env;
  const now = options.now ?? systemClock;
  const plans = planServices(SERVICES, baseEnv);
  const host = '127.0.0.1';
  const store = await openEventStore(options.storeUrl);
  const bus = openEventBus({ store, natsUrl: undefined });
  const closers: (() => Promise<unknown>)[] = [() => store.close(), () => bus.close()];
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
    for (const definition of DEFINITIONS) {
      const plan = planOf(plans, definition.name);
      const env = embeddedEnvironment(baseEnv, definition, {
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

    const identity = { service: services.identity as IdentityService };
    const identityAddress = addresses.identity!;
    const jobIntakeAddress = addresses['job-intake']!;
    const taskDecompositionAddress = addresses['task-decomposition']!;
    const teamSchedulingAddress = addresses['team-scheduling']!;
    const gateway = { url: addresses.gateway! };

    let demo: EmbeddedPlatform['demo'];
    if (options.demo !== false) {
      const password = options.demo?.password ?? DEMO_PASSWORD_DEFAULT;
      // The launcher decides whether the demo may be seeded (once per store): see demo-seed.ts.
      const seed = await seedDemoOnce(store, identity.service, { password });
      // The jobs come with a fresh seed only: the businesses' ids are known then.
      const work: DemoWork =
        seed.status === 'seeded'
          ? await seedDemoJobs({
              identityAddress,
              jobIntakeAddress,
              taskDecompositionAddress,
              teamSchedulingAddress,
              memberEmails: seed.accounts.filter((a) => a.role.startsWith('member')).map((a) => a.email),
              password,
              coordinatorEmail: DEMO_COORDINATOR_EMAIL,
              businessUserEmails: DEMO_BUSINESS_USER_EMAILS,
              businessIds: seed.businesses.map((b) => b.businessId),
              now,
            })
          : { jobs: [] };
      demo = { seed, ...work };
    }

    return {
      store,
      bus,
      addresses: Object.fromEntries(Object.entries(addresses).filter(([name]) => name !== 'gateway')),
      gatewayUrl: gateway.url,
      identity: identity.service,
      ...(demo ? { demo } : {}),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
