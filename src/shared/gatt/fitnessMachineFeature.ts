/**
 * Fitness Machine Feature 0x2ACC (service Fitness Machine 0x1826, read) — docs/gatt.md §8.3:
 * two uint32 bit fields, Fitness Machine Features then Target Setting Features.
 */
import { fail, ok, type Result } from '../errors';
import { bitTable, readBitNames, writeBitNames } from './bitNames';

/** Fitness Machine Features bits in bit order (17–31 reserved). */
export const FITNESS_MACHINE_FEATURE_BITS = bitTable([
  'averageSpeed',
  'cadence',
  'totalDistance',
  'inclination',
  'elevationGain',
  'pace',
  'stepCount',
  'resistanceLevel',
  'strideCount',
  'expendedEnergy',
  'heartRateMeasurement',
  'metabolicEquivalent',
  'elapsedTime',
  'remainingTime',
  'powerMeasurement',
  'forceOnBeltAndPowerOutput',
  'userDataRetention',
] as const);

/** Target Setting Features bits in bit order (17–31 reserved). */
export const TARGET_SETTING_FEATURE_BITS = bitTable([
  'speedTarget',
  'inclinationTarget',
  'resistanceTarget',
  'powerTarget',
  'heartRateTarget',
  'targetedExpendedEnergy',
  'targetedStepNumber',
  'targetedStrideNumber',
  'targetedDistance',
  'targetedTrainingTime',
  'targetedTimeInTwoHrZones',
  'targetedTimeInThreeHrZones',
  'targetedTimeInFiveHrZones',
  'indoorBikeSimulation',
  'wheelCircumference',
  'spinDownControl',
  'targetedCadence',
] as const);

/** One machine feature name. */
export type FitnessMachineFeatureName = (typeof FITNESS_MACHINE_FEATURE_BITS)[number]['name'];
/** One target setting feature name. */
export type TargetSettingFeatureName = (typeof TARGET_SETTING_FEATURE_BITS)[number]['name'];

/** A decoded Fitness Machine Feature. */
export interface FitnessMachineFeature {
  readonly features: readonly FitnessMachineFeatureName[];
  readonly targets: readonly TargetSettingFeatureName[];
}

/** Decode a Fitness Machine Feature value. */
export function decodeFitnessMachineFeature(dv: DataView): Result<FitnessMachineFeature> {
  if (dv.byteLength < 8) return fail('GATT_SHORT_PAYLOAD', `Fitness Machine Feature 0x2ACC: ${dv.byteLength} byte(s), need 8`);
  return ok({
    features: readBitNames(dv.getUint32(0, true), FITNESS_MACHINE_FEATURE_BITS),
    targets: readBitNames(dv.getUint32(4, true), TARGET_SETTING_FEATURE_BITS),
  });
}

/** Encode a Fitness Machine Feature value (simulated machines). */
export function encodeFitnessMachineFeature(f: FitnessMachineFeature): Uint8Array {
  const out = new Uint8Array(8);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, writeBitNames(f.features, FITNESS_MACHINE_FEATURE_BITS), true);
  dv.setUint32(4, writeBitNames(f.targets, TARGET_SETTING_FEATURE_BITS), true);
  return out;
}
