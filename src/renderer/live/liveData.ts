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

  /** Latest value of a device metric, or null. */
  latest(deviceId: DeviceId, metric: MetricId): { tMs: number; value: number } | null {
    return this.rings.get(`${deviceId}\u0000${metric}`)?.last() ?? null;
  }

  /** Forget a device. */
  forget(deviceId: DeviceId): void {
    for (const key of [...this.rings.keys()]) if (key.startsWith(`${deviceId}\u0000`)) this.rings.delete(key);
  }
}
