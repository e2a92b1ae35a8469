/**
 * The README screenshots (docs/screenshots/), re-created with `npm run screenshots`. Each test
 * sets the scene through the test-control surface, waits for the condition the picture shows,
 * and writes one PNG. Not part of `npm test`.
 */
import { expect, test, type Page } from '@playwright/test';
import { athleteId, roster50Csv, startGym, strapId } from '../classSupport';

const OUT = 'docs/screenshots';

async function ready(page: Page, path = '/'): Promise<void> {
  await page.goto(path);
  await page.waitForFunction(() => window.sensorRelayTest !== undefined);
}

test('live view, recording', async ({ page }) => {
  await ready(page);
  await page.evaluate(() => window.sensorRelayTest!.loadScenario('demo'));
  await expect(page.locator('[data-testid^="tile-sim:"]')).toHaveCount(3);
  await expect(page.getByTestId('tile-sim:strap')).toHaveAttribute('data-status', 'live');
  await page.evaluate(() => window.sensorRelayTest!.recording.start({ subjectId: 'P07', sessionId: '02' }));
  await page.waitForTimeout(20_000); // twenty seconds of chart line
  await expect(page.getByTestId('rec-indicator')).toContainText('REC');
  await page.screenshot({ path: `${OUT}/web-three-devices.png` });
  await page.evaluate(() => window.sensorRelayTest!.recording.stop());
});

test('class TV page with 50 athletes', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await startGym(page, '/?view=class');
  await expect(page.locator('[data-testid^="class-tile-"]')).toHaveCount(50);
  await page.evaluate((d) => window.sensorRelayTest!.dropout(d), strapId(7));
  await expect(page.getByTestId(`class-tile-${athleteId(7)}`)).toHaveAttribute('data-state', 'nosignal', { timeout: 15_000 });
  await page.waitForTimeout(10_000); // trend lines
  await page.screenshot({ path: `${OUT}/class-display-50.png` });
});

test('Broker panel with 50 uplinks', async ({ page }) => {
  await ready(page);
  await page.evaluate(() => window.sensorRelayTest!.loadScenario('gym50'));
  // every athlete forwarded under their own Terra user id: one uplink each, to the embedded broker
  const csv = roster50Csv()
    .trim()
    .split('\n')
    .map((line, i) => (i === 0 ? `${line},terra_user_id` : `${line},terra-${athleteId(i)}`))
    .join('\n');
  await page.evaluate((c) => window.sensorRelayTest!.roster.importCsv(c, 'replace'), `${csv}\n`);
  await page.getByTestId('nav-broker').click();
  await expect(page.locator('[data-testid^="uplink-"]')).toHaveCount(50, { timeout: 30_000 });
  await page.waitForTimeout(8000); // staggered starts reach READY and deliver
  await page.screenshot({ path: `${OUT}/broker-50-uplinks.png`, fullPage: true });
});

test('session view', async ({ page }) => {
  await ready(page);
  await page.evaluate(() => window.sensorRelayTest!.loadScenario('demo'));
  await expect(page.getByTestId('tile-sim:strap')).toHaveAttribute('data-status', 'live');
  await page.evaluate(() => window.sensorRelayTest!.recording.start({ subjectId: 'P07', sessionId: '03' }));
  await page.waitForTimeout(15_000);
  await page.evaluate(() => window.sensorRelayTest!.recording.marker('interval 1'));
  await page.waitForTimeout(10_000);
  await page.evaluate(() => window.sensorRelayTest!.dropout('sim:strap', 9000));
  await page.waitForTimeout(14_000);
  await page.evaluate(() => window.sensorRelayTest!.recording.marker('cool-down'));
  await page.waitForTimeout(12_000);
  await page.getByTestId('nav-recording').click();
  await page.getByTestId('current-session').getByRole('button', { name: 'Stop' }).click();
  const row = page.locator('[data-testid^="session-sub-P07_ses-03_"]').first();
  await row.getByRole('button', { name: /^View session/ }).click();
  await expect(page.getByTestId('session-chart-rrInterval').locator('canvas')).toHaveCount(1);
  await page.screenshot({ path: `${OUT}/session-view.png`, fullPage: true });
});
