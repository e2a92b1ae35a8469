/**
 * Decoded GATT values → `Sample`s of the metric catalogue (src/shared/metrics.ts), with units at the app
 * boundary (docs/gatt.md §11.6): bpm, W, rpm, m/s (FTMS km/h converted), m, kJ / kcal as delivered.
 * Raw cumulative counters and event times ride along in `timing`; 0 bpm is a gap (no sample).
 * Per-device state (counters) goes in and out explicitly.
 */
import type { AppError, Result } from '../errors';
import type { DeviceId } from '../device';
import type { MetricId } from '../metrics';
import { SAMPLE_FLAGS, type DeviceTiming, type Sample } from '../sample';
import { CP_CRANK_TICKS_PER_SECOND } from './cyclingPowerMeasurement';
import { CSC_TICKS_PER_SECOND } from './cscMeasurement';
import {
  CP_WHEEL,
  CSC_WHEEL,
  DEFAULT_DERIVE_CONFIG,
  INITIAL_DERIVE_STATE,
  deriveCrank,
  deriveWheel,
  resetForReconnect,
  type CounterSpec,
  type DeriveConfig,
  type DeriveState,
} from './derive';
import { RR_TICKS_PER_SECOND } from './heartRateMeasurement';
import type { IndoorBikeData } from './indoorBikeData';
import { decodeCharacteristic, type DecodedCharacteristic, type GattCharacteristicName, type GattValues } from './registry';
import type { TreadmillData } from './treadmillData';

/** Per-device state of the sample mapping. */
export interface GattSampleState {
  readonly derive: DeriveState;
  readonly config: DeriveConfig;
}

/** Fresh state for a device (optionally with its own wheel circumference). */
export function initialGattSampleState(config: Partial<DeriveConfig> = {}): GattSampleState {
  return { derive: INITIAL_DERIVE_STATE, config: { ...DEFAULT_DERIVE_CONFIG, ...config } };
}

/** Output of {@link toSamples}. */
export interface GattSamples {
  readonly samples: Sample[];
  readonly state: GattSampleState;
}

const KMH_PER_MPS = 3.6;
const DERIVED = SAMPLE_FLAGS.derived;

function push(out: Sample[], tMs: number, deviceId: DeviceId, metric: MetricId, value: number | undefined, timing?: DeviceTiming): void {
  if (value === undefined || !Number.isFinite(value)) return;
  out.push(timing === undefined ? { tMs, deviceId, metric, value } : { tMs, deviceId, metric, value, timing });
}

function wheelSamples(
  out: Sample[],
  state: GattSampleState,
  revs: number | undefined,
  ticks: number | undefined,
  spec: CounterSpec,
  tMs: number,
  deviceId: DeviceId,
): DeriveState {
  if (revs === undefined || ticks === undefined) return state.derive;
  const d = deriveWheel(state.derive.wheel, revs, ticks, tMs, spec, state.config, state.derive.wheelRevsCarried);
  const timing: DeviceTiming = { eventTicks: ticks, ticksPerSecond: spec.ticksPerSecond, eventCount: revs, flags: DERIVED };
  if (d.speedMps !== null) push(out, tMs, deviceId, 'speed', d.speedMps, timing);
  if (d.distanceM !== null) push(out, tMs, deviceId, 'distance', d.distanceM, timing);
  return { ...state.derive, wheel: d.state };
}

function crankSamples(
  out: Sample[],
  state: GattSampleState,
  derive: DeriveState,
  revs: number | undefined,
  ticks: number | undefined,
  ticksPerSecond: number,
  tMs: number,
  deviceId: DeviceId,
): DeriveState {
  if (revs === undefined || ticks === undefined) return derive;
  const d = deriveCrank(derive.crank, revs, ticks, tMs, state.config);
  if (d.cadenceRpm !== null) {
    push(out, tMs, deviceId, 'cadence', d.cadenceRpm, { eventTicks: ticks, ticksPerSecond, eventCount: revs, flags: DERIVED });
  }
  return { ...derive, crank: d.state };
}

/** What a per-characteristic mapper gets: where to push, the device, the time, and the counter state. */
interface MapContext {
  readonly out: Sample[];
  readonly state: GattSampleState;
  readonly tMs: number;
  readonly deviceId: DeviceId;
}

type Mapper<N extends GattCharacteristicName> = (v: GattValues[N], c: MapContext) => DeriveState;

function ftmsCommon(v: IndoorBikeData | TreadmillData, c: MapContext): void {
  push(c.out, c.tMs, c.deviceId, 'speed', v.speedKmh === undefined ? undefined : v.speedKmh / KMH_PER_MPS);
  push(c.out, c.tMs, c.deviceId, 'distance', v.totalDistanceM);
  push(c.out, c.tMs, c.deviceId, 'calories', v.totalEnergyKcal);
  if (v.heartRateBpm !== undefined && v.heartRateBpm > 0) push(c.out, c.tMs, c.deviceId, 'heartRate', v.heartRateBpm);
}

const NO_READINGS = (_v: unknown, c: MapContext): DeriveState => c.state.derive;

/** Decoded value → samples, per characteristic (feature and location characteristics carry no readings). */
const SAMPLE_MAPPERS: { readonly [N in GattCharacteristicName]: Mapper<N> } = {
  heart_rate_measurement: (v, c) => {
    if (v.heartRateBpm > 0) push(c.out, c.tMs, c.deviceId, 'heartRate', v.heartRateBpm);
    v.rrRaw.forEach((raw, i) => {
      push(c.out, c.tMs, c.deviceId, 'rrInterval', v.rrMs[i], { eventTicks: raw, ticksPerSecond: RR_TICKS_PER_SECOND });
    });
    push(c.out, c.tMs, c.deviceId, 'energyExpended', v.energyExpendedKj);
    if (v.contact !== 'unsupported') push(c.out, c.tMs, c.deviceId, 'contact', v.contact === 'detected' ? 1 : 0);
    return c.state.derive;
  },
  cycling_power_measurement: (v, c) => {
    push(c.out, c.tMs, c.deviceId, 'power', v.powerW);
    const derive = wheelSamples(c.out, c.state, v.cumulativeWheelRevs, v.lastWheelEventTicks, CP_WHEEL, c.tMs, c.deviceId);
    push(c.out, c.tMs, c.deviceId, 'energyExpended', v.accumulatedEnergyKj);
    return crankSamples(c.out, c.state, derive, v.cumulativeCrankRevs, v.lastCrankEventTicks, CP_CRANK_TICKS_PER_SECOND, c.tMs, c.deviceId);
  },
  csc_measurement: (v, c) => {
    const derive = wheelSamples(c.out, c.state, v.cumulativeWheelRevs, v.lastWheelEventTicks, CSC_WHEEL, c.tMs, c.deviceId);
    return crankSamples(c.out, c.state, derive, v.cumulativeCrankRevs, v.lastCrankEventTicks, CSC_TICKS_PER_SECOND, c.tMs, c.deviceId);
  },
  rsc_measurement: (v, c) => {
    push(c.out, c.tMs, c.deviceId, 'speed', v.speedMps);
    push(c.out, c.tMs, c.deviceId, 'stepCadence', v.stepCadenceSpm);
    push(c.out, c.tMs, c.deviceId, 'strideLength', v.strideLengthM);
    push(c.out, c.tMs, c.deviceId, 'distance', v.totalDistanceM);
    return c.state.derive;
  },
  indoor_bike_data: (v, c) => {
    ftmsCommon(v, c);
    push(c.out, c.tMs, c.deviceId, 'cadence', v.cadenceRpm);
    push(c.out, c.tMs, c.deviceId, 'resistance', v.resistanceLevel);
    push(c.out, c.tMs, c.deviceId, 'power', v.powerW);
    return c.state.derive;
  },
  treadmill_data: (v, c) => {
    ftmsCommon(v, c);
    push(c.out, c.tMs, c.deviceId, 'power', v.powerOutputW);
    return c.state.derive;
  },
  battery_level: (v, c) => {
    if (v.levelPct !== null) push(c.out, c.tMs, c.deviceId, 'battery', v.levelPct);
    return c.state.derive;
  },
  body_sensor_location: NO_READINGS,
  cycling_power_feature: NO_READINGS,
  csc_feature: NO_READINGS,
  rsc_feature: NO_READINGS,
  fitness_machine_feature: NO_READINGS,
};

/**
 * Map one decoded characteristic value to samples through {@link SAMPLE_MAPPERS}.
 * `tMs` is the reception time of the notification; every sample of one notification shares it.
 */
export function toSamples(decoded: DecodedCharacteristic, state: GattSampleState, tMs: number, deviceId: DeviceId): GattSamples {
  const out: Sample[] = [];
  const mapper = SAMPLE_MAPPERS[decoded.name] as Mapper<GattCharacteristicName>;
  const derive = mapper(decoded.value as never, { out, state, tMs, deviceId });
  return { samples: out, state: derive === state.derive ? state : { ...state, derive } };
}

/** Malformed-packet counter of one device (the manager reports it). */
export interface DecodeErrorCounter {
  /** Notifications rejected (nothing decoded). */
  readonly count: number;
  /** Notifications decoded only in part (announced fields did not fit and were dropped). */
  readonly partialCount: number;
  readonly lastError: AppError | null;
  readonly lastErrorMs: number | null;
}

/** A counter with nothing counted. */
export const EMPTY_DECODE_ERRORS: DecodeErrorCounter = { count: 0, partialCount: 0, lastError: null, lastErrorMs: null };

/** Count a decode result: failures and partial decodes update the counter; clean results return it unchanged. */
export function countDecodeResult(
  counter: DecodeErrorCounter,
  result: Result<DecodedCharacteristic>,
  tMs: number,
): DecodeErrorCounter {
  if (!result.ok) {
    return { ...counter, count: counter.count + 1, lastError: { code: result.code, message: result.message }, lastErrorMs: tMs };
  }
  const missing = (result.value.value as { missingFields?: readonly string[] }).missingFields;
  if (missing === undefined || missing.length === 0) return counter;
  const lastError: AppError = {
    code: 'GATT_SHORT_PAYLOAD',
    message: `${result.value.name}: announced field(s) ${missing.join(', ')} did not fit and were dropped`,
  };
  return { ...counter, partialCount: counter.partialCount + 1, lastError, lastErrorMs: tMs };
}

/** Everything the manager needs per notification: decode, count errors, map to samples. Never throws. */
export function decodeNotification(
  key: string | number,
  dv: DataView,
  state: GattSampleState,
  errors: DecodeErrorCounter,
  tMs: number,
  deviceId: DeviceId,
): GattSamples & { readonly errors: DecodeErrorCounter; readonly decoded: DecodedCharacteristic | null } {
  const r = decodeCharacteristic(key, dv);
  const counted = countDecodeResult(errors, r, tMs);
  if (!r.ok) return { samples: [], state, errors: counted, decoded: null };
  return { ...toSamples(r.value, state, tMs, deviceId), errors: counted, decoded: r.value };
}

/** State after a (re)connect: the first counter sample only sets the baseline; distance so far is kept. */
export function gattStateAfterReconnect(state: GattSampleState): GattSampleState {
  return { ...state, derive: resetForReconnect(state.derive) };
}
