import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  atLeast,
  combineThroughput,
  below,
  compareToBaseline,
  createProgress,
  findRepoRoot,
  formatDuration,
  formatProgress,
  formatResultsTable,
  measureThroughput,
  mergeResults,
  percentile,
  randomDigits,
  recordResults,
  roundTo,
  seededRandom,
  startRssSampler,
  summarizeLatencies,
  type BenchResult,
} from '../src/index.js';

const result = (name: string, value: number): BenchResult => ({
  name,
  value,
  unit: 'events/s',
  baseline: 'plain INSERT',
  baselineValue: 100,
  ratio: value / 100,
  target: '>= 0.6x',
  met: value >= 60,
});

describe('percentiles', () => {
  it('uses the nearest rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
    expect(percentile(samples, 0)).toBe(1);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('summarizes latencies', () => {
    const summary = summarizeLatencies([3, 1, 2, 4]);
    expect(summary).toEqual({ count: 4, min: 1, mean: 2.5, p50: 2, p90: 4, p99: 4, max: 4 });
    expect(summarizeLatencies([]).count).toBe(0);
  });
});

describe('measureThroughput', () => {
  it('runs a fixed number of operations across the workers and counts units', async () => {
    const seen: Array<[number, number]> = [];
    const r = await measureThroughput({
      concurrency: 3,
      operations: 10,
      operation: async (worker, iteration) => {
        seen.push([worker, iteration]);
        await Promise.resolve();
        return 5;
      },
    });
    expect(r.operations).toBe(10);
    expect(r.units).toBe(50);
    expect(seen).toHaveLength(10);
    expect(new Set(seen.map(([w]) => w))).toEqual(new Set([0, 1, 2]));
    expect(r.latency.count).toBe(10);
    expect(r.unitsPerSecond).toBeGreaterThan(0);
  });

  it('keeps iteration counts across warm-up and stops after the duration', async () => {
    const iterations: number[] = [];
    const r = await measureThroughput({
      concurrency: 1,
      warmupMs: 20,
      durationMs: 30,
      operation: async (_worker, iteration) => {
        iterations.push(iteration);
        await new Promise((resolve) => setTimeout(resolve, 2));
      },
    });
    expect(r.elapsedMs).toBeGreaterThanOrEqual(29);
    expect(r.operations).toBeLessThan(iterations.length);
    expect(iterations).toEqual(iterations.map((_, i) => i));
  });

  it('combines several runs into one', () => {
    const run = (operations: number, units: number, elapsedMs: number, samplesMs: number[]) => ({
      operations,
      units,
      elapsedMs,
      operationsPerSecond: 0,
      unitsPerSecond: 0,
      latency: summarizeLatencies(samplesMs),
      samplesMs,
    });
    const combined = combineThroughput([run(2, 20, 1000, [1, 3]), run(2, 20, 1000, [2, 4])]);
    expect(combined).toMatchObject({
      operations: 4,
      units: 40,
      elapsedMs: 2000,
      operationsPerSecond: 2,
      unitsPerSecond: 20,
    });
    expect(combined.latency).toMatchObject({ count: 4, p50: 2, p99: 4 });
  });

  it('rejects with the first failure once every worker has stopped', async () => {
    let inFlight = 0;
    await expect(
      measureThroughput({
        concurrency: 4,
        operations: 100,
        operation: async (worker) => {
          inFlight++;
          await new Promise((resolve) => setTimeout(resolve, 1));
          inFlight--;
          if (worker === 2) throw new Error('boom');
        },
      }),
    ).rejects.toThrow('boom');
    expect(inFlight).toBe(0);
  });
});

describe('results', () => {
  it('rounds to significant digits', () => {
    expect(roundTo(123456.7)).toBe(123457);
    expect(roundTo(0.123456)).toBe(0.123);
    expect(roundTo(12.3456)).toBe(12.3);
  });

  it('judges ratios and absolute targets', () => {
    const r = compareToBaseline({
      name: 'a',
      value: 70,
      unit: 'events/s',
      baseline: 'plain',
      baselineValue: 100,
      minRatio: 0.6,
    });
    expect(r).toMatchObject({ ratio: 0.7, target: '>= 0.6x', met: true });
    expect(
      compareToBaseline({ name: 'b', value: 50, unit: 'x', baseline: 'p', baselineValue: 100, minRatio: 0.6 }).met,
    ).toBe(false);
    expect(
      compareToBaseline({ name: 'c', value: 50, unit: 'x', baseline: 'p', baselineValue: 0, minRatio: 0.6 }),
    ).toMatchObject({ ratio: null, met: false });
    expect(atLeast({ name: 'd', value: 150_000, unit: 'events/s', min: 100_000 })).toMatchObject({
      baseline: 'target 100,000 events/s',
      baselineValue: 100_000,
      ratio: 1.5,
      target: '>= 100,000 events/s',
      met: true,
    });
    expect(
      below({ name: 'e', value: 310, unit: 'MB', max: 300, baseline: 'plain read', baselineValue: 100 }),
    ).toMatchObject({
      target: '< 300 MB',
      ratio: 3.1,
      met: false,
    });
  });

  it('formats a table with a row per result', () => {
    const table = formatResultsTable([result('append', 1234.5), result('read', 12)]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^benchmark\s+value\s+unit/);
    expect(lines[2]).toContain('1,234.5');
    expect(lines[3]).toContain('NO');
  });

  it('merges by name, replacing in place and keeping the others', () => {
    const merged = mergeResults([result('a', 1), result('b', 2), result('c', 3)], [result('b', 20), result('d', 40)]);
    expect(merged.map((r) => [r.name, r.value])).toEqual([
      ['a', 1],
      ['b', 20],
      ['c', 3],
      ['d', 40],
    ]);
  });
});

describe('recordResults', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'bench-test-'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'root', workspaces: ['libs/*'] }));
    mkdirSync(join(root, 'libs', 'pkg'), { recursive: true });
    writeFileSync(join(root, 'libs', 'pkg', 'package.json'), JSON.stringify({ name: 'pkg' }));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('finds the workspace root from a package folder', () => {
    expect(findRepoRoot(join(root, 'libs', 'pkg'))).toBe(root);
  });

  it('writes bench-results.json at the root, merging with what is there', () => {
    const printed: string[] = [];
    const from = join(root, 'libs', 'pkg');
    recordResults([result('a', 1), result('b', 2)], { from, print: null });
    const file = recordResults([result('b', 5)], { from, print: (t) => printed.push(t) });
    expect(file).toBe(join(root, 'bench-results.json'));
    const stored = JSON.parse(readFileSync(file, 'utf8')) as BenchResult[];
    expect(stored.map((r) => [r.name, r.value])).toEqual([
      ['a', 1],
      ['b', 5],
    ]);
    expect(printed.join('\n')).toContain('b');
  });
});

describe('progress and memory', () => {
  it('formats progress lines', () => {
    expect(formatProgress('loading', 350_000, 1_000_000, 'events')).toBe('loading 350,000 / 1,000,000 events (35%)');
  });

  it('prints at most once per interval, then a final line', () => {
    let t = 0;
    const lines: string[] = [];
    const progress = createProgress({
      label: 'loading',
      total: 1000,
      unit: 'events',
      now: () => t,
      write: (l) => lines.push(l),
    });
    progress.add(100); // t = 0: too soon
    t = 500;
    progress.add(100);
    t = 1000;
    progress.add(100); // printed
    t = 1500;
    progress.add(100);
    t = 2000;
    progress.add(600); // printed
    progress.finish();
    progress.finish();
    expect(lines).toEqual([
      'loading 300 / 1,000 events (30%)',
      'loading 1,000 / 1,000 events (100%)',
      'loading 1,000 / 1,000 events (100%) done in 2.0 s (500 events/s)',
    ]);
  });

  it('gives the rate and the time left when asked, not counting what was done before', () => {
    let t = 0;
    const lines: string[] = [];
    const progress = createProgress({
      label: 'writing',
      total: 10_000,
      unit: 'events',
      initial: 1_000,
      eta: true,
      now: () => t,
      write: (l) => lines.push(l),
    });
    t = 1000;
    progress.add(1_000); // 1,000 events/s; 8,000 left
    t = 2000;
    progress.add(8_000);
    expect(progress.finish()).toBe(2000);
    expect(lines).toEqual([
      'writing 2,000 / 10,000 events (20%), 1,000 events/s, ETA 8 s',
      'writing 10,000 / 10,000 events (100%), 4,500 events/s, ETA 0 s',
      'writing 10,000 / 10,000 events (100%) done in 2.0 s (4,500 events/s)',
    ]);
    expect(formatDuration(125_000)).toBe('2 min 05 s');
    expect(formatDuration(3_720_000)).toBe('1 h 02 min');
  });

  it('keeps the peak RSS', () => {
    const values = [100, 300, 200];
    const sampler = startRssSampler({ read: () => values.shift() ?? 50, intervalMs: 1_000 });
    expect(sampler.startBytes).toBe(100);
    expect(sampler.peakBytes()).toBe(300);
    expect(sampler.stop()).toBe(300);
    expect(sampler.stop()).toBe(300);
  });
});

describe('seeded randomness', () => {
  it('draws the same sequence from the same seed, another from another seed', () => {
    const draw = (seed: number) => {
      const random = seededRandom(seed);
      return [random.next(), random.int(1, 6), random.uuid(), randomDigits(random, 5)];
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('keeps ints within their bounds and gives version-4 UUIDs', () => {
    const random = seededRandom(1);
    for (let i = 0; i < 1_000; i++) {
      const n = random.int(-3, 3);
      expect(n).toBeGreaterThanOrEqual(-3);
      expect(n).toBeLessThanOrEqual(3);
      expect(Number.isInteger(n)).toBe(true);
    }
    expect(random.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(randomDigits(random, 12)).toMatch(/^\d{12}$/);
  });
});
