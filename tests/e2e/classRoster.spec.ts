/**
 * The gym screens a coach uses, end to end in web mode: import the roster from a CSV file, see a
 * bad file refused with its line, tap to claim from the roster table, and run a class to its
 * printable summary. (Regression: the Roster view once crashed on render — a store selector
 * returned a new empty list on every call.)
 */
import { expect, test } from '@playwright/test';

const CSV =
  'id,name,max_hr_bpm,age_years,weight_kg,sex,devices\n' +
  'ana,Ana Ruiz,190,34,61,f,sim:strap01\n' +
  'ben,"Smith, Ben",185,,,,sim:strap02\n';

test('roster from a CSV file, tap to claim from the table, class summary with calories and why not', async ({ page }) => {
  await page.goto('/');
  await page.waitForFunction(() => window.sensorRelayTest !== undefined);
  await page.evaluate(async () => {
    const t = window.sensorRelayTest!;
    await t.loadScenario('gym50');
    await t.roster.importCsv('name\n', 'replace');
    for (let i = 1; i <= 50; i++) await t.setValue(`sim:strap${String(i).padStart(2, '0')}`, 'heartRate', 90);
  });
  await page.getByTestId('nav-roster').click();
  await expect(page.getByTestId('roster-view')).toBeVisible();

  // a bad file is refused with the line, nothing imported
  await page.getByTestId('roster-import').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('name,max_hr_bpm\nAna,fast\n') });
  await expect(page.getByTestId('roster-message')).toContainText('line 2: max_hr_bpm "fast" is not a number');
  await expect(page.getByTestId('roster-table')).toHaveCount(0);

  await page.getByTestId('roster-import').setInputFiles({ name: 'class.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
  await expect(page.getByTestId('roster-message')).toContainText('Imported 2 athletes from class.csv');
  await expect(page.getByTestId('roster-row-ben')).toContainText('Smith, Ben');
  await expect(page.getByTestId('sensor-ana-sim:strap01')).toBeVisible();
  // the other 48 straps in range are offered for assignment
  await expect(page.locator('[data-testid^="unassigned-sim:strap"]')).toHaveCount(48);

  // tap to claim: Ben presses, strap 30's HR rises, strap 30 is Ben's preferred sensor
  await page.getByTestId('claim-ben').click();
  await expect(page.getByTestId('claiming-ben')).toBeVisible();
  await page.evaluate(() => window.sensorRelayTest!.setValue('sim:strap30', 'heartRate', 104));
  await expect(page.getByTestId('sensor-ben-sim:strap30')).toBeVisible();
  await expect(page.getByTestId('claiming-ben')).toHaveCount(0);
  await expect(page.getByTestId('roster-row-ben').locator('li').first()).toContainText('Strap 30');

  await page.getByTestId('nav-summary').click();
  const receivedAtStart = await page.evaluate(() => window.sensorRelayTest!.receivedCount());
  await page.getByTestId('start-class').click();
  // the class counts readings that arrive while it runs: wait for a few rounds of all 50 straps, not for a duration
  await expect.poll(() => page.evaluate(() => window.sensorRelayTest!.receivedCount()), { timeout: 20_000 }).toBeGreaterThan(receivedAtStart + 300);
  await page.getByTestId('end-class').click();
  const ana = page.getByTestId('summary-row-ana');
  await expect(ana).toContainText('Ana Ruiz');
  await expect(ana.locator('td').nth(2)).toHaveText('90');
  await expect(page.getByTestId('summary-row-ben')).toContainText('calories needs age, weight and sex');
  await expect(page.getByTestId('class-summary')).toContainText('Keytel et al. (2005)');
  const download = page.waitForEvent('download');
  await page.getByTestId('summary-csv').click();
  expect((await download).suggestedFilename()).toMatch(/^class-.*\.csv$/);
});
