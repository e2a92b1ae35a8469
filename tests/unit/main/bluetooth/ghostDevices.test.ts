/**
 * Regression (issue 15 item 3): Bluetooth sensors added from a tab that was then closed stayed on the
 * host as stale/reconnecting tiles in every new page. A BLE device belongs to the page (contract
 * connection) that reported it; when the last such page goes, the device leaves.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHost, type Host } from '../../../../src/main/host';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function host(): Host {
  const dir = mkdtempSync(join(tmpdir(), 'sr-ghost-'));
  dirs.push(dir);
  return createHost({ mode: 'web', dataDir: dir });
}

async function report(page: ReturnType<Host['connect']>, id: string, status = 'live'): Promise<void> {
  await page.receive({
    kind: 'call',
    id: 1,
    name: 'devices.report',
    args: { device: { id, name: id, kind: 'hr', source: 'ble', status, batteryPct: null, contact: null, isSimulated: true } },
  });
}

describe('Bluetooth devices belong to the page that connected them', () => {
  it('a closed page takes its devices with it; devices of other pages stay', async () => {
    const h = host();
    const tabA = h.connect(() => undefined);
    const tabB = h.connect(() => undefined);
    await report(tabA, 'ble:AA');
    await report(tabB, 'ble:BB');
    await report(tabA, 'ble:CC');
    await report(tabB, 'ble:CC'); // both pages hold this one
    const events: string[] = [];
    h.devices.onLinkEvent((e) => events.push(`${e.deviceId} ${e.status} ${e.reason}`));
    expect(h.devices.list().map((d) => d.id)).toEqual(['ble:AA', 'ble:BB', 'ble:CC']);

    tabA.close();
    expect(h.devices.list().map((d) => d.id)).toEqual(['ble:BB', 'ble:CC']);
    expect(events).toContain('ble:AA disconnected the window that connected it was closed');

    const tabC = h.connect(() => undefined); // a new page sees no ghost
    tabB.close();
    expect(h.devices.list()).toEqual([]);
    tabC.close();
  });

  it('a device the page removed is not removed again when the page closes, and a re-added one is owned again', async () => {
    const h = host();
    const tab = h.connect(() => undefined);
    await report(tab, 'ble:AA');
    await report(tab, 'ble:AA', 'disconnected');
    expect(h.bleOwners.size).toBe(0);
    await report(tab, 'ble:AA', 'connecting');
    expect(h.bleOwners.size).toBe(1);
    tab.close();
    expect(h.devices.list()).toEqual([]);
  });
});
