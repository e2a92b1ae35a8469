/**
 * BLE-level faults of the simulated Web Bluetooth (what `sensorRelayTest.ble` drives): a refused
 * connection, a slow one, a characteristic missing from the GATT database. The real connection
 * manager meets them the way it meets a real sensor doing the same.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveCharacteristicUuid } from '../../../../src/renderer/ble/sim/simBluetooth';
import { createHarness, simDevice } from './harness';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

const strap = simDevice({ id: 'hr', name: 'Fault strap', kind: 'hr', metrics: { heartRate: { type: 'steady', value: 70 } } });

describe('simulated BLE faults', () => {
  it('a refused connection leaves the device without readings; allowing it again brings it live', async () => {
    const h = createHarness();
    const p = h.bluetooth.addPeripheral(strap);
    p.faults.isConnectRefused = true;
    const added = await h.manager.addSensor('hr');
    await h.advance(3000);
    expect(h.values(added.ok ? added.value : '', 'heartRate')).toEqual([]);
    expect(p.gatt.connected).toBe(false);
    p.faults.isConnectRefused = false;
    await h.advance(30_000); // the manager's reconnect backoff
    if (!added.ok) throw new Error(added.message);
    expect(h.manager.get(added.value)?.status).toBe('live');
    expect(h.values(added.value, 'heartRate').at(-1)).toBe(70);
  });

  it('a slow connection settles only after the delay', async () => {
    const h = createHarness();
    const p = h.bluetooth.addPeripheral(strap);
    p.faults.connectDelayMs = 4000;
    const adding = h.manager.addSensor('hr');
    await h.advance(3900);
    expect(p.gatt.connected).toBe(false);
    await h.advance(2000);
    const added = await adding;
    if (!added.ok) throw new Error(added.message);
    expect(p.gatt.connected).toBe(true);
    await h.advance(2000);
    expect(h.values(added.value, 'heartRate').length).toBeGreaterThan(0);
  });

  it('a missing measurement characteristic is a reported error, not a crash, and no readings appear', async () => {
    const h = createHarness();
    const p = h.bluetooth.addPeripheral(strap);
    p.faults.missingCharacteristics.add(resolveCharacteristicUuid('heart_rate_measurement')!);
    const added = await h.manager.addSensor('hr');
    if (!added.ok) throw new Error(added.message);
    await h.advance(3000);
    expect(h.values(added.value, 'heartRate')).toEqual([]);
    expect(h.errors[0]).toEqual({ deviceId: added.value, error: { code: 'BLE_MISSING_SERVICE', message: 'Fault strap does not send Heart Rate Measurement, so it cannot be used as a heart-rate strap: remove it.' } });
    expect(h.manager.get(added.value)?.status).not.toBe('live');
  });

  it('resolves characteristic names, 16-bit hex and full UUIDs; refuses anything else', () => {
    expect(resolveCharacteristicUuid('heart_rate_measurement')).toBe('00002a37-0000-1000-8000-00805f9b34fb');
    expect(resolveCharacteristicUuid('2A37')).toBe('00002a37-0000-1000-8000-00805f9b34fb');
    expect(resolveCharacteristicUuid('00002a19-0000-1000-8000-00805f9b34fb')).toBe('00002a19-0000-1000-8000-00805f9b34fb');
    expect(resolveCharacteristicUuid('heart rate')).toBeNull();
  });
});
