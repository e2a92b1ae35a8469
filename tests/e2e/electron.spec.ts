/**
 * The Electron suite: the real app with a simulated scenario, through the preload bridge. It runs
 * wherever the Electron binary exists; elsewhere every test is skipped and prints why.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, expect, test, _electron as electron, type Browser, type ElectronApplication } from '@playwright/test';
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

/**
 * The packaged app: electron-builder's `dir` build made with the real Electron (the same
 * packaging as dist:check, which uses a stand-in here), launched as users run it. Playwright's
 * Electron launcher needs the Node inspector, which the packaged fuses switch off, so the app is
 * started directly and driven over Chromium's DevTools port.
 */
test.describe('packaged app (electron-builder dir build)', () => {
  test.skip(!found.path, `Packaged-app suite skipped: ${skipReason}`);
  test.setTimeout(240_000);
  let work = '';
  let child: ChildProcess | null = null;
  let browser: Browser | null = null;

  test.afterAll(async () => {
    await browser?.close().catch(() => undefined);
    if (child?.pid) process.kill(-child.pid, 'SIGTERM');
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('runs from app://sensor-relay/ with fuses flipped, streams over IPC and refuses inline styles', async () => {
    work = mkdtempSync(join(tmpdir(), 'sr-packaged-'));
    const { packageDir } = await import('../../scripts/dist/check');
    const { readFuses } = await import('../../scripts/dist/standInElectron');
    const { ELECTRON_FUSES, EXECUTABLE_NAME } = await import('../../scripts/dist/builderConfig');
    const { appDir } = await packageDir(work, dirname(found.path!));
    const bin = join(appDir, EXECUTABLE_NAME);
    expect(readFuses(bin)).toMatchObject(ELECTRON_FUSES);

    child = spawn(bin, ['--no-sandbox', '--remote-debugging-port=0', '--simulate', 'steady3'], {
      detached: true,
      env: { ...process.env, SENSOR_RELAY_DATA: join(work, 'data'), ELECTRON_RENDERER_URL: 'https://example.invalid/' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const endpoint = await new Promise<string>((resolve, reject) => {
      let seen = '';
      const onData = (d: Buffer): void => {
        seen += d.toString();
        const m = /DevTools listening on (ws:\/\/[^\s]+)/.exec(seen);
        if (m) resolve(m[1]!);
      };
      child!.stderr!.on('data', onData);
      child!.stdout!.on('data', onData);
      child!.once('exit', (code) => reject(new Error(`the packaged app exited (${code}) before DevTools was up:\n${seen}`)));
    });
    browser = await chromium.connectOverCDP(endpoint);
    await expect.poll(() => browser!.contexts()[0]?.pages().length ?? 0).toBeGreaterThan(0);
    const page = browser.contexts()[0]!.pages()[0]!;
    // a packaged app ignores ELECTRON_RENDERER_URL and serves its own build
    await expect.poll(() => page.url()).toMatch(/^app:\/\/sensor-relay\/index\.html/);
    await expect(page.getByTestId('value-sim:power-power')).toHaveText('200', { timeout: 30_000 });
    const exposed = await page.evaluate(() => ({ bridge: Object.keys(window.sensorRelay ?? {}).sort(), hasProcess: typeof (globalThis as { process?: unknown }).process }));
    expect(exposed).toEqual({ bridge: ['invoke', 'onEvent'], hasProcess: 'undefined' });
    const violations = await page.evaluate(async () => {
      const seen: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => seen.push(e.violatedDirective));
      const s = document.createElement('style');
      s.textContent = 'body { outline: 1px solid red }';
      const reported = new Promise((r) => document.addEventListener('securitypolicyviolation', r, { once: true }));
      document.head.appendChild(s); // must be refused: no inline styles
      // the report is an event: wait for it, with a bound so a missing report fails the expect below
      await Promise.race([reported, new Promise((r) => setTimeout(r, 5000))]);
      return seen;
    });
    expect(violations).toContain('style-src-elem');
  });
});
