import type { Interval } from './model.js';

/**
 * One member's free time: disjoint [start, end) segments (epoch ms) sorted by start, each a
 * piece of one window occurrence. Planning a task occupies a piece of a segment; taking a task
 * away releases it (touching free segments are contiguous availability, so they merge back).
 */
export class FreeTime {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  constructor(free: readonly Interval[]) {
    for (const f of free) {
      this.starts.push(f.start);
      this.ends.push(f.end);
    }
  }

  get segments(): number {
    return this.starts.length;
  }

  /**
   * The earliest start ≥ `earliest` of a `durationMs` piece inside one segment, ending by
   * `latestEnd`; NaN when there is none.
   */
  earliestFit(earliest: number, durationMs: number, latestEnd: number): number {
    const { starts, ends } = this;
    // First segment that ends late enough to hold the piece after `earliest` (ends are sorted too).
    let lo = 0;
    let hi = ends.length;
    const need = earliest + durationMs;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((ends[mid] as number) < need) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < starts.length; i++) {
      const s = Math.max(starts[i] as number, earliest);
      if (s + durationMs > latestEnd) return Number.NaN; // later segments start later still
      if (s + durationMs <= (ends[i] as number)) return s;
    }
    return Number.NaN;
  }

  /** Index of the segment holding [start, end), or -1. */
  private holding(start: number, end: number): number {
    const { starts } = this;
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((starts[mid] as number) <= start) lo = mid + 1;
      else hi = mid;
    }
    const i = lo - 1;
    return i >= 0 && end <= (this.ends[i] as number) ? i : -1;
  }

  /** Marks [start, end) as taken; it must lie inside one free segment. */
  occupy(start: number, end: number): void {
    const i = this.holding(start, end);
    if (i < 0) throw new RangeError(`[${start}, ${end}) is not free`);
    const segStart = this.starts[i] as number;
    const segEnd = this.ends[i] as number;
    if (segStart < start && end < segEnd) {
      this.ends[i] = start;
      this.starts.splice(i + 1, 0, end);
      this.ends.splice(i + 1, 0, segEnd);
    } else if (segStart < start) {
      this.ends[i] = start;
    } else if (end < segEnd) {
      this.starts[i] = end;
    } else {
      this.starts.splice(i, 1);
      this.ends.splice(i, 1);
    }
  }

  /** Gives [start, end) back (it was occupied), merging with touching free segments. */
  release(start: number, end: number): void {
    const { starts, ends } = this;
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((starts[mid] as number) < start) lo = mid + 1;
      else hi = mid;
    }
    const joinsBefore = lo > 0 && ends[lo - 1] === start;
    const joinsAfter = lo < starts.length && starts[lo] === end;
    if (joinsBefore && joinsAfter) {
      ends[lo - 1] = ends[lo] as number;
      starts.splice(lo, 1);
      ends.splice(lo, 1);
    } else if (joinsBefore) {
      ends[lo - 1] = end;
    } else if (joinsAfter) {
      starts[lo] = start;
    } else {
      starts.splice(lo, 0, start);
      ends.splice(lo, 0, end);
    }
  }
}
