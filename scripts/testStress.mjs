// `npm run test:stress [-- --runs N]`: runs `npm test` with two CPU-bound busy loops beside it (the
// load of a shared 2-core CI machine), N times in a row (default 1), and kills the loops afterwards.
// The suite must pass under this load: tests wait for conditions and use test clocks, never wall time.
import { spawn, spawnSync } from 'node:child_process';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 1;
if (!Number.isInteger(runs) || runs < 1) {
  console.error('usage: npm run test:stress [-- --runs N]   (N: a whole number of runs, 1 or more)');
  process.exit(2);
}

// The loops must not carry a test run's marker: they are not processes of the tests.
const env = { ...process.env };
delete env.SENSOR_RELAY_TEST_RUN;
const loops = [0, 1].map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore', env }));
const stopLoops = () => {
  for (const loop of loops) if (loop.exitCode === null && loop.signalCode === null) loop.kill('SIGKILL');
};
process.on('exit', stopLoops);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopLoops();
    process.exit(130);
  });
}
console.log(`test:stress: two busy loops running (pids ${loops.map((l) => l.pid).join(', ')}); ${runs} run(s) of npm test`);

let failedRuns = 0;
for (let i = 1; i <= runs; i++) {
  console.log(`\n=== test:stress run ${i} of ${runs}`);
  const r = spawnSync(process.execPath, ['scripts/test.mjs'], { stdio: 'inherit', env });
  if (r.status !== 0) failedRuns++;
}
stopLoops();
console.log(`test:stress: ${runs - failedRuns} of ${runs} run(s) passed with two busy loops beside them`);
process.exit(failedRuns === 0 ? 0 : 1);
