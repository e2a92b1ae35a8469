/**
 * CSC Feature 0x2A5C (service Cycling Speed and Cadence 0x1816, read) — docs/gatt.md §6:
 * uint16 bit field, bit 0 wheel data, bit 1 crank data, bit 2 multiple sensor locations.
 */
import { fail, ok, type Result } from '../errors';
import { bitTable, readBitNames, writeBitNames } from './bitNames';

/** Feature bits of 0x2A5C in bit order. */
export const CSC_FEATURE_BITS = bitTable(['wheelRevolutionData', 'crankRevolutionData', 'multipleSensorLocations'] as const);

/** One feature name of 0x2A5C. */
export type CscFeatureName = (typeof CSC_FEATURE_BITS)[number]['name'];

/** A decoded CSC Feature. */
export interface CscFeature {
  readonly features: readonly CscFeatureName[];
}

/** Decode a CSC Feature value. */
export function decodeCscFeature(dv: DataView): Result<CscFeature> {
  if (dv.byteLength < 2) return fail('GATT_SHORT_PAYLOAD', `CSC Feature 0x2A5C: ${dv.byteLength} byte(s), need 2`);
  return ok({ features: readBitNames(dv.getUint16(0, true), CSC_FEATURE_BITS) });
}

/** Encode a CSC Feature value (simulated sensors). */
export function encodeCscFeature(f: CscFeature): Uint8Array {
  const v = writeBitNames(f.features, CSC_FEATURE_BITS);
  return Uint8Array.of(v & 0xff, v >>> 8);
}
