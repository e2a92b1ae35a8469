/**
 * A tiny trend line of the last two minutes drawn straight from a ring buffer onto a canvas:
 * no allocation, gaps longer than the stale timeout are left open.
 */
import type { RingBuffer } from '../../live/ringBuffer';

/** Trend window. */
export const SPARK_WINDOW_MS = 120_000;
/** Shortest window: a class that just started fills the line sooner than two minutes. */
const MIN_WINDOW_MS = 20_000;
/** Smallest vertical span, so a steady HR is a calm line rather than noise blown up. */
const MIN_SPAN_BPM = 24;

/** Draw `ring` over [nowMs − window, nowMs] into `ctx` (canvas pixels `w` × `h`). */
export function drawSparkline(
  ctx: CanvasRenderingContext2D,
  ring: RingBuffer | null,
  nowMs: number,
  w: number,
  h: number,
  gapMs: number,
  colour: string,
): void {
  ctx.clearRect(0, 0, w, h);
  if (!ring || ring.length === 0) return;
  const span = Math.min(SPARK_WINDOW_MS, Math.max(MIN_WINDOW_MS, nowMs - ring.timeAt(0)));
  const from = nowMs - span;
  const first = ring.firstIndexFrom(from);
  if (first >= ring.length) return;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = first; i < ring.length; i++) {
    const v = ring.valueAt(i);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi - lo < MIN_SPAN_BPM) {
    const mid = (hi + lo) / 2;
    lo = mid - MIN_SPAN_BPM / 2;
    hi = mid + MIN_SPAN_BPM / 2;
  }
  const pad = Math.max(1, h * 0.08);
  const yOf = (v: number): number => h - pad - ((v - lo) / (hi - lo)) * (h - 2 * pad);
  ctx.lineWidth = Math.min(4, Math.max(2, h / 14));
  ctx.lineJoin = 'round';
  ctx.strokeStyle = colour;
  ctx.beginPath();
  let prevT = -Infinity;
  for (let i = first; i < ring.length; i++) {
    const t = ring.timeAt(i);
    const x = ((t - from) / span) * w;
    const y = yOf(ring.valueAt(i));
    if (t - prevT > gapMs) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
    prevT = t;
  }
  ctx.stroke();
}
