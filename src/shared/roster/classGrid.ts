/**
 * Class display layout: the grid (columns × rows) that shows `count` tiles in a viewport without
 * scrolling, with tiles as large as possible and close to a landscape aspect, so a 1080p or 4K TV
 * shows 1 to 50 athletes readable from across the room.
 */

/** A computed grid. */
export interface ClassGrid {
  readonly cols: number;
  readonly rows: number;
  readonly tileWidthPx: number;
  readonly tileHeightPx: number;
}

/** Preferred tile aspect (width / height); tiles may stretch from half to double of it. */
const TARGET_ASPECT = 1.6;

/** The grid for `count` tiles in a `widthPx` × `heightPx` area with `gapPx` between tiles. */
export function classGrid(count: number, widthPx: number, heightPx: number, gapPx: number): ClassGrid {
  const n = Math.max(1, Math.floor(count));
  let best: ClassGrid | null = null;
  let bestScore = -Infinity;
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols);
    if (cols > 1 && Math.ceil(n / (cols - 1)) === rows) continue; // same rows with fewer columns: wider tiles
    const tileWidthPx = Math.max(1, (widthPx - gapPx * (cols - 1)) / cols);
    const tileHeightPx = Math.max(1, (heightPx - gapPx * (rows - 1)) / rows);
    // what counts is the usable tile at the target aspect (the readable area)
    const usableH = Math.min(tileHeightPx, tileWidthPx / TARGET_ASPECT);
    const score = usableH;
    if (score > bestScore) {
      bestScore = score;
      best = { cols, rows, tileWidthPx, tileHeightPx };
    }
  }
  return best!;
}
