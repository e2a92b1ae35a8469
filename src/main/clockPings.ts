/**
 * When the host pings each UI's clock (the measurement itself is {@link ClockSync}): once as soon
 * as a UI connects, then every UI every {@link CLOCK_PING_EVERY_MS}.
 */
import type { ClockSync } from './clockSync';
import type { UiEvents } from './events';
import { REAL_INTERVAL_TIMERS, type IntervalTimers } from './intervalTimers';

/** How often each UI's clock offset is measured. */
const CLOCK_PING_EVERY_MS = 30_000;

/** Sends `clockPing` events: to a UI that just connected, and periodically to all. */
export class ClockPinger {
  private timer: unknown = null;

  constructor(
    private readonly events: UiEvents,
    private readonly clock: ClockSync,
    private readonly everyMs = CLOCK_PING_EVERY_MS,
    private readonly timers: IntervalTimers = REAL_INTERVAL_TIMERS,
  ) {}

  /** Ping one UI (a ping to a UI that has gone is not started). */
  pingOne(id: string): void {
    if (!this.events.ids().includes(id)) return;
    this.events.sendTo(id, 'clockPing', this.clock.ping(id));
  }

  /** Ping every connected UI. */
  pingAll(): void {
    for (const id of this.events.ids()) this.events.sendTo(id, 'clockPing', this.clock.ping(id));
  }

  /** Start the periodic pings. */
  start(): void {
    if (this.timer !== null) return;
    this.timer = this.timers.setInterval(() => this.pingAll(), this.everyMs);
  }

  /** Stop the periodic pings. */
  stop(): void {
    if (this.timer === null) return;
    this.timers.clearInterval(this.timer);
    this.timer = null;
  }
}
