/**
 * `npm run screenshots`: re-creates the README screenshots in docs/screenshots/ (live view, class
 * TV page, Broker panel with 50 uplinks, session view) against a fresh web-mode host with
 * simulated devices. Not part of `npm test` (it waits for real seconds of data to draw lines).
 */
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from './tests/e2e/support/chromium';

const PORT = Number(process.env.E2E_PORT ?? 8791);
const DATA_DIR = '.tmp/screenshots-data';

export default defineConfig({
  testDir: 'tests/e2e/screenshots',
  testMatch: /\.screens\.ts$/,
  outputDir: 'test-results/screenshots-run',
  fullyParallel: false,
  workers: 1,
  timeout: 180_000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1600, height: 1000 },
    launchOptions: { executablePath: chromiumExecutable(), args: CHROMIUM_ARGS },
  },
  webServer: {
    command: `node -e "require('fs').rmSync('${DATA_DIR}',{recursive:true,force:true})" && npx tsx scripts/buildUi.ts && npx tsx src/main/webMain.ts --port ${PORT} --test-control --data-dir ${DATA_DIR}`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
  },
});
