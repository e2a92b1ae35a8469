/**
 * Regression (issue 15 item 1): "Add Bluetooth → Treadmill" connected the simulated smart bike,
 * labelled it Treadmill, reported a missing Treadmill Data characteristic and stayed `reconnecting`
 * for good. Bikes and treadmills share the Fitness Machine service; the chooser now filters on the
 * machine type in the advertised service data, and a machine of the wrong type stops retrying with
 * a sentence naming what it is.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KnownDevices } from '../../../../src/renderer/ble/knownDevices';
import { simulatedPeripherals } from '../../../../src/renderer/ble/bleRuntime';
import { decodeFitnessMachineServiceData, encodeFitnessMachineServiceData } from '../../../../src/shared/gatt/fitnessMachineServiceData';
import { createHarness } from './harness';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Fitness machines in the chooser', () => {
  it('encodes and decodes the advertised machine type (flags byte, then a little-endian bit field)', () => {
    const bytes = encodeFitnessMachineServiceData({ isAvailable: true, types: ['indoorBike'] });
    expect([...bytes]).toEqual([0x01, 0x20, 0x00]);
    const decoded = decodeFitnessMachineServiceData(new DataView(new Uint8Array([0x00, 0x01, 0x00]).buffer));
    expect(decoded).toEqual({ ok: true, value: { isAvailable: false, types: ['treadmill'] } });
    expect(decodeFitnessMachineServiceData(new DataView(new Uint8Array([1, 1]).buffer)).ok).toBe(false);
  });

  it('Treadmill connects the treadmill (bike listed first), decodes Treadmill Data and goes live', async () => {
    const h = createHarness();
    // The default simulated set lists the smart bike before the treadmill, as the app does.
    for (const def of simulatedPeripherals([])) h.bluetooth.addPeripheral(def);
    const added = await h.manager.addSensor('treadmill');
    if (!added.ok) throw new Error(added.message);
    await h.advance(5000);
    const state = h.manager.get(added.value);
    expect(state?.name).toBe('Sim Treadmill');
    expect(state?.status).toBe('live');
    expect(h.values(added.value, 'speed').length).toBeGreaterThan(0);
    expect(h.errors).toEqual([]);
    const bike = await h.manager.addSensor('bike');
    if (!bike.ok) throw new Error(bike.message);
    expect(h.manager.get(bike.value)?.name).toBe('Sim Smart bike / trainer');
  });

  it('a bike remembered as a treadmill stops retrying and says what it is', async () => {
    const h = createHarness();
    const [bikeDef] = simulatedPeripherals([]).filter((d) => d.kind === 'bike');
    const bike = h.bluetooth.addPeripheral(bikeDef!);
    await h.bluetooth.requestDevice({ filters: [{ name: bike.name }] }); // granted earlier
    new KnownDevices(h.storage).remember({ id: bike.id, name: bike.name, kind: 'treadmill' });
    await h.manager.restoreKnown();
    await h.advance(60_000);
    const state = h.manager.list()[0];
    expect(state?.status).toBe('lost');
    expect(state?.reconnects).toBe(0);
    expect(state?.lastError?.message).toBe(
      'Sim Smart bike / trainer is a smart bike / trainer, not a treadmill: remove it and add it with the "Smart bike / trainer" button.',
    );
  });
});
