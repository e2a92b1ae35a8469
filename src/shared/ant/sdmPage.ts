/**
 * ANT+ stride-based speed and distance page 1 (device type 124) — docs/ant-plus.md §5.6 (nRF5
 * `ant_sdm/pages/ant_sdm_page_1.c`, `ant_sdm_common_data.c`). Byte 1 time fraction 1/200 s, 2 time s,
 * 3 distance m, 4 high nibble distance 1/16 m + low nibble speed integer m/s, 5 speed 1/256 m/s,
 * 6 stride count (one stride = two footfalls), 7 update latency 1/32 s. Pages 2/3 carry cadence.
 */
import { readPageFields, writePageFields, type PageLayout } from './pageFields';

/** Page 1 layout. */
const SDM_PAGE1_LAYOUT: PageLayout = [
  { name: 'page', byte: 0, type: 'u8' },
  { name: 'timeFrac200', byte: 1, type: 'u8' },
  { name: 'timeS', byte: 2, type: 'u8' },
  { name: 'distanceM', byte: 3, type: 'u8' },
  { name: 'speedInt', byte: 4, type: 'u8', shift: 0, width: 4 },
  { name: 'distanceFrac16', byte: 4, type: 'u8', shift: 4, width: 4 },
  { name: 'speedFrac256', byte: 5, type: 'u8' },
  { name: 'strides', byte: 6, type: 'u8' },
  { name: 'latency32', byte: 7, type: 'u8' },
];

/** Page 2 layout (cadence, speed, status). */
const SDM_PAGE2_LAYOUT: PageLayout = [
  { name: 'page', byte: 0, type: 'u8' },
  { name: 'cadenceInt', byte: 3, type: 'u8' },
  { name: 'speedInt', byte: 4, type: 'u8', shift: 0, width: 4 },
  { name: 'cadenceFrac16', byte: 4, type: 'u8', shift: 4, width: 4 },
  { name: 'speedFrac256', byte: 5, type: 'u8' },
  { name: 'status', byte: 7, type: 'u8' },
];

/** Page 1 in app units. */
export interface SdmPage1 {
  /** Time counter in seconds (rolls over at 256 s). */
  readonly timeS: number;
  /** Distance counter in metres (rolls over at 256 m). */
  readonly distanceM: number;
  readonly speedMps: number;
  /** Stride counter (rolls over at 256). */
  readonly strides: number;
}

/** Page 2 in app units. */
export interface SdmPage2 {
  /** Strides per minute (× 2 = steps per minute). */
  readonly strideCadence: number;
  readonly speedMps: number;
}

/** Decode page 1; null when short. */
export function decodeSdmPage1(page: Uint8Array, offset = 0): SdmPage1 | null {
  const f = readPageFields(page, SDM_PAGE1_LAYOUT, offset);
  if (!f) return null;
  return {
    timeS: f.timeS! + f.timeFrac200! / 200,
    distanceM: f.distanceM! + f.distanceFrac16! / 16,
    speedMps: f.speedInt! + f.speedFrac256! / 256,
    strides: f.strides!,
  };
}

/** Decode page 2; null when short. */
export function decodeSdmPage2(page: Uint8Array, offset = 0): SdmPage2 | null {
  const f = readPageFields(page, SDM_PAGE2_LAYOUT, offset);
  if (!f) return null;
  return { strideCadence: f.cadenceInt! + f.cadenceFrac16! / 16, speedMps: f.speedInt! + f.speedFrac256! / 256 };
}

/** Encode page 1 from counters (time s, distance m, strides wrap; speed in m/s). */
export function encodeSdmPage1(v: { timeS: number; distanceM: number; speedMps: number; strides: number }): Uint8Array {
  const speed = Math.min(15 + 255 / 256, Math.max(0, v.speedMps));
  return writePageFields(SDM_PAGE1_LAYOUT, {
    page: 1,
    timeFrac200: Math.floor((v.timeS % 1) * 200),
    timeS: Math.floor(v.timeS) & 0xff,
    distanceM: Math.floor(v.distanceM) & 0xff,
    distanceFrac16: Math.floor((v.distanceM % 1) * 16),
    speedInt: Math.floor(speed),
    speedFrac256: Math.floor((speed % 1) * 256),
    strides: Math.floor(v.strides) & 0xff,
    latency32: 0,
  });
}

/** Encode page 2 (cadence in strides/min, status: active, ok, good battery, laces). */
export function encodeSdmPage2(v: { strideCadence: number; speedMps: number }): Uint8Array {
  const speed = Math.min(15 + 255 / 256, Math.max(0, v.speedMps));
  const cad = Math.min(255, Math.max(0, v.strideCadence));
  return writePageFields(SDM_PAGE2_LAYOUT, {
    page: 2,
    cadenceInt: Math.floor(cad),
    cadenceFrac16: Math.floor((cad % 1) * 16),
    speedInt: Math.floor(speed),
    speedFrac256: Math.floor((speed % 1) * 256),
    status: 0x11,
  });
}
