/**
 * RSC Measurement 0x2A53 (service Running Speed and Cadence 0x1814, notify) — docs/gatt.md §7;
 * Bluetooth SIG `org.bluetooth.characteristic.rsc_measurement.xml`.
 * Flags uint8: bit 0 stride length (uint16, 1/100 m), bit 1 total distance (uint32, 1/10 m),
 * bit 2 walking (0) / running (1). Speed uint16 in 1/256 m/s and cadence uint8 steps/min always present.
 */
import { ok, type Result } from '../errors';
import { readLayout, writeLayout, type Layout } from './fields';

/** A decoded RSC Measurement. */
export interface RscMeasurement {
  readonly speedMps: number;
  /** Steps per minute (not strides). */
  readonly stepCadenceSpm: number;
  readonly isRunning: boolean;
  readonly strideLengthM?: number;
  readonly totalDistanceM?: number;
  /** Fields the flags announced that did not fit in the value (dropped, never guessed). */
  readonly missingFields?: readonly string[];
}

/** The layout of 0x2A53 as data. */
export const RSC_MEASUREMENT_LAYOUT: Layout = {
  name: 'RSC Measurement 0x2A53',
  flagsType: 'uint8',
  flagValues: [{ name: 'isRunning', shift: 2, width: 1 }],
  groups: [
    {
      bit: null,
      fields: [
        { name: 'speedMps', type: 'uint16', unit: 'm/s', divisor: 256 },
        { name: 'stepCadenceSpm', type: 'uint8', unit: 'steps/min' },
      ],
    },
    { bit: 0, fields: [{ name: 'strideLengthM', type: 'uint16', unit: 'm', divisor: 100 }] },
    { bit: 1, fields: [{ name: 'totalDistanceM', type: 'uint32', unit: 'm', divisor: 10 }] },
  ],
};

/** Decode an RSC Measurement value; GATT_SHORT_PAYLOAD when speed or cadence are missing. */
export function decodeRscMeasurement(dv: DataView): Result<RscMeasurement> {
  const r = readLayout(dv, RSC_MEASUREMENT_LAYOUT);
  if (!r.ok) return r;
  const m = { ...r.value.values, isRunning: r.value.values.isRunning === 1 } as unknown as RscMeasurement;
  return ok(r.value.missing.length > 0 ? { ...m, missingFields: r.value.missing } : m);
}

/** Encode an RSC Measurement value (simulated foot pods). */
export function encodeRscMeasurement(fields: RscMeasurement): Uint8Array {
  return writeLayout(RSC_MEASUREMENT_LAYOUT, {
    values: fields as unknown as Record<string, number | undefined>,
    flagValues: { isRunning: fields.isRunning ? 1 : 0 },
  });
}
