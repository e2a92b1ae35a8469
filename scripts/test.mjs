// `npm test`: lint, type-check, Vitest (unit + integration) and Playwright (web E2E in Chromium,
// Electron suite where the binary exists), then one summary line summing every runner:
//   tests: N passed, M failed, K skipped
// Installs Debian's chromium when no browser is available (Playwright cannot download its own here).
// Every process the tests start carries SENSOR_RELAY_TEST_RUN=<run id> (tests/support/testRun.ts);
// each runner's global teardown fails on leftovers, and a last check after both runners counts any
// process of the run still alive as a failure, naming it.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const only = process.argv[2]; // optional: "unit" or "e2e"
const results = [];
let exitCode = 0;
const RUN_ENV = 'SENSOR_RELAY_TEST_RUN';
process.env[RUN_ENV] ||= `${process.pid}-${randomUUID().slice(0, 8)}`;

function run(label, cmd, args, env = {}) {
  console.log(`\n=== ${label}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) exitCode = 1;
  return r.status === 0;
}

/** A runner that exited non-zero without a failed test (a teardown error: leftover processes) still fails the summary. */
function failedBeyondTests(isOk, failed) {
  return !isOk && failed === 0 ? 1 : 0;
}

function playwrightHasBrowser() {
  try {
    const { chromium } = require('@playwright/test');
    return existsSync(chromium.executablePath());
  } catch {
    return false;
  }
}

function ensureChromium() {
  if (process.env.CHROMIUM_PATH || playwrightHasBrowser()) return;
  if (['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].some(existsSync)) return;
  console.log('No Chromium found: installing Debian\'s chromium package (Playwright cannot download browsers here).');
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const apt = (args) => spawnSync(sudo[0] ?? 'apt-get', sudo.length ? ['apt-get', ...args] : args, { stdio: 'inherit' });
  apt(['update', '-qq']);
  const r = apt(['install', '-y', '-qq', 'chromium']);
  if (r.status !== 0) {
    console.error('Could not install chromium. Install it (apt-get install chromium) or set CHROMIUM_PATH, then rerun npm test.');
  }
}

mkdirSync('test-results', { recursive: true });

if (!only) {
  // a failing check counts as a failure in the summary line, so a green count can never hide it
  if (!run('lint', 'npx', ['eslint', '.'])) results.push({ runner: 'lint', passed: 0, failed: 1, skipped: 0 });
  for (const project of ['tsconfig.shared.json', 'tsconfig.node.json', 'tsconfig.web.json', 'tsconfig.e2e.json']) {
    if (!run('typecheck', 'npx', ['tsc', '-p', project])) {
      results.push({ runner: `typecheck ${project}`, passed: 0, failed: 1, skipped: 0 });
      break;
    }
  }
}

if (!only || only === 'unit') {
  rmSync('test-results/vitest.json', { force: true });
  const isOk = run('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json']);
  try {
    const v = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
    const failed = v.numFailedTests + (v.numRuntimeErrorTestSuites ?? 0) + (v.numFailedTestSuites && !v.numFailedTests ? v.numFailedTestSuites : 0);
    results.push({
      runner: 'vitest',
      passed: v.numPassedTests,
      failed: failed + failedBeyondTests(isOk, failed),
      skipped: v.numPendingTests + (v.numTodoTests ?? 0),
    });
  } catch {
    results.push({ runner: 'vitest', passed: 0, failed: 1, skipped: 0 });
    exitCode = 1;
  }
}

if (!only || only === 'e2e') {
  ensureChromium();
  rmSync('test-results/results.json', { force: true });
  const isOk = run('playwright', 'npx', ['playwright', 'test']);
  try {
    const p = JSON.parse(readFileSync('test-results/results.json', 'utf8'));
    const s = p.stats;
    results.push({ runner: 'playwright', passed: s.expected + s.flaky, failed: s.unexpected + failedBeyondTests(isOk, s.unexpected), skipped: s.skipped });
    if ((p.errors ?? []).length > 0 && s.expected + s.unexpected === 0) exitCode = 1;
  } catch {
    results.push({ runner: 'playwright', passed: 0, failed: 1, skipped: 0 });
    exitCode = 1;
  }
}

if (!only || only === 'unit' || only === 'e2e') {
  const isClean = run('leftover processes', process.execPath, ['--import', 'tsx', 'tests/support/checkLeftovers.ts', process.env[RUN_ENV]]);
  if (!isClean) results.push({ runner: 'leftover processes', passed: 0, failed: 1, skipped: 0 });
}

const sum = (k) => results.reduce((n, r) => n + r[k], 0);
for (const r of results) console.log(`${r.runner}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
if (sum('failed') > 0) exitCode = 1;
console.log(`tests: ${sum('passed')} passed, ${sum('failed')} failed, ${sum('skipped')} skipped`);
process.exit(exitCode);
