/**
 * ANT+ bicycle power pages (device type 11) — docs/ant-plus.md §5.4: 0x10 power-only, 0x11 wheel torque,
 * 0x12 crank torque (openant `power_meter.py`, GoldenCheetah `ANTMessage.cpp`, nRF5 `ant_bpwr_page_16.c`,
 * `ant_bpwr_page_torque.c`) and 0x20 crank torque frequency (CTF, SRM), which is BIG-ENDIAN
 * (GoldenCheetah "yes it is bigendian"). ant-plus-next decoded 0x20 wrongly and ignored 0x11/0x12 (§9 B7),
 * so these derivations are ours.
 */
import { readPageFields, rolloverDelta, writePageFields, type PageLayout } from './pageFields';

/** Page layouts by page number. */
const POWER_PAGE_LAYOUTS: { readonly [page: number]: PageLayout } = {
  0x10: [
    { name: 'page', byte: 0, type: 'u8' },
    { name: 'eventCount', byte: 1, type: 'u8' },
    { name: 'pedalPower', byte: 2, type: 'u8' },
    { name: 'cadenceRpm', byte: 3, type: 'u8' },
    { name: 'accumulatedPowerW', byte: 4, type: 'u16' },
    { name: 'powerW', byte: 6, type: 'u16' },
  ],
  0x11: [
    { name: 'page', byte: 0, type: 'u8' },
    { name: 'eventCount', byte: 1, type: 'u8' },
    { name: 'ticks', byte: 2, type: 'u8' },
    { name: 'cadenceRpm', byte: 3, type: 'u8' },
    { name: 'period2048', byte: 4, type: 'u16' },
    { name: 'torque32', byte: 6, type: 'u16' },
  ],
  0x12: [
    { name: 'page', byte: 0, type: 'u8' },
    { name: 'eventCount', byte: 1, type: 'u8' },
    { name: 'ticks', byte: 2, type: 'u8' },
    { name: 'cadenceRpm', byte: 3, type: 'u8' },
    { name: 'period2048', byte: 4, type: 'u16' },
    { name: 'torque32', byte: 6, type: 'u16' },
  ],
  0x20: [
    { name: 'page', byte: 0, type: 'u8' },
    { name: 'eventCount', byte: 1, type: 'u8' },
    { name: 'slope', byte: 2, type: 'u16be' },
    { name: 'timeStamp2000', byte: 4, type: 'u16be' },
    { name: 'torqueTicks', byte: 6, type: 'u16be' },
  ],
  /** Calibration page; for CTF (calibration id 0x10, CTF id 0x01) bytes 6–7 are the zero offset, MSB first. */
  0x01: [
    { name: 'page', byte: 0, type: 'u8' },
    { name: 'calibrationId', byte: 1, type: 'u8' },
    { name: 'ctfId', byte: 2, type: 'u8' },
    { name: 'ctfOffsetHz', byte: 6, type: 'u16be' },
  ],
};

/** Decoded power page fields (only the page's own fields are present). */
export type PowerPage = { readonly page: number } & { readonly [field: string]: number };

/** Decode a power page; null for pages this codec does not describe and for short pages. */
export function decodePowerPage(page: Uint8Array, offset = 0): PowerPage | null {
  const layout = POWER_PAGE_LAYOUTS[page[offset]!];
  return layout ? (readPageFields(page, layout, offset) as PowerPage) : null;
}

/** Encode a power page from its fields (`page` selects the layout). */
export function encodePowerPage(fields: { page: number; [field: string]: number }): Uint8Array {
  const layout = POWER_PAGE_LAYOUTS[fields.page];
  if (!layout) throw new RangeError(`no layout for power page 0x${fields.page.toString(16)}`);
  return writePageFields(layout, fields);
}

/** Power, cadence and torque derived from two consecutive event-based pages. */
export interface PowerDerived {
  readonly powerW: number;
  /** Crank cadence in rpm; null for wheel-torque pages (wheel rpm is not cadence). */
  readonly cadenceRpm: number | null;
  readonly torqueNm: number;
}

/** Most power a rider can produce (sprint peaks stay below 2.5 kW); more is a counter reset or corruption. */
export const MAX_POWER_W = 4000;
/** Most crank revolutions per second (480 rpm) — the same ceiling as docs/gatt.md "Rates from counters". */
const MAX_CRANK_REVS_PER_S = 8;
/** Most wheel revolutions per second (about 380 km/h on a 2.1 m wheel). */
const MAX_WHEEL_REVS_PER_S = 50;

/**
 * Torque pages 0x11/0x12: with E = Δevents, P = Δperiod (1/2048 s), T = Δtorque (1/32 N·m), E > 0:
 * power = 128π·T / P, torque = T / (32·E), crank cadence = 60·E·2048 / P. Returns null when E = 0
 * (no new event) and when the rate or power is beyond what a rider can do (counter reset: the caller keeps the
 * new page as its baseline); P = 0 with E > 0 means standing still (0 W, 0 rpm).
 */
export function deriveTorquePages(prev: PowerPage, cur: PowerPage): PowerDerived | null {
  const e = rolloverDelta(cur.eventCount!, prev.eventCount!, 8);
  if (e === 0) return null;
  const p = rolloverDelta(cur.period2048!, prev.period2048!, 16);
  const t = rolloverDelta(cur.torque32!, prev.torque32!, 16);
  const torqueNm = t / (32 * e);
  const isCrank = cur.page === 0x12;
  if (p === 0) return { powerW: 0, cadenceRpm: isCrank ? 0 : null, torqueNm };
  const revsPerS = (e * 2048) / p;
  const powerW = (128 * Math.PI * t) / p;
  if (revsPerS > (isCrank ? MAX_CRANK_REVS_PER_S : MAX_WHEEL_REVS_PER_S) || powerW > MAX_POWER_W) return null;
  return { powerW, cadenceRpm: isCrank ? revsPerS * 60 : null, torqueNm };
}

/**
 * CTF page 0x20: Δt = Δtimestamp/2000 s; cadence = 60·E/Δt; torque = (ΔtorqueTicks/Δt − offset)/(slope/10);
 * power = torque·cadence·π/30. Null when no new event, Δt = 0, or the cadence or power is beyond a rider
 * (counter reset). A torque frequency below the zero offset is coasting: 0 N·m, never negative power.
 */
export function deriveCtfPages(prev: PowerPage, cur: PowerPage, offsetHz: number): PowerDerived | null {
  const e = rolloverDelta(cur.eventCount!, prev.eventCount!, 8);
  const dtS = rolloverDelta(cur.timeStamp2000!, prev.timeStamp2000!, 16) / 2000;
  if (e === 0 || dtS === 0 || cur.slope === 0) return null;
  if (e / dtS > MAX_CRANK_REVS_PER_S) return null;
  const cadenceRpm = (60 * e) / dtS;
  const torqueFreqHz = rolloverDelta(cur.torqueTicks!, prev.torqueTicks!, 16) / dtS - offsetHz;
  const torqueNm = Math.max(0, torqueFreqHz / (cur.slope! / 10));
  const powerW = (torqueNm * cadenceRpm * Math.PI) / 30;
  if (powerW > MAX_POWER_W) return null;
  return { powerW, cadenceRpm, torqueNm };
}

/** CTF zero offset from a calibration page (id 0x10, CTF id 0x01), or null when the page is another kind. */
export function ctfOffsetFromCalibration(page: PowerPage): number | null {
  return page.page === 0x01 && page.calibrationId === 0x10 && page.ctfId === 0x01 ? page.ctfOffsetHz! : null;
}
