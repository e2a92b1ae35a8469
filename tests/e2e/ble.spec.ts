/**
 * Bluetooth sensors end to end in web mode with the simulated Bluetooth (sim / test-control mode):
 * the user adds a heart-rate strap and a power meter from the Bluetooth panel; the byte-exact
 * simulated peripherals notify, the real connection manager and GATT decoders run in the page, the
 * samples go through the host to the tiles. A dropout shows reconnecting, then live, and no stale
 * value is shown as current across the gap.
 */
import { expect, test, type Page } from '@playwright/test';
// `window.sensorRelayBle` is declared globally by the renderer's BLE test hook.
import type {} from '../../src/renderer/ble/testHook';

const STRAP = 'ble:SIMdefault-hr';
const METER = 'ble:SIMdefault-power';

async function openBluetooth(page: Page): Promise<void> {
  await page.goto('/');
  await page.waitForFunction(() => window.sensorRelayTest !== undefined);
  // The Bluetooth panel lives in the Sensors view.
  await page.getByTestId('nav-sensors').click();
  await expect(page.getByTestId('ble-panel')).toBeVisible();
  await page.waitForFunction(() => window.sensorRelayBle !== undefined);
}

async function addFromUi(page: Page, kind: string, deviceId: string): Promise<void> {
  await page.getByTestId(`ble-add-${kind}`).click();
  await expect(page.getByTestId(`ble-device-${deviceId}`)).toHaveAttribute('data-status', 'live', { timeout: 10_000 });
}

test.afterEach(async ({ page }) => {
  await page.evaluate(() => window.sensorRelayBle?.removeAll());
});

test('add a strap and a power meter from the UI; HR, RR, power and cadence update live', async ({ page }) => {
  await openBluetooth(page);
  await addFromUi(page, 'hr', STRAP);
  await addFromUi(page, 'power', METER);
  const strapRow = page.getByTestId(`ble-device-${STRAP}`);
  await expect(strapRow.getByTestId('ble-battery')).toHaveText('90%');
  await expect(strapRow.getByTestId('ble-contact')).toHaveText('skin contact');

  await page.getByTestId('nav-live').click();
  await expect(page.getByTestId(`tile-${STRAP}`)).toHaveAttribute('data-status', 'live');
  await expect(page.getByTestId(`value-${STRAP}-heartRate`)).toHaveText('72');
  await expect(page.getByTestId(`value-${METER}-power`)).toHaveText('180');
  await expect(page.getByTestId(`value-${METER}-cadence`)).toHaveText(/^8[4-6]$/, { timeout: 10_000 });
  // RR from the strap's beats at 72 bpm: round(61440 / 72) = 853 ticks = 833.0 ms
  await expect.poll(() => page.evaluate((id) => window.sensorRelayTest!.latest(id, 'rrInterval'), STRAP), { timeout: 10_000 }).toBe(833.0078125);

  // values follow the sensors
  await page.evaluate(() => {
    window.sensorRelayBle!.setValue('SIMdefault-hr', 'heartRate', 150);
    window.sensorRelayBle!.setValue('SIMdefault-power', 'power', 321);
  });
  await expect(page.getByTestId(`value-${STRAP}-heartRate`)).toHaveText('150');
  await expect(page.getByTestId(`value-${METER}-power`)).toHaveText('321');
  await expect.poll(() => page.evaluate((id) => window.sensorRelayTest!.latest(id, 'rrInterval'), STRAP), { timeout: 10_000 }).toBe((410 * 1000) / 1024);
  await page.screenshot({ path: 'test-results/screenshots/web-ble-strap-and-meter.png', fullPage: true });
});

test('a dropout shows reconnecting, then live again, with no stale value shown across the gap', async ({ page }) => {
  await openBluetooth(page);
  await addFromUi(page, 'hr', STRAP);
  await page.getByTestId('nav-live').click();
  const tile = page.getByTestId(`tile-${STRAP}`);
  await expect(page.getByTestId(`value-${STRAP}-heartRate`)).toHaveText('72');

  await page.evaluate(() => window.sensorRelayBle!.dropout('SIMdefault-hr', 9000));
  await expect(tile).toHaveAttribute('data-status', 'reconnecting');
  await expect(tile.getByTestId('status-badge')).toHaveText('reconnecting');
  // once the last reading is older than the HR stale timeout it is no longer shown, while still reconnecting
  await expect(page.getByTestId(`value-${STRAP}-heartRate`)).toHaveText('--', { timeout: 8000 });
  await expect(tile).toHaveAttribute('data-status', 'reconnecting');

  // the manager reconnects by itself (no click): live again, values resume
  await expect(tile).toHaveAttribute('data-status', 'live', { timeout: 20_000 });
  await expect(page.getByTestId(`value-${STRAP}-heartRate`)).toHaveText('72');
  const state = await page.evaluate(() => window.sensorRelayBle!.devices()[0]);
  expect(state?.reconnects).toBeGreaterThanOrEqual(1);
});

test('a malformed notification is counted and shown, and the stream goes on', async ({ page }) => {
  await openBluetooth(page);
  await addFromUi(page, 'hr', STRAP);
  await page.evaluate(() => window.sensorRelayBle!.inject('SIMdefault-hr', '01 48'));
  const row = page.getByTestId(`ble-device-${STRAP}`);
  await expect(row.getByTestId('ble-bad-packets')).toHaveText('1 rejected packet');
  await expect(row).toHaveAttribute('data-status', 'live');
  await page.getByTestId('nav-live').click();
  await expect(page.getByTestId(`value-${STRAP}-heartRate`)).toHaveText('72');
});
