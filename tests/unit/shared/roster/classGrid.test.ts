/** Class display grid: 1 to 50 athletes fit a 1080p and a 4K screen without scrolling, tiles as big as possible. */
import { describe, expect, it } from 'vitest';
import { classGrid } from '../../../../src/shared/roster/classGrid';

const SCREENS = [
  { name: '1080p', w: 1920, h: 1080 },
  { name: '4K', w: 3840, h: 2160 },
  { name: 'portrait tablet', w: 1080, h: 1600 },
];

describe('classGrid', () => {
  for (const s of SCREENS) {
    it(`fits every count from 1 to 50 on ${s.name}`, () => {
      for (let n = 1; n <= 50; n++) {
        const g = classGrid(n, s.w, s.h, 8);
        expect(g.cols * g.rows).toBeGreaterThanOrEqual(n);
        expect(g.cols * g.tileWidthPx + (g.cols - 1) * 8).toBeLessThanOrEqual(s.w + 0.001);
        expect(g.rows * g.tileHeightPx + (g.rows - 1) * 8).toBeLessThanOrEqual(s.h + 0.001);
        // no empty row: fewer rows could not hold them with these columns
        expect((g.rows - 1) * g.cols).toBeLessThan(n);
      }
    });
  }

  it('gives 50 athletes on 1080p tiles big enough to read across a room', () => {
    const g = classGrid(50, 1920, 1080, 8);
    expect(g.tileHeightPx).toBeGreaterThan(120);
    expect(g.tileWidthPx).toBeGreaterThan(180);
  });

  it('uses one big tile for one athlete and a landscape row-major grid for a few', () => {
    expect(classGrid(1, 1920, 1080, 8)).toMatchObject({ cols: 1, rows: 1 });
    expect(classGrid(4, 1920, 1080, 8)).toMatchObject({ cols: 2, rows: 2 });
  });
});
