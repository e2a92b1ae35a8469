/** Chart data from a ring: the time window in seconds, and a null point at every gap (a dropout is drawn as a gap). */
import { describe, expect, it } from 'vitest';
import { fillChartData, type ChartArrays } from '../../../../src/renderer/live/chartData';
import { RingBuffer } from '../../../../src/renderer/live/ringBuffer';

function ringOf(points: [number, number][], capacity = 16): RingBuffer {
  const r = new RingBuffer(capacity);
  for (const [t, v] of points) r.push(t, v);
  return r;
}

describe('fillChartData', () => {
  it('returns the window from `fromMs` in seconds, values unchanged', () => {
    const out: ChartArrays = { xs: [], ys: [] };
    const n = fillChartData(ringOf([[1000, 60], [1250, 61], [1500, 62], [1750, 63]]), 1250, 5000, out);
    expect(n).toBe(3);
    expect(out).toEqual({ xs: [1.25, 1.5, 1.75], ys: [61, 62, 63] });
  });

  it('inserts one null just after the last reading before a gap longer than the stale timeout', () => {
    const out: ChartArrays = { xs: [], ys: [] };
    fillChartData(ringOf([[1000, 60], [2000, 61], [9000, 70], [10000, 71]]), 0, 5000, out);
    expect(out.xs).toEqual([1, 2, 2.001, 9, 10]);
    expect(out.ys).toEqual([60, 61, null, 70, 71]);
  });

  it('draws no gap for readings exactly the stale timeout apart', () => {
    const out: ChartArrays = { xs: [], ys: [] };
    fillChartData(ringOf([[0, 1], [5000, 2]]), 0, 5000, out);
    expect(out.ys).toEqual([1, 2]);
  });

  it('reuses and shrinks the output arrays: no stale points from a previous, longer frame', () => {
    const out: ChartArrays = { xs: [], ys: [] };
    const xs = out.xs;
    fillChartData(ringOf([[0, 1], [100, 2], [200, 3]]), 0, 5000, out);
    fillChartData(ringOf([[0, 1], [100, 2], [200, 3]]), 150, 5000, out);
    expect(out.xs).toBe(xs);
    expect(out).toEqual({ xs: [0.2], ys: [3] });
  });

  it('gives an empty chart for an empty window', () => {
    const out: ChartArrays = { xs: [9], ys: [9] };
    expect(fillChartData(ringOf([[0, 1]]), 1000, 5000, out)).toBe(0);
    expect(out).toEqual({ xs: [], ys: [] });
  });
});
