/**
 * The class display fed by real ANT+ plumbing, in web mode: a host started in this process with
 * 50 heart-rate straps as byte-level simulated ANT+ devices, spread over two simulated sticks in
 * scan mode. Every athlete's tile shows their strap; tap to claim picks the strap whose heart rate
 * rises; a strap handed to another athlete moves with the assignment.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { SimAntDevice } from '../../src/main/ant/sim/simDevices';
import { createHost, type Host } from '../../src/main/host';
import { startWebServer, type WebServer } from '../../src/main/web/webServer';
import type { ScenarioInput } from '../../src/shared/scenario';
import { parseScenario } from '../../src/shared/scenario';

const N = 50;
const pad = (i: number): string => String(i).padStart(2, '0');
const SPARE = 2001;

const scenario: ScenarioInput = {
  name: 'gym50-ant',
  description: '50 ANT+ straps',
  devices: Array.from({ length: N }, (_, i) => ({
    id: `strap${pad(i + 1)}`,
    name: `Strap ${pad(i + 1)}`,
    kind: 'hr' as const,
    transport: 'ant' as const,
    antDeviceNumber: 1001 + i,
    metrics: { heartRate: { type: 'steady' as const, value: 101 + i } },
  })),
};

let host: Host;
let server: WebServer;
const spareHr = { bpm: 70 };

test.beforeAll(async () => {
  const parsed = parseScenario(scenario);
  if (!parsed.ok) throw new Error(parsed.message);
  host = createHost({
    mode: 'web',
    dataDir: mkdtempSync(join(tmpdir(), 'sr-e2e-ant-gym-')),
    scenario: parsed.value,
    isTestControlEnabled: true,
    isAntUsbEnabled: false,
  });
  await host.start();
  server = await startWebServer(host, { host: '127.0.0.1', port: 0, uiDir: join(process.cwd(), 'out', 'renderer'), token: null });
});

test.afterAll(async () => {
  await server?.close();
  await host?.stop();
});

test('50 ANT+ straps on two sticks in scan mode: every tile updates; tap to claim; handover', async ({ page }) => {
  await expect.poll(() => host.ant?.service?.status().sticks.map((s) => [s.mode, s.state, s.deviceCount]), { timeout: 20_000 }).toEqual([
    ['scan', 'running', 40],
    ['scan', 'running', 10],
  ]);
  await page.goto(`http://127.0.0.1:${server.port}/?view=class`);
  await page.waitForFunction(() => window.sensorRelayTest !== undefined);
  const rows = ['id,name,max_hr_bpm,devices'];
  for (let i = 1; i <= N; i++) rows.push(`a${pad(i)},Athlete ${i},190,ant:120:${1000 + i}`);
  await page.evaluate((csv) => window.sensorRelayTest!.roster.importCsv(csv, 'replace'), rows.join('\n'));
  await expect(page.locator('[data-testid^="class-tile-"]')).toHaveCount(N);
  for (let i = 1; i <= N; i++) await expect(page.getByTestId(`class-hr-a${pad(i)}`)).toHaveText(String(100 + i));

  // a spare strap comes into range on the second stick; athlete 5 claims it by raising its heart rate
  const spare: SimAntDevice = { kind: 'hr', deviceNumber: SPARE, valueAt: () => ({ heartRate: spareHr.bpm }), isInRange: () => true };
  host.ant!.simBus!.all()[1]!.addDevice(spare);
  await expect.poll(() => page.evaluate((d) => window.sensorRelayTest!.latest(d, 'heartRate'), `ant:120:${SPARE}`), { timeout: 15_000 }).toBe(70);
  await page.evaluate(() => window.sensorRelayTest!.roster.claimStart('a05'));
  spareHr.bpm = 83;
  await expect
    .poll(async () => (await page.evaluate(() => window.sensorRelayTest!.roster.get())).participants.find((p) => p.id === 'a05')!.deviceIds[0])
    .toBe(`ant:120:${SPARE}`);
  await expect(page.getByTestId('class-hr-a05')).toHaveText('83');

  // handed to athlete 6: the spare's heart rate shows on their tile, athlete 5 is back on strap 05
  await page.evaluate((d) => window.sensorRelayTest!.roster.assign(d, 'a06', 0), `ant:120:${SPARE}`);
  spareHr.bpm = 147;
  await expect(page.getByTestId('class-hr-a06')).toHaveText('147');
  await expect(page.getByTestId('class-hr-a05')).toHaveText('105');
});
