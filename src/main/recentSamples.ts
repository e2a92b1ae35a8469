/**
 * The last ten minutes of every device metric, kept by the host so a page that opens (or reloads)
 * draws its charts from where they were instead of from empty. One fixed-size ring of typed arrays
 * per device metric (no allocation per sample); memory is bounded by the per-series capacity and
 * the number of series: a series beyond {@link MAX_SERIES} replaces the one that was updated least
 * recently.
 */
import type { DeviceId } from '../shared/device';
import type { MetricId } from '../shared/metrics';
import type { Sample } from '../shared/sample';

/** How far back the history goes. */
export const RECENT_WINDOW_MS = 10 * 60_000;
/** Points kept per device metric: ten minutes at 4 Hz, or RR at up to 4 beats per second for 10 min… capped. */
export const SERIES_CAPACITY = 2400;
/** Most device metrics kept (50 athletes × HR, RR, battery and a few spare). */
export const MAX_SERIES = 400;

/** One device metric's recent points, oldest first. */
export interface RecentSeries {
  readonly deviceId: DeviceId;
  readonly metric: MetricId;
  readonly tMs: number[];
  readonly values: number[];
}

class Ring {
  readonly times = new Float64Array(SERIES_CAPACITY);
  readonly values = new Float64Array(SERIES_CAPACITY);
  start = 0;
  count = 0;
  lastPushMs = 0;
  constructor(
    readonly deviceId: DeviceId,
    readonly metric: MetricId,
  ) {}
  push(tMs: number, value: number): void {
    const i = (this.start + this.count) % SERIES_CAPACITY;
    this.times[i] = tMs;
    this.values[i] = value;
    if (this.count < SERIES_CAPACITY) this.count++;
    else this.start = (this.start + 1) % SERIES_CAPACITY;
  }
}

/** The history store; feed it the hub's batches. */
export class RecentSamples {
  private readonly rings = new Map<string, Ring>();
  /** The same rings by device and metric: the per-sample lookup builds no key string. */
  private readonly byDevice = new Map<DeviceId, Map<MetricId, Ring>>();

  /** Add a batch (the hub's output, in time order per device). */
  add(batch: readonly Sample[]): void {
    for (const s of batch) {
      let ring = this.byDevice.get(s.deviceId)?.get(s.metric);
      if (!ring) {
        if (this.rings.size >= MAX_SERIES) this.evictStalest();
        ring = new Ring(s.deviceId, s.metric);
        this.rings.set(`${s.deviceId}\u0000${s.metric}`, ring);
        let metrics = this.byDevice.get(s.deviceId);
        if (!metrics) this.byDevice.set(s.deviceId, (metrics = new Map()));
        metrics.set(s.metric, ring);
      }
      ring.push(s.tMs, s.value);
      ring.lastPushMs = s.tMs;
    }
  }

  /** Forget a device (removed by the user or gone with its page). */
  forget(deviceId: DeviceId): void {
    for (const [key, ring] of this.rings) if (ring.deviceId === deviceId) this.drop(key, ring);
  }

  /** The points of the last `windowMs` before `nowMs`, per device metric, of the devices `isKnown` accepts (others are dropped). */
  recent(nowMs: number, windowMs = RECENT_WINDOW_MS, isKnown: (deviceId: DeviceId) => boolean = () => true): RecentSeries[] {
    const fromMs = nowMs - Math.min(windowMs, RECENT_WINDOW_MS);
    const out: RecentSeries[] = [];
    for (const [key, ring] of this.rings) {
      if (!isKnown(ring.deviceId)) {
        this.drop(key, ring); // the device left the registry (scenario changed, removed): its history goes too
        continue;
      }
      const tMs: number[] = [];
      const values: number[] = [];
      for (let k = 0; k < ring.count; k++) {
        const i = (ring.start + k) % SERIES_CAPACITY;
        const t = ring.times[i]!;
        if (t < fromMs) continue;
        tMs.push(t);
        values.push(ring.values[i]!);
      }
      if (tMs.length > 0) out.push({ deviceId: ring.deviceId, metric: ring.metric, tMs, values });
    }
    return out;
  }

  /** Number of device metrics held. */
  get seriesCount(): number {
    return this.rings.size;
  }

  private evictStalest(): void {
    let stalestKey: string | null = null;
    let stalest: Ring | null = null;
    for (const [key, ring] of this.rings) {
      if (!stalest || ring.lastPushMs < stalest.lastPushMs) {
        stalest = ring;
        stalestKey = key;
      }
    }
    if (stalestKey !== null && stalest) this.drop(stalestKey, stalest);
  }

  private drop(key: string, ring: Ring): void {
    this.rings.delete(key);
    const metrics = this.byDevice.get(ring.deviceId);
    metrics?.delete(ring.metric);
    if (metrics?.size === 0) this.byDevice.delete(ring.deviceId);
  }
}
