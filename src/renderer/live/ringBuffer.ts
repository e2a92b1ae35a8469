/** A fixed-size ring of (time, value) pairs in typed arrays: no allocation per sample. */
export class RingBuffer {
  readonly times: Float64Array;
  readonly values: Float64Array;
  private start = 0;
  private count = 0;
  /** Incremented on every push; charts redraw when it changed since their last draw. */
  version = 0;

  constructor(readonly capacity: number) {
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  /** Number of stored points. */
  get length(): number {
    return this.count;
  }

  /** Append one point, overwriting the oldest when full. */
  push(tMs: number, value: number): void {
    const i = (this.start + this.count) % this.capacity;
    this.times[i] = tMs;
    this.values[i] = value;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
    this.version++;
  }

  /** Drop every point (the version moves, so charts redraw). */
  clear(): void {
    this.start = 0;
    this.count = 0;
    this.version++;
  }

  /** Time of the i-th oldest point. */
  timeAt(i: number): number {
    return this.times[(this.start + i) % this.capacity]!;
  }

  /** Value of the i-th oldest point. */
  valueAt(i: number): number {
    return this.values[(this.start + i) % this.capacity]!;
  }

  /** Newest value, or null when empty. */
  last(): { tMs: number; value: number } | null {
    if (this.count === 0) return null;
    return { tMs: this.timeAt(this.count - 1), value: this.valueAt(this.count - 1) };
  }

  /** Index of the first point at or after `tMs` (binary search). */
  firstIndexFrom(tMs: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.timeAt(mid) < tMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
