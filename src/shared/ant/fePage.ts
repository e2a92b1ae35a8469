/**
 * ANT+ fitness equipment pages (device type 17) — docs/ant-plus.md §5.5 (FE profile rev 4.1 as cited by
 * GoldenCheetah `ANTMessage.cpp`; openant `fitness_equipment.py`): 0x10 general FE data, 0x19 trainer /
 * stationary bike data.
 */
import { readPageFields, writePageFields, type PageLayout } from './pageFields';

/** Page layouts by page number. */
const FE_PAGE_LAYOUTS: { readonly [page: number]: PageLayout } = {
  0x10: [
    { name: 'page', byte: 0, type: 'u8' },
    { name: 'equipmentType', byte: 1, type: 'u8', shift: 0, width: 5 },
    { name: 'elapsedTime4', byte: 2, type: 'u8' },
    { name: 'distanceM', byte: 3, type: 'u8' },
    { name: 'speedMmps', byte: 4, type: 'u16' },
    { name: 'heartRateBpm', byte: 6, type: 'u8' },
    { name: 'hrSource', byte: 7, type: 'u8', shift: 0, width: 2 },
    { name: 'isDistanceEnabled', byte: 7, type: 'u8', shift: 2, width: 1 },
    { name: 'isVirtualSpeed', byte: 7, type: 'u8', shift: 3, width: 1 },
    { name: 'feState', byte: 7, type: 'u8', shift: 4, width: 3 },
    { name: 'lapToggle', byte: 7, type: 'u8', shift: 7, width: 1 },
  ],
  0x19: [
    { name: 'page', byte: 0, type: 'u8' },
    { name: 'eventCount', byte: 1, type: 'u8' },
    { name: 'cadenceRpm', byte: 2, type: 'u8' },
    { name: 'accumulatedPowerW', byte: 3, type: 'u16' },
    { name: 'powerLow', byte: 5, type: 'u8' },
    { name: 'powerHigh', byte: 6, type: 'u8', shift: 0, width: 4 },
    { name: 'trainerStatus', byte: 6, type: 'u8', shift: 4, width: 4 },
    { name: 'targetStatus', byte: 7, type: 'u8', shift: 0, width: 2 },
    { name: 'feState', byte: 7, type: 'u8', shift: 4, width: 3 },
    { name: 'lapToggle', byte: 7, type: 'u8', shift: 7, width: 1 },
  ],
};

/** Equipment type codes of page 0x10 byte 1. */
export const FE_EQUIPMENT_TYPES = { general: 16, treadmill: 19, elliptical: 20, rower: 22, climber: 23, nordicSkier: 24, trainer: 25 } as const;

/** Page 0x10 in app units (invalid values become null). */
export interface FeGeneral {
  readonly equipmentType: number;
  readonly elapsedTime4: number;
  /** Distance counter in metres, rolls over at 256 m. */
  readonly distanceM: number;
  readonly isDistanceEnabled: boolean;
  readonly speedMps: number | null;
  readonly heartRateBpm: number | null;
  readonly feState: number;
}

/** Page 0x19 in app units. */
export interface FeTrainer {
  readonly eventCount: number;
  readonly cadenceRpm: number | null;
  readonly accumulatedPowerW: number;
  readonly powerW: number | null;
  readonly trainerStatus: number;
  readonly feState: number;
}

/** Decode page 0x10; null when short. */
export function decodeFeGeneral(page: Uint8Array, offset = 0): FeGeneral | null {
  const f = readPageFields(page, FE_PAGE_LAYOUTS[0x10]!, offset);
  if (!f) return null;
  return {
    equipmentType: f.equipmentType!,
    elapsedTime4: f.elapsedTime4!,
    distanceM: f.distanceM!,
    isDistanceEnabled: f.isDistanceEnabled === 1,
    speedMps: f.speedMmps === 0xffff ? null : f.speedMmps! / 1000,
    heartRateBpm: f.heartRateBpm === 0xff || f.heartRateBpm === 0 ? null : f.heartRateBpm!,
    feState: f.feState!,
  };
}

/** Decode page 0x19; null when short. */
export function decodeFeTrainer(page: Uint8Array, offset = 0): FeTrainer | null {
  const f = readPageFields(page, FE_PAGE_LAYOUTS[0x19]!, offset);
  if (!f) return null;
  const power = f.powerLow! | (f.powerHigh! << 8);
  return {
    eventCount: f.eventCount!,
    cadenceRpm: f.cadenceRpm === 0xff ? null : f.cadenceRpm!,
    accumulatedPowerW: f.accumulatedPowerW!,
    powerW: power === 0xfff ? null : power,
    trainerStatus: f.trainerStatus!,
    feState: f.feState!,
  };
}

/** Encode page 0x10 (FE state 3 = in use, distance enabled). */
export function encodeFeGeneral(v: { equipmentType: number; elapsedS: number; distanceM: number; speedMps: number; heartRateBpm: number | null }): Uint8Array {
  return writePageFields(FE_PAGE_LAYOUTS[0x10]!, {
    page: 0x10,
    equipmentType: v.equipmentType,
    elapsedTime4: Math.floor(v.elapsedS * 4) & 0xff,
    distanceM: Math.floor(v.distanceM) & 0xff,
    speedMmps: Math.min(0xfffe, Math.round(v.speedMps * 1000)),
    heartRateBpm: v.heartRateBpm ?? 0xff,
    hrSource: v.heartRateBpm === null ? 0 : 1,
    isDistanceEnabled: 1,
    isVirtualSpeed: 0,
    feState: 3,
    lapToggle: 0,
  });
}

/** Encode page 0x19. */
export function encodeFeTrainer(v: { eventCount: number; cadenceRpm: number; accumulatedPowerW: number; powerW: number }): Uint8Array {
  const power = Math.min(0xffe, Math.round(v.powerW));
  return writePageFields(FE_PAGE_LAYOUTS[0x19]!, {
    page: 0x19,
    eventCount: v.eventCount & 0xff,
    cadenceRpm: Math.min(0xfe, Math.round(v.cadenceRpm)),
    accumulatedPowerW: Math.round(v.accumulatedPowerW) & 0xffff,
    powerLow: power & 0xff,
    powerHigh: power >> 8,
    trainerStatus: 0,
    targetStatus: 0,
    feState: 3,
    lapToggle: 0,
  });
}
