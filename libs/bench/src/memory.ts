export interface RssSampler {
  /** Highest resident set size seen so far, in bytes. */
  peakBytes(): number;
  /** RSS when the sampler started, in bytes. */
  readonly startBytes: number;
  /** Takes a last sample, stops sampling and returns the peak, in bytes. */
  stop(): number;
}

export interface RssSamplerOptions {
  /** Sampling period in ms (default 25). */
  intervalMs?: number;
  /** Where samples come from (default process.memoryUsage.rss); for tests. */
  read?: () => number;
}

/**
 * Samples the process's resident set size on a timer (unref'd: it never keeps the process
 * alive) and keeps the peak. Work that never yields to the event loop is sampled only
 * around it, so call `peakBytes()`/`stop()` right after such work.
 */
export const startRssSampler = (options: RssSamplerOptions = {}): RssSampler => {
  const read = options.read ?? (() => process.memoryUsage.rss());
  const startBytes = read();
  let peak = startBytes;
  const sample = (): void => {
    const rss = read();
    if (rss > peak) peak = rss;
  };
  const timer = setInterval(sample, options.intervalMs ?? 25);
  timer.unref();
  let stopped = false;
  return {
    startBytes,
    peakBytes: () => {
      if (!stopped) sample();
      return peak;
    },
    stop: () => {
      if (!stopped) {
        sample();
        stopped = true;
        clearInterval(timer);
      }
      return peak;
    },
  };
};

export const MiB = 1024 * 1024;

/** Bytes → MB (MiB), one decimal. */
export const toMB = (bytes: number): number => Math.round((bytes / MiB) * 10) / 10;
