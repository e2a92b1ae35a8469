/**
 * Vitest global setup: marks the run (every process the tests start inherits the marker) and, at
 * the end, fails the run naming any process started by the tests that is still alive (testRun.ts).
 */
import { clearPidRegistry, describeLeftovers, ensureTestRunId, waitForLeftovers, type LeftoverProcess } from './testRun';

/** Vitest's own worker processes end with the run; they are not leftovers of a test. */
function isVitestWorker(p: LeftoverProcess): boolean {
  return /node_modules\/(vitest|tinypool)\//.test(p.cmdline);
}

/** Set the run marker; the returned teardown fails when processes are left behind. */
export default function setup(): () => Promise<void> {
  const runId = ensureTestRunId();
  return async () => {
    const left = await waitForLeftovers(runId, 3000, isVitestWorker);
    clearPidRegistry(runId);
    if (left.length === 0) return;
    // Vitest reports a teardown error but keeps its exit code; set it so the run fails.
    process.exitCode = 1;
    throw new Error(describeLeftovers('vitest', left));
  };
}
