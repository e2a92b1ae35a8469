/**
 * Fitness Machine Service Data (advertising AD element for service 0x1826) — docs/ble-chooser.md:
 * Flags (uint8, bit 0 "available") then Fitness Machine Type (uint16 LE, one bit per machine type).
 * Used to tell a treadmill from a smart bike before connecting: both offer the same service.
 */
import { fail, ok, type Result } from '../errors';

/** Fitness Machine Type bits (FTMS v1.0 §3.1.1), bit index by machine. */
const FITNESS_MACHINE_TYPE_BITS = {
  treadmill: 0,
  crossTrainer: 1,
  stepClimber: 2,
  stairClimber: 3,
  rower: 4,
  indoorBike: 5,
} as const;

/** A machine type named in {@link FITNESS_MACHINE_TYPE_BITS}. */
export type FitnessMachineType = keyof typeof FITNESS_MACHINE_TYPE_BITS;

/** Decoded service data. */
export interface FitnessMachineServiceData {
  readonly isAvailable: boolean;
  readonly types: readonly FitnessMachineType[];
}

/** Byte length of the service data payload. */
const FITNESS_MACHINE_SERVICE_DATA_BYTES = 3;

/** Encode the service data a machine of `types` advertises. */
export function encodeFitnessMachineServiceData(data: FitnessMachineServiceData): Uint8Array {
  let typeBits = 0;
  for (const t of data.types) typeBits |= 1 << FITNESS_MACHINE_TYPE_BITS[t];
  return new Uint8Array([data.isAvailable ? 1 : 0, typeBits & 0xff, typeBits >> 8]);
}

/** Decode advertised service data; shorter payloads are refused, never guessed. */
export function decodeFitnessMachineServiceData(dv: DataView): Result<FitnessMachineServiceData> {
  if (dv.byteLength < FITNESS_MACHINE_SERVICE_DATA_BYTES) {
    return fail('GATT_SHORT_PAYLOAD', `Fitness Machine service data: ${dv.byteLength} byte(s), need ${FITNESS_MACHINE_SERVICE_DATA_BYTES}`);
  }
  const typeBits = dv.getUint16(1, true);
  const types = (Object.entries(FITNESS_MACHINE_TYPE_BITS) as [FitnessMachineType, number][])
    .filter(([, bit]) => (typeBits & (1 << bit)) !== 0)
    .map(([t]) => t);
  return ok({ isAvailable: (dv.getUint8(0) & 1) === 1, types });
}

/** The `serviceData` filter (prefix and mask) matching machines that include `type`, available or not. */
export function fitnessMachineTypeFilter(type: FitnessMachineType): { dataPrefix: Uint8Array; mask: Uint8Array } {
  const bit = 1 << FITNESS_MACHINE_TYPE_BITS[type];
  const bytes = new Uint8Array([0, bit & 0xff, bit >> 8]);
  return { dataPrefix: bytes, mask: bytes.slice() };
}
