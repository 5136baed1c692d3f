/**
 * The whole platform in one process (the embedded default of `npm start`, and what e2e/ runs):
 * one event store and one bus shared by every service, each service on its own loopback gRPC
 * port, the gateway's HTTP API in front, and the demo cooperative seeded once. Every service runs
 * on the one clock it is given (the system's by default; a SimulatedClock runs the whole platform
 * at a simulated time). On a fresh store the demo's history (the cooperative and its past month
 * of work) is recorded first, with the platform's clock on a simulated time, which is then
 * handed over to the platform's own clock for today's demo jobs and what follows
 * (demo-history.ts).
 */
import type { EventBus } from '@workshare/bus';
import type { EventStore } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import { DEMO_BUSINESS_USER_EMAILS, DEMO_COORDINATOR_EMAIL, type IdentityService } from '@workshare/identity';
import { SimulatedClock, systemClock, type Clock } from '@workshare/time';
import { PlatformClock, recordDemoHistory, type DemoHistory } from './demo-history.js';
import { seedDemoJobs, type DemoHandOff, type DemoJob, type DemoWork } from './demo-jobs.js';
import { demoMonthsOf, type DemoMonth } from './demo-month.js';
import { demoNotSeeded, demoSeedStateOf, type DemoSeedResult } from './demo-seed.js';
import { planServices, SERVICES } from './plan.js';
import { runServices, type RunningServices } from './run-services.js';
import { sealFilesFor, type SealFiles } from './seal-files.js';

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
  /** Where the audit's seal key and seal log are (seal-files.ts): outside the database. */
  readonly seals: { readonly keyPath: string | undefined; readonly logPath: string; readonly generated: boolean };
  readonly demo?: {
    readonly seed: DemoSeedResult;
    readonly jobs: readonly DemoJob[];
    readonly handOff?: DemoHandOff;
    /** The last month of Fujisato's work, recorded at its own times on this fresh store, left open (absent on a store seeded before). */
    readonly month?: DemoMonth;
    /** The month before it, recorded before it and closed; its newcomer forgotten after the close. */
    readonly closedMonth?: DemoMonth;
  };
  stop(): Promise<void>;
}

export const startEmbeddedPlatform = async (options: EmbeddedPlatformOptions): Promise<EmbeddedPlatform> => {
  const givenEnv = options.env ?? process.env;
  const now = options.now ?? systemClock;
  planServices(SERVICES, givenEnv); // bad ports are refused before anything is opened
  // The audit's seal key and seal log, outside the database (generated once for a folder).
  const seals: SealFiles = sealFilesFor(options.storeUrl, givenEnv);
  const baseEnv = { ...givenEnv, ...seals.env };
  const store = await openEventStore(options.storeUrl).catch((error: unknown) => {
    seals.cleanup();
    throw error;
  });
  let running: RunningServices | undefined;
  const stop = async () => {
    try {
      await running?.stop();
      await store.close();
    } finally {
      seals.cleanup();
    }
  };
  try {
    const password = options.demo === false ? undefined : (options.demo?.password ?? DEMO_PASSWORD_DEFAULT);
    // The launcher decides whether the demo may be seeded (once per store): see demo-seed.ts. On
    // a fresh store its history is recorded first, the platform's clock on the simulated time.
    const state = password === undefined ? undefined : await demoSeedStateOf(store);
    const reference = now();
    const periods = state === 'none' ? demoMonthsOf(reference) : undefined;
    const simulated = periods ? new SimulatedClock(periods.closed.start) : undefined;
    const clock = new PlatformClock(simulated?.now ?? now);
    running = await runServices(store, {
      storeUrl: options.storeUrl,
      env: baseEnv,
      now: clock.now,
      ...(options.maxTaskMinutes !== undefined ? { maxTaskMinutes: options.maxTaskMinutes } : {}),
      ...(options.rateLimitPerMinute !== undefined ? { rateLimitPerMinute: options.rateLimitPerMinute } : {}),
    });
    const { addresses } = running;
    const identity = running.services.identity as IdentityService;

    let history: DemoHistory | undefined;
    if (state !== undefined && state !== 'none') history = { seed: demoNotSeeded(state) };
    if (periods !== undefined && simulated !== undefined) {
      try {
        history = await recordDemoHistory({
          store,
          identity,
          addresses,
          clock: simulated,
          periods,
          reference,
          ...(password !== undefined ? { password } : {}),
        });
      } finally {
        clock.handOver(now);
      }
    }

    let demo: EmbeddedPlatform['demo'];
    if (history !== undefined) {
      const { seed } = history;
      // Today's jobs come with a fresh seed only: the businesses' ids are known then.
      const work: DemoWork =
        seed.status === 'seeded'
          ? await seedDemoJobs({
              identityAddress: addresses.identity!,
              jobIntakeAddress: addresses['job-intake']!,
              taskDecompositionAddress: addresses['task-decomposition']!,
              teamSchedulingAddress: addresses['team-scheduling']!,
              memberEmails: seed.accounts.filter((a) => a.role.startsWith('member')).map((a) => a.email),
              password: seed.password,
              coordinatorEmail: DEMO_COORDINATOR_EMAIL,
              businessUserEmails: DEMO_BUSINESS_USER_EMAILS,
              businessIds: seed.businesses.map((b) => b.businessId),
              now: clock.now,
            })
          : { jobs: [] };
      demo = {
        seed,
        ...work,
        ...(history.month ? { month: history.month } : {}),
        ...(history.closedMonth ? { closedMonth: history.closedMonth } : {}),
      };
    }

    return {
      store,
      bus: running.bus,
      addresses: Object.fromEntries(Object.entries(addresses).filter(([name]) => name !== 'gateway')),
      gatewayUrl: addresses.gateway!,
      identity,
      seals: { keyPath: seals.keyPath, logPath: seals.logPath, generated: seals.generated },
      ...(demo ? { demo } : {}),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
