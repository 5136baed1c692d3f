import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { formatResultsTable, type BenchResult } from './result.js';

export const RESULTS_FILE = 'bench-results.json';

const hasWorkspaces = (dir: string): boolean => {
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) return false;
  try {
    const parsed: unknown = JSON.parse(readFileSync(manifest, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && 'workspaces' in parsed;
  } catch {
    return false;
  }
};

/** The repository root: the nearest directory at or above `from` whose package.json has "workspaces". */
export const findRepoRoot = (from: string = process.cwd()): string => {
  let dir = resolve(from);
  for (;;) {
    if (hasWorkspaces(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json with "workspaces" at or above ${resolve(from)}`);
    dir = parent;
  }
};

const isBenchResult = (value: unknown): value is BenchResult => {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.name === 'string' &&
    typeof r.value === 'number' &&
    typeof r.unit === 'string' &&
    typeof r.baseline === 'string' &&
    (r.baselineValue === null || typeof r.baselineValue === 'number') &&
    (r.ratio === null || typeof r.ratio === 'number') &&
    typeof r.target === 'string' &&
    typeof r.met === 'boolean'
  );
};

/** Parses bench-results.json (an array of results); entries of another shape are dropped. */
export const parseResults = (text: string): BenchResult[] => {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new Error(`${RESULTS_FILE} is not a JSON array of results`);
  return parsed.filter(isBenchResult);
};

/**
 * Earlier results with the incoming ones merged in: an entry of the same name is replaced in
 * place, new names are appended, every other entry is kept.
 */
export const mergeResults = (existing: readonly BenchResult[], incoming: readonly BenchResult[]): BenchResult[] => {
  const latest = new Map<string, BenchResult>();
  for (const r of incoming) latest.set(r.name, r);
  const merged = existing.map((r) => latest.get(r.name) ?? r);
  const seen = new Set(existing.map((r) => r.name));
  for (const r of latest.values()) if (!seen.has(r.name)) merged.push(r);
  return merged;
};

export interface RecordOptions {
  /** Where to start looking for the repository root (default: the working directory). */
  from?: string;
  /** Write here instead of <repo root>/bench-results.json. */
  file?: string;
  /** Where the table goes (default: stdout); `null` prints nothing. */
  print?: ((text: string) => void) | null;
}

/**
 * Merges `results` into bench-results.json at the repository root (same name: replaced; others:
 * kept), then prints them as a table. Returns the path written.
 */
export const recordResults = (results: readonly BenchResult[], options: RecordOptions = {}): string => {
  const file = options.file ?? join(findRepoRoot(options.from), RESULTS_FILE);
  const existing = existsSync(file) ? parseResults(readFileSync(file, 'utf8')) : [];
  const merged = mergeResults(existing, results);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(merged, null, 2)}\n`);
  renameSync(temporary, file);
  const print = options.print === undefined ? (text: string) => void process.stdout.write(`${text}\n`) : options.print;
  print?.(`\n${formatResultsTable(results)}\n\n(${results.length} result(s) recorded in ${file})`);
  return file;
};
