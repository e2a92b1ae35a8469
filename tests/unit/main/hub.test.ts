/** The sample hub: ordering, sequence stamping, staleness, fan-out. */
import { describe, expect, it } from 'vitest';
import { SampleHub, type HubDeviceEvent } from '../../../src/main/hub';
import type { Sample } from '../../../src/shared/sample';

function collect(hub: SampleHub): { batches: Sample[][]; events: HubDeviceEvent[] } {
  const out = { batches: [] as Sample[][], events: [] as HubDeviceEvent[] };
  hub.subscribe((b) => out.batches.push([...b]));
  hub.onDeviceEvent((e) => out.events.push(e));
  return out;
}

const hr = (tMs: number, value: number, deviceId = 'sim:a'): Sample => ({ tMs, deviceId, metric: 'heartRate', value });

describe('SampleHub', () => {
  it('releases samples from several sources in reception-time order, each with a rising seq', () => {
    const hub = new SampleHub({ reorderWindowMs: 50 });
    const out = collect(hub);
    // a BLE sample relayed from the UI arrives after a later ANT+ sample
    hub.push(hr(1030, 71, 'ant:120:1'));
    hub.push(hr(1000, 70, 'ble:x'));
    hub.push(hr(1010, 72, 'sim:a'));
    hub.tick(1100);
    const released = out.batches.flat();
    expect(released.map((s) => s.tMs)).toEqual([1000, 1010, 1030]);
    expect(released.map((s) => s.seq)).toEqual([1, 2, 3]);
  });

  it('holds samples younger than the reorder window', () => {
    const hub = new SampleHub({ reorderWindowMs: 50 });
    const out = collect(hub);
    hub.push(hr(1000, 70));
    hub.push(hr(1080, 71));
    hub.tick(1100);
    expect(out.batches.flat().map((s) => s.value)).toEqual([70]);
    hub.tick(1200);
    expect(out.batches.flat().map((s) => s.value)).toEqual([70, 71]);
  });

  it('counts a sample that arrives after its window as late but still delivers it', () => {
    const hub = new SampleHub({ reorderWindowMs: 10 });
    const out = collect(hub);
    hub.push(hr(1000, 70));
    hub.tick(1100);
    hub.push(hr(990, 69));
    hub.tick(1200);
    expect(out.batches.flat().map((s) => s.value)).toEqual([70, 69]);
    expect(hub.stats.late).toBe(1);
  });

  it('rejects non-finite values instead of forwarding them', () => {
    const hub = new SampleHub();
    const out = collect(hub);
    hub.push(hr(1000, Number.NaN));
    hub.push(hr(1001, Infinity));
    hub.tick(5000);
    expect(out.batches.flat()).toHaveLength(0);
    expect(hub.stats.rejected).toBe(2);
  });

  it('emits stale once after the metric timeout and recovered on the next real sample, never a filler value', () => {
    const hub = new SampleHub({ reorderWindowMs: 0 });
    const out = collect(hub);
    hub.push(hr(1000, 70));
    hub.tick(1000);
    hub.tick(5900); // heart rate goes stale after 5 s
    expect(out.events).toHaveLength(0);
    hub.tick(6100);
    hub.tick(9000);
    expect(out.events.map((e) => e.type)).toEqual(['stale']);
    expect(hub.lastValue('sim:a', 'heartRate')).toBeNull();
    expect(hub.isDeviceStale('sim:a')).toBe(true);
    // nothing was invented during the silence
    expect(out.batches.flat().map((s) => s.value)).toEqual([70]);
    hub.push(hr(9500, 75));
    hub.tick(9500);
    expect(out.events.map((e) => e.type)).toEqual(['stale', 'recovered']);
    expect(hub.lastValue('sim:a', 'heartRate')).toBe(75);
  });

  it('does not mark event-like metrics (RR intervals) stale on their own', () => {
    const hub = new SampleHub({ reorderWindowMs: 0 });
    const out = collect(hub);
    hub.push({ tMs: 1000, deviceId: 'sim:a', metric: 'rrInterval', value: 800 });
    hub.tick(1000);
    hub.tick(60_000);
    expect(out.events).toHaveLength(0);
  });

  it('fans out the same batch to every subscriber', () => {
    const hub = new SampleHub({ reorderWindowMs: 0 });
    const a = collect(hub);
    const b = collect(hub);
    hub.push(hr(1000, 70));
    hub.tick(2000);
    expect(a.batches).toEqual(b.batches);
    expect(a.batches.flat()).toHaveLength(1);
  });
});
