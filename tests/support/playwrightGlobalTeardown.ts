/**
 * Playwright global teardown: fails the run naming any process started by the specs (a browser a
 * spec launched itself, a host it spawned) that is still alive. The shared web server carries its
 * own role marker (`<run id>:server`) and is stopped by Playwright after this; `npm test` checks it
 * too once Playwright has exited (checkLeftovers.ts).
 */
import { TEST_RUN_ENV, clearPidRegistry, describeLeftovers, waitForLeftovers, type LeftoverProcess } from './testRun';

/** Playwright's own worker processes end with the run; they are not leftovers of a spec. */
function isRunnerWorker(p: LeftoverProcess): boolean {
  return /node_modules\/(playwright|@playwright)\//.test(p.cmdline);
}

/** Fail when a process of this run is still alive. */
export default async function globalTeardown(): Promise<void> {
  const runId = process.env[TEST_RUN_ENV];
  if (!runId) return;
  const left = await waitForLeftovers(runId, 3000, isRunnerWorker);
  clearPidRegistry(runId);
  if (left.length > 0) throw new Error(describeLeftovers('playwright', left));
}
