/**
 * A live number: the newest value while it is current, dimmed when nothing arrived for 2.5 s, `--`
 * once the hub says it is stale (docs/staleness.md).
 *
 * Regression (issue 12, found under load): the page used to hide a value 0.5 s after the metric's
 * stale timeout judged by comparing the host's reading time with the page's clock; with the host
 * busy (batches delivered late) or a page clock off by a few seconds, a live power meter showed `--`.
 * Now only the hub decides; the page's clock only times the dimming, against arrival on the page.
 */
import { describe, expect, it } from 'vitest';
import { LiveData } from '../../../src/renderer/live/liveData';
import { DIM_AFTER_MS, liveValueView } from '../../../src/renderer/views/liveValue';
import type { DeviceStatus } from '../../../src/shared/device';
import type { MetricId } from '../../../src/shared/metrics';

/** A page with a hand-driven clock, fed like the real one (samples, then hub events). */
function page(): { live: LiveData; advance(ms: number): void; view(deviceId: string, metric: MetricId, status?: DeviceStatus | null): string } {
  let pageMs = 5_000_000; // the page's clock: deliberately far from the host's reading times
  const live = new LiveData(() => pageMs);
  return {
    live,
    advance: (ms) => {
      pageMs += ms;
    },
    view: (deviceId, metric, status = 'live') => {
      const v = liveValueView(metric, {
        latest: live.latest(deviceId, metric),
        isCurrent: live.isCurrent(deviceId, metric),
        arrivedAgoMs: live.arrivedAgoMs(deviceId, metric, pageMs),
        deviceStatus: status,
      });
      return v.isStale && v.text !== '--' ? `${v.text} (dimmed)` : v.text;
    },
  };
}

describe('live number view', () => {
  const hostT0 = 1_700_000_000_000;

  it('shows a value whose reading time is far from the page clock: only the hub decides staleness', () => {
    const p = page();
    p.live.ingest([{ tMs: hostT0, deviceId: 'sim:power', metric: 'power', value: 200 }]);
    expect(p.view('sim:power', 'power')).toBe('200');
  });

  it('dims a value not refreshed on the page for 2.5 s, and shows `--` when the hub says stale', () => {
    const p = page();
    p.live.ingest([{ tMs: hostT0, deviceId: 'sim:power', metric: 'power', value: 200 }]);
    p.advance(DIM_AFTER_MS + 1);
    expect(p.view('sim:power', 'power')).toBe('200 (dimmed)');
    p.advance(60_000); // however long: without the hub's word the value stays, dimmed
    expect(p.view('sim:power', 'power')).toBe('200 (dimmed)');
    p.live.applyHubEvent({ type: 'stale', deviceId: 'sim:power', metric: 'power', tMs: hostT0 + 4001 });
    expect(p.view('sim:power', 'power')).toBe('--');
  });

  it('comes back only with a reading taken after the metric went stale, even when the event overtakes the batch', () => {
    const p = page();
    p.live.ingest([{ tMs: hostT0, deviceId: 'sim:strap', metric: 'heartRate', value: 70 }]);
    p.live.applyHubEvent({ type: 'stale', deviceId: 'sim:strap', metric: 'heartRate', tMs: hostT0 + 5001 });
    p.live.applyHubEvent({ type: 'recovered', deviceId: 'sim:strap', metric: 'heartRate', tMs: hostT0 + 9000 });
    expect(p.view('sim:strap', 'heartRate')).toBe('--'); // the old 70 is not the new reading
    p.live.ingest([{ tMs: hostT0 + 9000, deviceId: 'sim:strap', metric: 'heartRate', value: 82 }]);
    expect(p.view('sim:strap', 'heartRate')).toBe('82');
  });

  it('a metric without a stale timeout (RR) follows its device: `--` once the strap is no longer live', () => {
    const p = page();
    p.live.ingest([{ tMs: hostT0, deviceId: 'sim:strap', metric: 'rrInterval', value: 812.5 }]);
    expect(p.view('sim:strap', 'rrInterval')).toBe('812.5');
    p.advance(DIM_AFTER_MS + 1);
    expect(p.view('sim:strap', 'rrInterval')).toBe('812.5 (dimmed)');
    expect(p.view('sim:strap', 'rrInterval', 'stale')).toBe('--');
    expect(p.view('sim:strap', 'rrInterval', 'lost')).toBe('--');
  });

  it('shows `--` before any reading', () => {
    expect(page().view('sim:strap', 'heartRate')).toBe('--');
  });
});
