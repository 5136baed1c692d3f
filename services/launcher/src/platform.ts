/**
 * The whole platform in one process (the embedded default of `npm start`, and what e2e/ runs):
 * one event store and one bus shared by every service, each service on its own loopback gRPC
 * port, the gateway's HTTP API in front, and the demo cooperative seeded once.
 */
import { openEventBus, type EventBus } from '@workshare/bus';
import type { EventStore } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import { startGateway } from '@workshare/gateway';
import { IdentityTokenVerifierClient, type GrpcServer } from '@workshare/grpc';
import {
  DEMO_BUSINESS_USER_EMAILS,
  DEMO_COORDINATOR_EMAIL,
  openIdentityService,
  seedDemoCooperative,
  startIdentityGrpc,
  type DemoSeedResult,
} from '@workshare/identity';
import { openJobIntakeService, startJobIntakeConsumers, startJobIntakeGrpc } from '@workshare/job-intake';
import { createLogger } from '@workshare/telemetry';
import {
  openTaskDecompositionService,
  startTaskDecompositionConsumers,
  startTaskDecompositionGrpc,
} from '@workshare/task-decomposition';
import {
  openTeamSchedulingService,
  startTeamSchedulingConsumers,
  startTeamSchedulingGrpc,
} from '@workshare/team-scheduling';
import { seedDemoJobs, type DemoHandOff, type DemoJob, type DemoWork } from './demo-jobs.js';
import { planServices, SERVICES, type ServicePlan } from './plan.js';

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
}

export interface EmbeddedPlatform {
  readonly store: EventStore;
  readonly bus: EventBus;
  /** host:port of each gRPC service, by name. */
  readonly addresses: Readonly<Record<string, string>>;
  /** The gateway's base URL, e.g. http://127.0.0.1:8080. */
  readonly gatewayUrl: string;
  readonly demo?: { readonly seed: DemoSeedResult; readonly jobs: readonly DemoJob[]; readonly handOff?: DemoHandOff };
  stop(): Promise<void>;
}

const planOf = (plans: readonly ServicePlan[], name: string): ServicePlan => {
  const plan = plans.find((p) => p.name === name);
  if (!plan) throw new Error(`no plan for ${name}`);
  return plan;
};

export const startEmbeddedPlatform = async (options: EmbeddedPlatformOptions): Promise<EmbeddedPlatform> => {
  const env = options.env ?? process.env;
  const plans = planServices(SERVICES, env);
  const host = '127.0.0.1';
  const store = await openEventStore(options.storeUrl);
  const bus = openEventBus({ store, natsUrl: undefined });
  const closers: (() => Promise<unknown>)[] = [() => store.close(), () => bus.close()];
  const stop = async () => {
    for (const close of closers.reverse())
      await close().catch((error: unknown) => log.error({ err: error }, 'while stopping'));
  };
  const served = (server: GrpcServer): string => {
    closers.push(() => server.shutdown(5_000));
    return `${host}:${server.port}`;
  };
  try {
    const identity = await openIdentityService({ store, storeUrl: options.storeUrl });
    closers.push(() => identity.close());
    const identityAddress = served(
      await startIdentityGrpc({ service: identity.service, port: planOf(plans, 'identity').port, host }),
    );
    const verifier = new IdentityTokenVerifierClient({ identityAddress });
    closers.push(async () => verifier.close());

    const jobIntake = await openJobIntakeService({ store, identityAddress });
    closers.push(() => jobIntake.close());
    const jobIntakeAddress = served(
      await startJobIntakeGrpc({ service: jobIntake.service, port: planOf(plans, 'job-intake').port, host, verifier }),
    );

    const maxTaskMinutes = options.maxTaskMinutes ?? (env.TASK_MAX_MINUTES ? Number(env.TASK_MAX_MINUTES) : undefined);
    const decomposition = await openTaskDecompositionService({
      store,
      ...(maxTaskMinutes !== undefined ? { maxTaskMinutes } : {}),
    });
    closers.push(() => decomposition.close());
    const taskDecompositionAddress = served(
      await startTaskDecompositionGrpc({
        service: decomposition.service,
        port: planOf(plans, 'task-decomposition').port,
        host,
        verifier,
      }),
    );

    const scheduling = await openTeamSchedulingService({ store });
    closers.push(() => scheduling.close());
    const teamSchedulingAddress = served(
      await startTeamSchedulingGrpc({
        service: scheduling.service,
        port: planOf(plans, 'team-scheduling').port,
        host,
        verifier,
      }),
    );

    // Process managers: JobAccepted → a proposed plan; TasksPlanned → the job starts and its
    // tasks are scheduled; members come from identity's events; a declared absence hands off.
    for (const subscription of [
      ...startTaskDecompositionConsumers({ service: decomposition.service, bus }),
      ...startJobIntakeConsumers({ service: jobIntake.service, bus }),
      ...startTeamSchedulingConsumers({ service: scheduling.service, bus }),
    ]) {
      closers.push(() => subscription.stop());
      await subscription.ready;
    }

    const gateway = await startGateway({
      identityAddress,
      jobIntakeAddress,
      taskDecompositionAddress,
      teamSchedulingAddress,
      port: planOf(plans, 'gateway').port,
      host,
      ...(options.rateLimitPerMinute !== undefined
        ? { rateLimit: { max: options.rateLimitPerMinute, timeWindowMs: 60_000 } }
        : {}),
    });
    closers.push(() => gateway.close());

    let demo: EmbeddedPlatform['demo'];
    if (options.demo !== false) {
      const password = options.demo?.password ?? DEMO_PASSWORD_DEFAULT;
      const seed = await seedDemoCooperative(identity.service, { password });
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
            })
          : { jobs: [] };
      demo = { seed, ...work };
    }

    return {
      store,
      bus,
      addresses: {
        identity: identityAddress,
        'job-intake': jobIntakeAddress,
        'task-decomposition': taskDecompositionAddress,
        'team-scheduling': teamSchedulingAddress,
      },
      gatewayUrl: gateway.url,
      ...(demo ? { demo } : {}),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
