/**
 * The Electron suite: the real app with a simulated scenario, through the preload bridge. It runs
 * wherever the Electron binary exists; elsewhere every test is skipped and prints why.
 */
import { spawnSync } from 'node:child_process';
import { expect, test, _electron as electron, type ElectronApplication } from '@playwright/test';
import { findElectron } from './support/electronBinary';

const found = findElectron();
const skipReason = 'reason' in found ? found.reason : '';
if (!found.path) console.log(`[electron suite] skipped: ${skipReason}`);

test.describe('Electron app', () => {
  test.skip(!found.path, `Electron suite skipped: ${skipReason}`);
  let app: ElectronApplication;

  test.beforeAll(() => {
    const build = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
    expect(build.status).toBe(0);
  });

  test.beforeEach(async () => {
    app = await electron.launch({
      executablePath: found.path ?? undefined,
      args: ['.', '--simulate', 'steady3', '--no-sandbox'],
      env: { ...process.env, SENSOR_RELAY_DATA: '.tmp/electron-e2e' },
    });
  });
  test.afterEach(async () => {
    await app?.close();
  });

  test('runs sandboxed with only the contract bridge exposed', async () => {
    const page = await app.firstWindow();
    const exposed = await page.evaluate(() => ({
      hasRequire: typeof (globalThis as { require?: unknown }).require,
      hasProcess: typeof (globalThis as { process?: unknown }).process,
      bridge: Object.keys(window.sensorRelay ?? {}).sort(),
    }));
    expect(exposed).toEqual({ hasRequire: 'undefined', hasProcess: 'undefined', bridge: ['invoke', 'onEvent'] });
    const isolated = await page.evaluate(() => Object.getOwnPropertyNames(window.sensorRelay ?? {}).length);
    expect(isolated).toBe(2);
  });

  test('streams the simulated devices to tiles over IPC', async () => {
    const page = await app.firstWindow();
    await expect(page.locator('[data-testid^="tile-sim:"]')).toHaveCount(3);
    await expect(page.getByTestId('value-sim:strap-heartRate')).toHaveText('70');
    await expect(page.getByTestId('value-sim:power-power')).toHaveText('200');
  });
});
