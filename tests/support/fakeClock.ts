/**
 * A manual clock for the Terra client core (its `clock` option): time moves only when the test says
 * so, timers fire in due order, and the test can see every pending timer. Between timers the test's
 * `settle` callback runs (to let microtasks, such as the in-memory broker's replies, go through).
 */
import type { ClientClock, TimerHandle } from '../../src/shared/terra';

interface Pending {
  readonly id: number;
  readonly atMs: number;
  readonly fn: () => void;
}

/** A {@link ClientClock} driven by {@link FakeClock.advance}. */
export class FakeClock implements ClientClock {
  private nowValue: number;
  private nextId = 1;
  private readonly pending: Pending[] = [];

  constructor(startMs = 1_700_000_000_000, private readonly settle: () => Promise<void> = async () => undefined) {
    this.nowValue = startMs;
  }

  nowMs(): number {
    return this.nowValue;
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const timer = { id: this.nextId++, atMs: this.nowValue + Math.max(0, delayMs), fn };
    this.pending.push(timer);
    return timer.id;
  }

  clearTimer(handle: TimerHandle): void {
    const at = this.pending.findIndex((t) => t.id === handle);
    if (at >= 0) this.pending.splice(at, 1);
  }

  /** Timers not yet fired, soonest first, as delays from now. */
  pendingDelaysMs(): number[] {
    return this.pending.map((t) => t.atMs - this.nowValue).sort((a, b) => a - b);
  }

  /** Move time forward by `ms`, firing every timer that falls due, in order, settling after each. */
  async advance(ms: number): Promise<void> {
    const endMs = this.nowValue + ms;
    await this.settle();
    for (;;) {
      const due = this.pending.filter((t) => t.atMs <= endMs).sort((a, b) => a.atMs - b.atMs || a.id - b.id)[0];
      if (!due) break;
      this.pending.splice(this.pending.indexOf(due), 1);
      this.nowValue = due.atMs;
      due.fn();
      await this.settle();
    }
    this.nowValue = endMs;
    await this.settle();
  }
}
