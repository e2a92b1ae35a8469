/** Live data outside React: one ring per device metric, fed by sample batches. */
import { describe, expect, it } from 'vitest';
import { LiveData } from '../../../../src/renderer/live/liveData';
import type { Sample } from '../../../../src/shared/sample';

const s = (deviceId: string, metric: Sample['metric'], tMs: number, value: number): Sample => ({ deviceId, metric, tMs, value }) as Sample;

describe('LiveData', () => {
  it('routes each sample to its device metric and reports the latest value', () => {
    const live = new LiveData();
    live.ingest([s('sim:hr', 'heartRate', 1000, 70), s('sim:p', 'power', 1000, 200), s('sim:hr', 'heartRate', 1250, 72)]);
    expect(live.latest('sim:hr', 'heartRate')).toEqual({ tMs: 1250, value: 72 });
    expect(live.latest('sim:p', 'power')).toEqual({ tMs: 1000, value: 200 });
    expect(live.ring('sim:hr', 'heartRate').length).toBe(2);
    expect(live.received).toBe(3);
  });

  it('has no value for a metric never received', () => {
    const live = new LiveData();
    live.ingest([s('sim:hr', 'heartRate', 1000, 70)]);
    expect(live.latest('sim:hr', 'power')).toBeNull();
    expect(live.latest('sim:other', 'heartRate')).toBeNull();
  });

  it('gives the same ring to the chart and to ingest (created on first use)', () => {
    const live = new LiveData();
    const ring = live.ring('sim:hr', 'heartRate');
    live.ingest([s('sim:hr', 'heartRate', 1000, 70)]);
    expect(ring.last()).toEqual({ tMs: 1000, value: 70 });
  });

  it('forgets every metric of one device only, even when another id starts with the same text', () => {
    const live = new LiveData();
    live.ingest([s('sim:hr', 'heartRate', 1, 70), s('sim:hr', 'rrInterval', 1, 800), s('sim:hr2', 'heartRate', 1, 90)]);
    live.forget('sim:hr');
    expect(live.latest('sim:hr', 'heartRate')).toBeNull();
    expect(live.latest('sim:hr', 'rrInterval')).toBeNull();
    expect(live.latest('sim:hr2', 'heartRate')).toEqual({ tMs: 1, value: 90 });
  });
});

describe('LiveData: the hub decides what is current', () => {
  const s = (deviceId: string, metric: Sample['metric'], tMs: number, value: number): Sample => ({ deviceId, metric, tMs, value }) as Sample;

  it('after a reconnect, a series the host no longer lists (host restarted) has no current value until a new reading', () => {
    const live = new LiveData(() => 0);
    live.ingest([s('sim:hr', 'heartRate', 1000, 70), s('sim:p', 'power', 1000, 200)]);
    live.loadHistory([{ deviceId: 'sim:hr', metric: 'heartRate', tMs: [1000], values: [70], isStale: false }]);
    expect(live.isCurrent('sim:hr', 'heartRate')).toBe(true);
    expect(live.isCurrent('sim:p', 'power')).toBe(false);
    expect(live.latest('sim:p', 'power')?.value).toBe(200); // the chart keeps its line
    live.ingest([s('sim:p', 'power', 2000, 210)]);
    expect(live.isCurrent('sim:p', 'power')).toBe(true);
  });

  it('a stale series from the host stays not current; a later non-stale answer makes it current again', () => {
    const live = new LiveData(() => 0);
    live.loadHistory([{ deviceId: 'sim:hr', metric: 'heartRate', tMs: [1000], values: [70], isStale: true }]);
    expect(live.isCurrent('sim:hr', 'heartRate')).toBe(false);
    live.loadHistory([{ deviceId: 'sim:hr', metric: 'heartRate', tMs: [1000, 9000], values: [70, 75], isStale: false }]);
    expect(live.isCurrent('sim:hr', 'heartRate')).toBe(true);
  });

  it('times arrival on the page clock and forgets it with the device', () => {
    let pageMs = 100;
    const live = new LiveData(() => pageMs);
    expect(live.arrivedAgoMs('sim:hr', 'heartRate', pageMs)).toBeNull();
    live.ingest([s('sim:hr', 'heartRate', 1_700_000_000_000, 70)]);
    pageMs = 1600;
    expect(live.arrivedAgoMs('sim:hr', 'heartRate', pageMs)).toBe(1500);
    live.applyHubEvent({ type: 'stale', deviceId: 'sim:hr', metric: 'heartRate', tMs: 1_700_000_005_001 });
    live.forget('sim:hr');
    live.ingest([s('sim:hr', 'heartRate', 1_700_000_000_000, 70)]); // same id again (re-added): a fresh start
    expect(live.isCurrent('sim:hr', 'heartRate')).toBe(true);
  });
});

describe('LiveData: a page that lost the host', () => {
  it('shows nothing as current until the host is back: its history (or a new reading) makes values current again', () => {
    const live = new LiveData(() => 0);
    const t = 1_700_000_000_000;
    live.ingest([{ tMs: t, deviceId: 'sim:hr', metric: 'heartRate', value: 70 } as Sample]);
    live.markAllNotCurrent(); // the link dropped
    expect(live.view('sim:hr', 'heartRate', 0)).toMatchObject({ latest: { value: 70 }, isCurrent: false });
    live.loadHistory([{ deviceId: 'sim:hr', metric: 'heartRate', tMs: [t, t + 1000], values: [70, 71], isStale: false }]);
    expect(live.view('sim:hr', 'heartRate', 0)).toMatchObject({ latest: { value: 71 }, isCurrent: true });
  });
});
