/**
 * Regression (issue 15, small): a page reload emptied every chart. The host keeps the last 10 minutes
 * per device metric in bounded rings and a new page starts from them (`samples.recent`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHost } from '../../../src/main/host';
import { MAX_SERIES, RECENT_WINDOW_MS, RecentSamples, SERIES_CAPACITY } from '../../../src/main/recentSamples';
import { LiveData } from '../../../src/renderer/live/liveData';
import { nowMs, type Sample } from '../../../src/shared/sample';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('recent history on the host', () => {
  it('keeps the last 10 minutes per device metric, in time order', () => {
    const r = new RecentSamples();
    const t0 = 1_700_000_000_000;
    const batch: Sample[] = [];
    for (let s = 0; s < 900; s++) batch.push({ tMs: t0 + s * 1000, deviceId: 'sim:strap', metric: 'heartRate', value: 60 + (s % 30) });
    r.add(batch);
    const [hr] = r.recent(t0 + 899_000);
    expect(hr!.tMs[0]).toBe(t0 + 899_000 - RECENT_WINDOW_MS);
    expect(hr!.tMs).toHaveLength(601);
    expect(hr!.values.at(-1)).toBe(60 + (899 % 30));
    expect(r.recent(t0 + 899_000, 5000)[0]!.tMs).toHaveLength(6);
    expect(r.recent(t0 + 899_000, 5000, () => false)).toEqual([]); // a device no longer known is dropped
    expect(r.seriesCount).toBe(0);
    r.add(batch);
    r.forget('sim:strap');
    expect(r.recent(t0 + 899_000)).toEqual([]);
  });

  it('is bounded: points per series and number of series', () => {
    const r = new RecentSamples();
    const t0 = 1_700_000_000_000;
    const many: Sample[] = [];
    for (let i = 0; i < SERIES_CAPACITY * 3; i++) many.push({ tMs: t0 + i, deviceId: 'ble:AA', metric: 'rrInterval', value: i });
    r.add(many);
    expect(r.recent(t0 + SERIES_CAPACITY * 3)[0]!.tMs).toHaveLength(SERIES_CAPACITY);
    for (let d = 0; d < MAX_SERIES + 50; d++) r.add([{ tMs: t0 + 10_000 + d, deviceId: `sim:s${d}`, metric: 'heartRate', value: 70 }]);
    expect(r.seriesCount).toBe(MAX_SERIES);
    expect(r.recent(t0 + 20_000).some((s) => s.deviceId === 'ble:AA')).toBe(false); // the stalest went first
    // a series that was evicted (or forgotten) and comes back starts a fresh ring that recent() shows
    r.add([{ tMs: t0 + 30_000, deviceId: 'ble:AA', metric: 'rrInterval', value: 812 }]);
    expect(r.recent(t0 + 30_000).find((s) => s.deviceId === 'ble:AA')).toMatchObject({ tMs: [t0 + 30_000], values: [812] });
    r.forget('sim:s60');
    r.add([{ tMs: t0 + 30_001, deviceId: 'sim:s60', metric: 'heartRate', value: 90 }]);
    expect(r.recent(t0 + 30_001).find((s) => s.deviceId === 'sim:s60')).toMatchObject({ tMs: [t0 + 30_001], values: [90] });
  });

  it('a new page gets what the host saw, through the contract, and merges it with what it already has', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sr-recent-'));
    dirs.push(dir);
    const host = createHost({ mode: 'web', dataDir: dir });
    host.devices.upsert({ id: 'sim:strap', name: 'Strap', kind: 'hr', source: 'sim', isSimulated: true });
    const t = nowMs();
    host.hub.push({ tMs: t - 3000, deviceId: 'sim:strap', metric: 'heartRate', value: 71 });
    host.hub.push({ tMs: t - 2000, deviceId: 'sim:strap', metric: 'heartRate', value: 72 });
    host.hub.push({ tMs: t - 1000, deviceId: 'sim:strap', metric: 'heartRate', value: 73 });
    host.hub.tick(t + 1000); // release the readings (past the hub's reorder window)
    const reply = await host.call({ kind: 'call', id: 1, name: 'samples.recent', args: {} });
    if (!reply.ok) throw new Error(reply.message);
    const series = (reply.value as { series: { deviceId: string; metric: 'heartRate'; tMs: number[]; values: number[]; isStale: boolean }[] }).series;
    expect(series.map((s) => s.isStale)).toEqual([false]);
    const live = new LiveData();
    live.ingest([{ tMs: t, deviceId: 'sim:strap', metric: 'heartRate', value: 74 }]); // a live reading came first
    live.loadHistory(series);
    const ring = live.ring('sim:strap', 'heartRate');
    expect(Array.from({ length: ring.length }, (_, i) => ring.valueAt(i))).toEqual([71, 72, 73, 74]);
    expect(live.isCurrent('sim:strap', 'heartRate')).toBe(true);
  });

  it('says which series the hub has marked stale, so a page that opens during a dropout shows no current value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sr-recent-'));
    dirs.push(dir);
    const host = createHost({ mode: 'web', dataDir: dir });
    host.devices.upsert({ id: 'sim:strap', name: 'Strap', kind: 'hr', source: 'sim', isSimulated: true });
    const t = nowMs();
    host.hub.push({ tMs: t - 1000, deviceId: 'sim:strap', metric: 'heartRate', value: 73 });
    host.hub.push({ tMs: t - 1000, deviceId: 'sim:strap', metric: 'rrInterval', value: 822 });
    host.hub.tick(t + 10_000); // ten seconds without a reading: past heart rate's stale timeout
    const reply = await host.call({ kind: 'call', id: 1, name: 'samples.recent', args: {} });
    if (!reply.ok) throw new Error(reply.message);
    const series = (reply.value as { series: { deviceId: string; metric: 'heartRate' | 'rrInterval'; tMs: number[]; values: number[]; isStale: boolean }[] }).series;
    expect(Object.fromEntries(series.map((s) => [s.metric, s.isStale]))).toEqual({ heartRate: true, rrInterval: false });
    const live = new LiveData();
    live.loadHistory(series);
    expect(live.latest('sim:strap', 'heartRate')?.value).toBe(73); // the chart keeps the line
    expect(live.isCurrent('sim:strap', 'heartRate')).toBe(false); // the number does not show it as current
  });
});
