/**
 * Chart data from one recorded series for a time range: every reading when they fit (at most two
 * per pixel bucket), otherwise the minimum and the maximum of each bucket in time order — the
 * extremes a line chart would draw anyway, so spikes are never averaged away. A silence longer
 * than `gapMs` (or a point flagged as breaking the line) becomes an explicit gap (`null`), in
 * both modes, so a dropout is drawn as a gap, never as a line across it.
 */

/** A series as typed columns: `n` readings, times ascending. */
export interface Columns {
  readonly t: Float64Array;
  readonly v: Float64Array;
  readonly n: number;
  /** Non-zero where the line must break before the point (e.g. an RR interval after missed beats). */
  readonly breakBefore?: Uint8Array | Uint16Array;
}

/** Chart arrays: times relative to the origin (ms, µs precision), values with `null` gaps. */
export interface ChartColumns {
  readonly tMs: number[];
  readonly values: (number | null)[];
  readonly isDecimated: boolean;
}

/** Index of the first time ≥ `x`. */
export function lowerBound(t: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first time > `x`. */
export function upperBound(t: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function rel(tMs: number, originMs: number): number {
  return Math.round((tMs - originMs) * 1000) / 1000;
}

/**
 * Chart data of `cols` over `[fromMs, toMs]` (absolute ms) in `buckets` pixel buckets, with one
 * reading on each side of the range so lines reach the edges. Times in the result are relative to
 * `originMs`.
 */
export function decimateMinMax(cols: Columns, fromMs: number, toMs: number, buckets: number, gapMs: number, originMs: number): ChartColumns {
  const { t, v, n, breakBefore } = cols;
  const i0 = Math.max(0, lowerBound(t, n, fromMs) - 1);
  const i1 = Math.min(n, upperBound(t, n, toMs) + 1);
  const tMs: number[] = [];
  const values: (number | null)[] = [];
  let lastT = NaN;
  const push = (i: number, isBreak: boolean): void => {
    const ti = t[i]!;
    if (isBreak && tMs.length > 0) {
      tMs.push(rel((lastT + ti) / 2, originMs));
      values.push(null);
    }
    tMs.push(rel(ti, originMs));
    values.push(v[i]!);
    lastT = ti;
  };
  const breaksAt = (i: number, prevT: number): boolean =>
    t[i]! - prevT > gapMs || (breakBefore !== undefined && breakBefore[i] !== 0);
  if (i1 - i0 <= 2 * buckets) {
    for (let i = i0; i < i1; i++) push(i, i > i0 && breaksAt(i, t[i - 1]!));
    return { tMs, values, isDecimated: false };
  }
  const width = (toMs - fromMs) / buckets;
  let bucket = NaN;
  let minI = -1;
  let maxI = -1;
  let isGroupBreak = false;
  const flush = (): void => {
    if (minI < 0) return;
    const [a, b] = minI <= maxI ? [minI, maxI] : [maxI, minI];
    push(a, isGroupBreak);
    if (b !== a) push(b, false);
    minI = -1;
    maxI = -1;
  };
  for (let i = i0; i < i1; i++) {
    const b = Math.min(buckets, Math.max(-1, Math.floor((t[i]! - fromMs) / width)));
    // a new bucket, or a silence (or a break) inside this one: the extremes so far are one group
    const isBreak = i > i0 && breaksAt(i, t[i - 1]!);
    if (b !== bucket || isBreak) {
      flush();
      bucket = b;
      isGroupBreak = isBreak;
    }
    if (minI < 0 || v[i]! < v[minI]!) minI = i;
    if (maxI < 0 || v[i]! > v[maxI]!) maxI = i;
  }
  flush();
  return { tMs, values, isDecimated: true };
}
