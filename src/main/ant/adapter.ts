/**
 * The one adapter from ANT+ data messages to the app's `Sample`s (DESIGN: one path per radio). Every data message a
 * stick delivers — live, simulated or replayed — comes through {@link AntSampleAdapter.onFrame}: the extended-data
 * block is parsed once (device number, type, RSSI), the device is looked up, and the 8 page bytes go to the profile's
 * page decoders in src/shared/ant (profileSamples.ts). Device ids are `ant:<type>:<number>`.
 *
 * Totality (docs/ant-plus.md §1.1, "Short pages"): a data message whose payload is shorter than channel + 8 page
 * bytes is rejected and counted (`ANT_SHORT_PAGE`), never decoded; a checksum-valid 2-byte power message used to
 * yield 419 W and 485 rpm built from the checksum byte and whatever followed it.
 */
import { decodeManufacturerPage, decodeProductPage } from '../../shared/ant/commonPages';
import { emptyExtendedData, readExtendedData } from '../../shared/ant/extended';
import { emptyRrResult } from '../../shared/ant/hrRr';
import { MSG } from '../../shared/ant/messages';
import { profileByDeviceType } from '../../shared/ant/profiles';
import { antDeviceId, type DeviceId } from '../../shared/device';
import type { ErrorCode } from '../../shared/errors';
import { DEFAULT_DECAY_AFTER_MS, type DeriveConfig } from '../../shared/gatt/derive';
import type { MetricId } from '../../shared/metrics';
import type { DeviceTiming, SampleSink } from '../../shared/sample';
import { createProfileState, PROFILE_DECODERS, type ProfileState, type SampleOut } from './profileSamples';

/** Manufacturer and product information a device sent (HR pages 2/3, BSC pages 2/3, common pages 0x50/0x51). */
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
  /** Wheel circumference of speed sensors, metres (default 2.096 m, a 700×23C tyre). */
  readonly wheelCircumferenceM?: number;
  /** A data message on a channel whose device is unknown (no channel-ID block, wildcard channel): identify it. */
  readonly onUnknownChannel?: (channel: number) => void;
}

/** Counters of one adapter (the stick panel shows rejected pages with the stick's bad frames). */
export interface AdapterStats {
  samples: number;
  rr: number;
  rrMissedBeats: number;
  rrFlagged: number;
  /** Data messages too short to hold a page (`ANT_SHORT_PAGE`). */
  shortPages: number;
  /** Derived values beyond a rider's physical ceiling, treated as counter resets and not emitted. */
  implausible: number;
  /** Code of the last rejection, null while none happened. */
  lastErrorCode: ErrorCode | null;
}

/** Per-device state: identity, common-page state and the profile's own decoder state. */
export interface AdapterDevice {
  readonly id: DeviceId;
  readonly deviceNumber: number;
  lastBatteryPct: number;
  lastRssiTMs: number;
  readonly details: AntDeviceDetails;
  readonly profile: ProfileState;
}

/** Offset of the page in a whole data frame (sync, length, id, channel). */
const PAGE_OFFSET = 4;
/** Payload bytes of a data message without extended data: channel + 8 page bytes. */
const DATA_PAYLOAD_BYTES = 9;

/** The adapter of one stick (kept across replugs of that stick, so a strap's beat state survives the gap). */
export class AntSampleAdapter implements SampleOut {
  private readonly devices = new Map<number, AdapterDevice>();
  private readonly ext = emptyExtendedData();
  /** Reused RR result (no allocation per message). */
  readonly rrOut = emptyRrResult();
  /** Channel → (type << 16 | number) for paired channels whose frames carry no channel-ID block. */
  readonly channelDevice: number[] = [];
  /** Counters. */
  readonly stats: AdapterStats = { samples: 0, rr: 0, rrMissedBeats: 0, rrFlagged: 0, shortPages: 0, implausible: 0, lastErrorCode: null };
  /** Device of the last data message passed to {@link onFrame}, null when it named none this adapter knows. */
  lastDeviceId: DeviceId | null = null;
  /** Wheel circumference and rate decay of speed/cadence sensors. */
  readonly deriveConfig: DeriveConfig;

  constructor(private readonly opts: AdapterOptions) {
    this.deriveConfig = { wheelCircumferenceM: opts.wheelCircumferenceM ?? 2.096, decayAfterMs: DEFAULT_DECAY_AFTER_MS };
  }

  /** One received frame (any message id; only data messages yield samples). */
  onFrame(frame: Uint8Array, tMs: number): void {
    const id = frame[2];
    if (id !== MSG.broadcastData && id !== MSG.acknowledgedData && id !== MSG.burstData) return;
    this.lastDeviceId = null;
    const payloadLength = frame[1]!;
    if (payloadLength < DATA_PAYLOAD_BYTES || frame.length < payloadLength + 4) {
      this.reject('ANT_SHORT_PAGE');
      return;
    }
    let type: number;
    let number: number;
    const hasExt = readExtendedData(frame, this.ext);
    if (hasExt) {
      type = this.ext.deviceType;
      number = this.ext.deviceNumber;
      this.channelDevice[frame[3]!] = (type << 16) | number;
    } else {
      const key = this.channelDevice[frame[3]!];
      if (key === undefined) {
        this.opts.onUnknownChannel?.(frame[3]!);
        return;
      }
      type = key >>> 16;
      number = key & 0xffff;
    }
    if (number === 0) return;
    const d = this.device(type, number);
    if (!d) return;
    this.lastDeviceId = d.id;
    this.opts.onDeviceHeard?.(d.id, tMs);
    if (hasExt && this.ext.rssiDbm !== null && tMs - d.lastRssiTMs >= (this.opts.rssiEveryMs ?? 5000)) {
      d.lastRssiTMs = tMs;
      this.push(d.id, 'rssi', this.ext.rssiDbm, tMs);
    }
    PROFILE_DECODERS[d.profile.name](this, d, frame, PAGE_OFFSET, tMs);
  }

  /** Manufacturer/product details a device has sent so far, or undefined for unknown devices. */
  details(deviceType: number, deviceNumber: number): AntDeviceDetails | undefined {
    return this.devices.get((deviceType << 16) | deviceNumber)?.details;
  }

  /** Record common page 0x50/0x51 details (profiles that send common pages call this). */
  infoPage(d: AdapterDevice, frame: Uint8Array, offset: number): void {
    const page = frame.subarray(offset, offset + 8);
    if (frame[offset] === 0x50) {
      const m = decodeManufacturerPage(page);
      if (!m) return;
      d.details.manufacturerId = m.manufacturerId;
      d.details.modelNumber = m.modelNumber;
    } else {
      const p = decodeProductPage(page);
      if (!p) return;
      d.details.serialNumber = p.serialNumber;
      d.details.swVersion = p.swVersion;
    }
  }

  /** Emit a battery level when it changed. */
  battery(d: AdapterDevice, pct: number | null, tMs: number): void {
    if (pct === null || pct === d.lastBatteryPct) return;
    d.lastBatteryPct = pct;
    this.push(d.id, 'battery', pct, tMs);
  }

  /** Count a rejected message or value under a stable code. */
  reject(code: ErrorCode): void {
    if (code === 'ANT_SHORT_PAGE') this.stats.shortPages++;
    else this.stats.implausible++;
    this.stats.lastErrorCode = code;
  }

  /** Push one sample into the sink. */
  push(deviceId: DeviceId, metric: MetricId, value: number, tMs: number, timing?: DeviceTiming): void {
    this.stats.samples++;
    this.opts.sink.push(timing ? { tMs, deviceId, metric, value, timing } : { tMs, deviceId, metric, value });
  }

  private device(type: number, number: number): AdapterDevice | undefined {
    const key = (type << 16) | number;
    let d = this.devices.get(key);
    if (d) return d;
    const profile = profileByDeviceType(type);
    if (!profile) return undefined;
    const id = antDeviceId(type, number);
    d = {
      id,
      deviceNumber: number,
      lastBatteryPct: -1,
      lastRssiTMs: -Infinity,
      details: { manufacturerId: null, modelNumber: null, serialNumber: null, swVersion: null },
      profile: createProfileState(profile.name),
    };
    this.devices.set(key, d);
    this.opts.onDeviceSeen(type, number, id);
    return d;
  }
}
