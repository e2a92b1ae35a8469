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

/** One device metric on this page. */
interface Series {
  readonly ring: RingBuffer;
  /** Readings taken at or before this host time are not current (the hub said stale). */
  staleThroughTMs: number;
  /** When the newest reading arrived on this page (page clock), or null. */
  arrivedAtMs: number | null;
}

/** The live data store. */
export class LiveData {
  /** Series by device, then metric: found without building a key per sample. */
  private readonly devices = new Map<DeviceId, Map<MetricId, Series>>();
  /** Total samples received (diagnostics, tests). */
  received = 0;

  /** `pageNowMs`: this page's clock (injected by tests). */
  constructor(private readonly pageNowMs: () => number = () => performance.timeOrigin + performance.now()) {}

  private series(deviceId: DeviceId, metric: MetricId): Series {
    let metrics = this.devices.get(deviceId);
    if (!metrics) {
      metrics = new Map();
      this.devices.set(deviceId, metrics);
    }
    let s = metrics.get(metric);
    if (!s) {
      s = { ring: new RingBuffer(CAPACITY), staleThroughTMs: -Infinity, arrivedAtMs: null };
      metrics.set(metric, s);
    }
    return s;
  }

  private existing(deviceId: DeviceId, metric: MetricId): Series | undefined {
    return this.devices.get(deviceId)?.get(metric);
  }

  /** The ring of a device metric (created on first use). */
  ring(deviceId: DeviceId, metric: MetricId): RingBuffer {
    return this.series(deviceId, metric).ring;
  }

  /** Ingest a batch from the host. */
  ingest(batch: readonly Sample[]): void {
    if (batch.length === 0) return;
    const arrivedMs = this.pageNowMs();
    for (const sample of batch) {
      const s = this.series(sample.deviceId, sample.metric);
      s.ring.push(sample.tMs, sample.value);
      s.arrivedAtMs = arrivedMs;
    }
    this.received += batch.length;
  }

  /**
   * Apply a hub event: `stale` at host time `tMs` makes every reading taken until then not current;
   * `recovered` by a reading taken at `tMs` makes that reading (and later ones) current again.
   */
  applyHubEvent(event: { type: 'stale' | 'recovered'; deviceId: DeviceId; metric: MetricId; tMs: number }): void {
    const s = this.series(event.deviceId, event.metric);
    if (event.type === 'stale') s.staleThroughTMs = Math.max(s.staleThroughTMs, event.tMs);
    else if (s.staleThroughTMs >= event.tMs) s.staleThroughTMs = event.tMs - 1e-3;
  }

  /**
   * The page lost the host: nothing it shows is current until the host's word comes back
   * (`loadHistory` after the reconnect, or new readings).
   */
  markAllNotCurrent(): void {
    for (const metrics of this.devices.values()) {
      for (const s of metrics.values()) {
        const last = s.ring.last();
        if (last) s.staleThroughTMs = Math.max(s.staleThroughTMs, last.tMs);
      }
    }
  }

  /** Whether `deviceId`'s newest `metric` reading is current by the hub's last word (false when there is none). */
  isCurrent(deviceId: DeviceId, metric: MetricId): boolean {
    const s = this.existing(deviceId, metric);
    const last = s?.ring.last();
    return s !== undefined && last !== null && last !== undefined && last.tMs > s.staleThroughTMs;
  }

  /** How long ago (page clock) the newest reading of a device metric arrived here; null when none did. */
  arrivedAgoMs(deviceId: DeviceId, metric: MetricId, pageNowMs: number): number | null {
    const at = this.existing(deviceId, metric)?.arrivedAtMs ?? null;
    return at === null ? null : Math.max(0, pageNowMs - at);
  }

  /** The newest value, whether it is current, and when it arrived: what a live number shows, in one lookup. */
  view(deviceId: DeviceId, metric: MetricId, pageNowMs: number): { latest: { tMs: number; value: number } | null; isCurrent: boolean; arrivedAgoMs: number | null } {
    const s = this.existing(deviceId, metric);
    const latest = s?.ring.last() ?? null;
    if (!s || !latest) return { latest: null, isCurrent: false, arrivedAgoMs: null };
    return { latest, isCurrent: latest.tMs > s.staleThroughTMs, arrivedAgoMs: s.arrivedAtMs === null ? null : Math.max(0, pageNowMs - s.arrivedAtMs) };
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
    this.markAllNotCurrent();
    for (const h of series) {
      const s = this.series(h.deviceId, h.metric);
      const ring = s.ring;
      const points: [number, number][] = [];
      const have = new Set<number>();
      for (let i = 0; i < ring.length; i++) {
        points.push([ring.timeAt(i), ring.valueAt(i)]);
        have.add(ring.timeAt(i));
      }
      for (let i = 0; i < h.tMs.length; i++) if (!have.has(h.tMs[i]!)) points.push([h.tMs[i]!, h.values[i]!]);
      points.sort((a, b) => a[0] - b[0]);
      ring.clear();
      for (const [t, v] of points.slice(-ring.capacity)) ring.push(t, v);
      s.staleThroughTMs = h.isStale ? (ring.last()?.tMs ?? -Infinity) : -Infinity;
      s.arrivedAtMs ??= this.pageNowMs();
    }
  }

  /** Latest value of a device metric, or null. */
  latest(deviceId: DeviceId, metric: MetricId): { tMs: number; value: number } | null {
    return this.existing(deviceId, metric)?.ring.last() ?? null;
  }

  /** Forget a device. */
  forget(deviceId: DeviceId): void {
    this.devices.delete(deviceId);
  }
}
