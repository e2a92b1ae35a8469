/**
 * Cycling Power Feature 0x2A65 (service Cycling Power 0x1818, read) — docs/gatt.md §4:
 * uint32 bit field; bit 16 sensor measurement context (force/torque), bits 20–21 distributed system support.
 */
import { fail, ok, type Result } from '../errors';
import { readBitNames, writeBitNames, type BitName } from './bitNames';

/** Supported-feature bits of 0x2A65 (bits 16 and 20–21 are values, not features). */
export const CYCLING_POWER_FEATURE_BITS = [
  { bit: 0, name: 'pedalPowerBalance' },
  { bit: 1, name: 'accumulatedTorque' },
  { bit: 2, name: 'wheelRevolutionData' },
  { bit: 3, name: 'crankRevolutionData' },
  { bit: 4, name: 'extremeMagnitudes' },
  { bit: 5, name: 'extremeAngles' },
  { bit: 6, name: 'topAndBottomDeadSpotAngles' },
  { bit: 7, name: 'accumulatedEnergy' },
  { bit: 8, name: 'offsetCompensationIndicator' },
  { bit: 9, name: 'offsetCompensation' },
  { bit: 10, name: 'measurementContentMasking' },
  { bit: 11, name: 'multipleSensorLocations' },
  { bit: 12, name: 'crankLengthAdjustment' },
  { bit: 13, name: 'chainLengthAdjustment' },
  { bit: 14, name: 'chainWeightAdjustment' },
  { bit: 15, name: 'spanLengthAdjustment' },
  { bit: 17, name: 'instantaneousMeasurementDirection' },
  { bit: 18, name: 'factoryCalibrationDate' },
  { bit: 19, name: 'enhancedOffsetCompensation' },
] as const satisfies readonly BitName[];

/** One feature name of 0x2A65. */
export type CyclingPowerFeatureName = (typeof CYCLING_POWER_FEATURE_BITS)[number]['name'];

/** Distributed System Support (bits 20–21). */
export const DISTRIBUTED_SYSTEM_SUPPORT = ['unspecified', 'notForDistributedSystem', 'canBeUsedInDistributedSystem', 'reserved'] as const;

/** A decoded Cycling Power Feature. */
export interface CyclingPowerFeature {
  readonly features: readonly CyclingPowerFeatureName[];
  /** Bit 16: 0 force-based, 1 torque-based. */
  readonly sensorMeasurementContext: 'force' | 'torque';
  readonly distributedSystem: (typeof DISTRIBUTED_SYSTEM_SUPPORT)[number];
}

/** Decode a Cycling Power Feature value. */
export function decodeCyclingPowerFeature(dv: DataView): Result<CyclingPowerFeature> {
  if (dv.byteLength < 4) return fail('GATT_SHORT_PAYLOAD', `Cycling Power Feature 0x2A65: ${dv.byteLength} byte(s), need 4`);
  const v = dv.getUint32(0, true);
  return ok({
    features: readBitNames(v, CYCLING_POWER_FEATURE_BITS),
    sensorMeasurementContext: (v >>> 16) & 1 ? 'torque' : 'force',
    distributedSystem: DISTRIBUTED_SYSTEM_SUPPORT[(v >>> 20) & 3]!,
  });
}

/** Encode a Cycling Power Feature value (simulated power meters). */
export function encodeCyclingPowerFeature(f: CyclingPowerFeature): Uint8Array {
  const v =
    writeBitNames(f.features, CYCLING_POWER_FEATURE_BITS) +
    (f.sensorMeasurementContext === 'torque' ? 2 ** 16 : 0) +
    DISTRIBUTED_SYSTEM_SUPPORT.indexOf(f.distributedSystem) * 2 ** 20;
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, v, true);
  return out;
}
