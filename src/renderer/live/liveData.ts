/**
 * Live data outside React: one ring buffer per device metric, fed by the host's sample batches.
 * Components read it from the frame loop (charts, big numbers); nothing here triggers a render.
 *
 * Whether a value is current is the hub's decision, not this page's: the hub's `stale` and
 * `recovered` events (and the `isStale` flag of `samples.recent` after a (re)connect) say which
 * readings are no longer current. The page never compares the host's reading times with its own
 * clock for that (a busy machine or a TV with its clock off would hide live values). What the page
 * does time on its own clock is how long ago a value arrived here, for dimming.
 */
import type { DeviceId } from '../../shared/device';
import type { MetricId } from '../../shared/metrics';
import type { Sample } from '../../shared/sample';
import { RingBuffer } from './ringBuffer';

/** Ten minutes at 4 Hz plus headroom; RR intervals at up to 4 per second. */
const CAPACITY = 4096;

/** The live data store. */
export class LiveData {
  private readonly rings = new Map<string, RingBuffer>();
  /** Per device metric: readings taken at or before this host time are not current (the hub said stale). */
  private readonly staleThroughTMs = new Map<string, number>();
  /** Per device metric: when its newest reading arrived on this page (page clock). */
  private readonly arrivedAtMs = new Map<string, number>();
  /** Total samples received (diagnostics, tests). */
  received = 0;

  /** `pageNowMs`: this page's clock (injected by tests). */
  constructor(private readonly pageNowMs: () => number = () => performance.timeOrigin + performance.now()) {}

  /** The ring of a device metric (created on first use). */
  ring(deviceId: DeviceId, metric: MetricId): RingBuffer {
    const key = `${deviceId}\u0000${metric}`;
    let r = this.rings.get(key);
    if (!r) {
      r = new RingBuffer(CAPACITY);
      this.rings.set(key, r);
    }
    return r;
  }

  /** Ingest a batch from the host. */
  ingest(batch: readonly Sample[]): void {
    if (batch.length === 0) return;
    const arrivedMs = this.pageNowMs();
    for (const s of batch) {
      const key = `${s.deviceId}\u0000${s.metric}`;
      this.ring(s.deviceId, s.metric).push(s.tMs, s.value);
      this.arrivedAtMs.set(key, arrivedMs);
    }
    this.received += batch.length;
  }

  /**
   * Apply a hub event: `stale` at host time `tMs` makes every reading taken until then not current;
   * `recovered` by a reading taken at `tMs` makes that reading (and later ones) current again.
   */
  applyHubEvent(event: { type: 'stale' | 'recovered'; deviceId: DeviceId; metric: MetricId; tMs: number }): void {
    const key = `${event.deviceId}\u0000${event.metric}`;
    const through = this.staleThroughTMs.get(key) ?? -Infinity;
    if (event.type === 'stale') this.staleThroughTMs.set(key, Math.max(through, event.tMs));
    else if (through >= event.tMs) this.staleThroughTMs.set(key, event.tMs - 1e-3);
  }

  /** Whether `deviceId`'s newest `metric` reading is current by the hub's last word (false when there is none). */
  isCurrent(deviceId: DeviceId, metric: MetricId): boolean {
    const key = `${deviceId}\u0000${metric}`;
    const last = this.rings.get(key)?.last();
    return last !== undefined && last !== null && last.tMs > (this.staleThroughTMs.get(key) ?? -Infinity);
  }

  /** How long ago (page clock) the newest reading of a device metric arrived here; null when none did. */
  arrivedAgoMs(deviceId: DeviceId, metric: MetricId, pageNowMs: number): number | null {
    const at = this.arrivedAtMs.get(`${deviceId}\u0000${metric}`);
    return at === undefined ? null : Math.max(0, pageNowMs - at);
  }

  /**
   * Merge the host's recent history (`samples.recent`) into the rings: a page that opens or reloads,
   * or comes back after losing the host, has its charts from where they were. Points already here
   * win; history fills in before and between them. Runs once per (re)connect, not per sample.
   */
  loadHistory(
    series: readonly { deviceId: DeviceId; metric: MetricId; tMs: readonly number[]; values: readonly number[]; isStale: boolean }[],
  ): void {
    // the host's word replaces what this page believed: a metric it did not list (a host that
    // restarted, a device it forgot) has nothing current until a new reading comes
    const listed = new Set(series.map((s) => `${s.deviceId}\u0000${s.metric}`));
    for (const [key, ring] of this.rings) {
      const last = ring.last();
      if (!listed.has(key) && last) this.staleThroughTMs.set(key, Math.max(this.staleThroughTMs.get(key) ?? -Infinity, last.tMs));
    }
    for (const s of series) {
      const ring = this.ring(s.deviceId, s.metric);
      const points: [number, number][] = [];
      const have = new Set<number>();
      for (let i = 0; i < ring.length; i++) {
        points.push([ring.timeAt(i), ring.valueAt(i)]);
        have.add(ring.timeAt(i));
      }
      for (let i = 0; i < s.tMs.length; i++) if (!have.has(s.tMs[i]!)) points.push([s.tMs[i]!, s.values[i]!]);
      points.sort((a, b) => a[0] - b[0]);
      ring.clear();
      for (const [t, v] of points.slice(-ring.capacity)) ring.push(t, v);
      const key = `${s.deviceId}\u0000${s.metric}`;
      const newestTMs = ring.last()?.tMs;
      if (s.isStale && newestTMs !== undefined) this.staleThroughTMs.set(key, newestTMs);
      else if (!s.isStale) this.staleThroughTMs.delete(key);
      if (!this.arrivedAtMs.has(key)) this.arrivedAtMs.set(key, this.pageNowMs());
    }
  }

  /** Latest value of a device metric, or null. */
  latest(deviceId: DeviceId, metric: MetricId): { tMs: number; value: number } | null {
    return this.rings.get(`${deviceId}\u0000${metric}`)?.last() ?? null;
  }

  /** Forget a device. */
  forget(deviceId: DeviceId): void {
    const prefix = `${deviceId}\u0000`;
    for (const map of [this.rings, this.staleThroughTMs, this.arrivedAtMs]) {
      for (const key of [...map.keys()]) if (key.startsWith(prefix)) map.delete(key);
    }
  }
}
