/**
 * Live data outside React: one ring buffer per device metric, fed by the host's sample batches.
 * Components read it from the frame loop (charts, big numbers); nothing here triggers a render.
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
  /** Total samples received (diagnostics, tests). */
  received = 0;

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
    for (const s of batch) this.ring(s.deviceId, s.metric).push(s.tMs, s.value);
    this.received += batch.length;
  }

  /**
   * Merge the host's recent history (`samples.recent`) into the rings: a page that opens or reloads,
   * or comes back after losing the host, has its charts from where they were. Points already here
   * win; history fills in before and between them. Runs once per (re)connect, not per sample.
   */
  loadHistory(series: readonly { deviceId: DeviceId; metric: MetricId; tMs: readonly number[]; values: readonly number[] }[]): void {
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
    }
  }

  /** Latest value of a device metric, or null. */
  latest(deviceId: DeviceId, metric: MetricId): { tMs: number; value: number } | null {
    return this.rings.get(`${deviceId}\u0000${metric}`)?.last() ?? null;
  }

  /** Forget a device. */
  forget(deviceId: DeviceId): void {
    for (const key of [...this.rings.keys()]) if (key.startsWith(`${deviceId}\u0000`)) this.rings.delete(key);
  }
}
