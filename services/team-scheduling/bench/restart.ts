/**
 * A restarted service's time to ready, and its peak memory, with a long log of other services'
 * events: team scheduling (its roster, a durable read model of the crew and schedule streams,
 * caught up before it serves) as its own process on PostgreSQL, restarted after 10,000 events of
 * other categories were appended while it was down (the baseline), then after 1,000,000
 * (BENCH_RESTART_EVENTS). With durable read models read by category the two are close (target:
 * at most 1.5x the baseline, time and peak RSS alike); folding the whole log, they grew with it.
 *
 *   npm run build && node dist/bench/restart.js     (from services/team-scheduling)
 *
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test): a database of its own is
 * created beside it and dropped after; NATS_URL (default nats://127.0.0.1:4222) for the bus.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  createProgress,
  formatNumber,
  positiveWholeSetting,
  recordResults,
  roundTo,
  type BenchResult,
} from '@workshare/bench';
import { checkHealth } from '@workshare/grpc';
import { createPostgresDatabase, dropPostgresDatabase, openEventStore } from '@workshare/eventstore';
import { freePort, spawnServiceProcess, waitForService } from '@workshare/service-host';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const HEALTH = 'workshare.teamscheduling.v1.TeamSchedulingService';
const BASELINE_EVENTS = 10_000;
const BATCH = 1_000;

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const database = `bench_restart_${process.pid}`;
/** Appends `count` events of other services' categories, in batches, four appenders at once. */
const appendOthers = async (url: string, count: number, offset: number): Promise<void> => {
  const store = await openEventStore(url, { maxConnections: 4 });
  const progress = createProgress({ label: '  appending other categories', total: count, unit: 'events' });
  let next = 0;
  const batches = Math.ceil(count / BATCH);
  try {
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < batches) {
          const b = next++;
          const size = Math.min(BATCH, count - b * BATCH);
          const category = ['job', 'plan', 'member', 'timesheet'][b % 4]!;
          await store.append(
            `${category}-bench${offset + b}`,
            Array.from({ length: size }, (_, i) => ({ type: 'BenchNoise', data: { seq: offset + b * BATCH + i } })),
          );
          progress.add(size);
        }
      }),
    );
  } finally {
    progress.finish();
    await store.close();
  }
};

/** Starts the service, waits until it serves, reads its peak RSS, stops it: ms to ready and peak bytes. */
const startOnce = async (url: string): Promise<{ ms: number; peakBytes: number }> => {
  const port = await freePort();
  const started = performance.now();
  const child = spawnServiceProcess(packageRoot, {
    EVENTSTORE_URL: url,
    NATS_URL: natsUrl,
    GRPC_PORT: String(port),
    GRPC_HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  });
  try {
    await waitForService(
      'health SERVING',
      async () => (await checkHealth(`127.0.0.1:${port}`, HEALTH)) === 'SERVING',
      child,
      600_000,
    );
    const ms = performance.now() - started;
    const status = readFileSync(`/proc/${child.process.pid}/status`, 'utf8');
    const peakKb = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
    child.process.kill('SIGTERM');
    await child.exited;
    return { ms, peakBytes: peakKb * 1024 };
  } finally {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
  }
};

/** The faster of two starts (the first may pay for cold caches), with its peak. */
const measure = async (url: string): Promise<{ ms: number; peakBytes: number }> => {
  const first = await startOnce(url);
  const second = await startOnce(url);
  return first.ms <= second.ms ? first : second;
};

const atMostTimes = (name: string, unit: string, value: number, baseline: number, what: string): BenchResult => {
  const ratio = baseline > 0 ? Math.round((value / baseline) * 1000) / 1000 : null;
  return {
    name,
    value: roundTo(value),
    unit,
    baseline: what,
    baselineValue: roundTo(baseline),
    ratio,
    target: '<= 1.5x',
    met: ratio !== null && ratio <= 1.5,
  };
};

const main = async (): Promise<void> => {
  const total = positiveWholeSetting('BENCH_RESTART_EVENTS', 1_000_000);
  console.log(
    `team scheduling restart bench: ${formatNumber(BASELINE_EVENTS)} then ${formatNumber(total)} events of other categories`,
  );
  const url = await createPostgresDatabase(databaseUrl, database);
  try {
    await startOnce(url); // the first start: migrations, the roster's first checkpoint
    await appendOthers(url, BASELINE_EVENTS, 0);
    const baseline = await measure(url);
    console.log(
      `  restart after ${formatNumber(BASELINE_EVENTS)}: ${baseline.ms.toFixed(0)} ms, peak RSS ${(baseline.peakBytes / 2 ** 20).toFixed(0)} MB`,
    );
    await appendOthers(url, total - BASELINE_EVENTS, BASELINE_EVENTS / BATCH);
    const long = await measure(url);
    console.log(
      `  restart after ${formatNumber(total)}: ${long.ms.toFixed(0)} ms, peak RSS ${(long.peakBytes / 2 ** 20).toFixed(0)} MB`,
    );
    const results = [
      atMostTimes(
        `team scheduling restart to ready, ${formatNumber(total)} events of other categories in the log`,
        'ms',
        long.ms,
        baseline.ms,
        `the same restart with ${formatNumber(BASELINE_EVENTS)} events of other categories`,
      ),
      atMostTimes(
        `team scheduling restart peak RSS, ${formatNumber(total)} events of other categories in the log`,
        'MB',
        long.peakBytes / 2 ** 20,
        baseline.peakBytes / 2 ** 20,
        `the same restart with ${formatNumber(BASELINE_EVENTS)} events of other categories`,
      ),
    ];
    recordResults(results);
  } finally {
    await dropPostgresDatabase(databaseUrl, database);
  }
};

await main();
