/**
 * One benchmark figure, as every benchmark of the repo records it in bench-results.json.
 * `baseline` names what the figure is compared with (a plain-SQL equivalent measured in the
 * same run, or the target itself for absolute figures); `target` is human-readable
 * (">= 0.6x", ">= 100,000 events/s", "< 300 MB") and `met` says whether it was reached.
 */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline: string;
  baselineValue: number | null;
  /** value / baselineValue, when there is a baseline value. */
  ratio: number | null;
  target: string;
  met: boolean;
}

/** Rounds to `digits` significant digits (whole numbers are kept whole above that). */
export const roundTo = (value: number, digits = 3): number => {
  if (!Number.isFinite(value) || value === 0) return value;
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  if (magnitude >= digits - 1) return Math.round(value);
  const factor = 10 ** (digits - 1 - magnitude);
  return Math.round(value * factor) / factor;
};

/** `1234567.8` → `1,234,568`; keeps up to `decimals` decimals. */
export const formatNumber = (value: number, decimals = 0): string =>
  value.toLocaleString('en-US', { maximumFractionDigits: decimals, minimumFractionDigits: 0 });

const ratioOf = (value: number, baselineValue: number): number | null =>
  baselineValue > 0 && Number.isFinite(baselineValue) ? Math.round((value / baselineValue) * 1000) / 1000 : null;

export interface BaselineComparison {
  name: string;
  value: number;
  unit: string;
  /** What the baseline is, e.g. "plain single-row INSERT, 32 writers". */
  baseline: string;
  baselineValue: number;
  /** The figure must be at least this fraction of the baseline (higher is better). */
  minRatio: number;
}

/** A figure where higher is better, judged against a baseline measured in the same run. */
export const compareToBaseline = (c: BaselineComparison): BenchResult => {
  const ratio = ratioOf(c.value, c.baselineValue);
  return {
    name: c.name,
    value: roundTo(c.value),
    unit: c.unit,
    baseline: c.baseline,
    baselineValue: roundTo(c.baselineValue),
    ratio,
    target: `>= ${c.minRatio}x`,
    met: ratio !== null && ratio >= c.minRatio,
  };
};

export interface AbsoluteTarget {
  name: string;
  value: number;
  unit: string;
  /** Defaults to the target itself ("target 100,000 events/s") with baselineValue = the limit. */
  baseline?: string;
  baselineValue?: number | null;
}

/** A figure that must reach `min` (higher is better). */
export const atLeast = (t: AbsoluteTarget & { min: number }): BenchResult => {
  const baselineValue = t.baselineValue === undefined ? t.min : t.baselineValue;
  return {
    name: t.name,
    value: roundTo(t.value),
    unit: t.unit,
    baseline: t.baseline ?? `target ${formatNumber(t.min)} ${t.unit}`,
    baselineValue: baselineValue === null ? null : roundTo(baselineValue),
    ratio: baselineValue === null ? null : ratioOf(t.value, baselineValue),
    target: `>= ${formatNumber(t.min)} ${t.unit}`,
    met: t.value >= t.min,
  };
};

/** A figure that must stay strictly below `max` (lower is better). */
export const below = (t: AbsoluteTarget & { max: number }): BenchResult => {
  const baselineValue = t.baselineValue === undefined ? t.max : t.baselineValue;
  return {
    name: t.name,
    value: roundTo(t.value),
    unit: t.unit,
    baseline: t.baseline ?? `limit ${formatNumber(t.max)} ${t.unit}`,
    baselineValue: baselineValue === null ? null : roundTo(baselineValue),
    ratio: baselineValue === null ? null : ratioOf(t.value, baselineValue),
    target: `< ${formatNumber(t.max)} ${t.unit}`,
    met: t.value < t.max,
  };
};

const cell = (value: number | null, decimals: number): string => (value === null ? '-' : formatNumber(value, decimals));

/** The results as an aligned plain-text table. */
export const formatResultsTable = (results: readonly BenchResult[]): string => {
  const header = ['benchmark', 'value', 'unit', 'baseline', 'baseline value', 'ratio', 'target', 'met'];
  const rows = results.map((r) => [
    r.name,
    cell(r.value, 1),
    r.unit,
    r.baseline,
    cell(r.baselineValue, 1),
    r.ratio === null ? '-' : `${r.ratio.toFixed(2)}x`,
    r.target,
    r.met ? 'yes' : 'NO',
  ]);
  const numeric = new Set([1, 4, 5]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]): string =>
    row
      .map((text, i) => (numeric.has(i) ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
};
