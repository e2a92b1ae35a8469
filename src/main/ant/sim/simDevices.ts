/**
 * Simulated ANT+ devices rendered as real data pages (docs/ant-plus.md §5): a page source per profile keeps
 * the device's counters (beat count and time, event counts, revolutions, accumulated power) from the values the
 * device is told to have, with toggle bits, rollover and background pages. Pure state machines over time; the
 * simulated stick decides when each message is sent and whether it reaches the host.
 */
import type { DeviceKind } from '../../../shared/device';
import { encodeBscCombined, encodeBscSingle } from '../../../shared/ant/bscPage';
import { encodeBatteryPage, encodeManufacturerPage, encodeProductPage } from '../../../shared/ant/commonPages';
import { encodeFeGeneral, encodeFeTrainer, FE_EQUIPMENT_TYPES } from '../../../shared/ant/fePage';
import { encodeHrPage } from '../../../shared/ant/hrPage';
import { encodePowerPage } from '../../../shared/ant/powerPage';
import { profileForKind, type AntProfile } from '../../../shared/ant/profiles';
import { encodeSdmPage1, encodeSdmPage2 } from '../../../shared/ant/sdmPage';
import { nextBeat, type BeatState } from '../../../shared/scenario';

/** Values a simulated device has at one moment (units in names). */
export interface SimValues {
  heartRate?: number;
  power?: number;
  /** Crank cadence, rpm. */
  cadence?: number;
  speedMps?: number;
  /** Steps per minute (foot pods). */
  stepCadence?: number;
  batteryPct?: number;
}

/** What drives one simulated ANT+ device (the scenario model is adapted onto this). */
export interface SimAntDevice {
  readonly kind: DeviceKind;
  readonly deviceNumber: number;
  readonly transmissionType?: number;
  valueAt(tMs: number): SimValues;
  isInRange(tMs: number): boolean;
  /** Bicycle power pages to send: 0x10 power-only (default), 0x12 crank torque (with 0x10 every 4th message), 0x20 CTF. */
  readonly powerMode?: 'power' | 'crankTorque' | 'ctf';
  /** HR main page: 4 (default, with previous beat) or 0 (older straps). */
  readonly hrMainPage?: 0 | 4;
  readonly rssiDbm?: number;
  /** Wheel circumference used to turn speed into wheel revolutions (m). */
  readonly wheelCircumferenceM?: number;
}

/** One beat of a simulated strap (ground truth for RR tests). */
export interface SimBeat {
  /** Beat number since start (not wrapped). */
  readonly n: number;
  /** Interval ending at this beat, 1/1024 s. */
  readonly rrTicks: number;
  /** Time of this beat, 1/1024 s since start (not wrapped). */
  readonly tTicks: number;
}

/** Renders one device's pages; `next` is called once per message slot, in time order. */
export interface PageSource {
  readonly profile: AntProfile;
  next(tMs: number): Uint8Array;
}

/** Default wheel circumference of simulated wheels (m). */
const SIM_WHEEL_CIRCUMFERENCE_M = 2.096;

const BACKGROUND_EVERY = 65;

/** Revolution counter with exact event times (crank, wheel, strides). */
class RevCounter {
  revs = 0;
  private acc = 0;
  eventTMs = 0;
  private lastTMs = 0;
  advance(tMs: number, perSecond: number): void {
    const dt = (tMs - this.lastTMs) / 1000;
    this.lastTMs = tMs;
    if (perSecond <= 0 || dt <= 0) return;
    const before = this.acc;
    this.acc += perSecond * dt;
    const whole = Math.floor(this.acc) - Math.floor(before);
    if (whole > 0) {
      this.revs += whole;
      const overshoot = this.acc - Math.floor(this.acc);
      this.eventTMs = tMs - (overshoot / perSecond) * 1000;
    }
  }
}

function toggleOf(index: number): number {
  return Math.floor(index / 4) & 1;
}

/** HR strap: beats follow the HR curve (RR = 60/HR at the previous beat, whole 1/1024 s ticks). */
export class HrPageSource implements PageSource {
  readonly profile = profileForKind('hr');
  /** Every beat so far, oldest first. */
  readonly beats: SimBeat[] = [];
  private beat: BeatState = { lastBeatTicks: 0, beatCount: 0 };
  private prevBeatTicks = 0;
  private index = 0;
  constructor(private readonly device: SimAntDevice) {}

  next(tMs: number): Uint8Array {
    const nowTicks = (tMs * 1024) / 1000;
    for (;;) {
      const bpm = this.device.valueAt((this.beat.lastBeatTicks * 1000) / 1024).heartRate ?? 60;
      const { rrTicks, state } = nextBeat(this.beat, bpm);
      if (state.lastBeatTicks > nowTicks) break;
      this.prevBeatTicks = this.beat.lastBeatTicks;
      this.beat = state;
      this.beats.push({ n: state.beatCount, rrTicks, tTicks: state.lastBeatTicks });
    }
    const i = this.index++;
    const values = this.device.valueAt(tMs);
    const common = { beatTimeTicks: this.beat.lastBeatTicks, beatCount: this.beat.beatCount, heartRateBpm: Math.round(values.heartRate ?? 0), toggle: toggleOf(i) };
    if (i % BACKGROUND_EVERY === BACKGROUND_EVERY - 1) {
      const bg = [2, 3, 7][Math.floor(i / BACKGROUND_EVERY) % 3]!;
      if (bg === 2) return encodeHrPage({ ...common, pageNumber: 2, manufacturerId: 1, serialHigh: 0x0001 });
      if (bg === 3) return encodeHrPage({ ...common, pageNumber: 3, hwVersion: 1, swVersion: 2, modelNumber: 3 });
      return encodeHrPage({ ...common, pageNumber: 7, batteryPct: Math.round(values.batteryPct ?? 90), fractionalVoltage: 0, coarseVoltage: 3, batteryStatus: 2 });
    }
    if ((this.device.hrMainPage ?? 4) === 0) return encodeHrPage({ ...common, pageNumber: 0 });
    return encodeHrPage({ ...common, pageNumber: 4, manufacturerSpecific: 0xff, previousBeatTicks: this.prevBeatTicks });
  }
}

/** Bicycle power meter: page 0x10, 0x12 or 0x20, common pages 0x50/0x51/0x52 in the background. */
class PowerPageSource implements PageSource {
  readonly profile = profileForKind('power');
  private index = 0;
  private events = 0;
  private powerOnlyEvents = 0;
  private accPower = 0;
  private period = 0;
  private torque = 0;
  private readonly crank = new RevCounter();
  private lastEventTMs = 0;
  private torqueTicks = 0;
  private lastRevs = 0;
  /** CTF slope (1/10 N·m/Hz) and zero offset (Hz) of the simulated SRM. */
  static readonly CTF_SLOPE = 300;
  static readonly CTF_OFFSET_HZ = 0;
  constructor(private readonly device: SimAntDevice) {}

  next(tMs: number): Uint8Array {
    const i = this.index++;
    const v = this.device.valueAt(tMs);
    const power = Math.max(0, v.power ?? 0);
    const cadence = Math.max(0, v.cadence ?? 0);
    if (i % 61 === 60) {
      const bg = Math.floor(i / 61) % 3;
      if (bg === 0) return encodeManufacturerPage({ hwRevision: 1, manufacturerId: 7, modelNumber: 1 });
      if (bg === 1) return encodeProductPage({ swVersion: 1.2, serialNumber: this.device.deviceNumber });
      return encodeBatteryPage(2, 3.1);
    }
    const mode = this.device.powerMode ?? 'power';
    if (mode === 'power') {
      this.events++;
      this.accPower += Math.round(power);
      return encodePowerPage({ page: 0x10, eventCount: this.events & 0xff, pedalPower: 0xff, cadenceRpm: Math.round(cadence), accumulatedPowerW: this.accPower & 0xffff, powerW: Math.round(power) });
    }
    const torqueNm = cadence > 0 ? power / ((2 * Math.PI * cadence) / 60) : 0;
    if (mode === 'crankTorque') {
      // real torque meters interleave power-only pages (own event count) between their torque pages
      if (i % 4 === 3) {
        this.powerOnlyEvents++;
        this.accPower += Math.round(power);
        return encodePowerPage({ page: 0x10, eventCount: this.powerOnlyEvents & 0xff, pedalPower: 0xff, cadenceRpm: Math.round(cadence), accumulatedPowerW: this.accPower & 0xffff, powerW: Math.round(power) });
      }
      if (cadence > 0) {
        this.events++;
        this.period += (60 / cadence) * 2048;
        this.torque += torqueNm * 32;
      }
      return encodePowerPage({ page: 0x12, eventCount: this.events & 0xff, ticks: this.events & 0xff, cadenceRpm: Math.round(cadence), period2048: Math.round(this.period) & 0xffff, torque32: Math.round(this.torque) & 0xffff });
    }
    this.crank.advance(tMs, cadence / 60);
    const newRevs = this.crank.revs - this.lastRevs;
    if (newRevs > 0) {
      const dtS = (this.crank.eventTMs - this.lastEventTMs) / 1000;
      const freqHz = torqueNm * (PowerPageSource.CTF_SLOPE / 10) + PowerPageSource.CTF_OFFSET_HZ;
      this.torqueTicks += freqHz * dtS;
      this.lastEventTMs = this.crank.eventTMs;
      this.lastRevs = this.crank.revs;
      this.events += newRevs;
    }
    return encodePowerPage({ page: 0x20, eventCount: this.events & 0xff, slope: PowerPageSource.CTF_SLOPE, timeStamp2000: Math.round(this.lastEventTMs * 2) & 0xffff, torqueTicks: Math.round(this.torqueTicks) & 0xffff });
  }
}

/** Speed & cadence (0x79), speed-only (0x7B) or cadence-only (0x7A) sensor. */
class BscPageSource implements PageSource {
  readonly profile: AntProfile;
  private index = 0;
  private readonly crank = new RevCounter();
  private readonly wheel = new RevCounter();
  constructor(private readonly device: SimAntDevice) {
    this.profile = profileForKind(device.kind);
  }

  next(tMs: number): Uint8Array {
    const v = this.device.valueAt(tMs);
    const circ = this.device.wheelCircumferenceM ?? SIM_WHEEL_CIRCUMFERENCE_M;
    this.crank.advance(tMs, Math.max(0, v.cadence ?? 0) / 60);
    this.wheel.advance(tMs, Math.max(0, v.speedMps ?? 0) / circ);
    const ticks = (t: number): number => Math.round((t * 1024) / 1000) & 0xffff;
    if (this.device.kind === 'csc') {
      return encodeBscCombined({ cadenceEventTicks: ticks(this.crank.eventTMs), crankRevs: this.crank.revs, speedEventTicks: ticks(this.wheel.eventTMs), wheelRevs: this.wheel.revs });
    }
    const i = this.index++;
    const counter = this.device.kind === 'speed' ? this.wheel : this.crank;
    const common = { eventTicks: ticks(counter.eventTMs), revs: counter.revs, toggle: toggleOf(i) };
    if (i % BACKGROUND_EVERY === BACKGROUND_EVERY - 1) {
      const bg = [2, 3, 4][Math.floor(i / BACKGROUND_EVERY) % 3]!;
      if (bg === 2) return encodeBscSingle({ ...common, pageNumber: 2, manufacturerId: 1, serialHigh: 1 });
      if (bg === 3) return encodeBscSingle({ ...common, pageNumber: 3, hwVersion: 1, swVersion: 1, modelNumber: 1 });
      return encodeBscSingle({ ...common, pageNumber: 4, fractionalVoltage: 0, coarseVoltage: 3, batteryStatus: 2 });
    }
    return encodeBscSingle({ ...common, pageNumber: 0 });
  }
}

/** Foot pod: page 1 (time, distance, speed, strides) alternating with page 2 (cadence). */
class SdmPageSource implements PageSource {
  readonly profile = profileForKind('rsc');
  private index = 0;
  private distanceM = 0;
  private readonly strides = new RevCounter();
  private lastTMs = 0;
  constructor(private readonly device: SimAntDevice) {}

  next(tMs: number): Uint8Array {
    const v = this.device.valueAt(tMs);
    const speed = Math.max(0, v.speedMps ?? 0);
    this.distanceM += (speed * (tMs - this.lastTMs)) / 1000;
    this.lastTMs = tMs;
    const strideCadence = Math.max(0, v.stepCadence ?? 0) / 2;
    this.strides.advance(tMs, strideCadence / 60);
    const i = this.index++;
    if (i % BACKGROUND_EVERY === BACKGROUND_EVERY - 1) return encodeManufacturerPage({ hwRevision: 1, manufacturerId: 1, modelNumber: 1 });
    if (i % 2 === 1) return encodeSdmPage2({ strideCadence, speedMps: speed });
    return encodeSdmPage1({ timeS: tMs / 1000, distanceM: this.distanceM, speedMps: speed, strides: this.strides.revs });
  }
}

/** Fitness equipment: trainers alternate 0x10 and 0x19; treadmills send 0x10. */
class FePageSource implements PageSource {
  readonly profile = profileForKind('bike');
  private index = 0;
  private events = 0;
  private accPower = 0;
  private distanceM = 0;
  private lastTMs = 0;
  constructor(private readonly device: SimAntDevice) {}

  next(tMs: number): Uint8Array {
    const v = this.device.valueAt(tMs);
    const speed = Math.max(0, v.speedMps ?? 0);
    this.distanceM += (speed * (tMs - this.lastTMs)) / 1000;
    this.lastTMs = tMs;
    const i = this.index++;
    if (i % BACKGROUND_EVERY === BACKGROUND_EVERY - 1) return encodeManufacturerPage({ hwRevision: 1, manufacturerId: 89, modelNumber: 2 });
    const isTreadmill = this.device.kind === 'treadmill';
    if (!isTreadmill && i % 2 === 1) {
      this.events++;
      this.accPower += Math.round(v.power ?? 0);
      return encodeFeTrainer({ eventCount: this.events, cadenceRpm: v.cadence ?? 0, accumulatedPowerW: this.accPower, powerW: v.power ?? 0 });
    }
    const equipmentType = isTreadmill ? FE_EQUIPMENT_TYPES.treadmill : FE_EQUIPMENT_TYPES.trainer;
    return encodeFeGeneral({ equipmentType, elapsedS: tMs / 1000, distanceM: this.distanceM, speedMps: speed, heartRateBpm: v.heartRate ?? null });
  }
}

/** The page source for a device's kind. */
export function createPageSource(device: SimAntDevice): PageSource {
  switch (device.kind) {
    case 'hr':
      return new HrPageSource(device);
    case 'power':
      return new PowerPageSource(device);
    case 'csc':
    case 'speed':
    case 'cadence':
      return new BscPageSource(device);
    case 'rsc':
      return new SdmPageSource(device);
    case 'bike':
    case 'treadmill':
      return new FePageSource(device);
  }
}

