/**
 * One requestAnimationFrame loop for every live view: charts and big numbers register a draw
 * callback; the loop runs them once per frame and stops while the page is hidden (the browser
 * suspends rAF then). Nothing here touches React state.
 */
type Draw = (nowMs: number) => void;

const draws = new Set<Draw>();
let handle: number | null = null;

function frame(): void {
  handle = null;
  const now = performance.timeOrigin + performance.now();
  for (const d of draws) d(now);
  if (draws.size > 0) handle = requestAnimationFrame(frame);
}

/** Register a per-frame draw; returns the function that unregisters it. */
export function onFrame(draw: Draw): () => void {
  draws.add(draw);
  if (handle === null) handle = requestAnimationFrame(frame);
  return () => {
    draws.delete(draw);
  };
}
