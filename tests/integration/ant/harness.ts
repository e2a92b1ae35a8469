/** Test harness: a simulated clock, a sample collector, and a loop that steps simulated sticks in small slices. */
import type { Sample, SampleSink } from '../../../src/shared/sample';
import type { SimAntDevice, SimValues } from '../../../src/main/ant/sim/simDevices';
import type { DeviceKind } from '../../../src/shared/device';

/** A manual clock (ms). */
export interface TestClock {
  t: number;
  now(): number;
}

/** A clock starting at `startMs`. */
export function testClock(startMs = 1_000): TestClock {
  const c = { t: startMs, now: () => c.t };
  return c;
}

/** A sink that keeps every sample. */
export function collector(): SampleSink & { samples: Sample[]; of(deviceId: string, metric: string): Sample[] } {
  const samples: Sample[] = [];
  return { samples, push: (s) => void samples.push(s), of: (id, m) => samples.filter((s) => s.deviceId === id && s.metric === m) };
}

/** Let async library chains settle. */
export async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

/** Advance `clock` by `ms` in `stepMs` slices, calling `advanceTo` on each slice and letting I/O settle. */
export async function runFor(clock: TestClock, ms: number, advanceTo: (tMs: number) => void, stepMs = 50): Promise<void> {
  const end = clock.t + ms;
  while (clock.t < end) {
    clock.t = Math.min(end, clock.t + stepMs);
    advanceTo(clock.t);
    await settle(2);
  }
}

/** A simulated device with steady values, in range except during `gaps` ([fromMs, toMs) pairs). */
export function steadyDevice(kind: DeviceKind, deviceNumber: number, values: SimValues, gaps: [number, number][] = [], extra: Partial<SimAntDevice> = {}): SimAntDevice {
  return { kind, deviceNumber, valueAt: () => values, isInRange: (t) => !gaps.some(([a, b]) => t >= a && t < b), ...extra };
}
