import { test, expect } from 'sensor-relay/playwright';

// A heart-rate metric goes stale after 5 s of silence by default; set it short for a fast test.
test('a strap shows its heart rate, then goes stale after a dropout', async ({ relay, page }) => {
  await relay.control.setStaleTimeout('heartRate', 1000);
  const id = await relay.control.addDevice('hr', { values: { heartRate: 70 } });
  await expect(page.getByTestId(`value-${id}-heartRate`)).toHaveText('70');
  await relay.control.dropout(id);
  await expect(page.getByTestId(`tile-${id}`)).toHaveAttribute('data-status', 'stale');
  await relay.control.reconnect(id);
  await expect(page.getByTestId(`tile-${id}`)).toHaveAttribute('data-status', 'live');
});

// BLE-level faults: the simulated Web Bluetooth sends what a broken sensor would.
test('a truncated Bluetooth packet is counted, never shown as a value', async ({ relay, page }) => {
  await page.getByTestId('nav-sensors').click();
  await page.getByTestId('ble-add-hr').click();
  await expect(page.getByTestId('ble-device-ble:SIMdefault-hr')).toHaveAttribute('data-status', 'live');
  await relay.control.ble.inject('SIMdefault-hr', '00'); // flags only: no heart-rate byte
  // page.evaluate sees the same surface, typed by the kit's import
  await expect.poll(() => page.evaluate(() => window.sensorRelayBle!.devices()[0]!.badPackets)).toBe(1);
  await expect(page.getByTestId('ble-device-ble:SIMdefault-hr')).toHaveAttribute('data-status', 'live');
});
