/**
 * ANT+ common pages 0x50 manufacturer info, 0x51 product info, 0x52 battery status — sent as background
 * pages by power meters and fitness equipment (ANT+ Common Pages; layouts as in openant `common.py`,
 * nRF5 `ant_common_page_80/81`, GoldenCheetah `ANTMessage.cpp`).
 */
import { readPageFields, writePageFields, type PageLayout } from './pageFields';

/** Page 0x50 manufacturer's information: bytes 3 HW revision, 4–5 manufacturer id, 6–7 model number. */
const PAGE_50_LAYOUT: PageLayout = [
  { name: 'page', byte: 0, type: 'u8' },
  { name: 'hwRevision', byte: 3, type: 'u8' },
  { name: 'manufacturerId', byte: 4, type: 'u16' },
  { name: 'modelNumber', byte: 6, type: 'u16' },
];
/** Page 0x51 product information: byte 2 SW revision supplemental, 3 SW revision main, 4–7 serial number. */
const PAGE_51_LAYOUT: PageLayout = [
  { name: 'page', byte: 0, type: 'u8' },
  { name: 'swSupplemental', byte: 2, type: 'u8' },
  { name: 'swMain', byte: 3, type: 'u8' },
  { name: 'serialLow', byte: 4, type: 'u16' },
  { name: 'serialHigh', byte: 6, type: 'u16' },
];
/**
 * Page 0x52 battery status: byte 2 battery identifier, 3–5 cumulative operating time (uint24, 2 s or 16 s per
 * bit 7 of byte 7), 6 fractional voltage 1/256 V, 7 bits 0–3 coarse voltage V, bits 4–6 status.
 */
const PAGE_52_LAYOUT: PageLayout = [
  { name: 'page', byte: 0, type: 'u8' },
  { name: 'batteryId', byte: 2, type: 'u8' },
  { name: 'operatingTime', byte: 3, type: 'u24' },
  { name: 'fractionalVoltage', byte: 6, type: 'u8' },
  { name: 'coarseVoltage', byte: 7, type: 'u8', shift: 0, width: 4 },
  { name: 'status', byte: 7, type: 'u8', shift: 4, width: 3 },
];

/** Battery status values (bits 4–6) — §5.1 page 7 and common page 0x52. */
const BATTERY_STATUS = ['reserved', 'new', 'good', 'ok', 'low', 'critical', 'reserved', 'invalid'] as const;
/** One of {@link BATTERY_STATUS}. */
export type BatteryStatus = (typeof BATTERY_STATUS)[number];

/**
 * Battery percentage estimate from the status when the profile sends no level: new 100, good 80,
 * ok 50, low 20, critical 5; null for invalid/reserved.
 */
export function batteryPctFromStatus(status: number): number | null {
  return ([null, 100, 80, 50, 20, 5, null, null] as const)[status & 7] ?? null;
}

/** Manufacturer info of page 0x50. */
export interface ManufacturerInfo {
  readonly hwRevision: number;
  readonly manufacturerId: number;
  readonly modelNumber: number;
}
/** Product info of page 0x51. */
export interface ProductInfo {
  readonly swVersion: number;
  /** 32-bit serial, or null when 0xFFFFFFFF (none). */
  readonly serialNumber: number | null;
}
/** Battery of page 0x52. */
export interface BatteryInfo {
  readonly voltageV: number | null;
  readonly status: BatteryStatus;
  readonly pct: number | null;
}

/** Decode page 0x50 from 8 page bytes; null when short. */
export function decodeManufacturerPage(page: Uint8Array): ManufacturerInfo | null {
  const f = readPageFields(page, PAGE_50_LAYOUT);
  if (!f) return null;
  return { hwRevision: f.hwRevision!, manufacturerId: f.manufacturerId!, modelNumber: f.modelNumber! };
}

/** Decode page 0x51; null when short. */
export function decodeProductPage(page: Uint8Array): ProductInfo | null {
  const f = readPageFields(page, PAGE_51_LAYOUT);
  if (!f) return null;
  const serial = (f.serialLow! + f.serialHigh! * 65536) >>> 0;
  const swVersion = f.swSupplemental === 0xff ? f.swMain! / 10 : (f.swMain! * 100 + f.swSupplemental!) / 1000;
  return { swVersion, serialNumber: serial === 0xffffffff ? null : serial };
}

/** Decode page 0x52; null when short. */
export function decodeBatteryPage(page: Uint8Array): BatteryInfo | null {
  const f = readPageFields(page, PAGE_52_LAYOUT);
  if (!f) return null;
  const status = BATTERY_STATUS[f.status!]!;
  const voltageV = f.fractionalVoltage === 0xff ? null : f.coarseVoltage! + f.fractionalVoltage! / 256;
  return { voltageV, status, pct: batteryPctFromStatus(f.status!) };
}

/** Encode page 0x50. */
export function encodeManufacturerPage(info: ManufacturerInfo): Uint8Array {
  return writePageFields(PAGE_50_LAYOUT, { page: 0x50, ...info });
}

/** Encode page 0x51 (software version with one decimal, e.g. 2.1). */
export function encodeProductPage(info: { swVersion: number; serialNumber: number }): Uint8Array {
  return writePageFields(PAGE_51_LAYOUT, {
    page: 0x51,
    swSupplemental: 0xff,
    swMain: Math.round(info.swVersion * 10),
    serialLow: info.serialNumber & 0xffff,
    serialHigh: (info.serialNumber >>> 16) & 0xffff,
  });
}

/** Encode page 0x52 from a status index (see {@link BATTERY_STATUS}) and a voltage. */
export function encodeBatteryPage(status: number, voltageV: number): Uint8Array {
  const coarse = Math.floor(voltageV);
  return writePageFields(PAGE_52_LAYOUT, {
    page: 0x52,
    batteryId: 0xff,
    operatingTime: 0,
    fractionalVoltage: Math.round((voltageV - coarse) * 256) & 0xff,
    coarseVoltage: coarse,
    status,
  });
}
