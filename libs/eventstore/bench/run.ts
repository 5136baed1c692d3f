/**
 * Event store benchmarks, on PostgreSQL and on the embedded store (PGlite in a temporary
 * folder). Each figure is compared with plain SQL doing the same work on the same database in
 * the same run, and recorded in bench-results.json at the repository root.
 *
 *   npm run bench                      (from the root: builds, then runs every package's bench)
 *   npm run build && npm run bench     (from libs/eventstore)
 *
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test; only the bench_eventstore schema
 * is touched), BENCH_SECONDS (5: measured time per side of each write scenario),
 * BENCH_WARMUP_SECONDS (1), BENCH_READ_EVENTS (1,000,000 on PostgreSQL), BENCH_EMBEDDED_READ_EVENTS
 * (200,000, at most BENCH_READ_EVENTS), BENCH_CATEGORY_EVENTS (200,000: the log of the category read),
 * BENCH_EMBEDDED_CATEGORY_EVENTS (100,000, at most BENCH_CATEGORY_EVENTS), BENCH_VERIFY_EVENTS (1,000,000: the log
 * verified against its seals, in a database of its own), BENCH_VERIFY_WORKERS (hashing threads), BENCH_TARGETS
 * (postgres,embedded). `npm run bench:verify` runs the verification figure alone.
 * Missed targets are reported (met: false), not failed: the exit code is non-zero only on errors.
 */
import { performance } from 'node:perf_hooks';
import { recordResults, type BenchResult } from '@workshare/bench';
import { loadConfig, type BackendKind, type BenchConfig } from './config.js';
import { BenchDatabase } from './database.js';
import { benchCategoryRead } from './categories.js';
import { benchGlobalRead } from './read.js';
import { benchEmbeddedResponsiveness } from './responsiveness.js';
import { benchVerify } from './verify.js';
import { benchBatchAppends, benchSingleAppends } from './writes.js';

const benchBackend = async (kind: BackendKind, config: BenchConfig): Promise<BenchResult[]> => {
  console.log(`\n== ${kind} ==`);
  const db = await BenchDatabase.open(kind, config.databaseUrl, config.schema, config.connections);
  const results: BenchResult[] = [];
  try {
    results.push(await benchSingleAppends(db, config, 1));
    results.push(await benchSingleAppends(db, config, 32));
    results.push(await benchBatchAppends(db, config, 100));
    results.push(await benchCategoryRead(db, config));
    results.push(...(await benchGlobalRead(db, config)));
  } finally {
    await db.release().catch(() => undefined);
    await db.dispose();
  }
  // Recorded as soon as a database is done, so that a failure later keeps these.
  recordResults(results, { print: null });
  return results;
};

const main = async (): Promise<void> => {
  const started = performance.now();
  const config = loadConfig();
  console.log(
    `eventstore bench: ${config.backends.join(', ')}; ${config.measureMs / 1000} s per side of each write scenario; ` +
      `global read of ${Object.entries(config.readEvents)
        .filter(([k]) => config.backends.includes(k as BackendKind))
        .map(([k, n]) => `${n.toLocaleString('en-US')} events (${k})`)
        .join(', ')}`,
  );
  const results: BenchResult[] = [];
  for (const kind of config.backends) results.push(...(await benchBackend(kind, config)));
  if (config.backends.includes('embedded')) {
    console.log('\n== embedded: responsiveness ==');
    const responsiveness = await benchEmbeddedResponsiveness();
    recordResults(responsiveness, { print: null });
    results.push(...responsiveness);
  }
  if (config.backends.includes('postgres')) {
    console.log('\n== postgres: verification against the seals ==');
    const verification = await benchVerify(config.databaseUrl);
    recordResults([verification], { print: null });
    results.push(verification);
  }
  recordResults(results);
  const missed = results.filter((r) => !r.met);
  console.log(
    `\n${results.length - missed.length}/${results.length} targets met; total ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  if (missed.length > 0) console.log(`missed: ${missed.map((r) => r.name).join('; ')}`);
};

main().catch((error: unknown) => {
  console.error('eventstore bench failed:', error);
  process.exitCode = 1;
});
