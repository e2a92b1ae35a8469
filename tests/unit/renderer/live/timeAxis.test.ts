/**
 * Regression (issue 15 item 5): chart time labels collided (`11:40:1011:40:20…`) on the 1920 live
 * view and on empty charts at 1280. Ticks are now spaced so labels stay apart at every width and
 * window, and an empty range gets no labels.
 */
import { describe, expect, it } from 'vitest';
import { MIN_LABEL_SPACING_PX, timeAxisTicks } from '../../../../src/renderer/live/timeAxis';

describe('live chart time axis', () => {
  const T0 = 1_700_000_000;
  it.each([
    [30, 200],
    [60, 300],
    [60, 1800],
    [120, 340],
    [600, 420],
    [600, 90],
    [3600, 300],
  ])('a %i s window drawn %i px wide has labels at least 80 px apart', (windowS, widthPx) => {
    const ticks = timeAxisTicks(T0, T0 + windowS, widthPx);
    expect(ticks.length).toBeGreaterThan(0);
    const pxPerS = widthPx / windowS;
    for (let i = 1; i < ticks.length; i++) expect((ticks[i]! - ticks[i - 1]!) * pxPerS).toBeGreaterThanOrEqual(MIN_LABEL_SPACING_PX);
    for (const t of ticks) expect(t % 1).toBe(0);
  });

  it('uses round steps, as many as fit', () => {
    expect(timeAxisTicks(T0, T0 + 60, 480)).toEqual([0, 10, 20, 30, 40, 50, 60].map((s) => T0 + s).filter((t) => t % 10 === 0 && t >= T0));
  });

  it('labels nothing when there is no range or no width', () => {
    expect(timeAxisTicks(T0, T0, 300)).toEqual([]);
    expect(timeAxisTicks(NaN, NaN, 300)).toEqual([]);
    expect(timeAxisTicks(T0, T0 + 60, 0)).toEqual([]);
  });
});
