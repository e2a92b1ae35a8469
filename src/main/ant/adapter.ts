/**
 * Thin adapter from ant-plus-next's decoded states (and, where the library is wrong or silent, our own codecs on the
 * raw frames) to the app's `Sample`s (DESIGN.md §3). Device ids are `ant:<type>:<number>`.
 *
 * From the library: HR value and battery, speed/cadence (first value dropped: the library computes it against
 * zeros — gotcha 8), stride speed/cadence/distance (combined from its raw parts), FE power/cadence/speed/
 * distance/HR. From our codecs: RR intervals (hrRr.ts), all bicycle power (pages 0x10/0x11/0x12/0x20 — the
 * library's `powerData` mixes pages and gets 0x20 wrong, B7), common battery page 0x52, RSSI from extended data.
 */
import { decodeBatteryPage, decodeManufacturerPage, decodeProductPage } from '../../shared/ant/commonPages';
import { emptyExtendedData, readExtendedData } from '../../shared/ant/extended';
import { HR_TICKS_PER_SECOND } from '../../shared/ant/hrPage';
import { createRrState, emptyRrResult, nextRr, type RrState } from '../../shared/ant/hrRr';
import { MSG } from '../../shared/ant/messages';
import { rolloverDelta } from '../../shared/ant/pageFields';
import { ctfOffsetFromCalibration, decodePowerPage, deriveCtfPages, deriveTorquePages, type PowerPage } from '../../shared/ant/powerPage';
import { ANT_PROFILES, profileByDeviceType } from '../../shared/ant/profiles';
import { antDeviceId, type DeviceId } from '../../shared/device';
import type { MetricId } from '../../shared/metrics';
import { SAMPLE_FLAGS, type DeviceTiming, type SampleSink } from '../../shared/sample';

/** The library state fields the adapter reads (all optional: the library fills them page by page). */
export interface LibState {
  DeviceId?: number;
  ComputedHeartRate?: number;
  BeatTime?: number;
  BeatCount?: number;
  ManId?: number;
  SerialNumber?: number;
  ModelNum?: number;
  SwVersion?: number;
  BatteryLevel?: number;
  CalculatedCadence?: number;
  CalculatedSpeed?: number;
  CalculatedDistance?: number;
  SpeedInteger?: number;
  SpeedFractional?: number;
  CadenceInteger?: number;
  CadenceFractional?: number;
  DistanceInteger?: number;
  DistanceFractional?: number;
  InstantaneousPower?: number;
  Cadence?: number;
  RealSpeed?: number;
  VirtualSpeed?: number;
  Distance?: number;
  HeartRate?: number;
}

interface DeviceState {
  readonly id: DeviceId;
  rr: RrState;
  isSpeedPrimed: boolean;
  isCadencePrimed: boolean;
  distanceM: number;
  lastSdmDistance: number;
  feFirstDistance: number;
  lastBatteryPct: number;
  lastRssiTMs: number;
  lastPower: PowerPage | null;
  ctfOffsetHz: number;
  readonly details: AntDeviceDetails;
}

/** Manufacturer and product information a device sent (HR pages 2/3, common pages 0x50/0x51). */
export interface AntDeviceDetails {
  manufacturerId: number | null;
  modelNumber: number | null;
  serialNumber: number | null;
  swVersion: number | null;
}

/** Called when a device is heard for the first time (the service registers it). */
export type DeviceSeen = (deviceType: number, deviceNumber: number, id: DeviceId) => void;

/** Options of the adapter. */
export interface AdapterOptions {
  readonly sink: SampleSink;
  readonly onDeviceSeen: DeviceSeen;
  /** Called with every data message's device (last-seen bookkeeping); must not allocate. */
  readonly onDeviceHeard?: (id: DeviceId, tMs: number) => void;
  /** RSSI samples at most this often per device (scan mode). */
  readonly rssiEveryMs?: number;
}

/** The adapter of one stick. */
export class AntSampleAdapter {
  private readonly devices = new Map<number, DeviceState>();
  private readonly ext = emptyExtendedData();
  private readonly rrOut = emptyRrResult();
  /** Channel → (type << 16 | number) for paired channels whose frames carry no channel-ID block. */
  readonly channelDevice: number[] = [];
  /** Counters. */
  readonly stats = { samples: 0, rr: 0, rrMissedBeats: 0, rrFlagged: 0 };

  constructor(private readonly opts: AdapterOptions) {}

  /** Raw frame tap (driver `frameTap`): RR, power pages, battery page 0x52, RSSI. */
  onFrame(frame: Uint8Array, tMs: number): void {
    const id = frame[2];
    if (id !== MSG.broadcastData && id !== MSG.acknowledgedData && id !== MSG.burstData) return;
    let type: number;
    let number: number;
    if (readExtendedData(frame, this.ext)) {
      type = this.ext.deviceType;
      number = this.ext.deviceNumber;
      this.channelDevice[frame[3]!] = (type << 16) | number;
    } else {
      const key = this.channelDevice[frame[3]!];
      if (key === undefined) return;
      type = key >>> 16;
      number = key & 0xffff;
    }
    if (number === 0) return;
    const d = this.device(type, number);
    if (!d) return;
    this.opts.onDeviceHeard?.(d.id, tMs);
    if (this.ext.rssiDbm !== null && tMs - d.lastRssiTMs >= (this.opts.rssiEveryMs ?? 5000)) {
      d.lastRssiTMs = tMs;
      this.push(d.id, 'rssi', this.ext.rssiDbm, tMs);
    }
    if (type === ANT_PROFILES.hr.deviceType) this.onHrFrame(d, frame, tMs);
    else if (type === ANT_PROFILES.power.deviceType) this.onPowerFrame(d, frame, tMs);
    else if (frame[4] === 0x52) this.onBattery(d, frame, tMs);
    if (frame[4] === 0x50 || frame[4] === 0x51) this.onInfoPage(d, frame);
  }

  /** Manufacturer/product details a device has sent so far, or undefined for unknown devices. */
  details(deviceType: number, deviceNumber: number): AntDeviceDetails | undefined {
    return this.devices.get((deviceType << 16) | deviceNumber)?.details;
  }

  /** Library `heartRateData`. */
  onHeartRate(s: LibState, tMs: number): void {
    const d = this.deviceOf('hr', s);
    if (!d) return;
    if (s.ComputedHeartRate) {
      const timing: DeviceTiming | undefined =
        s.BeatTime === undefined ? undefined : { eventTicks: s.BeatTime, ticksPerSecond: HR_TICKS_PER_SECOND, eventCount: s.BeatCount };
      this.push(d.id, 'heartRate', s.ComputedHeartRate, tMs, timing);
    }
    if (s.ManId !== undefined) d.details.manufacturerId = s.ManId;
    if (s.SerialNumber !== undefined) d.details.serialNumber = s.SerialNumber;
    if (s.ModelNum !== undefined) d.details.modelNumber = s.ModelNum;
    if (s.SwVersion !== undefined) d.details.swVersion = s.SwVersion;
    if (s.BatteryLevel !== undefined && s.BatteryLevel !== d.lastBatteryPct) {
      d.lastBatteryPct = s.BatteryLevel;
      this.push(d.id, 'battery', s.BatteryLevel, tMs);
    }
  }

  /** Library `speedData` of a speed & cadence or speed-only sensor. */
  onSpeed(profile: 'speedCadence' | 'speed', s: LibState, tMs: number): void {
    const d = this.deviceOf(profile, s);
    if (!d || s.CalculatedSpeed === undefined) return;
    if (!d.isSpeedPrimed) {
      d.isSpeedPrimed = true;
      return;
    }
    this.push(d.id, 'speed', s.CalculatedSpeed, tMs, DERIVED);
    d.distanceM += s.CalculatedDistance ?? 0;
    this.push(d.id, 'distance', d.distanceM, tMs, DERIVED);
  }

  /** Library `cadenceData` of a speed & cadence or cadence-only sensor. */
  onCadence(profile: 'speedCadence' | 'cadence', s: LibState, tMs: number): void {
    const d = this.deviceOf(profile, s);
    if (!d || s.CalculatedCadence === undefined) return;
    if (!d.isCadencePrimed) {
      d.isCadencePrimed = true;
      return;
    }
    this.push(d.id, 'cadence', s.CalculatedCadence, tMs, DERIVED);
  }

  /** Library `ssdData` (foot pod): speed, step cadence (strides × 2), distance accumulated over the 256 m rollover. */
  onStride(s: LibState, tMs: number): void {
    const d = this.deviceOf('stride', s);
    if (!d) return;
    if (s.SpeedInteger !== undefined) this.push(d.id, 'speed', s.SpeedInteger + (s.SpeedFractional ?? 0) / 256, tMs);
    if (s.CadenceInteger !== undefined) this.push(d.id, 'stepCadence', 2 * (s.CadenceInteger + (s.CadenceFractional ?? 0) / 16), tMs);
    if (s.DistanceInteger !== undefined) {
      const raw = s.DistanceInteger + (s.DistanceFractional ?? 0) / 16;
      if (d.lastSdmDistance >= 0 && raw !== d.lastSdmDistance) {
        d.distanceM += (((raw - d.lastSdmDistance) % 256) + 256) % 256;
        this.push(d.id, 'distance', d.distanceM, tMs);
      }
      d.lastSdmDistance = raw;
    }
  }

  /** Library `fitnessData`: power, cadence, speed, distance since first heard, HR. */
  onFitness(s: LibState, tMs: number): void {
    const d = this.deviceOf('fe', s);
    if (!d) return;
    if (s.InstantaneousPower !== undefined) this.push(d.id, 'power', s.InstantaneousPower, tMs);
    if (s.Cadence !== undefined) this.push(d.id, 'cadence', s.Cadence, tMs);
    const speed = s.RealSpeed ?? s.VirtualSpeed;
    if (speed !== undefined) this.push(d.id, 'speed', speed, tMs);
    if (s.Distance !== undefined) {
      if (d.feFirstDistance < 0) d.feFirstDistance = s.Distance;
      this.push(d.id, 'distance', s.Distance - d.feFirstDistance, tMs);
    }
    if (s.HeartRate) this.push(d.id, 'heartRate', s.HeartRate, tMs);
  }

  private onHrFrame(d: DeviceState, frame: Uint8Array, tMs: number): void {
    const page = frame[4]! & 0x7f;
    const beatTime = frame[8]! | (frame[9]! << 8);
    const beatCount = frame[10]!;
    const prev = page === 4 ? frame[6]! | (frame[7]! << 8) : -1;
    const r = nextRr(d.rr, beatTime, beatCount, prev, tMs, this.rrOut);
    this.stats.rrMissedBeats += r.missedBeats;
    if (r.rrTicks < 0) return;
    this.stats.rr++;
    if (r.isMissedBefore) this.stats.rrFlagged++;
    const timing: DeviceTiming = {
      eventTicks: r.beatTimeTicks,
      ticksPerSecond: HR_TICKS_PER_SECOND,
      eventCount: r.beatCount,
      flags: r.isMissedBefore ? SAMPLE_FLAGS.missedBefore : 0,
    };
    this.push(d.id, 'rrInterval', (r.rrTicks * 1000) / HR_TICKS_PER_SECOND, tMs, timing);
  }

  private onPowerFrame(d: DeviceState, frame: Uint8Array, tMs: number): void {
    const page = decodePowerPage(frame, 4);
    if (!page) {
      if (frame[4] === 0x52) this.onBattery(d, frame, tMs);
      return;
    }
    if (page.page === 0x01) {
      const offset = ctfOffsetFromCalibration(page);
      if (offset !== null) d.ctfOffsetHz = offset;
      return;
    }
    const prev = d.lastPower;
    d.lastPower = page;
    if (page.page === 0x10) {
      if (prev && prev.page === 0x10 && rolloverDelta(page.eventCount!, prev.eventCount!, 8) === 0) return;
      const timing: DeviceTiming = { eventCount: page.eventCount! };
      this.push(d.id, 'power', page.powerW!, tMs, timing);
      if (page.cadenceRpm !== 0xff) this.push(d.id, 'cadence', page.cadenceRpm!, tMs, timing);
      return;
    }
    if (!prev || prev.page !== page.page) return;
    const derived = page.page === 0x20 ? deriveCtfPages(prev, page, d.ctfOffsetHz) : deriveTorquePages(prev, page);
    if (!derived) return;
    const timing: DeviceTiming = { eventCount: page.eventCount!, flags: SAMPLE_FLAGS.derived };
    this.push(d.id, 'power', derived.powerW, tMs, timing);
    if (derived.cadenceRpm !== null) this.push(d.id, 'cadence', derived.cadenceRpm, tMs, timing);
  }

  private onInfoPage(d: DeviceState, frame: Uint8Array): void {
    const page = frame.subarray(4, 12);
    if (frame[4] === 0x50) {
      const m = decodeManufacturerPage(page);
      d.details.manufacturerId = m.manufacturerId;
      d.details.modelNumber = m.modelNumber;
    } else {
      const p = decodeProductPage(page);
      d.details.serialNumber = p.serialNumber;
      d.details.swVersion = p.swVersion;
    }
  }

  private onBattery(d: DeviceState, frame: Uint8Array, tMs: number): void {
    const pct = decodeBatteryPage(frame.subarray(4, 12)).pct;
    if (pct === null || pct === d.lastBatteryPct) return;
    d.lastBatteryPct = pct;
    this.push(d.id, 'battery', pct, tMs);
  }

  private deviceOf(profile: keyof typeof ANT_PROFILES, s: LibState): DeviceState | undefined {
    if (!s.DeviceId) return undefined;
    return this.device(ANT_PROFILES[profile].deviceType, s.DeviceId);
  }

  private device(type: number, number: number): DeviceState | undefined {
    const key = (type << 16) | number;
    let d = this.devices.get(key);
    if (d) return d;
    if (!profileByDeviceType(type)) return undefined;
    const id = antDeviceId(type, number);
    d = { id, rr: createRrState(), isSpeedPrimed: false, isCadencePrimed: false, distanceM: 0, lastSdmDistance: -1, feFirstDistance: -1, lastBatteryPct: -1, lastRssiTMs: -Infinity, lastPower: null, ctfOffsetHz: 0, details: { manufacturerId: null, modelNumber: null, serialNumber: null, swVersion: null } };
    this.devices.set(key, d);
    this.opts.onDeviceSeen(type, number, id);
    return d;
  }

  private push(deviceId: DeviceId, metric: MetricId, value: number, tMs: number, timing?: DeviceTiming): void {
    this.stats.samples++;
    this.opts.sink.push(timing ? { tMs, deviceId, metric, value, timing } : { tMs, deviceId, metric, value });
  }
}

const DERIVED: DeviceTiming = { flags: SAMPLE_FLAGS.derived };
