/**
 * Gym mode end to end in web mode: 50 simulated straps assigned from a roster on the class
 * display, tap to claim, handing a strap to another athlete, fallback to a backup HR source and
 * back, and the TV page screenshot.
 */
import { expect, test } from '@playwright/test';
import { athleteId, startGym, strapId } from './classSupport';

test('50 athletes from a roster: every tile updates; tap to claim and handing a strap over', async ({ page }) => {
  await startGym(page, '/#/class');
  await expect(page.locator('[data-testid^="class-tile-"]')).toHaveCount(50);
  // each strap gets its own value: each athlete's tile must show exactly their strap's value
  await page.evaluate(async (ids) => {
    for (let i = 0; i < ids.length; i++) await window.sensorRelayTest!.setValue(ids[i]!, 'heartRate', 100 + i);
  }, Array.from({ length: 50 }, (_, i) => strapId(i + 1)));
  for (let i = 1; i <= 50; i++) {
    await expect(page.getByTestId(`class-hr-${athleteId(i)}`)).toHaveText(String(99 + i));
    await expect(page.getByTestId(`class-tile-${athleteId(i)}`)).toHaveAttribute('data-state', 'live');
  }
  await expect(page.getByTestId('class-source-a07')).toHaveText('HR from Strap 07');

  // tap to claim: a spare strap at 72 bpm; athlete a05 presses claim, the spare's HR rises by 12
  const spare = await page.evaluate(() => window.sensorRelayTest!.addDevice('hr', { name: 'Spare strap', values: { heartRate: 72 } }));
  await expect.poll(() => page.evaluate((d) => window.sensorRelayTest!.latest(d, 'heartRate'), spare)).toBe(72);
  await page.evaluate(() => window.sensorRelayTest!.roster.claimStart('a05'));
  await page.evaluate((d) => window.sensorRelayTest!.setValue(d, 'heartRate', 84), spare);
  await expect
    .poll(async () => (await page.evaluate(() => window.sensorRelayTest!.roster.get())).participants.find((p) => p.id === 'a05')!.deviceIds)
    .toEqual([spare, strapId(5)]);
  await expect(page.getByTestId('class-source-a05')).toHaveText('HR from Spare strap');
  await expect(page.getByTestId('class-hr-a05')).toHaveText('84');
  // no other strap was claimed
  const owners = (await page.evaluate(() => window.sensorRelayTest!.roster.get())).participants.map((p) => p.deviceIds.length);
  expect(owners.filter((n) => n !== 1)).toEqual([2]);

  // the spare strap is handed to a06: its data follows the assignment, a05 is back on their own strap
  await page.evaluate((d) => window.sensorRelayTest!.roster.assign(d, 'a06', 0), spare);
  await page.evaluate((d) => window.sensorRelayTest!.setValue(d, 'heartRate', 133), spare);
  await expect(page.getByTestId('class-hr-a06')).toHaveText('133');
  await expect(page.getByTestId('class-source-a06')).toHaveText('HR from Spare strap');
  await expect(page.getByTestId('class-hr-a05')).toHaveText('104');
  await expect(page.getByTestId('class-source-a05')).toHaveText('HR from Strap 05');
});

test('fallback: the backup HR source takes over when the preferred strap goes stale, and gives back', async ({ page }) => {
  await startGym(page, '/#/class');
  const arm = await page.evaluate(() => window.sensorRelayTest!.addDevice('hr', { name: 'Arm band', values: { heartRate: 121 } }));
  await page.evaluate((d) => window.sensorRelayTest!.roster.assign(d, 'a12'), arm);
  await page.evaluate((d) => window.sensorRelayTest!.setValue(d, 'heartRate', 140), strapId(12));
  const source = page.getByTestId('class-source-a12');
  await expect(source).toHaveText('HR from Strap 12');
  await expect(page.getByTestId('class-hr-a12')).toHaveText('140');

  await page.evaluate((d) => window.sensorRelayTest!.dropout(d), strapId(12));
  // stale after 5 s, backup within 2 s of that
  await expect(source).toHaveText('HR from Arm band (backup)', { timeout: 10_000 });
  await expect(page.getByTestId('class-hr-a12')).toHaveText('121');
  await expect(page.getByTestId('class-tile-a12')).toHaveAttribute('data-state', 'live');

  await page.evaluate((d) => window.sensorRelayTest!.reconnect(d), strapId(12));
  await expect(source).toHaveText('HR from Strap 12', { timeout: 5000 });
  await expect(page.getByTestId('class-hr-a12')).toHaveText('140');

  // with both silent, the tile says NO SIGNAL and when it was last seen
  await page.evaluate(async (ids) => {
    for (const d of ids) await window.sensorRelayTest!.dropout(d);
  }, [strapId(12), arm]);
  await expect(page.getByTestId('class-tile-a12')).toHaveAttribute('data-state', 'nosignal', { timeout: 10_000 });
  await expect(source).toHaveText('NO SIGNAL');
  await expect(page.getByTestId('class-hr-a12')).toHaveText('--');
  await expect(page.getByTestId('class-tile-a12')).toContainText(/last seen \d+ s ago/);
});

test('the TV page in web mode shows 50 athletes without scrolling (screenshot)', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await startGym(page, '/?view=class');
  // no app chrome on the TV page
  await expect(page.locator('.app-header')).toHaveCount(0);
  await expect(page.locator('[data-testid^="class-tile-"]')).toHaveCount(50);
  // one athlete out of range and one on a backup sensor, as in a real class
  const arm = await page.evaluate(() => window.sensorRelayTest!.addDevice('hr', { name: 'Arm band', values: { heartRate: 151 } }));
  await page.evaluate((d) => window.sensorRelayTest!.roster.assign(d, 'a12'), arm);
  await page.evaluate((ids) => Promise.all(ids.map((d) => window.sensorRelayTest!.dropout(d))), [strapId(7), strapId(12)]);
  await expect(page.getByTestId('class-tile-a07')).toHaveAttribute('data-state', 'nosignal', { timeout: 10_000 });
  await expect(page.getByTestId('class-source-a12')).toHaveText('HR from Arm band (backup)', { timeout: 10_000 });
  for (const i of [1, 25, 50]) await expect(page.getByTestId(`class-tile-${athleteId(i)}`)).toHaveAttribute('data-state', 'live');
  // everything fits: the grid does not scroll, at 1080p and at 4K
  const fits = (): Promise<boolean> =>
    page.evaluate(() => {
      const el = document.querySelector('[data-testid="class-grid"]')!;
      const last = document.querySelector('[data-testid="class-tile-a50"]')!.getBoundingClientRect();
      return el.scrollHeight <= el.clientHeight + 1 && document.documentElement.scrollHeight <= innerHeight + 1 && last.bottom <= innerHeight;
    });
  expect(await fits()).toBe(true);
  // the screenshot should show trend lines: wait for several rounds of readings from the class, not for a duration
  const receivedBefore = await page.evaluate(() => window.sensorRelayTest!.receivedCount());
  await expect.poll(() => page.evaluate(() => window.sensorRelayTest!.receivedCount()), { timeout: 30_000 }).toBeGreaterThan(receivedBefore + 800);
  await page.screenshot({ path: 'test-results/screenshots/class-display-50.png' });
  await page.setViewportSize({ width: 3840, height: 2160 });
  await expect.poll(fits).toBe(true);
});
