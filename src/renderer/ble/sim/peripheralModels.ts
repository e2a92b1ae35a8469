/**
 * Byte-exact models of BLE fitness sensors for the simulated Bluetooth: each turns the scenario's
 * metric values over time into the characteristic values a real sensor would send, encoded with the
 * shared GATT encoders (so the real decoders run on them). Heart-rate straps generate beats from the
 * HR curve (RR = 60000 / HR at each beat, whole 1/1024 s ticks) and send every RR interval exactly once,
 * several per notification when several beats fell in one period; power meters and CSC sensors keep
 * cumulative revolution counters with event times; the rest send instantaneous values.
 */
import type { BleKind } from '../../../shared/ble/profiles';
import type { MetricId } from '../../../shared/metrics';
import { nextBeat, type BeatState } from '../../../shared/scenario';
import { encodeCyclingPowerFeature } from '../../../shared/gatt/cyclingPowerFeature';
import { encodeCyclingPowerMeasurement } from '../../../shared/gatt/cyclingPowerMeasurement';
import { encodeCscFeature } from '../../../shared/gatt/cscFeature';
import { encodeCscMeasurement } from '../../../shared/gatt/cscMeasurement';
import { encodeBodySensorLocation } from '../../../shared/gatt/bodySensorLocation';
import { encodeFitnessMachineFeature } from '../../../shared/gatt/fitnessMachineFeature';
import { encodeHeartRateMeasurement, type ContactStatus } from '../../../shared/gatt/heartRateMeasurement';
import { encodeIndoorBikeData } from '../../../shared/gatt/indoorBikeData';
import { encodeRscFeature } from '../../../shared/gatt/rscFeature';
import { encodeRscMeasurement } from '../../../shared/gatt/rscMeasurement';
import { encodeTreadmillData } from '../../../shared/gatt/treadmillData';
import type { GattCharacteristicName } from '../../../shared/gatt/registry';
import { DEFAULT_WHEEL_CIRCUMFERENCE_M } from '../../../shared/gatt/derive';

/** Metric values at a moment of scenario time. */
export type ValuesAt = (tS: number) => Partial<Record<MetricId, number>>;

/** The most RR values one 20-byte notification holds (flags + uint8 HR + 9 × uint16). */
export const MAX_RR_PER_PACKET = 9;

/** A sensor model: read-once values and the measurement stream. */
export interface PeripheralModel {
  readonly kind: BleKind;
  /** Notification period of the measurement. */
  readonly periodMs: number;
  /** Values of the read-once characteristics. */
  readonly reads: Partial<Record<GattCharacteristicName, Uint8Array>>;
  /** Advance the sensor to scenario time `tS` (called often, monotonic). */
  advance(tS: number): void;
  /** The measurement value to notify at `tS` (after `advance`), or null when there is nothing to send. */
  measurement(tS: number): Uint8Array | null;
  /** Subscription started or stopped (a strap forgets beats nobody receives). */
  setSubscribed(isSubscribed: boolean): void;
}

/** Cumulative revolutions of a wheel or crank turning at a rate, with the time of the last whole revolution. */
class RevCounter {
  private total = 0;
  revs = 0;
  lastEventS = 0;
  private lastS: number | null = null;

  advance(tS: number, revsPerSecond: number): void {
    if (this.lastS === null || tS <= this.lastS) {
      this.lastS ??= tS;
      return;
    }
    const rate = Math.max(0, revsPerSecond);
    this.total += rate * (tS - this.lastS);
    this.lastS = tS;
    const whole = Math.floor(this.total);
    if (whole > this.revs && rate > 0) {
      this.lastEventS = tS - (this.total - whole) / rate;
      this.revs = whole;
    }
  }
}

/** Heart-rate strap: beats follow the HR curve; every RR goes out exactly once. */
export class HeartRateStrapModel implements PeripheralModel {
  readonly kind = 'hr' as const;
  readonly periodMs = 1000;
  readonly reads = { body_sensor_location: encodeBodySensorLocation('chest') };
  /** Ground truth: every RR interval (1/1024 s) put in a notification, in order. */
  readonly sentRrTicks: number[] = [];
  /** How many notifications carried more than one RR value. */
  multiRrPackets = 0;
  private beats: BeatState = { lastBeatTicks: 0, beatCount: 0 };
  private pending: number[] = [];
  private isSubscribed = false;
  contact: ContactStatus = 'detected';

  constructor(private readonly values: ValuesAt) {}

  advance(tS: number): void {
    const nowTicks = Math.floor(tS * 1024);
    for (;;) {
      const bpm = this.values(this.beats.lastBeatTicks / 1024).heartRate ?? 0;
      if (bpm <= 0) {
        this.beats = { ...this.beats, lastBeatTicks: nowTicks };
        return;
      }
      const next = nextBeat(this.beats, bpm);
      if (next.state.lastBeatTicks > nowTicks) return;
      this.beats = next.state;
      if (this.isSubscribed) this.pending.push(next.rrTicks);
    }
  }

  measurement(tS: number): Uint8Array {
    const bpm = Math.round(this.values(tS).heartRate ?? 0);
    const rr = this.pending.splice(0, MAX_RR_PER_PACKET);
    this.sentRrTicks.push(...rr);
    if (rr.length > 1) this.multiRrPackets++;
    return encodeHeartRateMeasurement({ heartRateBpm: bpm, contact: this.contact, rrRaw: rr });
  }

  setSubscribed(isSubscribed: boolean): void {
    this.isSubscribed = isSubscribed;
    if (!isSubscribed) this.pending = [];
  }
}

/** Power meter: instantaneous power and crank revolutions with event times (1/1024 s). */
export class PowerMeterModel implements PeripheralModel {
  readonly kind = 'power' as const;
  readonly periodMs = 500;
  readonly reads = {
    cycling_power_feature: encodeCyclingPowerFeature({
      features: ['crankRevolutionData'],
      sensorMeasurementContext: 'force',
      distributedSystem: 'unspecified',
    }),
  };
  private readonly crank = new RevCounter();

  constructor(private readonly values: ValuesAt) {}

  advance(tS: number): void {
    this.crank.advance(tS, (this.values(tS).cadence ?? 0) / 60);
  }

  measurement(tS: number): Uint8Array {
    return encodeCyclingPowerMeasurement({
      powerW: Math.round(this.values(tS).power ?? 0),
      isBalanceReferenceLeft: false,
      isTorqueSourceCrank: false,
      isOffsetCompensationIndicated: false,
      cumulativeCrankRevs: this.crank.revs & 0xffff,
      lastCrankEventTicks: Math.round(this.crank.lastEventS * 1024) & 0xffff,
    });
  }

  setSubscribed(): void {}
}

/** Speed and cadence sensor: wheel (uint32, 1/1024 s) and crank counters. */
export class CscSensorModel implements PeripheralModel {
  readonly kind = 'csc' as const;
  readonly periodMs = 1000;
  readonly reads = { csc_feature: encodeCscFeature({ features: ['wheelRevolutionData', 'crankRevolutionData'] }) };
  private readonly wheel = new RevCounter();
  private readonly crank = new RevCounter();

  constructor(
    private readonly values: ValuesAt,
    private readonly circumferenceM = DEFAULT_WHEEL_CIRCUMFERENCE_M,
  ) {}

  advance(tS: number): void {
    const v = this.values(tS);
    this.wheel.advance(tS, (v.speed ?? 0) / this.circumferenceM);
    this.crank.advance(tS, (v.cadence ?? 0) / 60);
  }

  measurement(): Uint8Array {
    return encodeCscMeasurement({
      cumulativeWheelRevs: this.wheel.revs >>> 0,
      lastWheelEventTicks: Math.round(this.wheel.lastEventS * 1024) & 0xffff,
      cumulativeCrankRevs: this.crank.revs & 0xffff,
      lastCrankEventTicks: Math.round(this.crank.lastEventS * 1024) & 0xffff,
    });
  }

  setSubscribed(): void {}
}

/** Foot pod: speed, step cadence, stride length and total distance. */
export class FootPodModel implements PeripheralModel {
  readonly kind = 'rsc' as const;
  readonly periodMs = 1000;
  readonly reads = { rsc_feature: encodeRscFeature({ features: ['strideLength', 'totalDistance', 'walkingOrRunningStatus'] }) };
  private distanceM = 0;
  private lastS: number | null = null;

  constructor(private readonly values: ValuesAt) {}

  advance(tS: number): void {
    if (this.lastS !== null && tS > this.lastS) this.distanceM += (this.values(tS).speed ?? 0) * (tS - this.lastS);
    this.lastS = tS;
  }

  measurement(tS: number): Uint8Array {
    const v = this.values(tS);
    const speedMps = v.speed ?? 0;
    const spm = v.stepCadence ?? 0;
    return encodeRscMeasurement({
      speedMps,
      stepCadenceSpm: Math.round(spm),
      isRunning: speedMps > 2.2,
      strideLengthM: spm > 0 ? (speedMps * 60) / spm : 0,
      totalDistanceM: Math.floor(this.distanceM * 10) / 10,
    });
  }

  setSubscribed(): void {}
}

/** FTMS machine (indoor bike or treadmill): instantaneous values and total distance. */
export class FitnessMachineModel implements PeripheralModel {
  readonly periodMs = 1000;
  readonly reads: Partial<Record<GattCharacteristicName, Uint8Array>>;
  private distanceM = 0;
  private lastS: number | null = null;

  constructor(
    readonly kind: 'bike' | 'treadmill',
    private readonly values: ValuesAt,
  ) {
    this.reads = {
      fitness_machine_feature: encodeFitnessMachineFeature(
        kind === 'bike'
          ? { features: ['cadence', 'totalDistance', 'powerMeasurement'], targets: [] }
          : { features: ['totalDistance'], targets: [] },
      ),
    };
  }

  advance(tS: number): void {
    if (this.lastS !== null && tS > this.lastS) this.distanceM += (this.values(tS).speed ?? 0) * (tS - this.lastS);
    this.lastS = tS;
  }

  measurement(tS: number): Uint8Array {
    const v = this.values(tS);
    const speedKmh = Math.round((v.speed ?? 0) * 3.6 * 100) / 100;
    const totalDistanceM = Math.floor(this.distanceM);
    if (this.kind === 'treadmill') return encodeTreadmillData({ isMoreData: false, speedKmh, totalDistanceM, paceBytes: null });
    return encodeIndoorBikeData({
      isMoreData: false,
      speedKmh,
      cadenceRpm: Math.round((v.cadence ?? 0) * 2) / 2,
      totalDistanceM,
      powerW: Math.round(v.power ?? 0),
    });
  }

  setSubscribed(): void {}
}

/** The model of a kind. */
export function createPeripheralModel(kind: BleKind, values: ValuesAt): PeripheralModel {
  switch (kind) {
    case 'hr':
      return new HeartRateStrapModel(values);
    case 'power':
      return new PowerMeterModel(values);
    case 'csc':
      return new CscSensorModel(values);
    case 'rsc':
      return new FootPodModel(values);
    case 'bike':
    case 'treadmill':
      return new FitnessMachineModel(kind, values);
  }
}
