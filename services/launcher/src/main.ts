#!/usr/bin/env node
/**
 * Starts the whole platform.
 * - Embedded (default: EVENTSTORE_URL unset or `embedded:<dir>`, NATS_URL unset): every service
 *   in this one process, each on its own loopback gRPC port, over one embedded event store
 *   persisted to a folder and the in-process bus; seeds the demo cooperative once and prints
 *   where each API listens and the demo credentials.
 * - Distributed (EVENTSTORE_URL is PostgreSQL or KurrentDB, NATS_URL set): each service runs as
 *   its own process (as pods do), supervised here: a service that dies stops the platform.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openEventBus, type EventBus } from '@workshare/bus';
import type { EventStore } from '@workshare/eventsourcing';
import { DEFAULT_EVENTSTORE_URL, openEventStore } from '@workshare/eventstore';
import { openIdentityService, seedDemoCooperative, startIdentityGrpc, type IdentityRuntime } from '@workshare/identity';
import { createLogger, shutdownTelemetry, startTelemetry } from '@workshare/telemetry';
import { SERVICES, type ServicePlan, planServices } from './plan.js';

const log = createLogger('launcher');

/** What the embedded platform holds, to be closed in reverse order. */
interface Running {
  stop(): Promise<void>;
}

const DEMO_PASSWORD_DEFAULT = 'fujisato-demo';

const startEmbedded = async (storeUrl: string, plans: ServicePlan[]): Promise<Running> => {
  const telemetry = await startTelemetry({ serviceName: 'workshare' });
  const store: EventStore = await openEventStore(storeUrl);
  const bus: EventBus = openEventBus({ store, natsUrl: undefined });
  const closers: (() => Promise<void>)[] = [() => store.close(), () => bus.close()];
  const stop = async () => {
    for (const close of closers.reverse()) await close().catch((error: unknown) => log.error({ err: error }, 'while stopping'));
    await shutdownTelemetry();
  };
  try {
    const identityPlan = plans.find((p) => p.name === 'identity')!;
    const identity: IdentityRuntime = await openIdentityService({ store, storeUrl });
    closers.push(() => identity.close());
    const server = await startIdentityGrpc({ service: identity.service, port: identityPlan.port, host: '127.0.0.1' });
    closers.push(async () => void (await server.shutdown(5_000)));

    const lines = [
      '',
      'Workshare is running (one process, embedded store and bus).',
      `  data         ${storeUrl.slice('embedded:'.length)} (kept across restarts; delete it to start afresh)`,
      `  identity     gRPC 127.0.0.1:${server.port}  (health and reflection on: grpcurl -plaintext 127.0.0.1:${server.port} list)`,
      ...(telemetry.metrics ? [`  metrics      ${telemetry.metrics.url}`] : []),
    ];
    if (process.env.WORKSHARE_DEMO !== 'off') {
      const password = process.env.WORKSHARE_DEMO_PASSWORD || DEMO_PASSWORD_DEFAULT;
      const seed = await seedDemoCooperative(identity.service, { password });
      lines.push(
        '',
        seed.status === 'seeded'
          ? 'Demo cooperative of Fujisato (藤里町) seeded. Sign in with Login on the identity API:'
          : `Demo cooperative of Fujisato (藤里町): ${seed.status === 'already_seeded' ? 'seeded before' : seed.message}. Its accounts:`,
        ...seed.accounts.map((a) => `  ${a.email.padEnd(44)} ${a.role}`),
        `  password for every demo account: ${seed.status === 'seeded' ? seed.password : `${password} (if it was seeded with this password; WORKSHARE_DEMO_PASSWORD sets it)`}`,
      );
    }
    lines.push('', 'Ctrl-C stops it.');
    console.log(lines.join('\n'));
    log.info({ services: plans.map((p) => p.name), ready: true }, 'workshare ready');
    return { stop };
  } catch (error) {
    await stop();
    throw error;
  }
};

const startDistributed = (plans: ServicePlan[]): Running => {
  const children = new Map<string, ChildProcess>();
  let stopping = false;
  const root = fileURLToPath(new URL('../../../../', import.meta.url));
  for (const plan of plans) {
    const child = spawn(process.execPath, ['--import', '@workshare/telemetry/register', plan.entry], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, GRPC_PORT: String(plan.port), METRICS_PORT: String(plan.metricsPort), OTEL_SERVICE_NAME: plan.name },
    });
    children.set(plan.name, child);
    child.on('exit', (code, signal) => {
      children.delete(plan.name);
      if (stopping) return;
      log.error({ service: plan.name, code, signal }, 'a service stopped: stopping the platform');
      process.exitCode = 1;
      void running.stop().then(() => process.exit(1));
    });
    console.log(`  ${plan.name.padEnd(12)} gRPC 0.0.0.0:${plan.port}, metrics :${plan.metricsPort} (pid ${child.pid})`);
  }
  const running: Running = {
    stop: async () => {
      stopping = true;
      await Promise.all(
        [...children.values()].map(
          (child) =>
            new Promise<void>((resolve) => {
              child.once('exit', () => resolve());
              child.kill('SIGTERM');
            }),
        ),
      );
    },
  };
  return running;
};

const main = async (): Promise<void> => {
  const storeUrl = process.env.EVENTSTORE_URL || DEFAULT_EVENTSTORE_URL;
  const natsUrl = process.env.NATS_URL;
  const embeddedStore = storeUrl.startsWith('embedded:');
  if (embeddedStore && natsUrl) {
    throw new Error('NATS_URL is set but the event store is embedded: an embedded store serves one process; set EVENTSTORE_URL=postgres://... to run the services as separate processes');
  }
  const plans = planServices(SERVICES, process.env);
  const running = embeddedStore ? await startEmbedded(storeUrl, plans) : startDistributed(plans);
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = true;
    log.info({ signal }, 'stopping');
    running.stop().then(
      () => process.exit(process.exitCode ?? 0),
      (error: unknown) => {
        log.error({ err: error }, 'stopping failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
};

main().catch((error: unknown) => {
  console.error(`workshare could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
