/**
 * Builds uPlot data from a ring buffer for a time window, inserting a null point wherever two
 * consecutive readings are further apart than the metric's stale timeout, so a dropout is drawn
 * as a gap, never as a line across it.
 */
import type { RingBuffer } from './ringBuffer';

/** Reusable output arrays (grown when needed, never shrunk) to avoid per-frame allocation. */
export interface ChartArrays {
  xs: number[];
  ys: (number | null)[];
}

/** Fill `out` with the window [fromMs, toMs] of `ring` in seconds; returns the number of points. */
export function fillChartData(ring: RingBuffer, fromMs: number, gapMs: number, out: ChartArrays): number {
  const first = ring.firstIndexFrom(fromMs);
  let n = 0;
  let prevT = -Infinity;
  for (let i = first; i < ring.length; i++) {
    const t = ring.timeAt(i);
    if (t - prevT > gapMs && n > 0) {
      out.xs[n] = (prevT + 1) / 1000;
      out.ys[n] = null;
      n++;
    }
    out.xs[n] = t / 1000;
    out.ys[n] = ring.valueAt(i);
    n++;
    prevT = t;
  }
  out.xs.length = n;
  out.ys.length = n;
  return n;
}
