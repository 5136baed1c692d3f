#!/usr/bin/env node
/**
 * Starts the whole platform.
 * - Embedded (default: EVENTSTORE_URL unset or `embedded:<dir>`, NATS_URL unset): every service
 *   in this one process, each on its own loopback gRPC port, over one embedded event store
 *   persisted to a folder and the in-process bus; seeds the demo cooperative once and prints
 *   where each API listens and the demo credentials.
 * - Distributed (EVENTSTORE_URL is PostgreSQL, NATS_URL set): each service runs as its own
 *   process (as pods do), team scheduling as TEAM_SCHEDULING_REPLICAS processes (default 2,
 *   which its callers reach round-robin), and so do two relay processes publishing the store's
 *   log to NATS (one at a time, by lease), all supervised here: a process that dies is started
 *   again, with backoff while it keeps dying, and the others keep serving. On a fresh store the
 *   demo's history (the cooperative and its past month) is recorded first, by a seeder process
 *   (seed-demo.ts) running the services over the store on a simulated clock; the processes then
 *   pick it up from the store.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEFAULT_EVENTSTORE_URL } from '@workshare/eventstore';
import { retryDelayMs } from '@workshare/eventsourcing';
import { createLogger, shutdownTelemetry, startTelemetry } from '@workshare/telemetry';
import {
  addressOf,
  planRelays,
  planReplicas,
  planServices,
  processEnvironment,
  processName,
  SERVICES,
  TEAM_SCHEDULING,
  teamSchedulingReplicas,
  type ServicePlan,
} from './plan.js';
import { DEMO_BUSINESS_USER_EMAILS, DEMO_COORDINATOR_EMAIL } from '@workshare/identity';
import { seedDemoJobs, type DemoWork } from './demo-jobs.js';
import { demoClosedMonthLines, demoMonthLines, type DemoMonth } from './demo-month.js';
import { DEMO_PASSWORD_DEFAULT, startEmbeddedPlatform } from './platform.js';
import { auditBannerLines } from './audit-banner.js';
import { sealFilesFor } from './seal-files.js';

const log = createLogger('launcher');

/** The demo's jobs and its hand-off, as printed. */
const demoWorkLines = (work: DemoWork): string[] => [
  ...(work.jobs.length > 0
    ? ['', 'Demo jobs:', ...work.jobs.map((j) => `  ${j.jobId}  ${j.status.padEnd(12)} ${j.title}`)]
    : []),
  ...(work.handOff
    ? [`  hand-off: ${work.handOff.fromEmail} (sick child) → ${work.handOff.toEmail}, task ${work.handOff.taskId}`]
    : []),
];

/** The accountant among the demo's accounts (who downloads the month's files). */
const accountantOf = (accounts: readonly { readonly email: string; readonly role: string }[]): string =>
  accounts.find((a) => a.role === 'accountant')?.email ?? '';

/** What the platform holds, to be closed in reverse order. */
interface Running {
  stop(): Promise<void>;
}

const startEmbedded = async (storeUrl: string): Promise<Running> => {
  const telemetry = await startTelemetry({ serviceName: 'workshare' });
  const password = process.env.WORKSHARE_DEMO_PASSWORD || DEMO_PASSWORD_DEFAULT;
  const maxTaskMinutes = process.env.TASK_MAX_MINUTES ? Number(process.env.TASK_MAX_MINUTES) : undefined;
  const platform = await startEmbeddedPlatform({
    storeUrl,
    env: process.env,
    demo: process.env.WORKSHARE_DEMO === 'off' ? false : { password },
    ...(maxTaskMinutes !== undefined ? { maxTaskMinutes } : {}),
  }).catch(async (error: unknown) => {
    await shutdownTelemetry();
    throw error;
  });
  const { addresses } = platform;
  const lines = [
    '',
    'Workshare is running (one process, embedded store and bus).',
    `  data                ${storeUrl.slice('embedded:'.length)} (kept across restarts; delete it to start afresh)`,
    `  HTTP API            ${platform.gatewayUrl}  (docs: ${platform.gatewayUrl}/docs, OpenAPI: ${platform.gatewayUrl}/openapi.json)`,
    ...Object.entries(addresses).map(([name, address]) => `  ${name.padEnd(19)} gRPC ${address}`),
    `  (health and reflection on every gRPC port: grpcurl -plaintext ${addresses.identity} list)`,
    ...(telemetry.metrics ? [`  metrics             ${telemetry.metrics.url}`] : []),
    `  audit page          ${platform.gatewayUrl}/audit (the accountant's: search, timelines, reconciliation, verification)`,
    `  seals               key ${platform.seals.keyPath ?? '(WORKSHARE_SEAL_KEY)'}${platform.seals.generated ? ' (generated now, 0600)' : ''}, log ${platform.seals.logPath} (outside the database)`,
  ];
  const demo = platform.demo;
  if (demo) {
    const { seed } = demo;
    lines.push(
      '',
      seed.status === 'seeded'
        ? 'Demo cooperative of Fujisato (藤里町) seeded. Sign in with POST /v1/auth/login (or Login on the identity API):'
        : `Demo cooperative of Fujisato (藤里町): ${seed.status === 'already_seeded' ? 'seeded before' : seed.message}. Its accounts:`,
      ...seed.accounts.map((a) => `  ${a.email.padEnd(44)} ${a.role}`),
      `  password for every demo account: ${seed.status === 'seeded' ? seed.password : `${password} (if it was seeded with this password; WORKSHARE_DEMO_PASSWORD sets it)`}`,
    );
    lines.push(...demoWorkLines(demo));
    if (demo.closedMonth && seed.status === 'seeded') lines.push(...demoClosedMonthLines(demo.closedMonth));
    if (demo.month && seed.status === 'seeded')
      lines.push(
        ...demoMonthLines({
          month: demo.month,
          gatewayUrl: platform.gatewayUrl,
          settlementAddress: addresses.settlement ?? '',
          coordinatorEmail: DEMO_COORDINATOR_EMAIL,
          accountantEmail: accountantOf(seed.accounts),
          password: seed.password,
        }),
      );
    lines.push(
      ...auditBannerLines({
        gatewayUrl: platform.gatewayUrl,
        auditAddress: addresses.audit ?? '',
        identityAddress: addresses.identity ?? '',
        accountantEmail: accountantOf(seed.accounts),
        ...(seed.status === 'seeded' ? { password: seed.password } : {}),
        ...(demo.closedMonth ? { closedMonth: demo.closedMonth } : {}),
      }),
    );
  }
  lines.push('', 'Ctrl-C stops it.');
  console.log(lines.join('\n'));
  log.info({ services: Object.keys(addresses).concat('gateway'), ready: true }, 'workshare ready');
  return {
    stop: async () => {
      await platform.stop();
      await shutdownTelemetry();
    },
  };
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once the gateway answers /readyz with 200: every service it calls is serving. */
const waitUntilReady = async (gatewayUrl: string, timeoutMs: number): Promise<void> => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(`${gatewayUrl}/readyz`).then(
      (answer) => answer.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > until)
      throw new Error(
        `the platform was not ready within ${timeoutMs / 1000} s (${gatewayUrl}/readyz answered ${status || 'nothing'})`,
      );
    await sleep(250);
  }
};

interface SeedOutcome {
  readonly status: string;
  readonly message?: string;
  readonly password?: string;
  readonly accounts: readonly { readonly email: string; readonly role: string }[];
  readonly businessIds?: readonly string[];
  readonly month?: DemoMonth;
  readonly closedMonth?: DemoMonth;
}

/**
 * Runs the demo's seeder as a process of its own on the shared store (seed-demo.ts: on a fresh
 * store, the cooperative and its past month recorded on a simulated clock); its JSON answer.
 */
const runSeeder = (root: string, seeders: Set<ChildProcess>): Promise<SeedOutcome> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['services/launcher/dist/src/seed-demo.js'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: process.env,
    });
    seeders.add(child);
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      seeders.delete(child);
      if (code !== 0) return reject(new Error(`the demo seeder exited with ${code}`));
      // Its answer is its last line that is a JSON object with a status (the services it ran may have logged before).
      const answer = out
        .trim()
        .split('\n')
        .reverse()
        .map((line) => {
          try {
            return JSON.parse(line) as SeedOutcome;
          } catch {
            return undefined;
          }
        })
        .find((parsed) => typeof parsed?.status === 'string');
      if (answer === undefined) reject(new Error('the demo seeder answered no outcome'));
      else resolve(answer);
    });
  });

/** What the seeder recorded, printed once the processes serve; today's jobs through the gRPC APIs. */
const seedDistributedDemo = async (plans: readonly ServicePlan[], seed: SeedOutcome): Promise<void> => {
  const password = process.env.WORKSHARE_DEMO_PASSWORD || DEMO_PASSWORD_DEFAULT;
  const address = (name: string) => addressOf(plans, name);
  const lines = [
    '',
    seed.status === 'seeded'
      ? 'Demo cooperative of Fujisato (藤里町) seeded. Its accounts:'
      : `Demo cooperative of Fujisato (藤里町): ${seed.message ?? seed.status}. Its accounts:`,
    ...seed.accounts.map((a) => `  ${a.email.padEnd(44)} ${a.role}`),
    `  password for every demo account: ${password}${seed.status === 'seeded' ? '' : ' (if it was seeded with this password)'}`,
  ];
  if (seed.status === 'seeded' && seed.businessIds) {
    const work = await seedDemoJobs({
      identityAddress: address('identity'),
      jobIntakeAddress: address('job-intake'),
      taskDecompositionAddress: address('task-decomposition'),
      teamSchedulingAddress: address('team-scheduling'),
      memberEmails: seed.accounts.filter((a) => a.role.startsWith('member')).map((a) => a.email),
      password,
      coordinatorEmail: DEMO_COORDINATOR_EMAIL,
      businessUserEmails: DEMO_BUSINESS_USER_EMAILS,
      businessIds: seed.businessIds,
    });
    lines.push(...demoWorkLines(work));
    if (seed.closedMonth) lines.push(...demoClosedMonthLines(seed.closedMonth));
    const gateway = plans.find((p) => p.protocol === 'http');
    if (seed.month && gateway)
      lines.push(
        ...demoMonthLines({
          month: seed.month,
          gatewayUrl: `http://127.0.0.1:${gateway.port}`,
          settlementAddress: address('settlement'),
          coordinatorEmail: DEMO_COORDINATOR_EMAIL,
          accountantEmail: accountantOf(seed.accounts),
          password,
        }),
      );
    if (gateway)
      lines.push(
        ...auditBannerLines({
          gatewayUrl: `http://127.0.0.1:${gateway.port}`,
          auditAddress: address('audit'),
          identityAddress: address('identity'),
          accountantEmail: accountantOf(seed.accounts),
          password,
          ...(seed.closedMonth ? { closedMonth: seed.closedMonth } : {}),
        }),
      );
  }
  console.log(lines.join('\n'));
};

/** A service that was up this long before it died starts its backoff afresh. */
const HEALTHY_RUN_MS = 60_000;
/** Restarts of a service that keeps dying wait longer each time, up to 30 s. */
const RESTART_POLICY = {
  attempts: Number.POSITIVE_INFINITY,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  jitter: 'equal',
} as const;

/**
 * Runs every service as its own process. `started` gets the handle that stops them as soon as
 * they are spawned, so that a signal during start-up stops them too; a start-up that fails
 * (the gateway never ready, the demo refused) stops them before it throws: no service is left
 * running without its launcher.
 */
const startDistributed = async (plans: ServicePlan[], started: (running: Running) => void): Promise<Running> => {
  const seeders = new Set<ChildProcess>();
  const children = new Map<string, ChildProcess>();
  const restarts = new Set<NodeJS.Timeout>();
  let stopping = false;
  const root = fileURLToPath(new URL('../../../../', import.meta.url));
  // Supervision: a service that dies is started again (with backoff while it keeps dying); the
  // others keep serving meanwhile.
  const supervise = (plan: ServicePlan): void => {
    const name = processName(plan);
    let failures = 0;
    const launch = (): void => {
      const startedAt = Date.now();
      const child = spawn(process.execPath, ['--import', '@workshare/telemetry/register', plan.entry], {
        cwd: root,
        stdio: 'inherit',
        env: { ...process.env, ...processEnvironment(plan, plans) },
      });
      children.set(name, child);
      child.on('exit', (code, signal) => {
        if (children.get(name) === child) children.delete(name);
        if (stopping) return;
        failures = Date.now() - startedAt >= HEALTHY_RUN_MS ? 1 : failures + 1;
        const delayMs = retryDelayMs(RESTART_POLICY, failures);
        log.error(
          { service: name, code, signal, restartInMs: delayMs, failures },
          'a service stopped: restarting it (the others keep serving)',
        );
        const timer = setTimeout(() => {
          restarts.delete(timer);
          if (!stopping) launch();
        }, delayMs);
        restarts.add(timer);
      });
      const serving =
        plan.protocol === 'http'
          ? `HTTP 127.0.0.1:${plan.port}`
          : plan.protocol === 'worker'
            ? `gRPC health 127.0.0.1:${plan.port === 0 ? 'any free port' : plan.port}`
            : `gRPC 127.0.0.1:${plan.port}`;
      console.log(`  ${name.padEnd(19)} ${serving}, metrics :${plan.metricsPort} (pid ${child.pid})`);
    };
    launch();
  };
  let stopped: Promise<void> | undefined;
  const stopAll = async (): Promise<void> => {
    stopping = true;
    for (const timer of restarts) clearTimeout(timer);
    for (const seeder of seeders) seeder.kill('SIGTERM');
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
  };
  // Once: a signal and a failed start-up may both ask.
  const running: Running = { stop: () => (stopped ??= stopAll()) };
  started(running);
  // The demo's history goes into the store before any service starts (a signal meanwhile stops the seeder).
  let seed: SeedOutcome | undefined;
  if (process.env.WORKSHARE_DEMO !== 'off') {
    process.env.WORKSHARE_DEMO_PASSWORD = process.env.WORKSHARE_DEMO_PASSWORD || DEMO_PASSWORD_DEFAULT;
    console.log("\nRecording the demo's history (the cooperative and its past month) into the store...");
    try {
      seed = await runSeeder(root, seeders);
    } catch (error) {
      if (stopping) return running;
      throw error;
    }
    if (stopping) return running;
  }
  for (const plan of plans) supervise(plan);
  const gateway = plans.find((p) => p.protocol === 'http');
  if (gateway) {
    try {
      await waitUntilReady(`http://127.0.0.1:${gateway.port}`, 120_000);
      if (seed !== undefined) await seedDistributedDemo(plans, seed);
    } catch (error) {
      const signalled = stopping; // a signal stopped the start-up: its handler exits once all stopped
      await running.stop();
      if (signalled) return running;
      throw error;
    }
    if (stopping) return running;
    console.log(
      `\nWorkshare is running (one process per service). HTTP API http://127.0.0.1:${gateway.port} (docs: /docs). Ctrl-C stops it.`,
    );
  }
  log.info({ services: plans.map(processName), ready: true }, 'workshare ready');
  return running;
};

const main = async (): Promise<void> => {
  const storeUrl = process.env.EVENTSTORE_URL || DEFAULT_EVENTSTORE_URL;
  const natsUrl = process.env.NATS_URL;
  const embeddedStore = storeUrl.startsWith('embedded:');
  if (embeddedStore && natsUrl) {
    throw new Error(
      'NATS_URL is set but the event store is embedded: an embedded store serves one process; set EVENTSTORE_URL=postgres://... to run the services as separate processes',
    );
  }
  if (embeddedStore) {
    teamSchedulingReplicas(process.env, 'one-process', false); // more than one is refused here
    stopOnSignals(await startEmbedded(storeUrl));
    return;
  }
  const plans = planServices(SERVICES, process.env);
  const anyPort = plans.find((p) => p.port === 0);
  if (anyPort)
    throw new Error(
      `${anyPort.name}: port 0 works in the one-process mode only; separate processes must know each other's ports`,
    );
  // With NATS, the relay publishes the store's log there; its lease is a PostgreSQL advisory lock.
  // Without NATS, each service's consumers read the shared store directly (no relay).
  if (natsUrl && !/^postgres(ql)?:\/\//i.test(storeUrl)) {
    throw new Error(
      "NATS_URL is set but the event store is not PostgreSQL: the relay that publishes the store's log to NATS holds its lease as a PostgreSQL advisory lock and is not supported on KurrentDB; use EVENTSTORE_URL=postgres://...",
    );
  }
  // The audit's seal key and log: from the environment here (never the database's); checked before anything starts.
  const seals = sealFilesFor(storeUrl, process.env);
  Object.assign(process.env, seals.env);
  const replicas = teamSchedulingReplicas(process.env, 'processes', Boolean(natsUrl));
  const withRelays = natsUrl ? [...plans, ...planRelays(plans, process.env)] : plans;
  await startDistributed(planReplicas(withRelays, TEAM_SCHEDULING, replicas), stopOnSignals);
};

/** Ctrl-C or SIGTERM stops what runs, once, then exits. */
const stopOnSignals = (running: Running): void => {
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
