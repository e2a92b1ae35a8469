/**
 * Samples reach the UI in batches, at most one per frame interval, never one message per sample.
 */
import type { Sample } from '../shared/sample';

/** Collects samples and flushes them at most once per `frameMs`. */
export class UiBatcher {
  private buffer: Sample[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastFlushMs = 0;

  constructor(
    private readonly flushFn: (batch: Sample[]) => void,
    private readonly frameMs = 1000 / 60,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** Add a batch from the hub. */
  add(batch: readonly Sample[]): void {
    for (const s of batch) this.buffer.push(s);
    if (this.timer) return;
    const wait = Math.max(0, this.lastFlushMs + this.frameMs - this.clock());
    this.timer = setTimeout(() => this.flush(), wait);
    this.timer.unref?.();
  }

  /** Flush now (also used on shutdown). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.lastFlushMs = this.clock();
    this.flushFn(batch);
  }
}
