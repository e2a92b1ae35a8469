/**
 * Playwright: E2E in web mode against the real host with simulated devices, in Chromium (the
 * system's Debian build here, Playwright's own elsewhere), plus the Electron suite that runs
 * where the Electron binary exists.
 */
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from './tests/e2e/support/chromium';
import { ensureTestRunId, roleMarker, TEST_RUN_ENV } from './tests/support/testRun';

// Every process this run starts carries the run marker; global teardown fails on leftovers.
const TEST_RUN_ID = ensureTestRunId();

/** Port of the shared web-mode host the web specs use. */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 8791);

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  snapshotPathTemplate: '{testDir}/__screenshots__/{testFilePath}/{arg}{ext}',
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  // A bound for a hung spec, not a speed check: the 50-athlete class specs take ~60 s alone on a
  // loaded 2-core machine and more beside other suites.
  timeout: 180_000,
  reporter: [['list'], ['json', { outputFile: 'test-results/results.json' }]],
  globalTeardown: './tests/support/playwrightGlobalTeardown.ts',
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    viewport: { width: 1600, height: 1000 },
    launchOptions: { executablePath: chromiumExecutable(), args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
  },
  webServer: {
    // the UI is rebuilt only when its sources changed since the last build (scripts/buildUi.ts fingerprint)
    command: `npx tsx scripts/buildUi.ts && npx tsx src/main/webMain.ts --port ${E2E_PORT} --test-control --data-dir .tmp/e2e-data`,
    url: `http://127.0.0.1:${E2E_PORT}/`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    // Playwright stops the web server after global teardown, so it carries a role marker of its own.
    env: { [TEST_RUN_ENV]: roleMarker(TEST_RUN_ID, 'server') },
  },
  projects: [
    { name: 'web', testIgnore: /electron\.spec\.ts/ },
    { name: 'electron', testMatch: /electron\.spec\.ts/ },
  ],
});
