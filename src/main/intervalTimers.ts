/** The interval timer seam of the host's periodic jobs: real (unref'd) timers, or a test's own. */

/** Start and stop a periodic callback. */
export interface IntervalTimers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/** Node's timers, unref'd so a periodic job never keeps the process alive. */
export const REAL_INTERVAL_TIMERS: IntervalTimers = {
  setInterval: (fn, ms) => {
    const t = setInterval(fn, ms);
    t.unref?.();
    return t;
  },
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};
