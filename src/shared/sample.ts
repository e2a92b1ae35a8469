/**
 * A `Sample` is one reading. Reception time is taken in the process that received the bytes
 * (epoch ms with a sub-millisecond fraction); device timing is kept exactly as the sensor sent it.
 */
import type { DeviceId } from './device.js';
import type { MetricId } from './metrics.js';

/** The device's own timing for a reading, as raw as the sensor provides it. */
export interface DeviceTiming {
  /** Event time in sensor ticks (e.g. ANT+ beat time, CSC/CP last event time), before rollover handling. */
  readonly eventTicks?: number;
  /** Ticks per second of `eventTicks` (1024 for HR and crank times, 2048 for CP wheel time). */
  readonly ticksPerSecond?: number;
  /** Event counter as sent (ANT+ beat count, cumulative revolutions). */
  readonly eventCount?: number;
  /** Bit set of {@link SAMPLE_FLAGS}. */
  readonly flags?: number;
}

/** Flags carried in `DeviceTiming.flags`. */
export const SAMPLE_FLAGS = {
  /** One or more beats (or events) were missed before this one; the interval spans them and is not a single RR. */
  missedBefore: 1,
  /** The value was derived (rate from counters) rather than read directly. */
  derived: 2,
} as const;

/** One reading of one metric from one device. */
export interface Sample {
  /** Reception time: epoch milliseconds with sub-millisecond fraction. */
  readonly tMs: number;
  readonly deviceId: DeviceId;
  readonly metric: MetricId;
  readonly value: number;
  readonly timing?: DeviceTiming;
  /** Hub sequence number, assigned when the hub accepts the sample. */
  readonly seq?: number;
}

/** Current time as epoch milliseconds with sub-millisecond resolution. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Anything samples can be pushed into (the hub, a batcher, a test collector). */
export interface SampleSink {
  push(sample: Sample): void;
}
