/**
 * RSC Feature 0x2A54 (service Running Speed and Cadence 0x1814, read) — docs/gatt.md §7:
 * uint16 bit field, bit 0 stride length, 1 total distance, 2 walking/running status, 3 calibration
 * procedure, 4 multiple sensor locations.
 */
import { fail, ok, type Result } from '../errors';
import { bitTable, readBitNames, writeBitNames } from './bitNames';

/** Feature bits of 0x2A54 in bit order. */
export const RSC_FEATURE_BITS = bitTable([
  'strideLength',
  'totalDistance',
  'walkingOrRunningStatus',
  'calibrationProcedure',
  'multipleSensorLocations',
] as const);

/** One feature name of 0x2A54. */
export type RscFeatureName = (typeof RSC_FEATURE_BITS)[number]['name'];

/** A decoded RSC Feature. */
export interface RscFeature {
  readonly features: readonly RscFeatureName[];
}

/** Decode an RSC Feature value. */
export function decodeRscFeature(dv: DataView): Result<RscFeature> {
  if (dv.byteLength < 2) return fail('GATT_SHORT_PAYLOAD', `RSC Feature 0x2A54: ${dv.byteLength} byte(s), need 2`);
  return ok({ features: readBitNames(dv.getUint16(0, true), RSC_FEATURE_BITS) });
}

/** Encode an RSC Feature value (simulated foot pods). */
export function encodeRscFeature(f: RscFeature): Uint8Array {
  const v = writeBitNames(f.features, RSC_FEATURE_BITS);
  return Uint8Array.of(v & 0xff, v >>> 8);
}
