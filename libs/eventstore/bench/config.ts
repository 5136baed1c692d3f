/** Benchmark settings: the defaults are the reference figures; the BENCH_* variables shrink runs for quick checks. */
import { positiveSetting, positiveWholeSetting } from '@workshare/bench';

export type BackendKind = 'postgres' | 'embedded';

export interface BenchConfig {
  databaseUrl: string;
  /** Dedicated schema, dropped and recreated at the start (and dropped at the end). */
  schema: string;
  backends: BackendKind[];
  /** Measured time of each write scenario (per side, split over interleaved rounds), in ms. */
  measureMs: number;
  /** Warm-up before each side of a write scenario, in ms. */
  warmupMs: number;
  /** Baseline and store alternate this many times within a write scenario, against drift. */
  rounds: number;
  /** Pool size of both sides of the write benchmarks. */
  connections: number;
  readEvents: Record<BackendKind, number>;
  /** The log of the category read (1% of it in one category). */
  categoryEvents: Record<BackendKind, number>;
  readPageSize: number;
  loadBatchSize: number;
}

export const loadConfig = (): BenchConfig => {
  const readEvents = positiveWholeSetting('BENCH_READ_EVENTS', 1_000_000);
  const categoryEvents = positiveWholeSetting('BENCH_CATEGORY_EVENTS', 200_000);
  const backends = (process.env.BENCH_TARGETS ?? 'postgres,embedded')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const b of backends)
    if (b !== 'postgres' && b !== 'embedded')
      throw new Error(`BENCH_TARGETS: unknown target ${JSON.stringify(b)} (postgres, embedded)`);
  return {
    databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    schema: 'bench_eventstore',
    backends: backends as BackendKind[],
    measureMs: positiveSetting('BENCH_SECONDS', 5) * 1000,
    warmupMs: positiveSetting('BENCH_WARMUP_SECONDS', 1) * 1000,
    rounds: 5,
    connections: 32,
    readEvents: {
      postgres: readEvents,
      embedded: positiveWholeSetting('BENCH_EMBEDDED_READ_EVENTS', Math.min(200_000, readEvents)),
    },
    categoryEvents: {
      postgres: categoryEvents,
      embedded: positiveWholeSetting('BENCH_EMBEDDED_CATEGORY_EVENTS', Math.min(100_000, categoryEvents)),
    },
    readPageSize: 5_000,
    loadBatchSize: 1_000,
  };
};
