/**
 * Keeps every UI's device list current without a message per sample: a change in the registry
 * (added, removed, status, battery) is pushed once per microtask however many happened at once,
 * and "last seen", which moves with every sample, is re-sent at most once per {@link LAST_SEEN_EVERY_MS}.
 */
import { REAL_INTERVAL_TIMERS, type IntervalTimers } from './intervalTimers';
import type { DeviceRegistry } from './devices';
import type { UiEvents } from './events';

/** How often a moved "last seen" re-sends the device list. */
const LAST_SEEN_EVERY_MS = 1000;

/** Pushes the `devices` event when the registry changed. */
export class DeviceListPush {
  private isQueued = false;
  private sentLastSeenVersion = 0;
  private timer: unknown = null;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly devices: DeviceRegistry,
    private readonly events: UiEvents,
    private readonly timers: IntervalTimers = REAL_INTERVAL_TIMERS,
  ) {
    this.unsubscribe = devices.onChange(() => this.push());
  }

  /** Send the list once, after the current burst of changes. */
  push(): void {
    if (this.isQueued) return;
    this.isQueued = true;
    queueMicrotask(() => {
      this.isQueued = false;
      this.events.emit('devices', { devices: this.devices.list() });
    });
  }

  /** Start re-sending the list when "last seen" moved. */
  start(): void {
    if (this.timer !== null) return;
    this.timer = this.timers.setInterval(() => {
      if (this.devices.lastSeenVersion === this.sentLastSeenVersion) return;
      this.sentLastSeenVersion = this.devices.lastSeenVersion;
      this.push();
    }, LAST_SEEN_EVERY_MS);
  }

  /** Stop the periodic re-send (registry changes are still pushed until {@link dispose}). */
  stop(): void {
    if (this.timer === null) return;
    this.timers.clearInterval(this.timer);
    this.timer = null;
  }

  /** Stop listening to the registry. */
  dispose(): void {
    this.stop();
    this.unsubscribe();
  }
}
