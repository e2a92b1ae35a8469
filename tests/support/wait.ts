/** Waiting for conditions, never for durations: the one polling helper of the test suite. */

// Captured at load: polling keeps running on real time when a test fakes the global timers.
const realSetTimeout = globalThis.setTimeout;

/** Poll `cond` every 10 ms until it holds; throws naming `what` after `timeoutMs` of real time. */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const endMs = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > endMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => realSetTimeout(r, 10));
  }
}
