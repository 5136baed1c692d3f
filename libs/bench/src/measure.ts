import { performance } from 'node:perf_hooks';

export interface LatencySummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/**
 * The p-th percentile (0–100) of samples, by the nearest-rank method: the smallest sample
 * such that at least p% of the samples are at or below it. NaN for no samples.
 * `sorted` says the samples are already in ascending order.
 */
export const percentile = (samples: readonly number[], p: number, sorted = false): number => {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is not between 0 and 100`);
  if (samples.length === 0) return Number.NaN;
  const ordered = sorted ? samples : [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * ordered.length));
  return ordered[rank - 1] as number;
};

/** Count, min, mean, p50, p90, p99 and max of latency samples (any unit; the helpers here use ms). */
export const summarizeLatencies = (samples: readonly number[]): LatencySummary => {
  if (samples.length === 0) return { count: 0, min: NaN, mean: NaN, p50: NaN, p90: NaN, p99: NaN, max: NaN };
  const ordered = [...samples].sort((a, b) => a - b);
  let sum = 0;
  for (const s of ordered) sum += s;
  return {
    count: ordered.length,
    min: ordered[0] as number,
    mean: sum / ordered.length,
    p50: percentile(ordered, 50, true),
    p90: percentile(ordered, 90, true),
    p99: percentile(ordered, 99, true),
    max: ordered[ordered.length - 1] as number,
  };
};

export interface ThroughputOptions {
  /** Workers running operations back to back, each awaiting its own before starting the next. */
  concurrency: number;
  /**
   * One operation of worker `worker` (0-based), its `iteration`-th (counting warm-up ones).
   * Returns how many units (events, rows…) it handled; 1 when it returns nothing.
   */
  operation: (worker: number, iteration: number) => Promise<number | void>;
  /** Measure for this long (default 5,000 ms unless `operations` is given). */
  durationMs?: number;
  /** Or measure this many operations in all (split between the workers). */
  operations?: number;
  /** Run (and discard) operations for this long first (default 0). */
  warmupMs?: number;
}

export interface ThroughputResult {
  operations: number;
  units: number;
  elapsedMs: number;
  operationsPerSecond: number;
  unitsPerSecond: number;
  /** Per-operation latency, in ms. */
  latency: LatencySummary;
  /** Every operation's latency, in ms, in completion order. */
  samplesMs: number[];
}

/**
 * Runs `operation` on `concurrency` workers for a fixed time or a fixed number of operations,
 * after an optional warm-up, and reports throughput and latency percentiles.
 * An operation that throws stops the run and rejects with that error.
 */
export const measureThroughput = async (options: ThroughputOptions): Promise<ThroughputResult> => {
  const { concurrency, operation } = options;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1)
    throw new RangeError(`concurrency ${concurrency} is not a positive integer`);
  if (options.operations !== undefined && (!Number.isSafeInteger(options.operations) || options.operations < 1)) {
    throw new RangeError(`operations ${options.operations} is not a positive integer`);
  }
  const iterations = new Array<number>(concurrency).fill(0);
  let failed = false;

  const run = async (stop: () => boolean, record: ((ms: number, units: number) => void) | undefined): Promise<void> => {
    const worker = async (w: number): Promise<void> => {
      while (!failed && !stop()) {
        const started = performance.now();
        let units: number | void;
        try {
          units = await operation(w, iterations[w]!++);
        } catch (error) {
          failed = true;
          throw error;
        }
        record?.(performance.now() - started, typeof units === 'number' ? units : 1);
      }
    };
    // Let every worker finish its operation in hand before reporting a failure.
    const outcomes = await Promise.allSettled(Array.from({ length: concurrency }, (_, w) => worker(w)));
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) throw failure.reason;
  };

  const warmupMs = options.warmupMs ?? 0;
  if (warmupMs > 0) {
    const until = performance.now() + warmupMs;
    await run(() => performance.now() >= until, undefined);
  }

  const latencies: number[] = [];
  let units = 0;
  let started = 0;
  const record = (ms: number, n: number): void => {
    latencies.push(ms);
    units += n;
  };
  let stop: () => boolean;
  if (options.operations !== undefined) {
    const total = options.operations;
    let claimed = 0;
    stop = () => claimed++ >= total;
  } else {
    const durationMs = options.durationMs ?? 5_000;
    stop = () => performance.now() - started >= durationMs;
  }
  started = performance.now();
  await run(stop, record);
  const elapsedMs = performance.now() - started;
  return {
    operations: latencies.length,
    units,
    elapsedMs,
    operationsPerSecond: (latencies.length * 1000) / elapsedMs,
    unitsPerSecond: (units * 1000) / elapsedMs,
    latency: summarizeLatencies(latencies),
    samplesMs: latencies,
  };
};

/** Several measurements of the same thing (rounds interleaved with other work, say) as one. */
export const combineThroughput = (runs: readonly ThroughputResult[]): ThroughputResult => {
  let operations = 0;
  let units = 0;
  let elapsedMs = 0;
  const samplesMs: number[] = [];
  for (const r of runs) {
    operations += r.operations;
    units += r.units;
    elapsedMs += r.elapsedMs;
    for (const s of r.samplesMs) samplesMs.push(s);
  }
  return {
    operations,
    units,
    elapsedMs,
    operationsPerSecond: elapsedMs > 0 ? (operations * 1000) / elapsedMs : 0,
    unitsPerSecond: elapsedMs > 0 ? (units * 1000) / elapsedMs : 0,
    latency: summarizeLatencies(samplesMs),
    samplesMs,
  };
};

/** Times one async piece of work, in ms. */
export const timeIt = async <T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> => {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
};

/**
 * Calls `send(i)` `perSecond` times a second for `durationMs`, on schedule (not waiting for one
 * to finish before the next), and waits for them all: how many were sent.
 */
export const atSteadyRate = async (
  perSecond: number,
  durationMs: number,
  send: (i: number) => Promise<unknown>,
): Promise<number> => {
  const interval = 1000 / perSecond;
  const count = Math.floor(durationMs / interval);
  const started = performance.now();
  const pending = new Set<Promise<unknown>>();
  for (let i = 0; i < count; i++) {
    const due = started + i * interval;
    const now = performance.now();
    if (due > now + 1) await new Promise((resolve) => setTimeout(resolve, due - now));
    const p: Promise<unknown> = send(i).finally(() => pending.delete(p));
    pending.add(p);
  }
  await Promise.all(pending);
  return count;
};
