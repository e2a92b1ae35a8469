/**
 * The sample hub: every source pushes samples here; the hub stamps each with a sequence number,
 * releases them in reception-time order after a short reorder window, keeps per-device state
 * (last value, last seen, stale after the metric's timeout) and fans out batches to subscribers.
 * It never repeats or zero-fills a value: silence becomes an explicit `stale` event and the next
 * real sample an explicit `recovered` event.
 */
import { METRICS, type MetricId } from '../shared/metrics';
import { nowMs, type Sample, type SampleSink } from '../shared/sample';
import type { DeviceId } from '../shared/device';

/** A metric of a device went stale or recovered. */
export interface HubDeviceEvent {
  readonly type: 'stale' | 'recovered';
  readonly deviceId: DeviceId;
  readonly metric: MetricId;
  readonly tMs: number;
}

/** Hub options. */
export interface HubOptions {
  /** Samples are held this long so sources with different delivery delays interleave in time order. */
  readonly reorderWindowMs?: number;
  /** How often pending samples are released and staleness is checked. */
  readonly tickMs?: number;
  /** Clock (epoch ms). */
  readonly now?: () => number;
}

interface MetricState {
  value: number;
  lastSeenMs: number;
  isStale: boolean;
  readonly staleAfterMs: number | null;
}

/** Counters a user or test can read. */
export interface HubStats {
  accepted: number;
  rejected: number;
  /** Samples that arrived after samples with later reception times had already been released. */
  late: number;
  released: number;
}

/** The sample hub. */
export class SampleHub implements SampleSink {
  private readonly reorderWindowMs: number;
  private readonly tickMs: number;
  private readonly now: () => number;
  private pending: Sample[] = [];
  private seq = 0;
  private lastReleasedTMs = -Infinity;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly subscribers = new Set<(batch: readonly Sample[]) => void>();
  private readonly eventListeners = new Set<(event: HubDeviceEvent) => void>();
  private readonly state = new Map<DeviceId, Map<MetricId, MetricState>>();
  /** Stale timeouts set by test control (`sim.setStaleTimeout`), by metric. */
  private readonly staleOverrides = new Map<MetricId, number>();
  readonly stats: HubStats = { accepted: 0, rejected: 0, late: 0, released: 0 };

  constructor(options: HubOptions = {}) {
    this.reorderWindowMs = options.reorderWindowMs ?? 50;
    this.tickMs = options.tickMs ?? 20;
    this.now = options.now ?? nowMs;
  }

  /** Start the release/staleness timer. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref?.();
  }

  /** Stop the timer and release everything still pending. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.flush(Infinity);
  }

  /**
   * Accept one sample; the hub takes ownership (it stamps `seq` on the object), so a source must not
   * push the same object twice. Non-finite values and times are rejected and counted, never forwarded.
   */
  push(sample: Sample): void {
    if (!Number.isFinite(sample.value) || !Number.isFinite(sample.tMs)) {
      this.stats.rejected++;
      return;
    }
    this.stats.accepted++;
    this.pending.push(sample);
  }

  /** Subscribe to released batches (in reception-time order, each sample with its `seq`). */
  subscribe(fn: (batch: readonly Sample[]) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  /** Subscribe to stale/recovered events. */
  onDeviceEvent(fn: (event: HubDeviceEvent) => void): () => void {
    this.eventListeners.add(fn);
    return () => this.eventListeners.delete(fn);
  }

  /** Last value of a device's metric, or null when unknown or stale. */
  lastValue(deviceId: DeviceId, metric: MetricId): number | null {
    const s = this.state.get(deviceId)?.get(metric);
    return s && !s.isStale ? s.value : null;
  }

  /** Metrics of a device that are currently stale. */
  staleMetrics(deviceId: DeviceId): MetricId[] {
    const out: MetricId[] = [];
    for (const [metric, s] of this.state.get(deviceId) ?? []) if (s.isStale) out.push(metric);
    return out;
  }

  /** Whether every stale-tracked metric of the device is stale (the device as a whole is silent). */
  isDeviceStale(deviceId: DeviceId): boolean {
    let tracked = 0;
    for (const s of this.state.get(deviceId)?.values() ?? []) {
      if (s.staleAfterMs === null) continue;
      tracked++;
      if (!s.isStale) return false;
    }
    return tracked > 0;
  }

  /** Override a stale-tracked metric's timeout for every device (test control); `null` restores the default. */
  setStaleAfterMs(metric: MetricId, staleAfterMs: number | null): void {
    if (staleAfterMs === null) this.staleOverrides.delete(metric);
    else this.staleOverrides.set(metric, staleAfterMs);
  }

  /** Forget a device's state (device removed). */
  forget(deviceId: DeviceId): void {
    this.state.delete(deviceId);
  }

  /** Release due samples and check staleness; called by the timer, callable from tests. */
  tick(at: number = this.now()): void {
    this.flush(at - this.reorderWindowMs);
    this.checkStale(at);
  }

  private flush(upToTMs: number): void {
    if (this.pending.length === 0) return;
    const pending = this.pending;
    pending.sort(byTime);
    let n = 0;
    while (n < pending.length && pending[n]!.tMs <= upToTMs) n++;
    if (n === 0) return;
    const batch = pending.slice(0, n).map((s) => this.admit(s));
    this.pending = pending.slice(n);
    this.stats.released += batch.length;
    for (const fn of this.subscribers) fn(batch);
  }

  private admit(sample: Sample): Sample {
    if (sample.tMs < this.lastReleasedTMs) this.stats.late++;
    else this.lastReleasedTMs = sample.tMs;
    // The hub owns pushed samples: stamping in place avoids one allocation per sample.
    (sample as { seq?: number }).seq = ++this.seq;
    const stamped = sample;
    let metrics = this.state.get(sample.deviceId);
    if (!metrics) {
      metrics = new Map();
      this.state.set(sample.deviceId, metrics);
    }
    const s = metrics.get(sample.metric);
    if (!s) {
      metrics.set(sample.metric, {
        value: sample.value,
        lastSeenMs: sample.tMs,
        isStale: false,
        staleAfterMs: METRICS[sample.metric].staleAfterMs,
      });
    } else {
      if (s.isStale) {
        s.isStale = false;
        this.emit({ type: 'recovered', deviceId: sample.deviceId, metric: sample.metric, tMs: sample.tMs });
      }
      s.value = sample.value;
      if (sample.tMs > s.lastSeenMs) s.lastSeenMs = sample.tMs;
    }
    return stamped;
  }

  private checkStale(at: number): void {
    for (const [deviceId, metrics] of this.state) {
      for (const [metric, s] of metrics) {
        if (s.isStale || s.staleAfterMs === null) continue;
        if (at - s.lastSeenMs > (this.staleOverrides.get(metric) ?? s.staleAfterMs)) {
          s.isStale = true;
          this.emit({ type: 'stale', deviceId, metric, tMs: at });
        }
      }
    }
  }

  private emit(event: HubDeviceEvent): void {
    for (const fn of this.eventListeners) fn(event);
  }
}

function byTime(a: Sample, b: Sample): number {
  return a.tMs - b.tMs;
}
