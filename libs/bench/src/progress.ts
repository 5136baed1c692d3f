import { performance } from 'node:perf_hooks';
import { formatNumber } from './result.js';

/** `loading 350,000 / 1,000,000 events (35%)` */
export const formatProgress = (label: string, done: number, total: number, unit: string): string => {
  const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
  return `${label} ${formatNumber(done)} / ${formatNumber(total)} ${unit} (${percent}%)`;
};

export interface ProgressOptions {
  /** First word(s) of each line, e.g. `loading`. */
  label: string;
  total: number;
  /** What is counted, e.g. `events`. */
  unit?: string;
  /** At most one line per this many ms (default 1,000). */
  intervalMs?: number;
  /** Where lines go (default: stderr). */
  write?: (line: string) => void;
  /** Clock in ms (default: performance.now); for tests. */
  now?: () => number;
  /** Done already at the start (counted in the total, not in the rate); default 0. */
  initial?: number;
  /** Each line also gives the rate since the start and the time left at that rate (`ETA`). */
  eta?: boolean;
}

/** `3 s`, `4 min 05 s`, `1 h 02 min` */
export const formatDuration = (ms: number): string => {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
};

export interface Progress {
  /** Adds `n` to the count done; prints a line if the last one is at least intervalMs old. */
  add(n: number): void;
  /** Sets the count done. */
  set(done: number): void;
  readonly done: number;
  /** Prints the final line (count, elapsed time, rate) and returns the elapsed ms. */
  finish(): number;
}

/** Progress lines for long loads: at most one a second on stderr, then a final line with the rate. */
export const createProgress = (options: ProgressOptions): Progress => {
  const unit = options.unit ?? 'items';
  const intervalMs = options.intervalMs ?? 1_000;
  const write = options.write ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const now = options.now ?? (() => performance.now());
  const started = now();
  let lastPrinted = started;
  const initial = options.initial ?? 0;
  let done = initial;
  let finished = false;
  const line = (t: number): string => {
    const text = formatProgress(options.label, done, options.total, unit);
    if (!options.eta) return text;
    const rate = t > started ? ((done - initial) * 1000) / (t - started) : 0;
    const left = options.total - done;
    const eta = rate > 0 ? formatDuration((left * 1000) / rate) : '?';
    return `${text}, ${formatNumber(rate)} ${unit}/s, ETA ${left > 0 ? eta : '0 s'}`;
  };
  const maybePrint = (): void => {
    const t = now();
    if (!finished && t - lastPrinted >= intervalMs) {
      lastPrinted = t;
      write(line(t));
    }
  };
  return {
    add(n) {
      done += n;
      maybePrint();
    },
    set(value) {
      done = value;
      maybePrint();
    },
    get done() {
      return done;
    },
    finish() {
      const elapsedMs = now() - started;
      if (!finished) {
        finished = true;
        const rate = elapsedMs > 0 ? ((done - initial) * 1000) / elapsedMs : 0;
        write(
          `${formatProgress(options.label, done, options.total, unit)} done in ${(elapsedMs / 1000).toFixed(1)} s (${formatNumber(rate)} ${unit}/s)`,
        );
      }
      return elapsedMs;
    },
  };
};
