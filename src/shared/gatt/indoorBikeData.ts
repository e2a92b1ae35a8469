/**
 * FTMS Indoor Bike Data 0x2AD2 (service Fitness Machine 0x1826, notify) — docs/gatt.md §8.1;
 * FTMS 1.0 and the current GATT Specification Supplement (bit 1 average speed, bit 2 instantaneous cadence).
 * Flags uint16; bit 0 is inverted ("More Data"): Instantaneous Speed is present when it is 0. Fields are
 * bounds-checked: a field that does not fit is dropped with every later one (vector FTMS-B09), never guessed.
 * Speeds are km/h as the machine sends them; the sample mapping converts to m/s.
 */
import { ok, type Result } from '../errors';
import { readLayout, writeLayout, type FieldGroup, type Layout } from './fields';

/** A decoded Indoor Bike Data notification (each notification describes itself; merge by field). */
export interface IndoorBikeData {
  /** Flags bit 0: more data follows in another notification (no instantaneous speed here). */
  readonly isMoreData: boolean;
  readonly speedKmh?: number;
  readonly averageSpeedKmh?: number;
  readonly cadenceRpm?: number;
  readonly averageCadenceRpm?: number;
  readonly totalDistanceM?: number;
  readonly resistanceLevel?: number;
  readonly powerW?: number;
  readonly averagePowerW?: number;
  readonly totalEnergyKcal?: number;
  /** Absent when the machine sends 0xFFFF (not available). */
  readonly energyPerHourKcal?: number;
  /** Absent when the machine sends 0xFF (not available). */
  readonly energyPerMinuteKcal?: number;
  readonly heartRateBpm?: number;
  readonly metabolicEquivalent?: number;
  readonly elapsedTimeS?: number;
  readonly remainingTimeS?: number;
  /** Fields the flags announced that did not fit in the value (dropped, never guessed). */
  readonly missingFields?: readonly string[];
}

/** FTMS Expended Energy group (bit 8 of Indoor Bike Data, bit 7 of Treadmill Data). */
export function expendedEnergyGroup(bit: number): FieldGroup {
  return {
    bit,
    fields: [
      { name: 'totalEnergyKcal', type: 'uint16', unit: 'kcal' },
      { name: 'energyPerHourKcal', type: 'uint16', unit: 'kcal/h', fill: 0xffff },
      { name: 'energyPerMinuteKcal', type: 'uint8', unit: 'kcal/min', fill: 0xff },
    ],
  };
}

/** The layout of 0x2AD2 as data. */
export const INDOOR_BIKE_DATA_LAYOUT: Layout = {
  name: 'Indoor Bike Data 0x2AD2',
  flagsType: 'uint16',
  flagValues: [{ name: 'isMoreData', shift: 0, width: 1 }],
  groups: [
    { bit: 0, isInverted: true, fields: [{ name: 'speedKmh', type: 'uint16', unit: 'km/h', divisor: 100 }] },
    { bit: 1, fields: [{ name: 'averageSpeedKmh', type: 'uint16', unit: 'km/h', divisor: 100 }] },
    { bit: 2, fields: [{ name: 'cadenceRpm', type: 'uint16', unit: 'rpm', divisor: 2 }] },
    { bit: 3, fields: [{ name: 'averageCadenceRpm', type: 'uint16', unit: 'rpm', divisor: 2 }] },
    { bit: 4, fields: [{ name: 'totalDistanceM', type: 'uint24', unit: 'm' }] },
    { bit: 5, fields: [{ name: 'resistanceLevel', type: 'sint16', unit: '' }] },
    { bit: 6, fields: [{ name: 'powerW', type: 'sint16', unit: 'W' }] },
    { bit: 7, fields: [{ name: 'averagePowerW', type: 'sint16', unit: 'W' }] },
    expendedEnergyGroup(8),
    { bit: 9, fields: [{ name: 'heartRateBpm', type: 'uint8', unit: 'bpm' }] },
    { bit: 10, fields: [{ name: 'metabolicEquivalent', type: 'uint8', unit: 'MET', divisor: 10 }] },
    { bit: 11, fields: [{ name: 'elapsedTimeS', type: 'uint16', unit: 's' }] },
    { bit: 12, fields: [{ name: 'remainingTimeS', type: 'uint16', unit: 's' }] },
  ],
};

/** Decode an Indoor Bike Data value, keeping every field that fits. */
export function decodeIndoorBikeData(dv: DataView): Result<IndoorBikeData> {
  const r = readLayout(dv, INDOOR_BIKE_DATA_LAYOUT);
  if (!r.ok) return r;
  const m = { ...r.value.values, isMoreData: r.value.values.isMoreData === 1 } as unknown as IndoorBikeData;
  return ok(r.value.missing.length > 0 ? { ...m, missingFields: r.value.missing } : m);
}

/** Encode an Indoor Bike Data value (simulated bikes); `isMoreData` follows from whether speed is given. */
export function encodeIndoorBikeData(fields: IndoorBikeData): Uint8Array {
  return writeLayout(INDOOR_BIKE_DATA_LAYOUT, { values: fields as unknown as Record<string, number | undefined> });
}
