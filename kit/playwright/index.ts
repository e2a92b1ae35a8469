/**
 * `sensor-relay/playwright`: a Playwright fixture for QA engineers testing their setup against
 * Sensor Relay. `relay` starts a host of its own on a free port (simulated devices from a scenario,
 * or none), opens the page, and gives typed control of `window.sensorRelayTest` plus cleanup:
 *
 *   import { test, expect } from 'sensor-relay/playwright';
 *   test.use({ relayScenario: 'steady3' });
 *   test('…', async ({ relay, page }) => { await relay.control.setValue('sim:strap', 'heartRate', 150); });
 *
 * Importing this module also declares `window.sensorRelayTest` and `window.sensorRelayBle` for
 * `page.evaluate` callbacks (src/renderer/testControl.ts, src/renderer/ble/testHook.ts).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test as base, type Page } from '@playwright/test';
import type { TestControl } from '../../src/renderer/testControl';

export { expect };
export type { TestControl } from '../../src/renderer/testControl';
export type { BleTestHook } from '../../src/renderer/ble/testHook';

/** The package root (where src/main/webMain.ts and the built UI live). */
const ROOT = join(import.meta.dirname, '..', '..');

/** A test-control object seen from the test: every call goes through `page.evaluate` and returns a promise. */
export type Remote<T> = {
  readonly [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : Remote<T[K]>;
};

/** A running Sensor Relay host with its page open. */
export interface Relay {
  /** Page URL of the host (`http://127.0.0.1:<port>/`). */
  readonly url: string;
  readonly port: number;
  /** The host's data directory (temporary; removed on cleanup). */
  readonly dataDir: string;
  /** Typed `window.sensorRelayTest` of the page: `relay.control.addDevice('hr', …)`. */
  readonly control: Remote<TestControl>;
  /** Stop the host (SIGTERM, SIGKILL after 5 s) and remove its data; the fixture calls it after each test. */
  stop(): Promise<void>;
}

/** Options of the `relay` fixture (`test.use({ … })`). */
export interface RelayOptions {
  /** Built-in scenario (or scenario file) to simulate; null: start empty with `--test-control`. */
  readonly relayScenario: string | null;
  /** How long the host may take to start (ms). */
  readonly relayStartTimeoutMs: number;
}

/** A proxy that turns `control.a.b(x)` into `page.evaluate(() => window.sensorRelayTest.a.b(x))`. */
function remote<T>(page: Page, path: readonly string[] = []): Remote<T> {
  const target = function remoteCall(): void {};
  return new Proxy(target, {
    get: (_t, key) => (typeof key === 'string' && key !== 'then' ? remote(page, [...path, key]) : undefined),
    apply: (_t, _self, args: unknown[]) =>
      page.evaluate(
        ([keys, callArgs]) => {
          let owner: unknown = window.sensorRelayTest;
          if (owner === undefined) throw new Error('window.sensorRelayTest is missing: the host runs without --simulate or --test-control.');
          for (const k of keys.slice(0, -1)) owner = (owner as Record<string, unknown>)[k];
          const fn = (owner as Record<string, (...a: unknown[]) => unknown>)[keys[keys.length - 1]!];
          if (typeof fn !== 'function') throw new Error(`sensorRelayTest.${keys.join('.')} is not a function.`);
          return fn.apply(owner, callArgs);
        },
        [path, args] as const,
      ),
  }) as unknown as Remote<T>;
}

/** Build the UI once when it is missing (the host serves out/renderer). */
function ensureUiBuilt(): void {
  if (existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) return;
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '-c', 'vite.renderer.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('Building the Sensor Relay UI failed; run `npx vite build -c vite.renderer.config.ts` to see why.');
}

/** Start a host on a free port; resolves with its port once it prints its URL. */
async function startHost(dataDir: string, scenario: string | null, timeoutMs: number): Promise<{ child: ChildProcess; port: number }> {
  const args = ['--import', 'tsx', join(ROOT, 'src', 'main', 'webMain.ts'), '--port', '0', '--data-dir', dataDir];
  args.push(...(scenario ? ['--simulate', scenario] : ['--test-control']));
  // One Node process runs the host (no tsx wrapper), so stopping it stops the host.
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The Sensor Relay host did not start within ${timeoutMs} ms: ${out}`));
    }, timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.resume();
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`The Sensor Relay host exited (${code ?? signal}) before it listened: ${out}`));
    });
  });
}

/** Stop a child: SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
async function stopProcess(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Playwright's `test` with the `relay` fixture (and its options); use it instead of `@playwright/test`'s. */
export const test = base.extend<RelayOptions & { relay: Relay }>({
  relayScenario: [null, { option: true }],
  relayStartTimeoutMs: [60_000, { option: true }],
  relay: async ({ page, relayScenario, relayStartTimeoutMs }, use) => {
    ensureUiBuilt();
    const dataDir = mkdtempSync(join(tmpdir(), 'sensor-relay-pw-'));
    const { child, port } = await startHost(dataDir, relayScenario, relayStartTimeoutMs);
    const url = `http://127.0.0.1:${port}/`;
    let isStopped = false;
    const relay: Relay = {
      url,
      port,
      dataDir,
      control: remote<TestControl>(page),
      async stop() {
        if (isStopped) return;
        isStopped = true;
        await stopProcess(child, 5000);
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
    try {
      await page.goto(url);
      await page.waitForFunction(() => window.sensorRelayTest !== undefined);
      await use(relay);
    } finally {
      await relay.stop();
    }
  },
});
