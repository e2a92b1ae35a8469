/**
 * `node --import tsx tests/support/checkLeftovers.ts <run id>`: the last step of `npm test`. Prints
 * and exits 1 when any process of the run (including the runners' helpers such as Playwright's web
 * server) is still alive after every runner has exited.
 */
import { describeLeftovers, waitForLeftovers } from './testRun';

const runId = process.argv[2];
if (!runId) {
  console.error('usage: checkLeftovers <run id>');
  process.exit(2);
}
const left = await waitForLeftovers(runId, 5000, undefined, true);
if (left.length > 0) {
  console.error(describeLeftovers('npm test', left));
  process.exit(1);
}
console.log('no process of this test run is left running');
