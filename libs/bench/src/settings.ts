/**
 * A bench's settings from BENCH_* variables: the defaults are the reference figures; smaller
 * values shrink a run for a quick check. A bad value stops the bench with the variable named.
 * `1_000` and `1,000` are read as 1000.
 */
const read = (name: string, fallback: number, whole: boolean): number => {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.trim().replaceAll('_', '').replaceAll(',', ''));
  if (!Number.isFinite(value) || value <= 0 || (whole && !Number.isSafeInteger(value))) {
    throw new Error(`${name}=${JSON.stringify(raw)} is not a positive ${whole ? 'whole number' : 'number'}`);
  }
  return value;
};

/** A positive number (seconds, a rate...), or the fallback when unset. */
export const positiveSetting = (name: string, fallback: number): number => read(name, fallback, false);

/** A positive whole number (a count), or the fallback when unset. */
export const positiveWholeSetting = (name: string, fallback: number): number => read(name, fallback, true);
