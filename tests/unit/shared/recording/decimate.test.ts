/** Chart data from long series: extremes kept per pixel bucket, dropouts drawn as gaps in both modes. */
import { describe, expect, it } from 'vitest';
import { decimateMinMax } from '../../../../src/shared/recording/decimate';

function columns(points: [number, number][]): { t: Float64Array; v: Float64Array; n: number } {
  return { t: Float64Array.from(points.map((p) => p[0])), v: Float64Array.from(points.map((p) => p[1])), n: points.length };
}

describe('decimateMinMax', () => {
  it('returns every reading when they fit, with a null inside a silence longer than the gap', () => {
    const cols = columns([
      [1000, 60],
      [2000, 61],
      [3000, 62],
      [20_000, 70],
      [21_000, 71],
    ]);
    const out = decimateMinMax(cols, 0, 30_000, 100, 5250, 1000);
    expect(out.isDecimated).toBe(false);
    expect(out.tMs).toEqual([0, 1000, 2000, 10_500, 19_000, 20_000]);
    expect(out.values).toEqual([60, 61, 62, null, 70, 71]);
  });

  it('keeps the spike and the dip of a long series in at most two points per bucket, and its dropout', () => {
    const points: [number, number][] = [];
    for (let i = 0; i < 36_000; i++) {
      const t = i * 100; // 10 Hz for an hour
      if (t > 1_800_000 && t < 1_830_000) continue; // a 30 s dropout
      points.push([t, 150 + (i % 7)]);
    }
    points[5000]![1] = 900; // a spike
    points[20_000]![1] = 3; // a dip
    const out = decimateMinMax(columns(points), 0, 3_600_000, 500, 4250, 0);
    expect(out.isDecimated).toBe(true);
    expect(out.tMs.length).toBeLessThanOrEqual(2 * 502 + 2);
    expect(Math.max(...out.values.filter((v): v is number => v !== null))).toBe(900);
    expect(Math.min(...out.values.filter((v): v is number => v !== null))).toBe(3);
    // exactly one gap, inside the dropout, although buckets (7.2 s) are wider than the gap (4.25 s)
    const gaps = out.tMs.filter((_, i) => out.values[i] === null);
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toBeGreaterThan(1_800_000);
    expect(gaps[0]).toBeLessThan(1_830_000);
    // times stay in order
    expect(out.tMs.every((t, i) => i === 0 || t >= out.tMs[i - 1]!)).toBe(true);
  });

  it('breaks the line before a flagged point (an RR interval after missed beats)', () => {
    const cols = { ...columns([[0, 800], [800, 810], [1600, 790], [2400, 805]]), breakBefore: Uint8Array.from([0, 0, 3, 0]) };
    const out = decimateMinMax(cols, 0, 2400, 100, 5250, 0);
    expect(out.values).toEqual([800, 810, null, 790, 805]);
  });

  it('a zoomed range returns the exact readings plus one on each side', () => {
    const points: [number, number][] = Array.from({ length: 10_000 }, (_, i) => [i * 250, i]);
    const out = decimateMinMax(columns(points), 100_000, 110_000, 800, 4250, 0);
    expect(out.isDecimated).toBe(false);
    expect(out.values[0]).toBe(399);
    expect(out.values.at(-1)).toBe(441);
    expect(out.values).toHaveLength(43);
  });
});
