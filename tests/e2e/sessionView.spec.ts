/**
 * Recording state and looking at a session, in web mode against simulated devices: the header
 * shows REC with the elapsed time on every view (and links to the Recording view), Stop proposes
 * the participant's next session, the recorded session opens in the session view with the strap's
 * dropout as a gap, the missed beats, the marker, link events and the per-device summary; zoom
 * narrows the range to exact readings; an export shows its folder path for copying.
 */
import { expect, test, type Page } from '@playwright/test';

async function ready(page: Page): Promise<void> {
  await page.goto('/');
  await page.waitForFunction(() => window.sensorRelayTest !== undefined);
}

test('record a session with a dropout and a marker, then look at it', async ({ page }) => {
  test.setTimeout(120_000);
  await ready(page);
  const subject = `E2E${Date.now() % 1_000_000}`;
  await page.evaluate(() => window.sensorRelayTest!.loadScenario('steady3'));
  await expect(page.getByTestId('tile-sim:strap')).toHaveAttribute('data-status', 'live');
  // no recording light while nothing records, and the app mark is not a red dot that looks like one
  await expect(page.getByTestId('rec-indicator')).toHaveCount(0);
  const markColor = await page.locator('.brand-mark').evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(markColor).not.toBe('rgb(255, 93, 108)');
  await page.evaluate((s) => window.sensorRelayTest!.recording.start({ subjectId: s, sessionId: '07' }), subject);

  // the header shows REC and the elapsed time on the Live view, and on the other views
  await expect(page.getByTestId('rec-indicator')).toHaveText(/REC\s*00:00:0[1-9]/, { timeout: 10_000 });
  await page.getByTestId('nav-sensors').click();
  await expect(page.getByTestId('rec-indicator')).toBeVisible();
  await page.getByTestId('nav-live').click();

  // a dropout long enough to go stale, then back; a marker after it
  await expect.poll(() => page.evaluate(() => window.sensorRelayTest!.latest('sim:strap', 'rrInterval')), { timeout: 10_000 }).not.toBeNull();
  await page.evaluate(() => window.sensorRelayTest!.dropout('sim:strap', 8000));
  await expect(page.getByTestId('tile-sim:strap')).toHaveAttribute('data-status', 'stale', { timeout: 10_000 });
  await expect(page.getByTestId('tile-sim:strap')).toHaveAttribute('data-status', 'live', { timeout: 15_000 });
  await page.evaluate(() => window.sensorRelayTest!.recording.marker('sprint start'));
  const before = await page.evaluate(() => window.sensorRelayTest!.recording.status());
  await expect
    .poll(async () => (await page.evaluate(() => window.sensorRelayTest!.recording.status())).sampleCount, { timeout: 10_000 })
    .toBeGreaterThan(before.sampleCount + 20);

  // the indicator leads to the Recording view; Stop proposes the next session of the same participant
  await page.getByTestId('rec-indicator').click();
  await expect(page.getByTestId('sessions-panel')).toBeVisible();
  await page.getByTestId('current-session').getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByTestId('rec-indicator')).toHaveCount(0);
  await expect(page.getByTestId('subject-id')).toHaveValue(subject);
  await expect(page.getByTestId('session-id')).toHaveValue('08');

  // open the session
  const row = page.locator(`[data-testid^="session-sub-${subject}_ses-07_"]`);
  await expect(row).toHaveCount(1);
  await row.getByRole('button', { name: /^View session/ }).click();
  const view = page.getByTestId('session-view');
  await expect(view.getByRole('heading', { name: `sub-${subject} · ses-07` })).toBeVisible();
  for (const metric of ['heartRate', 'rrInterval', 'power', 'cadence', 'speed']) {
    await expect(view.getByTestId(`session-chart-${metric}`).locator('canvas')).toHaveCount(1);
  }
  // the strap's dropout is a gap in the HR line, its lost beats are marked on the tachogram
  await expect(view.getByTestId('session-chart-heartRate')).not.toHaveAttribute('data-gaps', '0');
  await expect(view.getByTestId('missed-beats-legend')).toContainText('missed beat');
  const strap = view.getByTestId('session-device-sim:strap');
  await expect(strap.getByTestId('dropouts')).toHaveText(/^1\b/);
  await expect(strap.getByTestId('missed-beats')).not.toHaveText('0');
  await expect(view.getByTestId('session-device-sim:power').getByTestId('dropouts')).toHaveText('0');
  await expect(view.getByTestId('session-markers')).toContainText('sprint start');
  await view.getByText(/Device link events/).click();
  await expect(view.getByTestId('session-links')).toContainText('stale');

  // drag across the HR chart to zoom: a shorter range with every reading. (uPlot ignores mouse moves
  // without movement, which is what CDP's synthetic moves report, so the drag is dispatched as DOM events.)
  const rangeBefore = await view.getByTestId('session-range').textContent();
  await view.getByTestId('session-chart-heartRate').locator('.u-over').evaluate((over) => {
    const r = over.getBoundingClientRect();
    const at = (f: number): { clientX: number; clientY: number } => ({ clientX: r.left + r.width * f, clientY: r.top + r.height / 2 });
    over.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, button: 0, buttons: 1, ...at(0.3) }));
    for (const f of [0.4, 0.5, 0.6]) over.dispatchEvent(new MouseEvent('mousemove', { bubbles: true, buttons: 1, movementX: 20, ...at(f) }));
    document.dispatchEvent(new MouseEvent('mouseup', { bubbles: true, button: 0, ...at(0.6) }));
  });
  await expect(view.getByTestId('session-range')).not.toHaveText(rangeBefore ?? '');
  await expect(view.getByTestId('session-resolution')).toHaveText('every reading');
  await view.getByRole('button', { name: 'Whole session' }).click();
  await expect(view.getByTestId('session-range')).toHaveText(rangeBefore ?? '');

  // the zoom buttons narrow the range, keyboard reachable
  await view.getByRole('button', { name: 'Zoom in' }).click();
  await expect(view.getByRole('button', { name: 'Whole session' })).toBeEnabled();
  await expect(view.getByTestId('session-range')).not.toHaveText(rangeBefore ?? '');

  // back to the list; an export names its folder, offered for copying in a browser
  await view.getByRole('button', { name: '← Sessions' }).click();
  await row.getByRole('button', { name: 'Export all' }).click();
  const path = row.getByTestId('export-path');
  await expect(path).toHaveValue(new RegExp(`sessions/sub-${subject}_ses-07_`), { timeout: 30_000 });
  await expect(row.getByRole('button', { name: 'Copy path' })).toBeVisible();
  await expect(row).toContainText(/Wrote \d+ files to/);
});
