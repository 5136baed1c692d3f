/**
 * Verification of the log against its seals on PostgreSQL: a log of BENCH_VERIFY_EVENTS events
 * (1,000,000) generated into a throw-away database (progress shown), sealed as it grows, then
 * verified whole with verifyLog (every stream chain, the log chain, every seal). The figure is the
 * verification's time; the baseline a naive full scan of the same log through the store's
 * streamAll with no checks at all, in the same run (the faster of two each, alternating).
 * Target: < 10 s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { below, createProgress, formatNumber, positiveWholeSetting, type BenchResult } from '@workshare/bench';
import {
  createPostgresDatabase,
  dropPostgresDatabase,
  FileSealLog,
  generateSealKey,
  HashingPool,
  LogSealer,
  openEventStore,
  postgresDriver,
  verifyLog,
} from '../src/index.js';
import { EVENT_TYPE, eventData, eventMetadata } from './payload.js';

const DATABASE = 'bench_eventstore_verify';
const BATCH = 200;
/** A seal every this many events while loading. */
const SEAL_EVERY = 100_000;
const ROUNDS = 2;

export const benchVerify = async (databaseUrl: string): Promise<BenchResult> => {
  const total = positiveWholeSetting('BENCH_VERIFY_EVENTS', 1_000_000);
  const workers = positiveWholeSetting('BENCH_VERIFY_WORKERS', HashingPool.defaultSize());
  const url = await createPostgresDatabase(databaseUrl, DATABASE);
  const dir = mkdtempSync(join(tmpdir(), 'workshare-bench-seals-'));
  const store = await openEventStore(url, { maxConnections: 8 });
  try {
    const key = generateSealKey(join(dir, 'seal.pem'));
    const sink = new FileSealLog(join(dir, 'seals.jsonl'));
    const sealer = LogSealer.start({ store, key, sinks: [sink], pollIntervalMs: 3_600_000, pageSize: 5_000 });
    // Streams of a few hundred events each, two batches apiece, four appends in flight.
    const batches = Math.ceil(total / BATCH);
    const streams = Math.max(1, Math.ceil(batches / 2));
    const progress = createProgress({ label: '  postgres: generating', total, unit: 'events', eta: true });
    let next = 0;
    let loaded = 0;
    let sealedAt = 0;
    const loader = async (): Promise<void> => {
      while (next < batches) {
        const b = next++;
        const size = Math.min(BATCH, total - b * BATCH);
        const events = Array.from({ length: size }, (_, i) => {
          const seq = b * BATCH + i;
          return { type: EVENT_TYPE, data: eventData(seq), metadata: eventMetadata(seq) };
        });
        await store.append(`benchVerify-${b % streams}`, events);
        progress.add(size);
        loaded += size;
        if (loaded - sealedAt >= SEAL_EVERY) {
          sealedAt = loaded;
          await sealer.sealNow('interval');
        }
      }
    };
    await Promise.all(Array.from({ length: 4 }, loader));
    progress.finish();
    await sealer.sealNow('manual');
    await sealer.stop();
    const seals = await sink.readAll();
    const vacuum = performance.now();
    const driver = postgresDriver({ connectionString: url, maxConnections: 1 });
    await driver.query('VACUUM (ANALYZE) eventstore.events');
    await driver.query('CHECKPOINT').catch(() => undefined);
    await driver.close();
    console.log(`  postgres: ${seals.length} seals; vacuumed in ${((performance.now() - vacuum) / 1000).toFixed(1)} s`);

    let scan = Number.POSITIVE_INFINITY;
    let verify = Number.POSITIVE_INFINITY;
    for (let round = 0; round < ROUNDS; round++) {
      const scanStarted = performance.now();
      let scanned = 0;
      for await (const e of store.streamAll({ pageSize: 10_000 })) if (e.streamVersion >= 0) scanned++;
      const scanMs = performance.now() - scanStarted;
      if (scanned !== total) throw new Error(`the naive scan read ${scanned} events; the log holds ${total}`);
      scan = Math.min(scan, scanMs);

      const verifyStarted = performance.now();
      const shown = createProgress({ label: '  postgres: verifying', total, unit: 'events' });
      const result = await verifyLog(store, {
        seals,
        publicKey: key.publicKeyPem,
        workers,
        every: 10_000,
        onProgress: (n) => shown.set(n),
      });
      shown.finish();
      const verifyMs = performance.now() - verifyStarted;
      if (!result.intact || result.events !== total || result.seals.checked !== seals.length)
        throw new Error(
          `verification of the intact log did not hold: ${result.events} events, ${result.seals.checked} seals, ${result.breaks.length} breaks`,
        );
      verify = Math.min(verify, verifyMs);
      console.log(
        `  round ${round + 1}: naive streamAll ${(scanMs / 1000).toFixed(2)} s, verifyLog ${(verifyMs / 1000).toFixed(2)} s (${workers} hashing threads)`,
      );
    }
    console.log(
      `  verifyLog of ${formatNumber(total)} events against ${seals.length} seals: ${(verify / 1000).toFixed(2)} s; ` +
        `naive scan ${(scan / 1000).toFixed(2)} s → ${(verify / scan).toFixed(2)}x its time`,
    );
    return below({
      name: 'eventstore/postgres: verifyLog of the log against its seals',
      value: verify / 1000,
      unit: 's',
      baseline: `naive full scan of the same ${formatNumber(total)} events through store.streamAll (pages of 10,000), no checks`,
      baselineValue: scan / 1000,
      max: 10,
    });
  } finally {
    await store.close();
    await dropPostgresDatabase(databaseUrl, DATABASE);
    rmSync(dir, { recursive: true, force: true });
  }
};
