/**
 * Per-second aggregation for the wide CSV and the FIT records: bins are whole UTC seconds
 * [s, s + 1 s) counted from the session's first second; in each bin a column keeps the value of
 * the sample with the latest reception time in that second (the last value, for instantaneous
 * and cumulative metrics alike). A second without a sample stays empty: nothing is carried
 * forward, repeated or zero-filled.
 */

interface Column {
  values: Float64Array;
  times: Float64Array;
}

const INITIAL_BINS = 64;

/** Last-value-per-second table of several columns. */
export class SecondBins {
  private readonly columnsByKey = new Map<string, Column>();
  private maxBin = -1;

  /** `originMs`: any time in the first second; bin 0 is that whole UTC second. */
  constructor(originMs: number) {
    this.originSec = Math.floor(originMs / 1000);
  }

  /** First second (epoch seconds) of bin 0. */
  readonly originSec: number;

  /** Add one value; samples before the origin are ignored and reported as `false`. */
  add(key: string, tMs: number, value: number): boolean {
    const bin = Math.floor(tMs / 1000) - this.originSec;
    if (bin < 0 || !Number.isFinite(value)) return false;
    let col = this.columnsByKey.get(key);
    if (!col) {
      col = { values: new Float64Array(INITIAL_BINS).fill(NaN), times: new Float64Array(INITIAL_BINS).fill(-Infinity) };
      this.columnsByKey.set(key, col);
    }
    if (bin >= col.values.length) col = this.grow(key, col, bin);
    if (tMs >= col.times[bin]!) {
      col.times[bin] = tMs;
      col.values[bin] = value;
    }
    if (bin > this.maxBin) this.maxBin = bin;
    return true;
  }

  /** Column keys in order of first appearance. */
  keys(): string[] {
    return [...this.columnsByKey.keys()];
  }

  /** Number of bins from the origin to the last bin that holds a value. */
  get binCount(): number {
    return this.maxBin + 1;
  }

  /** Value of a column in a bin, or undefined for an empty cell. */
  get(key: string, bin: number): number | undefined {
    const col = this.columnsByKey.get(key);
    if (!col || bin < 0 || bin >= col.values.length) return undefined;
    const v = col.values[bin]!;
    return Number.isNaN(v) ? undefined : v;
  }

  private grow(key: string, col: Column, bin: number): Column {
    let size = col.values.length;
    while (size <= bin) size *= 2;
    const values = new Float64Array(size).fill(NaN);
    const times = new Float64Array(size).fill(-Infinity);
    values.set(col.values);
    times.set(col.times);
    const grown = { values, times };
    this.columnsByKey.set(key, grown);
    return grown;
  }
}
