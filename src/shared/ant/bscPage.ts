/**
 * ANT+ bike speed and cadence pages — docs/ant-plus.md §5.2 (combined sensor 0x79, no page byte) and
 * §5.3 (speed-only 0x7B, cadence-only 0x7A: byte 0 page number + toggle, bytes 4–5 event time 1/1024 s,
 * 6–7 cumulative revolutions; page 4 battery, page 5 stop indicator). Sources: openant `bike_speed_cadence.py`,
 * nRF5 `ant_bsc/pages/ant_bsc_page_0..5.c`. Rates from the counters follow docs/gatt.md "Rates from counters"
 * (src/shared/gatt/derive.ts, spec `ANT_WHEEL` / `CRANK`).
 */
import { readPageFields, writePageFields, type PageLayout } from './pageFields';

/** Combined speed & cadence (0x79) layout. */
const BSC_COMBINED_LAYOUT: PageLayout = [
  { name: 'cadenceEventTicks', byte: 0, type: 'u16' },
  { name: 'crankRevs', byte: 2, type: 'u16' },
  { name: 'speedEventTicks', byte: 4, type: 'u16' },
  { name: 'wheelRevs', byte: 6, type: 'u16' },
];

/** Speed-only / cadence-only common bytes. */
const BSC_SINGLE_LAYOUT: PageLayout = [
  { name: 'pageNumber', byte: 0, type: 'u8', shift: 0, width: 7 },
  { name: 'toggle', byte: 0, type: 'u8', shift: 7, width: 1 },
  { name: 'eventTicks', byte: 4, type: 'u16' },
  { name: 'revs', byte: 6, type: 'u16' },
];

/** Page-specific bytes 1–3 of speed-only / cadence-only sensors. */
const BSC_SINGLE_PAGE_LAYOUTS: { readonly [page: number]: PageLayout } = {
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
    { name: 'fractionalVoltage', byte: 2, type: 'u8' },
    { name: 'coarseVoltage', byte: 3, type: 'u8', shift: 0, width: 4 },
    { name: 'batteryStatus', byte: 3, type: 'u8', shift: 4, width: 3 },
  ],
  5: [{ name: 'isStopped', byte: 1, type: 'u8', shift: 0, width: 1 }],
};

/** Decoded combined page. */
export interface BscCombined {
  readonly cadenceEventTicks: number;
  readonly crankRevs: number;
  readonly speedEventTicks: number;
  readonly wheelRevs: number;
}

/** Decoded speed-only / cadence-only page. */
export interface BscSingle {
  readonly pageNumber: number;
  readonly toggle: number;
  readonly eventTicks: number;
  readonly revs: number;
  readonly [field: string]: number | undefined;
}

/** Decode a combined speed & cadence page; null when short. */
export function decodeBscCombined(page: Uint8Array, offset = 0): BscCombined | null {
  return readPageFields(page, BSC_COMBINED_LAYOUT, offset) as unknown as BscCombined | null;
}

/** Encode a combined speed & cadence page. */
export function encodeBscCombined(v: BscCombined): Uint8Array {
  return writePageFields(BSC_COMBINED_LAYOUT, {
    cadenceEventTicks: v.cadenceEventTicks & 0xffff,
    crankRevs: v.crankRevs & 0xffff,
    speedEventTicks: v.speedEventTicks & 0xffff,
    wheelRevs: v.wheelRevs & 0xffff,
  });
}

/** Decode a speed-only or cadence-only page; null when short. */
export function decodeBscSingle(page: Uint8Array, offset = 0): BscSingle | null {
  const common = readPageFields(page, BSC_SINGLE_LAYOUT, offset);
  if (!common) return null;
  const specific = BSC_SINGLE_PAGE_LAYOUTS[common.pageNumber!];
  if (specific) readPageFields(page, specific, offset, common);
  return common as BscSingle;
}

/** Encode a speed-only or cadence-only page. */
export function encodeBscSingle(fields: Partial<BscSingle> & { pageNumber: number; eventTicks: number; revs: number }): Uint8Array {
  const specific = BSC_SINGLE_PAGE_LAYOUTS[fields.pageNumber] ?? [];
  return writePageFields([...BSC_SINGLE_LAYOUT, ...specific], { toggle: 0, ...fields, eventTicks: fields.eventTicks & 0xffff, revs: fields.revs & 0xffff });
}
