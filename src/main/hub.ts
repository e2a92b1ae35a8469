/**
 * The sample hub: every source pushes samples here. The hub stamps each with a sequence number in
 * arrival order, keeps per-device state (last value, last seen, stale after the metric's timeout)
 * and hands samples to two kinds of subscribers (docs/hub-order.md):
 *
 * - **live** ({@link SampleHub.subscribeLive}): everything that arrived during one turn of the event
 *   loop, as one batch, at the end of that turn. Readings of one device keep their arrival order
 *   (a device's readings already arrive in order); readings of different devices are not reordered.
 *   The UI, the device registry, the roster and the broker uplinks take this stream, so forwarding
 *   never waits for other devices.
 * - **time-ordered** ({@link SampleHub.subscribe}): one stream in reception-time order across every
 *   device, held for a reorder window (default 50 ms) so sources with different delivery delays
 *   interleave. Release is event-driven: a timer is set for the moment the oldest held sample is
 *   due, never a polling tick. Only consumers that need one ordered stream pay the window (the
 *   recorder). {@link SampleHub.drain} releases the window at once (Stop of a recording).
 *
 * It never repeats or zero-fills a value: silence becomes an explicit `stale` event and the next
 * real sample an explicit `recovered` event. Staleness of metrics is decided here and only here.
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
  /** Time-ordered subscribers get samples this long after reception so sources with different delays interleave. */
  readonly reorderWindowMs?: number;
  /** How often staleness is checked (ms); samples are released on events, not on this timer. */
  readonly tickMs?: number;
  /** Clock (epoch ms). */
  readonly now?: () => number;
  /** Run `fn` at the end of the current event-loop turn (default `setImmediate`; tests may inject). */
  readonly defer?: (fn: () => void) => void;
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
  /** Samples that reached the time-ordered stream after samples with later reception times had been released. */
  late: number;
  /** Samples released to the live stream. */
  released: number;
  /** Samples released to the time-ordered stream. */
  releasedOrdered: number;
}

type BatchFn = (batch: readonly Sample[]) => void;

/** The sample hub. */
export class SampleHub implements SampleSink {
  private readonly reorderWindowMs: number;
  private readonly tickMs: number;
  private readonly now: () => number;
  private readonly defer: (fn: () => void) => void;
  /** Arrived this turn, not yet given to live subscribers. */
  private live: Sample[] = [];
  private isLiveQueued = false;
  /** Held for the time-ordered stream, kept sorted by `tMs` (insertion from the tail: arrivals are nearly ordered). */
  private ordered: Sample[] = [];
  private orderedTimer: ReturnType<typeof setTimeout> | null = null;
  private orderedTimerAtMs = Infinity;
  private seq = 0;
  private lastReleasedTMs = -Infinity;
  private staleTimer: ReturnType<typeof setInterval> | null = null;
  private isRunning = false;
  private readonly liveSubscribers = new Set<BatchFn>();
  private readonly orderedSubscribers = new Set<BatchFn>();
  private readonly eventListeners = new Set<(event: HubDeviceEvent) => void>();
  private readonly state = new Map<DeviceId, Map<MetricId, MetricState>>();
  /** Stale timeouts set by test control (`sim.setStaleTimeout`), by metric. */
  private readonly staleOverrides = new Map<MetricId, number>();
  readonly stats: HubStats = { accepted: 0, rejected: 0, late: 0, released: 0, releasedOrdered: 0 };

  constructor(options: HubOptions = {}) {
    this.reorderWindowMs = options.reorderWindowMs ?? 50;
    this.tickMs = options.tickMs ?? 250;
    this.now = options.now ?? nowMs;
    this.defer = options.defer ?? setImmediate;
  }

  /** Start releasing on events and checking staleness; before `start` samples wait for {@link SampleHub.tick}. */
  start(): void {
    if (this.isRunning) return;
    this.isRunning = true;
    this.staleTimer = setInterval(() => this.checkStale(this.now()), this.tickMs);
    this.staleTimer.unref?.();
    if (this.live.length > 0) this.queueLive();
    this.armOrdered();
  }

  /** Stop the timers and release everything still held to every subscriber. */
  stop(): void {
    this.isRunning = false;
    if (this.staleTimer) clearInterval(this.staleTimer);
    this.staleTimer = null;
    this.disarmOrdered();
    this.releaseLive();
    this.releaseOrdered(Infinity);
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
    // The hub owns pushed samples: stamping in place avoids one allocation per sample.
    (sample as { seq?: number }).seq = ++this.seq;
    this.live.push(sample);
    if (this.orderedSubscribers.size > 0) this.hold(sample);
    if (this.isRunning) {
      this.queueLive();
      this.armOrdered();
    }
  }

  /** Subscribe to the live stream: one batch per event-loop turn, per-device arrival order, no reorder window. */
  subscribeLive(fn: BatchFn): () => void {
    this.liveSubscribers.add(fn);
    return () => this.liveSubscribers.delete(fn);
  }

  /** Subscribe to the time-ordered stream (reception-time order across devices, after the reorder window). */
  subscribe(fn: BatchFn): () => void {
    this.orderedSubscribers.add(fn);
    return () => this.orderedSubscribers.delete(fn);
  }

  /** Subscribe to stale/recovered events. */
  onDeviceEvent(fn: (event: HubDeviceEvent) => void): () => void {
    this.eventListeners.add(fn);
    return () => this.eventListeners.delete(fn);
  }

  /** Release everything received so far to both streams now (a recording stops: its last readings must be in it). */
  drain(): void {
    this.releaseLive();
    this.releaseOrdered(Infinity);
    this.disarmOrdered();
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

  /** Release what is due at `at` to both streams and check staleness; tests with a fake clock drive the hub with it. */
  tick(at: number = this.now()): void {
    this.releaseLive();
    this.releaseOrdered(at - this.reorderWindowMs);
    this.checkStale(at);
    if (this.isRunning) this.armOrdered();
  }

  private queueLive(): void {
    if (this.isLiveQueued) return;
    this.isLiveQueued = true;
    this.defer(() => {
      this.isLiveQueued = false;
      this.releaseLive();
    });
  }

  private releaseLive(): void {
    if (this.live.length === 0) return;
    const batch = this.live;
    this.live = [];
    for (const s of batch) this.admit(s);
    this.stats.released += batch.length;
    for (const fn of this.liveSubscribers) fn(batch);
  }

  private hold(sample: Sample): void {
    const held = this.ordered;
    let i = held.length;
    while (i > 0 && held[i - 1]!.tMs > sample.tMs) i--;
    if (i === held.length) held.push(sample);
    else held.splice(i, 0, sample);
  }

  /** Set the ordered-release timer for the moment the oldest held sample is due. */
  private armOrdered(): void {
    const oldest = this.ordered[0];
    if (!oldest) return;
    const dueAtMs = oldest.tMs + this.reorderWindowMs;
    if (this.orderedTimer && this.orderedTimerAtMs <= dueAtMs) return;
    this.disarmOrdered();
    this.orderedTimerAtMs = dueAtMs;
    this.orderedTimer = setTimeout(() => {
      this.orderedTimer = null;
      this.orderedTimerAtMs = Infinity;
      this.releaseLive(); // a time-ordered batch never runs ahead of the live state it implies
      this.releaseOrdered(this.now() - this.reorderWindowMs);
      this.armOrdered();
    }, Math.max(0, dueAtMs - this.now()));
    this.orderedTimer.unref?.();
  }

  private disarmOrdered(): void {
    if (this.orderedTimer) clearTimeout(this.orderedTimer);
    this.orderedTimer = null;
    this.orderedTimerAtMs = Infinity;
  }

  private releaseOrdered(upToTMs: number): void {
    const held = this.ordered;
    if (held.length === 0) return;
    let n = 0;
    while (n < held.length && held[n]!.tMs <= upToTMs) n++;
    if (n === 0) return;
    const batch = n === held.length ? held : held.slice(0, n);
    this.ordered = n === held.length ? [] : held.slice(n);
    for (const s of batch) {
      if (s.tMs < this.lastReleasedTMs) this.stats.late++;
      else this.lastReleasedTMs = s.tMs;
    }
    this.stats.releasedOrdered += batch.length;
    for (const fn of this.orderedSubscribers) fn(batch);
  }

  private admit(sample: Sample): void {
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
      return;
    }
    if (s.isStale) {
      // only a reading taken after the metric went stale brings it back
      if (sample.tMs <= s.lastSeenMs) return;
      s.isStale = false;
      this.emit({ type: 'recovered', deviceId: sample.deviceId, metric: sample.metric, tMs: sample.tMs });
    }
    s.value = sample.value;
    if (sample.tMs > s.lastSeenMs) s.lastSeenMs = sample.tMs;
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
