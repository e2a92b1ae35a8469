/**
 * The walking skeleton end to end in web mode: three simulated devices stream live through the
 * host to tiles and charts; a dropout triggered through the test-control surface shows the stale
 * marker, then recovery.
 */
import { expect, test, type Page } from '@playwright/test';

async function loadSteady3(page: Page): Promise<void> {
  await page.goto('/');
  await page.waitForFunction(() => window.sensorRelayTest !== undefined);
  await page.evaluate(() => window.sensorRelayTest!.loadScenario('steady3'));
}

test('three simulated devices stream live to tiles and charts', async ({ page }) => {
  await loadSteady3(page);
  const tiles = page.locator('[data-testid^="tile-sim:"]');
  await expect(tiles).toHaveCount(3);
  // each tile shows a live number matching the scenario's steady values
  await expect(page.getByTestId('value-sim:strap-heartRate')).toHaveText('70');
  await expect(page.getByTestId('value-sim:power-power')).toHaveText('200');
  await expect(page.getByTestId('value-sim:footpod-speed')).toHaveText('3.00');
  for (const id of ['sim:strap', 'sim:power', 'sim:footpod']) {
    await expect(page.getByTestId(`tile-${id}`)).toHaveAttribute('data-status', 'live');
  }

  // values change live when the simulator is told to
  await page.evaluate(() => window.sensorRelayTest!.setValue('sim:strap', 'heartRate', 151));
  await expect(page.getByTestId('value-sim:strap-heartRate')).toHaveText('151');

  // charts have drawn a line: uPlot renders into a canvas with non-zero size
  const canvas = page.getByTestId('chart-sim:power-power').locator('canvas');
  await expect(canvas).toHaveCount(1);
  const box = await canvas.boundingBox();
  expect(box?.width ?? 0).toBeGreaterThan(100);
  // RR intervals arrive with the HR strap, consistent with the HR (60000/151 ≈ 397 ms)
  await expect
    .poll(() => page.evaluate(() => window.sensorRelayTest!.latest('sim:strap', 'rrInterval')), { timeout: 10_000 })
    .toBeGreaterThan(380);

  // the screenshot should show a line: wait for a few seconds' worth of readings (three devices), not for a duration
  const receivedBefore = await page.evaluate(() => window.sensorRelayTest!.receivedCount());
  await expect.poll(() => page.evaluate(() => window.sensorRelayTest!.receivedCount()), { timeout: 15_000 }).toBeGreaterThan(receivedBefore + 30);
  await page.screenshot({ path: 'test-results/screenshots/web-three-devices.png', fullPage: true });
});

test('a dropout shows the stale marker, then recovery', async ({ page }) => {
  await loadSteady3(page);
  const tile = page.getByTestId('tile-sim:strap');
  await expect(tile).toHaveAttribute('data-status', 'live');
  await page.evaluate(() => window.sensorRelayTest!.dropout('sim:strap'));
  // HR goes stale after its 5 s timeout: the tile is marked and the number is not shown as current
  await expect(tile).toHaveAttribute('data-status', 'stale', { timeout: 10_000 });
  await expect(tile.getByTestId('status-badge')).toHaveText('stale');
  await expect(page.getByTestId('value-sim:strap-heartRate')).toHaveText('--');
  // the other devices keep streaming
  await expect(page.getByTestId('tile-sim:power')).toHaveAttribute('data-status', 'live');

  await page.evaluate(() => window.sensorRelayTest!.reconnect('sim:strap'));
  await expect(tile).toHaveAttribute('data-status', 'live', { timeout: 10_000 });
  await expect(page.getByTestId('value-sim:strap-heartRate')).toHaveText('70');
});
