/**
 * RR exactness through the real path: simulated strap → encoded Heart Rate Measurement bytes →
 * simulated Web Bluetooth events → transport → connection manager → shared decoder → samples.
 * Guards against lost or duplicated RR intervals, in particular when one notification carries several.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { rrTicksToMs } from '../../../../src/shared/scenario';
import { HeartRateStrapModel } from '../../../../src/renderer/ble/sim/peripheralModels';
import { createHarness, simDevice } from './harness';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('RR intervals from a simulated strap', () => {
  it('arrive in the sample stream exactly: no lost or duplicated interval, multi-RR packets included', async () => {
    const h = createHarness();
    const strap = h.bluetooth.addPeripheral(
      simDevice({
        id: 'strap',
        name: 'Sim strap',
        kind: 'hr',
        // 55 → 175 bpm: at 1 notification/s packets carry 0, 1, 2 or 3 RR values
        metrics: { heartRate: { type: 'sine', mean: 115, amplitude: 60, periodS: 120 } },
      }),
    );
    const added = await h.manager.addSensor('hr');
    expect(added.ok).toBe(true);
    await h.advance(300_000);

    const model = strap.model as HeartRateStrapModel;
    const deviceId = added.ok ? added.value : '';
    const received = h.samples.filter((s) => s.deviceId === deviceId && s.metric === 'rrInterval');
    expect(model.sentRrTicks.length).toBeGreaterThan(300);
    expect(model.multiRrPackets).toBeGreaterThan(20);
    // exact values, exact order, full precision (ticks × 1000 / 1024, not rounded)
    expect(received.map((s) => s.value)).toEqual(model.sentRrTicks.map(rrTicksToMs));
    // the raw tick value rides along for researchers
    expect(received.map((s) => s.timing?.eventTicks)).toEqual(model.sentRrTicks);
    // RR agrees with the HR curve: every interval is 60000 / HR for an HR between 55 and 175
    for (const s of received) expect(s.value).toBeGreaterThanOrEqual(60000 / 176);
    for (const s of received) expect(s.value).toBeLessThanOrEqual(60000 / 54);
  });

  it('samples of one packet share its reception time, and packets arrive about once per second', async () => {
    const h = createHarness();
    h.bluetooth.addPeripheral(simDevice({ id: 's', name: 'Strap', kind: 'hr', metrics: { heartRate: { type: 'steady', value: 150 } } }));
    const added = await h.manager.addSensor('hr');
    await h.advance(20_000);
    const deviceId = added.ok ? added.value : '';
    const hr = h.samples.filter((s) => s.deviceId === deviceId && s.metric === 'heartRate');
    expect(hr.length).toBeGreaterThanOrEqual(18);
    expect(new Set(hr.map((s) => s.value))).toEqual(new Set([150]));
    const hrTimes = new Set(hr.map((s) => s.tMs));
    for (const rr of h.samples.filter((s) => s.metric === 'rrInterval')) expect(hrTimes.has(rr.tMs)).toBe(true);
    // 150 bpm → 2.5 beats per 1 s notification: 400 ms intervals (410 ticks)
    expect(new Set(h.values(deviceId, 'rrInterval'))).toEqual(new Set([rrTicksToMs(410)]));
  });
});
