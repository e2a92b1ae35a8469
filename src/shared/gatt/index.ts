/**
 * Bluetooth GATT codecs (docs/gatt.md): one file per characteristic, a table-driven field reader,
 * a UUID-keyed registry, derived rates from cumulative counters, and the mapping to `Sample`s.
 */
export * from './batteryLevel';
export * from './bitNames';
export * from './bodySensorLocation';
export * from './cscFeature';
export * from './cscMeasurement';
export * from './cyclingPowerFeature';
export * from './cyclingPowerMeasurement';
export * from './derive';
export * from './fields';
export * from './fitnessMachineFeature';
export * from './heartRateMeasurement';
export * from './indoorBikeData';
export * from './registry';
export * from './rscFeature';
export * from './rscMeasurement';
export * from './samples';
export * from './treadmillData';
