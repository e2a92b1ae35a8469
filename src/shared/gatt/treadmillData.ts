/**
 * FTMS Treadmill Data 0x2ACD (service Fitness Machine 0x1826, notify) — docs/gatt.md §8.2;
 * FTMS 1.0 / oesmith/gatt-xml `treadmill_data.xml`. Flags uint16, bit 0 inverted ("More Data").
 * Pace ambiguity: FTMS 1.0 types both pace fields as uint8, the current GSS as uint16, and the flags cannot
 * tell them apart. Rule: use the hypothesis whose expected length equals the notification length; if neither
 * does, keep only the fields before the pace. Pace is kept raw (display-only; derive pace from speed).
 */
import { fail, ok, type Result } from '../errors';
import { layoutLength, readLayout, writeLayout, type FieldGroup, type FieldType, type Layout } from './fields';
import { expendedEnergyGroup } from './indoorBikeData';

/** A decoded Treadmill Data notification. */
export interface TreadmillData {
  readonly isMoreData: boolean;
  readonly speedKmh?: number;
  readonly averageSpeedKmh?: number;
  readonly totalDistanceM?: number;
  readonly inclinationPct?: number;
  readonly rampAngleDeg?: number;
  readonly positiveElevationGainM?: number;
  readonly negativeElevationGainM?: number;
  /** Instantaneous pace as sent (uint8: km/min × 0.1; uint16: unit unconfirmed, see gatt.md §8.2). */
  readonly instantaneousPaceRaw?: number;
  readonly averagePaceRaw?: number;
  /** Width in bytes of the pace fields chosen by the length rule; null when no pace field was decoded. */
  readonly paceBytes: 1 | 2 | null;
  readonly totalEnergyKcal?: number;
  readonly energyPerHourKcal?: number;
  readonly energyPerMinuteKcal?: number;
  readonly heartRateBpm?: number;
  readonly metabolicEquivalent?: number;
  readonly elapsedTimeS?: number;
  readonly remainingTimeS?: number;
  readonly forceOnBeltN?: number;
  readonly powerOutputW?: number;
  /** Fields the flags announced that were not decoded (did not fit, or pace length matched neither form). */
  readonly missingFields?: readonly string[];
}

const PACE_BITS = [5, 6];

function treadmillLayout(paceType: FieldType, name: string): Layout {
  const groups: FieldGroup[] = [
    { bit: 0, isInverted: true, fields: [{ name: 'speedKmh', type: 'uint16', unit: 'km/h', divisor: 100 }] },
    { bit: 1, fields: [{ name: 'averageSpeedKmh', type: 'uint16', unit: 'km/h', divisor: 100 }] },
    { bit: 2, fields: [{ name: 'totalDistanceM', type: 'uint24', unit: 'm' }] },
    {
      bit: 3,
      fields: [
        { name: 'inclinationPct', type: 'sint16', unit: '%', divisor: 10 },
        { name: 'rampAngleDeg', type: 'sint16', unit: '°', divisor: 10 },
      ],
    },
    {
      bit: 4,
      fields: [
        { name: 'positiveElevationGainM', type: 'uint16', unit: 'm', divisor: 10 },
        { name: 'negativeElevationGainM', type: 'uint16', unit: 'm', divisor: 10 },
      ],
    },
    { bit: 5, fields: [{ name: 'instantaneousPaceRaw', type: paceType, unit: 'raw' }] },
    { bit: 6, fields: [{ name: 'averagePaceRaw', type: paceType, unit: 'raw' }] },
    expendedEnergyGroup(7),
    { bit: 8, fields: [{ name: 'heartRateBpm', type: 'uint8', unit: 'bpm' }] },
    { bit: 9, fields: [{ name: 'metabolicEquivalent', type: 'uint8', unit: 'MET', divisor: 10 }] },
    { bit: 10, fields: [{ name: 'elapsedTimeS', type: 'uint16', unit: 's' }] },
    { bit: 11, fields: [{ name: 'remainingTimeS', type: 'uint16', unit: 's' }] },
    {
      bit: 12,
      fields: [
        { name: 'forceOnBeltN', type: 'sint16', unit: 'N' },
        { name: 'powerOutputW', type: 'sint16', unit: 'W' },
      ],
    },
  ];
  return { name, flagsType: 'uint16', flagValues: [{ name: 'isMoreData', shift: 0, width: 1 }], groups };
}

/** Treadmill Data with one-byte pace fields (FTMS 1.0). */
export const TREADMILL_DATA_LAYOUT_PACE1: Layout = treadmillLayout('uint8', 'Treadmill Data 0x2ACD (1-byte pace)');
/** Treadmill Data with two-byte pace fields (current GSS). */
export const TREADMILL_DATA_LAYOUT_PACE2: Layout = treadmillLayout('uint16', 'Treadmill Data 0x2ACD (2-byte pace)');
/** Treadmill Data cut before the pace fields (used when neither pace width matches the length). */
export const TREADMILL_DATA_LAYOUT_PREFIX: Layout = {
  ...TREADMILL_DATA_LAYOUT_PACE2,
  name: 'Treadmill Data 0x2ACD (before pace)',
  groups: TREADMILL_DATA_LAYOUT_PACE2.groups.slice(0, 5),
};

/** Decode a Treadmill Data value, choosing the pace width by length (gatt.md §8.2). */
export function decodeTreadmillData(dv: DataView): Result<TreadmillData> {
  if (dv.byteLength < 2) return fail('GATT_SHORT_PAYLOAD', `Treadmill Data 0x2ACD: ${dv.byteLength} byte(s), the flags alone need 2`);
  const flags = dv.getUint16(0, true);
  const hasPace = PACE_BITS.some((b) => (flags >>> b) & 1);
  let layout = TREADMILL_DATA_LAYOUT_PACE2;
  let paceBytes: 1 | 2 | null = null;
  const dropped: string[] = [];
  if (hasPace) {
    if (dv.byteLength === layoutLength(TREADMILL_DATA_LAYOUT_PACE2, flags)) paceBytes = 2;
    else if (dv.byteLength === layoutLength(TREADMILL_DATA_LAYOUT_PACE1, flags)) {
      layout = TREADMILL_DATA_LAYOUT_PACE1;
      paceBytes = 1;
    } else {
      layout = TREADMILL_DATA_LAYOUT_PREFIX;
      for (const g of TREADMILL_DATA_LAYOUT_PACE2.groups.slice(5)) {
        if (g.bit !== null && (flags >>> g.bit) & 1) for (const f of g.fields) dropped.push(f.name);
      }
    }
  }
  const r = readLayout(dv, layout);
  if (!r.ok) return r;
  const missing = [...r.value.missing, ...dropped];
  const m = { ...r.value.values, isMoreData: r.value.values.isMoreData === 1, paceBytes } as unknown as TreadmillData;
  return ok(missing.length > 0 ? { ...m, missingFields: missing } : m);
}

/** Encode a Treadmill Data value (simulated treadmills); pace width from `paceBytes` (default 2). */
export function encodeTreadmillData(fields: TreadmillData): Uint8Array {
  const layout = fields.paceBytes === 1 ? TREADMILL_DATA_LAYOUT_PACE1 : TREADMILL_DATA_LAYOUT_PACE2;
  return writeLayout(layout, { values: fields as unknown as Record<string, number | undefined> });
}
