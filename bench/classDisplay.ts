/**
 * Class display with 50 athletes at 4 Hz each, in Chromium: frame time (p50/p95 of
 * requestAnimationFrame deltas over ~5 s) and main-thread busy share (CDP TaskDuration delta over
 * wall time), against a same-run baseline of the same page with the data updates switched off
 * (the simulator stopped, every tile showing NO SIGNAL). Host in-process on port 0, UI served
 * from out/renderer (built first when missing).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { createHost } from '../src/main/host';
import { loadScenario } from '../src/main/sim/scenarioFiles';
import { startWebServer } from '../src/main/web/webServer';
import { CHROMIUM_ARGS, chromiumExecutable } from '../tests/e2e/support/chromium';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const uiDir = join(root, 'out', 'renderer');
const MEASURE_MS = 5000;
const ATHLETES = 50;

interface FrameStats {
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly frames: number;
  readonly busyShare: number;
  readonly samplesPerS: number;
}

function rosterCsv(): string {
  const rows = ['id,name,max_hr_bpm,devices'];
  for (let i = 1; i <= ATHLETES; i++) {
    const n = String(i).padStart(2, '0');
    rows.push(`a${n},Athlete ${n},${175 + (i % 20)},sim:strap${n}`);
  }
  return rows.join('\n');
}

/** Collects requestAnimationFrame deltas (ms) in the page for MEASURE_MS. */
const RAF_DELTAS = `new Promise((done) => {
  const out = [];
  let prev = -1;
  const end = performance.now() + MEASURE_MS;
  const tick = (t) => {
    if (prev >= 0) out.push(t - prev);
    prev = t;
    if (t < end) requestAnimationFrame(tick);
    else done(out);
  };
  requestAnimationFrame(tick);
})`;

async function taskSeconds(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
}

async function measure(page: Page, cdp: CDPSession): Promise<FrameStats> {
  const received0 = await page.evaluate(() => window.sensorRelayTest!.receivedCount());
  const task0 = await taskSeconds(cdp);
  const wall0 = performance.now();
  // a string, not a function: tsx would inject its `__name` helper into a serialised function
  const deltas = (await page.evaluate(RAF_DELTAS.replace('MEASURE_MS', String(MEASURE_MS)))) as number[];
  const wallS = (performance.now() - wall0) / 1000;
  const busyShare = (await taskSeconds(cdp)) - task0;
  const received = (await page.evaluate(() => window.sensorRelayTest!.receivedCount())) - received0;
  deltas.sort((a, b) => a - b);
  const q = (p: number): number => deltas[Math.min(deltas.length - 1, Math.floor(p * deltas.length))] ?? NaN;
  return { p50Ms: q(0.5), p95Ms: q(0.95), frames: deltas.length, busyShare: busyShare / wallS, samplesPerS: received / wallS };
}

function line(name: string, s: FrameStats): string {
  return `  ${name.padEnd(40)} frame p50 ${s.p50Ms.toFixed(2).padStart(6)} ms  p95 ${s.p95Ms.toFixed(2).padStart(6)} ms  busy ${(s.busyShare * 100).toFixed(1).padStart(5)} %  (${s.frames} frames, ${Math.round(s.samplesPerS)} samples/s)`;
}

/** Run the class display benchmark and print its numbers. */
export async function main(): Promise<void> {
  if (!existsSync(join(uiDir, 'index.html'))) {
    const built = spawnSync('npx', ['vite', 'build', '-c', 'vite.renderer.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('could not build the renderer (npx vite build -c vite.renderer.config.ts)');
  }
  const scenario = loadScenario('gym50');
  if (!scenario.ok) throw new Error(scenario.message);
  const host = createHost({
    mode: 'web',
    dataDir: mkdtempSync(join(tmpdir(), 'sr-bench-class-')),
    scenario: scenario.value,
    isTestControlEnabled: true,
  });
  await host.start();
  const server = await startWebServer(host, { host: '127.0.0.1', port: 0, uiDir, token: null });
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
  try {
    const imported = await host.call({ kind: 'call', id: 0, name: 'roster.importCsv', args: { csv: rosterCsv(), mode: 'replace' } });
    if (!imported.ok) throw new Error(imported.message);
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`http://127.0.0.1:${server.port}/?view=class`);
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-state="live"]').length === n && window.sensorRelayTest !== undefined,
      ATHLETES,
      { timeout: 30_000 },
    );
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.waitForTimeout(2000); // warm-up with data

    // baseline: the same page, data switched off (simulator stopped; tiles settle to NO SIGNAL first)
    host.sim.stop();
    await page.waitForFunction((n) => document.querySelectorAll('[data-state="nosignal"]').length === n, ATHLETES, { timeout: 30_000 });
    await page.waitForTimeout(500);
    const baseline = await measure(page, cdp);

    host.sim.start();
    await page.waitForFunction((n) => document.querySelectorAll('[data-state="live"]').length === n, ATHLETES, { timeout: 30_000 });
    await page.waitForTimeout(1000);
    const subject = await measure(page, cdp);

    console.log(`Class display, ${ATHLETES} athletes, 1920×1080, Chromium (${browser.version()})`);
    console.log(line(`live: ${ATHLETES} straps at 4 Hz`, subject));
    console.log(`${line('data off (same page)', baseline)}  (baseline, same run)`);
    console.log(`  ratio live/baseline: frame p50 ${(subject.p50Ms / baseline.p50Ms).toFixed(3)}, p95 ${(subject.p95Ms / baseline.p95Ms).toFixed(3)}, busy ${(subject.busyShare / baseline.busyShare).toFixed(2)}`);
  } finally {
    await browser.close();
    await server.close();
    await host.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void main();
