/**
 * The BLE connection manager against the simulated Bluetooth on fake timers: every sensor kind
 * streams decoded values, several devices at once, battery and contact, reconnect with backoff after
 * a dropout (status reconnecting → live, no values made up during the gap), malformed packets counted
 * and reported without stopping the stream, remembered devices restored on the next launch.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MetricId } from '../../../../src/shared/metrics';
import type { BleKind } from '../../../../src/shared/ble/profiles';
import { KNOWN_DEVICES_KEY, KnownDevices } from '../../../../src/renderer/ble/knownDevices';
import { HeartRateStrapModel } from '../../../../src/renderer/ble/sim/peripheralModels';
import { createHarness, simDevice } from './harness';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

const last = (xs: number[]): number | undefined => xs[xs.length - 1];

describe('BLE connection manager', () => {
  const kinds: { kind: BleKind; metrics: Partial<Record<MetricId, number>>; expect: Partial<Record<MetricId, [number, number]>> }[] = [
    { kind: 'hr', metrics: { heartRate: 72 }, expect: { heartRate: [72, 0] } },
    { kind: 'power', metrics: { power: 240, cadence: 90 }, expect: { power: [240, 0], cadence: [90, 1.5] } },
    { kind: 'csc', metrics: { speed: 8, cadence: 85 }, expect: { speed: [8, 0.3], cadence: [85, 1.5] } },
    { kind: 'rsc', metrics: { speed: 3.5, stepCadence: 172 }, expect: { speed: [3.5, 0.01], stepCadence: [172, 0] } },
    { kind: 'bike', metrics: { power: 180, cadence: 80, speed: 9 }, expect: { power: [180, 0], cadence: [80, 0], speed: [9, 0.01] } },
    { kind: 'treadmill', metrics: { speed: 2.8 }, expect: { speed: [2.8, 0.01] } },
  ];
  it.each(kinds)('decodes a simulated $kind into the scenario values', async ({ kind, metrics, expect: expected }) => {
    const h = createHarness();
    const curves = Object.fromEntries(Object.entries(metrics).map(([m, v]) => [m, { type: 'steady', value: v }]));
    h.bluetooth.addPeripheral(simDevice({ id: kind, name: `Sim ${kind}`, kind, metrics: curves }));
    const added = await h.manager.addSensor(kind);
    if (!added.ok) throw new Error(added.message);
    await h.advance(15_000);
    expect(h.manager.get(added.value)?.status).toBe('live');
    for (const [metric, [value, tolerance]] of Object.entries(expected) as [MetricId, [number, number]][]) {
      const v = last(h.values(added.value, metric));
      expect(v, `${kind} ${metric}`).toBeDefined();
      expect(Math.abs((v ?? NaN) - value), `${kind} ${metric} = ${v}`).toBeLessThanOrEqual(tolerance);
    }
    expect(h.errors).toEqual([]);
  });

  it('keeps several devices connected at once, each with its own stream and device id', async () => {
    const h = createHarness();
    h.bluetooth.addPeripheral(simDevice({ id: 'a', name: 'Strap A', kind: 'hr', metrics: { heartRate: { type: 'steady', value: 60 } } }));
    h.bluetooth.addPeripheral(simDevice({ id: 'b', name: 'Strap B', kind: 'hr', metrics: { heartRate: { type: 'steady', value: 90 } } }));
    h.bluetooth.addPeripheral(simDevice({ id: 'p', name: 'Power', kind: 'power', metrics: { power: { type: 'steady', value: 300 } } }));
    const ids = [await h.manager.addSensor('hr'), await h.manager.addSensor('hr'), await h.manager.addSensor('power')].map((r) => (r.ok ? r.value : ''));
    expect(new Set(ids).size).toBe(3);
    await h.advance(5000);
    expect(last(h.values(ids[0]!, 'heartRate'))).toBe(60);
    expect(last(h.values(ids[1]!, 'heartRate'))).toBe(90);
    expect(last(h.values(ids[2]!, 'power'))).toBe(300);
    expect(h.manager.list().map((d) => d.status)).toEqual(['live', 'live', 'live']);
  });

  it('asks for the kind\'s service plus Battery, reads battery and body sensor location, follows battery notifications', async () => {
    const h = createHarness();
    const p = h.bluetooth.addPeripheral(
      simDevice({ id: 's', name: 'Strap', kind: 'hr', metrics: { heartRate: { type: 'steady', value: 70 } }, battery: { startPct: 80, drainPctPerHour: 0 } }),
    );
    const added = await h.manager.addSensor('hr');
    const id = added.ok ? added.value : '';
    await h.advance(2000);
    expect(h.bluetooth.lastRequest?.filters).toEqual([{ services: ['0000180d-0000-1000-8000-00805f9b34fb'] }]);
    expect(h.bluetooth.lastRequest?.optionalServices).toEqual(['0000180f-0000-1000-8000-00805f9b34fb']);
    expect(h.manager.get(id)?.batteryPct).toBe(80);
    expect(h.manager.get(id)?.details.body_sensor_location).toEqual({ code: 1, location: 'chest' });
    p.overrides.set('battery', 14);
    await h.advance(1000);
    expect(h.manager.get(id)?.batteryPct).toBe(14);
    expect(h.reports.at(-1)?.device.batteryPct).toBe(14);
    expect(last(h.values(id, 'battery'))).toBe(14);
  });

  it('reports skin contact changes of a strap', async () => {
    const h = createHarness();
    const p = h.bluetooth.addPeripheral(simDevice({ id: 's', name: 'Strap', kind: 'hr', metrics: { heartRate: { type: 'steady', value: 70 } } }));
    const added = await h.manager.addSensor('hr');
    const id = added.ok ? added.value : '';
    await h.advance(2000);
    expect(h.manager.get(id)?.contact).toBe(true);
    (p.model as HeartRateStrapModel).contact = 'notDetected';
    await h.advance(2000);
    expect(h.manager.get(id)?.contact).toBe(false);
    expect(h.reports.some((r) => r.device.contact === false && r.reason === 'no skin contact')).toBe(true);
  });

  it('reconnects by itself after a scenario dropout: live → reconnecting → live, nothing made up in the gap', async () => {
    const h = createHarness();
    h.bluetooth.addPeripheral(
      simDevice({ id: 's', name: 'Strap', kind: 'hr', metrics: { heartRate: { type: 'steady', value: 75 } }, events: [{ type: 'dropout', atS: 10, forS: 8 }] }),
    );
    const t0 = Date.now();
    const added = await h.manager.addSensor('hr');
    const id = added.ok ? added.value : '';
    await h.advance(40_000);
    expect(h.statuses(id)).toEqual(['connecting', 'live', 'reconnecting', 'live']);
    const hrTimes = h.samples.filter((s) => s.deviceId === id && s.metric === 'heartRate').map((s) => s.tMs - t0);
    expect(hrTimes.some((t) => t < 10_000)).toBe(true);
    expect(hrTimes.filter((t) => t >= 10_000 && t < 18_000)).toEqual([]);
    expect(hrTimes.some((t) => t > 19_000)).toBe(true);
    // backoff reached the device soon after it came back (0.5, 1, 2, 4, 8 s …)
    const back = hrTimes.find((t) => t >= 18_000) ?? Infinity;
    expect(back).toBeLessThan(18_000 + 8_000 + 1_500);
    expect(h.manager.get(id)?.reconnects).toBeGreaterThanOrEqual(1);
    expect(h.errors.every((e) => e.error.code === 'BLE_CONNECT_FAILED')).toBe(true);
  });

  it('after a reconnect RR intervals continue exactly (the ones sent after reconnect all arrive once)', async () => {
    const h = createHarness();
    const p = h.bluetooth.addPeripheral(simDevice({ id: 's', name: 'Strap', kind: 'hr', metrics: { heartRate: { type: 'steady', value: 120 } } }));
    const added = await h.manager.addSensor('hr');
    const id = added.ok ? added.value : '';
    await h.advance(5000);
    p.dropout(3000);
    await h.advance(20_000);
    expect(h.statuses(id)).toEqual(['connecting', 'live', 'reconnecting', 'live']);
    const model = p.model as HeartRateStrapModel;
    expect(h.values(id, 'rrInterval')).toEqual(model.sentRrTicks.map((t) => (t * 1000) / 1024));
  });

  it('counts and reports malformed packets without throwing, and keeps streaming good ones', async () => {
    const h = createHarness();
    const p = h.bluetooth.addPeripheral(simDevice({ id: 's', name: 'Strap', kind: 'hr', metrics: { heartRate: { type: 'steady', value: 70 } } }));
    const added = await h.manager.addSensor('hr');
    const id = added.ok ? added.value : '';
    await h.advance(1500);
    const before = h.samples.length;
    p.injectMeasurement(new Uint8Array([]));
    p.injectMeasurement(new Uint8Array([0x01, 0x48])); // uint16 heart rate announced, one byte sent
    expect(h.samples.length).toBe(before);
    expect(h.manager.get(id)?.badPackets).toBe(2);
    expect(h.errors.map((e) => e.error.code)).toEqual(['GATT_SHORT_PAYLOAD', 'GATT_SHORT_PAYLOAD']);
    expect(h.manager.get(id)?.status).toBe('live');
    await h.advance(2000);
    expect(h.samples.length).toBeGreaterThan(before);
    // the raw log has every notification, good or bad, byte for byte
    expect(h.raw.some((r) => r.bytes.length === 2 && r.bytes[0] === 0x01 && r.bytes[1] === 0x48)).toBe(true);
  });

  it('gives a clear message when no sensor of the kind is found, and adds nothing', async () => {
    const h = createHarness();
    const r = await h.manager.addSensor('power');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.code).toBe('BLE_REQUEST_FAILED');
    expect(!r.ok && r.message).toBe('No power meter was chosen.');
    expect(h.manager.list()).toEqual([]);
  });

  it('remembers granted sensors and reconnects them on the next launch without a chooser', async () => {
    const first = createHarness();
    first.bluetooth.addPeripheral(simDevice({ id: 's', name: 'Strap', kind: 'hr', metrics: { heartRate: { type: 'steady', value: 66 } } }));
    const added = await first.manager.addSensor('hr');
    const id = added.ok ? added.value : '';
    await first.advance(2000);
    first.manager.dispose();
    expect(JSON.parse(first.storage.getItem(KNOWN_DEVICES_KEY) ?? '[]')).toEqual([{ id: 'SIMs', name: 'Strap', kind: 'hr' }]);

    const next = createHarness({ bluetooth: first.bluetooth, storage: first.storage });
    first.bluetooth.lastRequest = null;
    expect(await next.manager.restoreKnown()).toEqual({ restored: 1, missing: [] });
    await next.advance(3000);
    expect(first.bluetooth.lastRequest).toBeNull();
    expect(next.manager.get(id)?.status).toBe('live');
    expect(last(next.values(id, 'heartRate'))).toBe(66);

    next.manager.remove(id);
    expect(JSON.parse(next.storage.getItem(KNOWN_DEVICES_KEY) ?? '[]')).toEqual([]);
  });

  it('reconnects remembered sensors by name when the browser keeps no grants (Electron)', async () => {
    const first = createHarness();
    first.bluetooth.addPeripheral(simDevice({ id: 'other', name: 'Other strap', kind: 'hr', metrics: { heartRate: { type: 'steady', value: 90 } } }));
    first.bluetooth.addPeripheral(simDevice({ id: 's', name: 'My strap', kind: 'hr', metrics: { heartRate: { type: 'steady', value: 61 } } }));
    first.storage.setItem(KNOWN_DEVICES_KEY, JSON.stringify([{ id: 'id-from-last-run', name: 'My strap', kind: 'hr' }]));
    expect(await first.manager.restoreKnownByRequest()).toEqual({ restored: 1, missing: [] });
    expect(first.bluetooth.lastRequest?.filters).toEqual([{ services: ['0000180d-0000-1000-8000-00805f9b34fb'], name: 'My strap' }]);
    await first.advance(3000);
    expect(first.manager.list().map((d) => [d.name, d.status])).toEqual([['My strap', 'live']]);
    expect(last(first.values('ble:SIMs', 'heartRate'))).toBe(61);
    // the remembered entry now carries this run's id
    expect(JSON.parse(first.storage.getItem(KNOWN_DEVICES_KEY) ?? '[]')).toEqual([{ id: 'SIMs', name: 'My strap', kind: 'hr' }]);
    // a sensor that is not around is reported, not invented
    first.storage.setItem(KNOWN_DEVICES_KEY, JSON.stringify([{ id: 'x', name: 'Gone meter', kind: 'power' }]));
    expect(await first.manager.restoreKnownByRequest()).toEqual({ restored: 0, missing: ['Gone meter'] });
    expect(first.errors.at(-1)?.error.code).toBe('BLE_REQUEST_FAILED');
  });

  it('treats an unreadable remembered list as empty, with a message', async () => {
    const h = createHarness();
    h.storage.setItem(KNOWN_DEVICES_KEY, '{not json');
    expect(await h.manager.restoreKnown()).toEqual({ restored: 0, missing: [] });
    const known = new KnownDevices(h.storage);
    expect(known.list()).toEqual([]);
    expect(known.loadError).toMatch(/could not be read .*add them again/);
    h.storage.setItem(KNOWN_DEVICES_KEY, JSON.stringify([{ id: 'x', name: 'X', kind: 'toaster' }]));
    expect(new KnownDevices(h.storage).list()).toEqual([]);
  });
});
