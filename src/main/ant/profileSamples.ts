/**
 * Page → samples, one function per ANT+ profile (docs/ant-plus.md §5), each over our page decoders in src/shared/ant
 * and an explicit per-device state. The adapter (adapter.ts) has already checked that the frame holds 8 page bytes
 * at `offset` and found the device; these functions decode, apply the profile's counter rules and push samples.
 *
 * - Heart rate: computed HR per message, RR from beat time/count (hrRr.ts), battery page 7, details pages 2/3.
 * - Bicycle power: 0x10 power-only (once per event count), 0x11 wheel torque, 0x12 crank torque and 0x20 CTF, each
 *   page type against the previous page of the same type (meters interleave 0x10 with torque pages; comparing with
 *   the last page of any type dropped every revolution after an interleaved 0x10), common pages 0x50–0x52.
 * - Speed & cadence, speed-only, cadence-only: the counter pairs go through the same rate rules as Bluetooth CSC
 *   (src/shared/gatt/derive.ts: first page sets the baseline, ΔT = 0 keeps the rate and decays, a rate above the
 *   physical ceiling is a counter reset).
 * - Foot pod: speed and distance from page 1, step cadence (2 × strides/min) and speed from page 2.
 * - Fitness equipment: speed, distance and HR from page 0x10; power and cadence from page 0x19.
 */
import { batteryPctFromStatus, decodeBatteryPage } from '../../shared/ant/commonPages';
import { decodeBscCombined, decodeBscSingle } from '../../shared/ant/bscPage';
import { decodeFeGeneral, decodeFeTrainer } from '../../shared/ant/fePage';
import { decodeHrPage, HR_TICKS_PER_SECOND } from '../../shared/ant/hrPage';
import { createRrState, nextRr, type RrResult, type RrState } from '../../shared/ant/hrRr';
import { rolloverDelta } from '../../shared/ant/pageFields';
import { ctfOffsetFromCalibration, decodePowerPage, deriveCtfPages, deriveTorquePages, MAX_POWER_W, type PowerPage } from '../../shared/ant/powerPage';
import type { AntProfileName } from '../../shared/ant/profiles';
import { decodeSdmPage1, decodeSdmPage2 } from '../../shared/ant/sdmPage';
import type { DeviceId } from '../../shared/device';
import type { ErrorCode } from '../../shared/errors';
import { ANT_WHEEL, deriveCrank, deriveWheel, type CounterState, type DeriveConfig } from '../../shared/gatt/derive';
import type { MetricId } from '../../shared/metrics';
import { SAMPLE_FLAGS, type DeviceTiming } from '../../shared/sample';
import type { AdapterDevice, AdapterStats } from './adapter';

/** What a profile decoder may do with the adapter. */
export interface SampleOut {
  readonly rrOut: RrResult;
  readonly stats: AdapterStats;
  readonly deriveConfig: DeriveConfig;
  push(deviceId: DeviceId, metric: MetricId, value: number, tMs: number, timing?: DeviceTiming): void;
  battery(d: AdapterDevice, pct: number | null, tMs: number): void;
  infoPage(d: AdapterDevice, frame: Uint8Array, offset: number): void;
  reject(code: ErrorCode): void;
}

interface HrState {
  readonly name: 'hr';
  readonly rr: RrState;
}
interface PowerState {
  readonly name: 'power';
  /** Last 0x10 event count (−1 before the first). */
  lastPowerOnlyEvent: number;
  /** Last page of each event-based type, compared only with its own kind. */
  lastWheelTorque: PowerPage | null;
  lastCrankTorque: PowerPage | null;
  lastCtf: PowerPage | null;
  ctfOffsetHz: number;
}
interface BscState {
  readonly name: 'speedCadence' | 'speed' | 'cadence';
  wheel: CounterState | null;
  crank: CounterState | null;
}
interface SdmState {
  readonly name: 'stride';
  /** Last page-1 distance counter (m, rolls over at 256), −1 before the first. */
  lastDistanceM: number;
  lastDistanceTMs: number;
  distanceM: number;
}
interface FeState {
  readonly name: 'fe';
  lastDistanceM: number;
  lastDistanceTMs: number;
  distanceM: number;
}

/** Decoder state of one device, by profile. */
export type ProfileState = HrState | PowerState | BscState | SdmState | FeState;

/** A fresh state for a profile. */
export function createProfileState(name: AntProfileName): ProfileState {
  switch (name) {
    case 'hr':
      return { name, rr: createRrState() };
    case 'power':
      return { name, lastPowerOnlyEvent: -1, lastWheelTorque: null, lastCrankTorque: null, lastCtf: null, ctfOffsetHz: 0 };
    case 'speedCadence':
    case 'speed':
    case 'cadence':
      return { name, wheel: null, crank: null };
    case 'stride':
      return { name, lastDistanceM: -1, lastDistanceTMs: 0, distanceM: 0 };
    case 'fe':
      return { name, lastDistanceM: -1, lastDistanceTMs: 0, distanceM: 0 };
  }
}

/** Fastest a runner covers ground (m/s, sprint world record ≈ 12.4); a larger distance step is a counter reset. */
const MAX_RUN_SPEED_MPS = 13;
/** Fastest fitness equipment moves (m/s, ≈ 108 km/h on a trainer in a sprint); a larger step is a reset. */
const MAX_FE_SPEED_MPS = 30;
const DERIVED: DeviceTiming = { flags: SAMPLE_FLAGS.derived };

type ProfileDecoder = (out: SampleOut, d: AdapterDevice, frame: Uint8Array, offset: number, tMs: number) => void;

function hrPage(out: SampleOut, d: AdapterDevice, frame: Uint8Array, offset: number, tMs: number): void {
  const page = decodeHrPage(frame, offset);
  if (!page) return out.reject('ANT_SHORT_PAGE');
  const s = d.profile as HrState;
  if (page.heartRateBpm > 0) {
    out.push(d.id, 'heartRate', page.heartRateBpm, tMs, { eventTicks: page.beatTimeTicks, ticksPerSecond: HR_TICKS_PER_SECOND, eventCount: page.beatCount });
  }
  const r = nextRr(s.rr, page.beatTimeTicks, page.beatCount, page.pageNumber === 4 ? page.previousBeatTicks! : -1, tMs, out.rrOut);
  out.stats.rrMissedBeats += r.missedBeats;
  if (r.rrTicks > 0) {
    out.stats.rr++;
    if (r.isMissedBefore) out.stats.rrFlagged++;
    const timing: DeviceTiming = {
      eventTicks: r.beatTimeTicks,
      ticksPerSecond: HR_TICKS_PER_SECOND,
      eventCount: r.beatCount,
      flags: r.isMissedBefore ? SAMPLE_FLAGS.missedBefore : 0,
    };
    out.push(d.id, 'rrInterval', (r.rrTicks * 1000) / HR_TICKS_PER_SECOND, tMs, timing);
  }
  switch (page.pageNumber) {
    case 2:
      d.details.manufacturerId = page.manufacturerId!;
      d.details.serialNumber = ((page.serialHigh! << 16) | d.deviceNumber) >>> 0;
      return;
    case 3:
      d.details.modelNumber = page.modelNumber!;
      d.details.swVersion = page.swVersion!;
      return;
    case 7:
      return out.battery(d, page.batteryPct === 0xff ? batteryPctFromStatus(page.batteryStatus!) : page.batteryPct!, tMs);
  }
}

function commonPage(out: SampleOut, d: AdapterDevice, frame: Uint8Array, offset: number, tMs: number): boolean {
  const n = frame[offset];
  if (n === 0x50 || n === 0x51) {
    out.infoPage(d, frame, offset);
    return true;
  }
  if (n === 0x52) {
    out.battery(d, decodeBatteryPage(frame.subarray(offset, offset + 8))?.pct ?? null, tMs);
    return true;
  }
  return false;
}

function powerPage(out: SampleOut, d: AdapterDevice, frame: Uint8Array, offset: number, tMs: number): void {
  if (commonPage(out, d, frame, offset, tMs)) return;
  const page = decodePowerPage(frame, offset);
  if (!page) return;
  const s = d.profile as PowerState;
  switch (page.page) {
    case 0x01: {
      const offsetHz = ctfOffsetFromCalibration(page);
      if (offsetHz !== null) s.ctfOffsetHz = offsetHz;
      return;
    }
    case 0x10: {
      if (page.eventCount === s.lastPowerOnlyEvent) return;
      s.lastPowerOnlyEvent = page.eventCount!;
      if (page.powerW! > MAX_POWER_W) return out.reject('ANT_IMPLAUSIBLE_VALUE');
      const timing: DeviceTiming = { eventCount: page.eventCount! };
      out.push(d.id, 'power', page.powerW!, tMs, timing);
      if (page.cadenceRpm !== 0xff) out.push(d.id, 'cadence', page.cadenceRpm!, tMs, timing);
      return;
    }
    case 0x11:
    case 0x12:
    case 0x20: {
      const prev = page.page === 0x11 ? s.lastWheelTorque : page.page === 0x12 ? s.lastCrankTorque : s.lastCtf;
      if (page.page === 0x11) s.lastWheelTorque = page;
      else if (page.page === 0x12) s.lastCrankTorque = page;
      else s.lastCtf = page;
      if (!prev || rolloverDelta(page.eventCount!, prev.eventCount!, 8) === 0) return;
      const derived = page.page === 0x20 ? deriveCtfPages(prev, page, s.ctfOffsetHz) : deriveTorquePages(prev, page);
      if (!derived) return out.reject('ANT_IMPLAUSIBLE_VALUE');
      const timing: DeviceTiming = { eventCount: page.eventCount!, flags: SAMPLE_FLAGS.derived };
      out.push(d.id, 'power', derived.powerW, tMs, timing);
      if (derived.cadenceRpm !== null) out.push(d.id, 'cadence', derived.cadenceRpm, tMs, timing);
    }
  }
}

function wheel(out: SampleOut, d: AdapterDevice, s: BscState, revs: number, ticks: number, tMs: number): void {
  const w = deriveWheel(s.wheel, revs, ticks, tMs, ANT_WHEEL, out.deriveConfig);
  if (w.isReset) out.reject('ANT_IMPLAUSIBLE_VALUE');
  s.wheel = w.state;
  if (w.speedMps !== null) out.push(d.id, 'speed', w.speedMps, tMs, DERIVED);
  if (w.distanceM !== null) out.push(d.id, 'distance', w.distanceM, tMs, DERIVED);
}

function crank(out: SampleOut, d: AdapterDevice, s: BscState, revs: number, ticks: number, tMs: number): void {
  const c = deriveCrank(s.crank, revs, ticks, tMs, out.deriveConfig);
  if (c.isReset) out.reject('ANT_IMPLAUSIBLE_VALUE');
  s.crank = c.state;
  if (c.cadenceRpm !== null) out.push(d.id, 'cadence', c.cadenceRpm, tMs, DERIVED);
}

function bscCombinedPage(out: SampleOut, d: AdapterDevice, frame: Uint8Array, offset: number, tMs: number): void {
  const page = decodeBscCombined(frame, offset);
  if (!page) return out.reject('ANT_SHORT_PAGE');
  const s = d.profile as BscState;
  wheel(out, d, s, page.wheelRevs, page.speedEventTicks, tMs);
  crank(out, d, s, page.crankRevs, page.cadenceEventTicks, tMs);
}

function bscSinglePage(out: SampleOut, d: AdapterDevice, frame: Uint8Array, offset: number, tMs: number): void {
  const page = decodeBscSingle(frame, offset);
  if (!page) return out.reject('ANT_SHORT_PAGE');
  const s = d.profile as BscState;
  if (s.name === 'speed') wheel(out, d, s, page.revs, page.eventTicks, tMs);
  else crank(out, d, s, page.revs, page.eventTicks, tMs);
  if (page.pageNumber === 2) {
    d.details.manufacturerId = page.manufacturerId!;
    d.details.serialNumber = ((page.serialHigh! << 16) | d.deviceNumber) >>> 0;
  } else if (page.pageNumber === 3) {
    d.details.modelNumber = page.modelNumber!;
    d.details.swVersion = page.swVersion!;
  } else if (page.pageNumber === 4) out.battery(d, batteryPctFromStatus(page.batteryStatus!), tMs);
}

/** Distance from a counter that rolls over at 256 m; a step faster than `maxMps` allows is a reset (re-baselined). */
function rolloverDistance(out: SampleOut, s: SdmState | FeState, rawM: number, tMs: number, maxMps: number): number | null {
  if (s.lastDistanceM < 0) {
    s.lastDistanceM = rawM;
    s.lastDistanceTMs = tMs;
    return s.distanceM;
  }
  const stepM = (((rawM - s.lastDistanceM) % 256) + 256) % 256;
  const elapsedS = Math.max(0, tMs - s.lastDistanceTMs) / 1000;
  s.lastDistanceM = rawM;
  s.lastDistanceTMs = tMs;
  if (stepM === 0) return null;
  if (stepM > maxMps * elapsedS + 2) {
    out.reject('ANT_IMPLAUSIBLE_VALUE');
    return null;
  }
  s.distanceM += stepM;
  return s.distanceM;
}

function stridePage(out: SampleOut, d: AdapterDevice, frame: Uint8Array, offset: number, tMs: number): void {
  if (commonPage(out, d, frame, offset, tMs)) return;
  const s = d.profile as SdmState;
  const n = frame[offset];
  if (n === 1) {
    const p = decodeSdmPage1(frame, offset);
    if (!p) return out.reject('ANT_SHORT_PAGE');
    out.push(d.id, 'speed', p.speedMps, tMs);
    const distanceM = rolloverDistance(out, s, p.distanceM, tMs, MAX_RUN_SPEED_MPS);
    if (distanceM !== null) out.push(d.id, 'distance', distanceM, tMs);
  } else if (n === 2) {
    const p = decodeSdmPage2(frame, offset);
    if (!p) return out.reject('ANT_SHORT_PAGE');
    out.push(d.id, 'speed', p.speedMps, tMs);
    out.push(d.id, 'stepCadence', 2 * p.strideCadence, tMs);
  }
}

function fePage(out: SampleOut, d: AdapterDevice, frame: Uint8Array, offset: number, tMs: number): void {
  if (commonPage(out, d, frame, offset, tMs)) return;
  const s = d.profile as FeState;
  const n = frame[offset];
  if (n === 0x10) {
    const p = decodeFeGeneral(frame, offset);
    if (!p) return out.reject('ANT_SHORT_PAGE');
    if (p.speedMps !== null) out.push(d.id, 'speed', p.speedMps, tMs);
    if (p.isDistanceEnabled) {
      const distanceM = rolloverDistance(out, s, p.distanceM, tMs, MAX_FE_SPEED_MPS);
      if (distanceM !== null) out.push(d.id, 'distance', distanceM, tMs);
    }
    if (p.heartRateBpm !== null) out.push(d.id, 'heartRate', p.heartRateBpm, tMs);
  } else if (n === 0x19) {
    const p = decodeFeTrainer(frame, offset);
    if (!p) return out.reject('ANT_SHORT_PAGE');
    if (p.powerW !== null) {
      if (p.powerW > MAX_POWER_W) out.reject('ANT_IMPLAUSIBLE_VALUE');
      else out.push(d.id, 'power', p.powerW, tMs);
    }
    if (p.cadenceRpm !== null) out.push(d.id, 'cadence', p.cadenceRpm, tMs);
  }
}

/** The page decoder of each profile. */
export const PROFILE_DECODERS: { readonly [K in AntProfileName]: ProfileDecoder } = {
  hr: hrPage,
  power: powerPage,
  speedCadence: bscCombinedPage,
  speed: bscSinglePage,
  cadence: bscSinglePage,
  stride: stridePage,
  fe: fePage,
};
