/**
 * Issue 15, what a user trips over in the first hour, in web mode against the real host:
 * - item 2: when the host goes away every tile stops saying `live`, the page says what to do, and it
 *   recovers by itself when the host is back (the page's WebSocket to the host is cut and restored
 *   through Playwright's WebSocket routing; the host itself keeps running for the other specs);
 * - item 4: saving Broker URL `ws://example.com` says, in a sentence, that wss:// is needed, and
 *   nothing about the token URL the user never touched;
 * - item 1: Add Bluetooth → Treadmill connects the treadmill, not the smart bike;
 * - small ones: the header fits on one line at 1280 px with `aria-current` on the current view;
 *   the Bluetooth chooser and pairing dialogs take the focus and close on Escape.
 */
import { expect, test, type Page, type WebSocketRoute } from '@playwright/test';
// `window.sensorRelayBle` is declared globally by the renderer's BLE test hook.
import type {} from '../../src/renderer/ble/testHook';

interface HostLink {
  /** Cut the page's link to the host and refuse reconnects until {@link restore}. */
  cut(): Promise<void>;
  restore(): void;
  /** Push an event to the page as if the host sent it. */
  push(name: string, payload: unknown): void;
  /** Commands the page called, by name. */
  readonly calls: { name: string; args: unknown }[];
}

async function routeHost(page: Page): Promise<HostLink> {
  let isDown = false;
  let current: WebSocketRoute | null = null;
  const calls: HostLink['calls'] = [];
  await page.routeWebSocket(/\/contract/, (ws) => {
    if (isDown) {
      void ws.close({ code: 1011, reason: 'host down (test)' });
      return;
    }
    current = ws;
    const server = ws.connectToServer();
    ws.onMessage((m) => {
      try {
        const call = JSON.parse(String(m)) as { name?: string; args?: unknown };
        if (call.name) calls.push({ name: call.name, args: call.args });
      } catch {
        // not JSON: forwarded as is, the host answers it
      }
      server.send(m);
    });
    server.onMessage((m) => ws.send(m));
  });
  return {
    async cut() {
      isDown = true;
      await current?.close({ code: 1011, reason: 'host down (test)' });
    },
    restore() {
      isDown = false;
    },
    push(name, payload) {
      current?.send(JSON.stringify({ kind: 'event', name, payload }));
    },
    calls,
  };
}

async function openWithSteady3(page: Page): Promise<void> {
  await page.goto('/');
  await page.waitForFunction(() => window.sensorRelayTest !== undefined);
  await page.evaluate(() => window.sensorRelayTest!.loadScenario('steady3'));
}

test('host gone: tiles stop saying live, the page says what to do, and it recovers by itself', async ({ page }) => {
  const host = await routeHost(page);
  await openWithSteady3(page);
  const tile = page.getByTestId('tile-sim:strap');
  await expect(tile).toHaveAttribute('data-status', 'live');
  await expect(page.getByTestId('host-lost')).toHaveCount(0);

  await host.cut();
  await expect(page.getByTestId('host-lost')).toContainText('Lost the connection to the Sensor Relay host.');
  await expect(page.getByTestId('host-lost')).toContainText('reconnects by itself');
  for (const id of ['sim:strap', 'sim:power', 'sim:footpod']) {
    await expect(page.getByTestId(`tile-${id}`)).toHaveAttribute('data-status', 'host-offline');
    await expect(page.getByTestId(`tile-${id}`).getByTestId('status-badge')).toHaveText('host offline');
  }
  // without the host no number is current: none is left on screen looking live
  await expect(page.getByTestId('value-sim:strap-heartRate')).toHaveText('--');
  await expect(page.getByTestId('value-sim:power-power')).toHaveText('--');

  host.restore();
  await expect(page.getByTestId('host-lost')).toHaveCount(0, { timeout: 15_000 });
  await expect(tile).toHaveAttribute('data-status', 'live');
  await expect(page.getByTestId('value-sim:strap-heartRate')).toHaveText('70');
});

test('Broker URL ws://example.com: one sentence about wss://, nothing about the token URL', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('nav-broker').click();
  await page.getByRole('radio', { name: 'Broker URL' }).check();
  await page.getByTestId('broker-url').fill('ws://example.com');
  await page.getByTestId('broker-save').click();
  const message = page.getByTestId('broker-message');
  await expect(message).toHaveText('example.com is not on this computer, so the connection must be encrypted: use wss://example.com (wss:// instead of ws://).');
  await expect(page.getByTestId('broker-panel')).not.toContainText('CONTRACT_');
  await expect(page.getByTestId('broker-panel')).not.toContainText('tokenSource');
  await expect(page.getByTestId('broker-url')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('textbox', { name: 'Token URL' })).not.toHaveAttribute('aria-invalid', 'true');
  // the radio sits on the same line as its label
  const radio = await page.getByRole('radio', { name: 'Broker URL' }).boundingBox();
  const label = await page.locator('label.choice', { hasText: 'Broker URL' }).locator('span').boundingBox();
  expect(Math.abs((radio!.y + radio!.height / 2) - (label!.y + label!.height / 2))).toBeLessThan(8);
  expect(label!.x - (radio!.x + radio!.width)).toBeLessThan(24);
});

test('the header stays on one line at 1280 px and marks the current view', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/');
  await page.waitForFunction(() => window.sensorRelayTest !== undefined);
  const header = page.locator('.app-header');
  const brand = await page.locator('.brand').boundingBox();
  expect(brand!.height).toBeLessThan(30); // "Sensor Relay" on one line
  const nav = page.getByRole('navigation', { name: 'Views' });
  const buttons = nav.getByRole('button');
  const boxes = await buttons.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
  expect(new Set(boxes.map((t) => Math.round(t))).size).toBe(1);
  expect(await header.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
  await expect(page.getByTestId('nav-live')).toHaveAttribute('aria-current', 'page');
  await page.getByTestId('nav-roster').click();
  await expect(page.getByTestId('nav-roster')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('nav-live')).not.toHaveAttribute('aria-current', /.*/);
});

test('the Bluetooth chooser and pairing prompt take the focus and close on Escape', async ({ page }) => {
  const host = await routeHost(page);
  await page.goto('/');
  await expect(page.getByTestId('link-state')).toHaveText('host connected');
  await page.getByTestId('nav-sensors').focus();
  host.push('bleChooser', { view: { requestId: 7, devices: [{ id: 'AA:BB', name: 'Polar H10' }] } });
  const chooser = page.getByTestId('ble-chooser');
  await expect(chooser).toBeVisible();
  await expect(page.getByTestId('ble-choice-AA:BB')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect.poll(() => host.calls.find((c) => c.name === 'ble.chooserCancel')?.args).toEqual({ requestId: 7 });
  host.push('bleChooser', { view: null });
  await expect(chooser).toHaveCount(0);
  await expect(page.getByTestId('nav-sensors')).toBeFocused(); // focus goes back where it was

  host.push('blePairing', { prompts: [{ requestId: 9, deviceId: 'AA:BB', kind: 'providePin', pin: null }] });
  await expect(page.getByLabel('PIN')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect.poll(() => host.calls.find((c) => c.name === 'ble.pairingRespond')?.args).toEqual({ requestId: 9, confirmed: false });
});

test('Recording: the required-sensors box has a quiet border, and the M key can be turned off there', async ({ page }) => {
  await openWithSteady3(page);
  await page.getByTestId('nav-recording').click();
  const box = page.locator('fieldset', { hasText: 'Required sensors' });
  await expect(box).toBeVisible();
  const border = await box.evaluate((e) => {
    const s = getComputedStyle(e);
    return { color: s.borderTopColor, width: parseFloat(s.borderTopWidth), style: s.borderTopStyle };
  });
  const [r, g, b] = border.color.match(/\d+/g)!.map(Number);
  expect(0.2126 * r! + 0.7152 * g! + 0.0722 * b!).toBeLessThan(80); // not a bright line on the dark theme
  expect(border.width).toBeLessThanOrEqual(1);
  expect(border.style).toBe('solid');
  const toggle = page.getByTestId('marker-key-enabled');
  await expect(toggle).toBeChecked();
  await toggle.uncheck();
  await page.reload();
  await page.getByTestId('nav-recording').click();
  await expect(page.getByTestId('marker-key-enabled')).not.toBeChecked();
  await page.getByTestId('marker-key-enabled').check(); // leave the shared browser profile as it was
});

test('Sensors → Add Bluetooth → Treadmill connects the simulated treadmill and goes live with Treadmill Data', async ({ page }) => {
  await page.goto('/');
  await page.waitForFunction(() => window.sensorRelayTest !== undefined);
  await page.getByTestId('nav-sensors').click();
  await page.waitForFunction(() => window.sensorRelayBle !== undefined);
  await page.getByTestId('ble-add-treadmill').click();
  const row = page.getByTestId('ble-device-ble:SIMdefault-treadmill');
  await expect(row).toHaveAttribute('data-status', 'live', { timeout: 10_000 });
  await expect(row).toContainText('Sim Treadmill');
  await expect(page.getByTestId('ble-device-ble:SIMdefault-bike')).toHaveCount(0);
  await expect(page.getByTestId('ble-error')).toHaveCount(0);
  await page.getByTestId('nav-live').click();
  await expect(page.getByTestId('value-ble:SIMdefault-treadmill-speed')).not.toHaveText('--', { timeout: 10_000 });
  await page.evaluate(() => window.sensorRelayBle?.removeAll());
});
