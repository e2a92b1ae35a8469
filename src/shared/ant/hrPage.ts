/**
 * ANT+ heart-rate data pages (device type 120) — docs/ant-plus.md §5.1 (openant `heart_rate.py`;
 * nRF5 `ant_hrm/pages/ant_hrm_page_0..4.c`). Byte 0: page number (bits 0–6) + toggle (bit 7, flips every
 * 4 messages); bytes 4–5 beat event time (1/1024 s, rollover 64 s), 6 beat count (rollover 256), 7 computed HR.
 */
import { readPageFields, writePageFields, type PageLayout } from './pageFields';

/** Ticks per second of beat event times. */
export const HR_TICKS_PER_SECOND = 1024;

/** Bytes common to every HR page. */
const HR_COMMON_LAYOUT: PageLayout = [
  { name: 'pageNumber', byte: 0, type: 'u8', shift: 0, width: 7 },
  { name: 'toggle', byte: 0, type: 'u8', shift: 7, width: 1 },
  { name: 'beatTimeTicks', byte: 4, type: 'u16' },
  { name: 'beatCount', byte: 6, type: 'u8' },
  { name: 'heartRateBpm', byte: 7, type: 'u8' },
];

/** Page-specific bytes 1–3, by page number. */
const HR_PAGE_LAYOUTS: { readonly [page: number]: PageLayout } = {
  0: [],
  1: [{ name: 'operatingTime2s', byte: 1, type: 'u24' }],
  2: [
    { name: 'manufacturerId', byte: 1, type: 'u8' },
    { name: 'serialHigh', byte: 2, type: 'u16' },
  ],
  3: [
    { name: 'hwVersion', byte: 1, type: 'u8' },
    { name: 'swVersion', byte: 2, type: 'u8' },
    { name: 'modelNumber', byte: 3, type: 'u8' },
  ],
  4: [
    { name: 'manufacturerSpecific', byte: 1, type: 'u8' },
    { name: 'previousBeatTicks', byte: 2, type: 'u16' },
  ],
  5: [
    { name: 'intervalAverageBpm', byte: 1, type: 'u8' },
    { name: 'intervalMaxBpm', byte: 2, type: 'u8' },
    { name: 'sessionAverageBpm', byte: 3, type: 'u8' },
  ],
  6: [
    { name: 'featuresSupported', byte: 2, type: 'u8' },
    { name: 'featuresEnabled', byte: 3, type: 'u8' },
  ],
  7: [
    { name: 'batteryPct', byte: 1, type: 'u8' },
    { name: 'fractionalVoltage', byte: 2, type: 'u8' },
    { name: 'coarseVoltage', byte: 3, type: 'u8', shift: 0, width: 4 },
    { name: 'batteryStatus', byte: 3, type: 'u8', shift: 4, width: 3 },
  ],
};

/** A decoded HR page: the common fields plus the page's own (absent fields are undefined). */
export interface HrPage {
  readonly pageNumber: number;
  readonly toggle: number;
  readonly beatTimeTicks: number;
  readonly beatCount: number;
  readonly heartRateBpm: number;
  readonly previousBeatTicks?: number;
  readonly operatingTime2s?: number;
  readonly manufacturerId?: number;
  readonly serialHigh?: number;
  readonly hwVersion?: number;
  readonly swVersion?: number;
  readonly modelNumber?: number;
  /** 0xFF = not available. */
  readonly batteryPct?: number;
  readonly batteryStatus?: number;
  readonly fractionalVoltage?: number;
  readonly coarseVoltage?: number;
  readonly [field: string]: number | undefined;
}

/** Decode the 8 HR page bytes at `page[offset…]`; null when fewer than 8 bytes are there. */
export function decodeHrPage(page: Uint8Array, offset = 0): HrPage | null {
  const common = readPageFields(page, HR_COMMON_LAYOUT, offset);
  if (!common) return null;
  const specific = HR_PAGE_LAYOUTS[common.pageNumber!];
  if (specific) readPageFields(page, specific, offset, common);
  return common as HrPage;
}

/** Encode an HR page (the simulator's side); `pageNumber` selects the page-specific layout. */
export function encodeHrPage(fields: Partial<HrPage> & { pageNumber: number; beatTimeTicks: number; beatCount: number; heartRateBpm: number }): Uint8Array {
  const specific = HR_PAGE_LAYOUTS[fields.pageNumber] ?? [];
  const values = { toggle: 0, ...fields, beatTimeTicks: fields.beatTimeTicks & 0xffff, beatCount: fields.beatCount & 0xff };
  return writePageFields([...HR_COMMON_LAYOUT, ...specific], values);
}
