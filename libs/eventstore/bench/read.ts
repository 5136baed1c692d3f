import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  atLeast,
  below,
  compareToBaseline,
  createProgress,
  formatNumber,
  timeIt,
  toMB,
  type BenchResult,
} from '@workshare/bench';
import type { BenchConfig } from './config.js';
import type { BenchDatabase } from './database.js';
import { EVENT_TYPE, eventData, eventMetadata } from './payload.js';
import { isReadReport, SMALL_PAGE_SIZE, type ReadJob, type ReadReport } from './read-job.js';

/** Appends `total` events in batches of `batchSize` (one stream per batch), a few batches in flight at once. */
const loadLog = async (db: BenchDatabase, total: number, batchSize: number): Promise<void> => {
  const batches = Math.ceil(total / batchSize);
  // PostgreSQL has two cores to share between the appends and this process; PGlite runs one query at a time.
  const concurrency = db.kind === 'postgres' ? 4 : 1;
  const progress = createProgress({ label: `  ${db.kind}: loading`, total, unit: 'events' });
  let next = 0;
  const loader = async (): Promise<void> => {
    while (next < batches) {
      const b = next++;
      const size = Math.min(batchSize, total - b * batchSize);
      const events = Array.from({ length: size }, (_, i) => {
        const seq = b * batchSize + i;
        return { type: EVENT_TYPE, data: eventData(seq), metadata: eventMetadata(seq) };
      });
      await db.store.append(`benchLog-${b}`, events, { expectedVersion: 'no_stream' });
      progress.add(size);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loader));
  progress.finish();
};

/** Copies the log, in log order, into the plain table, then vacuums both so neither read pays for hint bits. */
const copyLog = async (db: BenchDatabase): Promise<void> => {
  const s = db.schema;
  const { ms } = await timeIt(() =>
    db.plain
      .query(`INSERT INTO ${s}.plain_log (event_id, stream_name, stream_version, type, schema_version, data, metadata,
                                               occurred_at, recorded_at, prev_hash, hash)
      SELECT event_id, stream_name, stream_version, type, schema_version, data, metadata, occurred_at, recorded_at, prev_hash, hash
        FROM ${s}.events ORDER BY transaction_id, global_position`),
  );
  console.log(`  ${db.kind}: copied the log into ${s}.plain_log in ${(ms / 1000).toFixed(1)} s`);
  const vacuum = await timeIt(async () => {
    await db.plain.query(`VACUUM (ANALYZE) ${s}.events`);
    await db.plain.query(`VACUUM (ANALYZE) ${s}.plain_log`);
    if (db.kind === 'postgres') await db.plain.query('CHECKPOINT').catch(() => undefined);
  });
  console.log(`  ${db.kind}: vacuumed both tables in ${(vacuum.ms / 1000).toFixed(1)} s`);
};

const workerPath = fileURLToPath(new URL('./read-worker.js', import.meta.url));

const runWorker = (job: ReadJob): Promise<ReadReport> =>
  new Promise((resolve, reject) => {
    const child = fork(workerPath, [JSON.stringify(job)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let report: ReadReport | undefined;
    child.on('message', (message: unknown) => {
      if (isReadReport(message)) report = message;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (report && code === 0) resolve(report);
      else reject(new Error(`${job.side} read worker ended with ${signal ?? `code ${code}`} and no report`));
    });
  });

const describe = (r: ReadReport): string =>
  `${formatNumber((r.events * 1000) / r.ms)} events/s (${formatNumber(r.events)} in ${(r.ms / 1000).toFixed(1)} s, peak RSS ${toMB(r.peakRssBytes)} MB)`;

/**
 * Loads the log, copies it into a plain table, then reads it all once through store.streamAll and
 * once by plain keyset paging, each in a fresh process. Leaves the database released.
 */
export const benchGlobalRead = async (db: BenchDatabase, config: BenchConfig): Promise<BenchResult[]> => {
  const total = config.readEvents[db.kind];
  await db.reset();
  await loadLog(db, total, config.loadBatchSize);
  await copyLog(db);
  // The embedded data folder can be opened by one process at a time.
  await db.release();

  const job = {
    kind: db.kind,
    location: db.location,
    schema: db.schema,
    pageSize: config.readPageSize,
    expected: total,
  };
  const plain = await runWorker({ ...job, side: 'plain' });
  console.log(`  read the log\n    plain: ${describe(plain)}`);
  const store = await runWorker({ ...job, side: 'store' });
  console.log(`    store: ${describe(store)}`);

  const storeRate = (store.events * 1000) / store.ms;
  const plainRate = (plain.events * 1000) / plain.ms;
  const pages = `pages of ${formatNumber(config.readPageSize)}`;
  const results = [
    compareToBaseline({
      name: `eventstore/${db.kind}: streamAll, ${pages}`,
      value: storeRate,
      unit: 'events/s',
      baseline: `plain keyset SELECT, same ${formatNumber(total)} rows, ${pages}`,
      baselineValue: plainRate,
      minRatio: 0.8,
    }),
  ];
  console.log(
    `  read ${formatNumber(store.smallPageEvents)} events in pages of ${SMALL_PAGE_SIZE}\n    plain: ${formatNumber((plain.smallPageEvents * 1000) / plain.smallPageMs)} events/s\n` +
      `    store: ${formatNumber((store.smallPageEvents * 1000) / store.smallPageMs)} events/s`,
  );
  results.push(
    compareToBaseline({
      name: `eventstore/${db.kind}: readAll, pages of ${SMALL_PAGE_SIZE}`,
      value: (store.smallPageEvents * 1000) / store.smallPageMs,
      unit: 'events/s',
      baseline: `plain keyset SELECT, same ${formatNumber(plain.smallPageEvents)} rows, pages of ${SMALL_PAGE_SIZE}`,
      baselineValue: (plain.smallPageEvents * 1000) / plain.smallPageMs,
      minRatio: 0.5,
    }),
  );
  if (db.kind === 'postgres') {
    results.push(
      atLeast({ name: `eventstore/${db.kind}: streamAll read rate`, value: storeRate, unit: 'events/s', min: 100_000 }),
    );
  }
  results.push(
    below({
      name: `eventstore/${db.kind}: streamAll peak RSS`,
      value: toMB(store.peakRssBytes),
      unit: 'MB',
      baseline: 'peak RSS of the plain keyset read',
      baselineValue: toMB(plain.peakRssBytes),
      max: 300,
    }),
  );
  return results;
};
