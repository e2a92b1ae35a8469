/**
 * The scenario model for simulated devices: per device, metric curves (steady, intervals, ramp,
 * sine, with optional noise) and timed events (dropout, reconnect, battery drain). Pure and
 * deterministic: the same scenario and seed give the same values, so simulators at every level
 * (samples, BLE bytes, ANT+ pages) and their tests agree on the ground truth.
 */
import { z } from 'zod';
import { DEVICE_KINDS, type DeviceKind } from './device';
import { METRIC_IDS, type MetricId } from './metrics';

const curveBase = { noise: z.number().min(0).optional() };

/** A metric curve over scenario time. */
const curveSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('steady'), value: z.number(), ...curveBase }),
  z.object({
    type: z.literal('intervals'),
    low: z.number(),
    high: z.number(),
    workS: z.number().positive(),
    restS: z.number().positive(),
    ...curveBase,
  }),
  z.object({ type: z.literal('ramp'), from: z.number(), to: z.number(), overS: z.number().positive(), ...curveBase }),
  z.object({
    type: z.literal('sine'),
    mean: z.number(),
    amplitude: z.number(),
    periodS: z.number().positive(),
    ...curveBase,
  }),
]);
/** A metric curve over scenario time. */
export type Curve = z.infer<typeof curveSchema>;

/** Timed events in a device's life. */
const scenarioEventSchema = z.discriminatedUnion('type', [
  /** The device goes silent at `atS`, for `forS` seconds (or until a reconnect event). */
  z.object({ type: z.literal('dropout'), atS: z.number().min(0), forS: z.number().positive().optional() }),
  z.object({ type: z.literal('reconnect'), atS: z.number().min(0) }),
]);
/** One timed event. */
export type ScenarioEvent = z.infer<typeof scenarioEventSchema>;

/** Transport a simulated device is rendered through. */
const SIM_TRANSPORTS = ['sample', 'ble', 'ant'] as const;

/** One simulated device. */
export const scenarioDeviceSchema = z.object({
  /** Short id, unique in the scenario; ANT+ devices use it to derive a device number when none is given. */
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
  name: z.string().min(1).max(60),
  kind: z.enum(DEVICE_KINDS),
  transport: z.enum(SIM_TRANSPORTS).default('sample'),
  /** ANT+ device number (1–65535) for `transport: 'ant'`. */
  antDeviceNumber: z.number().int().min(1).max(65535).optional(),
  /** Metric curves; metrics not listed are not produced. */
  metrics: z.partialRecord(z.enum(METRIC_IDS), curveSchema),
  events: z.array(scenarioEventSchema).default([]),
  /** Battery at start (%) and drain per hour (% points). */
  battery: z.object({ startPct: z.number().min(0).max(100), drainPctPerHour: z.number().min(0) }).optional(),
  /** Reading rate in Hz for sample-level simulation. */
  rateHz: z.number().positive().max(50).default(4),
});
/** One simulated device. */
export type ScenarioDevice = z.infer<typeof scenarioDeviceSchema>;
/** One simulated device before defaults are applied (what scenario files contain). */
export type ScenarioDeviceInput = z.input<typeof scenarioDeviceSchema>;

/** A whole scenario. */
export const scenarioSchema = z.object({
  name: z.string().min(1),
  description: z.string().default(''),
  /** Seed of the noise generator. */
  seed: z.number().int().default(1),
  devices: z.array(scenarioDeviceSchema).max(200),
});
/** A whole scenario. */
export type Scenario = z.infer<typeof scenarioSchema>;
/** A scenario as written in a file (defaults not yet applied). */
export type ScenarioInput = z.input<typeof scenarioSchema>;

/** Metrics each device kind produces by default, with a starting value, for devices added live. */
export const DEFAULT_METRICS: { readonly [K in DeviceKind]: Partial<Record<MetricId, number>> } = {
  hr: { heartRate: 72 },
  power: { power: 180, cadence: 85 },
  csc: { speed: 8, cadence: 85 },
  speed: { speed: 8 },
  cadence: { cadence: 85 },
  rsc: { speed: 3, stepCadence: 170 },
  bike: { power: 150, cadence: 80, speed: 8.5 },
  treadmill: { speed: 2.8 },
};

/** Deterministic hash noise in [-1, 1] for (seed, key, t bucket): no state, so any t can be evaluated. */
function noiseAt(seed: number, key: number, tick: number): number {
  let h = (seed * 374761393 + key * 668265263 + tick * 2246822519) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 2246822507) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 3266489909) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return (h / 0xffffffff) * 2 - 1;
}

/** Value of a curve at scenario time `tS`, before noise. */
export function curveBaseValue(curve: Curve, tS: number): number {
  switch (curve.type) {
    case 'steady':
      return curve.value;
    case 'intervals': {
      const period = curve.workS + curve.restS;
      return tS % period < curve.workS ? curve.high : curve.low;
    }
    case 'ramp':
      return curve.from + (curve.to - curve.from) * Math.min(1, Math.max(0, tS / curve.overS));
    case 'sine':
      return curve.mean + curve.amplitude * Math.sin((2 * Math.PI * tS) / curve.periodS);
  }
}

/** Value of a curve at `tS` including its noise (changes once per second, deterministic). */
export function curveValue(curve: Curve, tS: number, seed: number, key: number): number {
  const base = curveBaseValue(curve, tS);
  if (!curve.noise) return base;
  return base + curve.noise * noiseAt(seed, key, Math.floor(tS));
}

/** Whether the device is in a dropout at `tS`, from its events. */
export function isDroppedOut(events: readonly ScenarioEvent[], tS: number): boolean {
  let dropped = false;
  const sorted = [...events].sort((a, b) => a.atS - b.atS);
  for (const e of sorted) {
    if (e.atS > tS) break;
    if (e.type === 'dropout') dropped = e.forS === undefined || tS < e.atS + e.forS;
    else dropped = false;
  }
  return dropped;
}

/** Battery percentage at `tS` (whole percent, floored at 0). */
export function batteryAt(device: Pick<ScenarioDevice, 'battery'>, tS: number): number | null {
  if (!device.battery) return null;
  return Math.max(0, Math.round(device.battery.startPct - (device.battery.drainPctPerHour * tS) / 3600));
}

/** Parse and validate a scenario (from JSON or an object), with a readable message on failure. */
export function parseScenario(input: unknown): { ok: true; value: Scenario } | { ok: false; message: string } {
  const parsed = scenarioSchema.safeParse(input);
  if (parsed.success) {
    const ids = new Set<string>();
    for (const d of parsed.data.devices) {
      if (ids.has(d.id)) return { ok: false, message: `device id "${d.id}" appears twice` };
      ids.add(d.id);
    }
    return { ok: true, value: parsed.data };
  }
  const first = parsed.error.issues[0];
  return { ok: false, message: first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'invalid scenario' };
}

/**
 * Beat generator for heart-rate simulators: given the HR curve, yields beat times so that each
 * RR interval equals 60000 / HR at the moment the previous beat happened. RR values are
 * whole 1/1024 s ticks, as a strap would measure them, so the ground truth is exact in both
 * BLE (1/1024 s) and ANT+ (1/1024 s) encodings.
 */
export interface BeatState {
  /** Scenario time of the last beat in 1/1024 s ticks. */
  readonly lastBeatTicks: number;
  readonly beatCount: number;
}

/** Next beat after `state` for a heart rate of `bpm`; returns the RR in ticks and the new state. */
export function nextBeat(state: BeatState, bpm: number): { rrTicks: number; state: BeatState } {
  const safeBpm = Math.min(240, Math.max(25, bpm));
  const rrTicks = Math.round((60 * 1024) / safeBpm);
  return { rrTicks, state: { lastBeatTicks: state.lastBeatTicks + rrTicks, beatCount: state.beatCount + 1 } };
}

/** RR interval ticks (1/1024 s) to milliseconds, full precision. */
export function rrTicksToMs(rrTicks: number): number {
  return (rrTicks * 1000) / 1024;
}
