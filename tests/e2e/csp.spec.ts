/**
 * The Content Security Policy in Chromium (web mode, the same policy Electron sends): the UI is
 * served with the strict header (no 'unsafe-inline' anywhere), and visiting every view with live
 * simulated devices and charts reports no CSP violation — a `<style>` element or `style="…"`
 * attribute slipped into markup, or a CSS-in-JS library, would show up here.
 */
import { expect, test } from '@playwright/test';

declare global {
  interface Window {
    cspViolations?: string[];
  }
}

test('the UI runs under the strict CSP with no violation in any view', async ({ page }) => {
  const consoleReports: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) consoleReports.push(m.text());
  });
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.cspViolations!.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  const response = await page.goto('/');
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("style-src 'self'");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain('unsafe-eval');

  await page.waitForFunction(() => window.sensorRelayTest !== undefined);
  await page.evaluate(() => window.sensorRelayTest!.loadScenario('steady3'));
  await expect(page.getByTestId('value-sim:power-power')).toHaveText('200');
  await expect(page.getByTestId('chart-sim:power-power').locator('canvas')).toHaveCount(1);

  const views = await page.locator('[data-testid^="nav-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!));
  expect(views.length).toBeGreaterThan(3);
  for (const view of views) {
    await page.getByTestId(view).click();
    await expect(page.getByTestId(view)).toHaveClass(/is-active/);
    // let the view render and its charts draw a frame
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  }
  // and the read-only class page of the second window
  await page.goto('/#/class');
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

  const violations = await page.evaluate(() => window.cspViolations ?? []);
  expect(violations).toEqual([]);
  expect(consoleReports).toEqual([]);
});
