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
  it('releases samples from several sources in reception-time order on the time-ordered stream, each with its arrival seq', () => {
    const hub = new SampleHub({ reorderWindowMs: 50 });
    const out = collect(hub);
    // a BLE sample relayed from the UI arrives after a later ANT+ sample
    hub.push(hr(1030, 71, 'ant:120:1'));
    hub.push(hr(1000, 70, 'ble:x'));
    hub.push(hr(1010, 72, 'sim:a'));
    hub.tick(1100);
    const released = out.batches.flat();
    expect(released.map((s) => s.tMs)).toEqual([1000, 1010, 1030]);
    expect(released.map((s) => s.seq)).toEqual([2, 3, 1]);
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

  it('gives live subscribers every sample of one event-loop turn in one batch, without the reorder window', async () => {
    // Issue 14: the uplinks and the UI must not wait 50 ms + a 20 ms tick for other devices.
    const clock = { t: 10_000 };
    const hub = new SampleHub({ now: () => clock.t, reorderWindowMs: 50 });
    const live: Sample[][] = [];
    const ordered: Sample[][] = [];
    hub.subscribeLive((b) => live.push([...b]));
    hub.subscribe((b) => ordered.push([...b]));
    hub.start();
    hub.push(hr(clock.t, 70, 'ant:120:1'));
    hub.push(hr(clock.t - 5, 71, 'ble:x'));
    hub.push(hr(clock.t + 1, 72, 'ant:120:1'));
    expect(live).toHaveLength(0); // coalesced: released at the end of this turn, not per push
    await new Promise((r) => setImmediate(r));
    expect(live.map((b) => b.map((s) => s.value))).toEqual([[70, 71, 72]]); // arrival order, per device in order
    expect(ordered).toHaveLength(0); // the clock has not moved past the window
    hub.stop();
    expect(ordered.flat().map((s) => s.value)).toEqual([71, 70, 72]);
  });

  it('releases the time-ordered stream when the oldest held sample is due, on its own timer', async () => {
    const hub = new SampleHub({ reorderWindowMs: 5 });
    const ordered: Sample[] = [];
    let resolve: () => void = () => {};
    const done = new Promise<void>((r) => (resolve = r));
    hub.subscribe((b) => {
      ordered.push(...b);
      if (ordered.length === 2) resolve();
    });
    hub.start();
    const t = Date.now();
    hub.push(hr(t + 1, 71, 'ble:x'));
    hub.push(hr(t, 70, 'ant:120:1'));
    await done; // no tick() call: the hub armed a timer for the oldest sample's deadline
    hub.stop();
    expect(ordered.map((s) => s.value)).toEqual([70, 71]);
  });

  it('drain releases the reorder window at once (a recording stops with its last readings)', () => {
    const hub = new SampleHub({ reorderWindowMs: 50, now: () => 1000 });
    const out = collect(hub);
    hub.push(hr(999, 70));
    hub.tick(1000);
    expect(out.batches.flat()).toHaveLength(0);
    hub.drain();
    expect(out.batches.flat().map((s) => s.value)).toEqual([70]);
  });

  it('does not count a late-delivered reading older than the silence as a recovery', () => {
    const hub = new SampleHub({ reorderWindowMs: 0 });
    const out = collect(hub);
    hub.push(hr(1000, 70));
    hub.tick(1000);
    hub.tick(7000);
    hub.push(hr(999, 69)); // taken before the metric went stale, delivered afterwards
    hub.tick(7001);
    expect(out.events.map((e) => e.type)).toEqual(['stale']);
  });
});
