/**
 * CSC Measurement 0x2A5B (service Cycling Speed and Cadence 0x1816, notify) — docs/gatt.md §5;
 * Bluetooth SIG `org.bluetooth.characteristic.csc_measurement.xml`.
 * Flags uint8: bit 0 wheel data (uint32 revolutions + uint16 event time, 1/1024 s), bit 1 crank data
 * (uint16 revolutions + uint16 event time, 1/1024 s). Rates are derived in derive.ts.
 */
import { ok, type Result } from '../errors';
import { readLayout, writeLayout, type Layout } from './fields';

/** Ticks per second of CSC event times (wheel and crank). */
export const CSC_TICKS_PER_SECOND = 1024;

/** A decoded CSC Measurement: raw cumulative counters and event times as sent. */
export interface CscMeasurement {
  readonly cumulativeWheelRevs?: number;
  /** Last wheel event time, 1/1024 s (rolls over every 64 s). */
  readonly lastWheelEventTicks?: number;
  readonly cumulativeCrankRevs?: number;
  /** Last crank event time, 1/1024 s. */
  readonly lastCrankEventTicks?: number;
  /** Fields the flags announced that did not fit in the value (dropped, never guessed). */
  readonly missingFields?: readonly string[];
}

/** The layout of 0x2A5B as data. */
export const CSC_MEASUREMENT_LAYOUT: Layout = {
  name: 'CSC Measurement 0x2A5B',
  flagsType: 'uint8',
  flagValues: [],
  groups: [
    {
      bit: 0,
      fields: [
        { name: 'cumulativeWheelRevs', type: 'uint32', unit: 'revolutions' },
        { name: 'lastWheelEventTicks', type: 'uint16', unit: '1/1024 s' },
      ],
    },
    {
      bit: 1,
      fields: [
        { name: 'cumulativeCrankRevs', type: 'uint16', unit: 'revolutions' },
        { name: 'lastCrankEventTicks', type: 'uint16', unit: '1/1024 s' },
      ],
    },
  ],
};

/** Decode a CSC Measurement value. */
export function decodeCscMeasurement(dv: DataView): Result<CscMeasurement> {
  const r = readLayout(dv, CSC_MEASUREMENT_LAYOUT);
  if (!r.ok) return r;
  const m = { ...r.value.values } as CscMeasurement;
  return ok(r.value.missing.length > 0 ? { ...m, missingFields: r.value.missing } : m);
}

/** Encode a CSC Measurement value (simulated speed/cadence sensors). */
export function encodeCscMeasurement(fields: CscMeasurement): Uint8Array {
  return writeLayout(CSC_MEASUREMENT_LAYOUT, { values: fields as unknown as Record<string, number | undefined> });
}
