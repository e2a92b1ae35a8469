/**
 * Vectors of docs/gatt.md §10.2–§10.10 (§10.1 is in heartRateMeasurement.vectors.ts): hex input, the
 * decoded fields, and the source named in the reference.
 */
import type { CyclingPowerMeasurement } from '../../../../src/shared/gatt/cyclingPowerMeasurement';
import type { IndoorBikeData } from '../../../../src/shared/gatt/indoorBikeData';
import type { GattCharacteristicName, GattValues } from '../../../../src/shared/gatt/registry';
import type { TreadmillData } from '../../../../src/shared/gatt/treadmillData';

/** One vector of one characteristic. */
export interface CodecVector<N extends GattCharacteristicName = GattCharacteristicName> {
  readonly id: string;
  readonly characteristic: N;
  readonly hex: string;
  readonly expected: GattValues[N];
  readonly source: string;
}

function v<N extends GattCharacteristicName>(id: string, characteristic: N, hex: string, expected: GattValues[N], source: string): CodecVector {
  return { id, characteristic, hex, expected, source } as CodecVector;
}

function cp(fields: Partial<CyclingPowerMeasurement> & { powerW: number }): CyclingPowerMeasurement {
  return { isBalanceReferenceLeft: false, isTorqueSourceCrank: false, isOffsetCompensationIndicated: false, ...fields };
}
function bike(fields: Partial<IndoorBikeData>): IndoorBikeData {
  return { isMoreData: false, ...fields };
}
function tread(fields: Partial<TreadmillData>): TreadmillData {
  return { isMoreData: false, paceBytes: null, ...fields };
}

const AUUKI_CP = 'dvmarinoff/Auuki src/ble/cps/cycling-power-measurement.js (comment)';
const CP_XML = 'constructed (cycling_power_measurement.xml)';
const CSC_INCYCLIST = 'incyclist/devices src/ble/characteristics/csc/measurement.unit.test.ts';
const RSC_XML = 'constructed (rsc_measurement.xml)';
const FM_INCYCLIST = 'incyclist/devices src/ble/fm/sensor.unit.test.ts';
const AUUKI_IBD = 'dvmarinoff/Auuki test/ble/indoor-bike-data.test.js';
const TREAD_XML = 'constructed (treadmill_data.xml)';

/** §10.2–§10.10. */
export const CODEC_VECTORS: readonly CodecVector[] = [
  v('BSL-01', 'body_sensor_location', '01', { code: 1, location: 'chest' }, 'constructed (body_sensor_location.xml)'),
  v('BSL-02', 'body_sensor_location', '02', { code: 2, location: 'wrist' }, 'constructed'),
  v('BSL-03', 'body_sensor_location', '07', { code: 7, location: 'unknown' }, 'constructed'),

  v('CPM-01', 'cycling_power_measurement', '30 00 21 00 2A 00 00 00 C4 60 12 00 F7 04',
    cp({ powerW: 33, cumulativeWheelRevs: 42, lastWheelEventTicks: 0x60c4, cumulativeCrankRevs: 18, lastCrankEventTicks: 0x04f7 }), AUUKI_CP),
  v('CPM-02', 'cycling_power_measurement',
    '7D 0F FA 00 64 40 01 10 00 00 00 00 08 20 00 00 04 2C 01 9C FF BC C0 0A 0A 00 B4 00 07 00',
    cp({
      powerW: 250, pedalPowerBalancePct: 50, accumulatedTorqueNm: 10, isTorqueSourceCrank: true,
      cumulativeWheelRevs: 16, lastWheelEventTicks: 2048, cumulativeCrankRevs: 32, lastCrankEventTicks: 1024,
      maxForceN: 300, minForceN: -100, extremeAngleMaxDeg: 0x0bc, extremeAngleMinDeg: 0x0ac,
      topDeadSpotAngleDeg: 10, bottomDeadSpotAngleDeg: 180, accumulatedEnergyKj: 7,
    }), CP_XML),
  v('CPM-03', 'cycling_power_measurement', '00 00 9C FF', cp({ powerW: -100 }), CP_XML),
  v('CPM-04', 'cycling_power_measurement', '01 00 FA 00 64', cp({ powerW: 250, pedalPowerBalancePct: 50 }), CP_XML),
  v('CPM-05', 'cycling_power_measurement', '03 00 FA 00 64', cp({ powerW: 250, pedalPowerBalancePct: 50, isBalanceReferenceLeft: true }), CP_XML),
  v('CPM-06', 'cycling_power_measurement', '04 00 64 00 40 01', cp({ powerW: 100, accumulatedTorqueNm: 10 }), CP_XML),
  v('CPM-07', 'cycling_power_measurement', '10 00 C8 00 10 00 00 00 00 08', cp({ powerW: 200, cumulativeWheelRevs: 16, lastWheelEventTicks: 2048 }), CP_XML),
  v('CPM-08', 'cycling_power_measurement', '20 00 C8 00 0A 00 00 04', cp({ powerW: 200, cumulativeCrankRevs: 10, lastCrankEventTicks: 1024 }), CP_XML),
  v('CPM-09', 'cycling_power_measurement', '00 01 64 00 BC 3A 12', cp({ powerW: 100, extremeAngleMaxDeg: 0xabc, extremeAngleMinDeg: 0x123 }),
    'constructed from the SIG example in cycling_power_measurement.xml'),
  v('CPM-10', 'cycling_power_measurement', '00 10 64 00', cp({ powerW: 100, isOffsetCompensationIndicated: true }), CP_XML),

  v('CPF-01', 'cycling_power_feature', '0C 00 00 00',
    { features: ['wheelRevolutionData', 'crankRevolutionData'], sensorMeasurementContext: 'force', distributedSystem: 'unspecified' },
    'constructed (cycling_power_feature.xml)'),
  v('CPF-02', 'cycling_power_feature', '09 00 21 00',
    { features: ['pedalPowerBalance', 'crankRevolutionData'], sensorMeasurementContext: 'torque', distributedSystem: 'canBeUsedInDistributedSystem' },
    'constructed (cycling_power_feature.xml)'),
  v('CSCF-01', 'csc_feature', '03 00', { features: ['wheelRevolutionData', 'crankRevolutionData'] }, 'constructed (csc_feature.xml)'),
  v('CSCF-02', 'csc_feature', '02 00', { features: ['crankRevolutionData'] }, 'constructed (csc_feature.xml)'),

  v('CSC-01', 'csc_measurement', '03 0C 00 00 00 44 1A 02 00 99 1D',
    { cumulativeWheelRevs: 12, lastWheelEventTicks: 6724, cumulativeCrankRevs: 2, lastCrankEventTicks: 7577 }, 'dvmarinoff/Auuki test/ble/cscs.test.js'),
  v('CSC-02a', 'csc_measurement', '03 D9 00 00 00 77 0C 01 00 00 98',
    { cumulativeWheelRevs: 217, lastWheelEventTicks: 0x0c77, cumulativeCrankRevs: 1, lastCrankEventTicks: 0x9800 }, CSC_INCYCLIST),
  v('CSC-03b', 'csc_measurement', '03 DC 00 00 00 91 14 03 00 4E 9F',
    { cumulativeWheelRevs: 220, lastWheelEventTicks: 0x1491, cumulativeCrankRevs: 3, lastCrankEventTicks: 0x9f4e }, CSC_INCYCLIST),
  v('CSC-04', 'csc_measurement', '01 DB 00 00 00 18 12', { cumulativeWheelRevs: 219, lastWheelEventTicks: 0x1218 }, CSC_INCYCLIST),
  v('CSC-05', 'csc_measurement', '02 0A 00 00 04', { cumulativeCrankRevs: 10, lastCrankEventTicks: 1024 }, 'constructed (csc_measurement.xml)'),

  v('RSC-01', 'rsc_measurement', '02 00 05 50 FF FF 00 01', { speedMps: 5, stepCadenceSpm: 80, isRunning: false, totalDistanceM: 1684275.1 },
    'OpenTracksApp/OpenTracks BluetoothHandlerRunningSpeedAndCadenceTest.java'),
  v('RSC-02', 'rsc_measurement', '07 80 02 50 20 03 00 10 00 00',
    { speedMps: 2.5, stepCadenceSpm: 80, isRunning: true, strideLengthM: 8, totalDistanceM: 409.6 }, 'Nordic RSCSDataParserTest'),
  v('RSC-03', 'rsc_measurement', '00 00 01 5A', { speedMps: 1, stepCadenceSpm: 90, isRunning: false }, RSC_XML),
  v('RSC-04', 'rsc_measurement', '05 00 03 B4 6E 00', { speedMps: 3, stepCadenceSpm: 180, isRunning: true, strideLengthM: 1.1 }, RSC_XML),
  v('RSC-05', 'rsc_measurement', '06 00 03 B4 10 27 00 00', { speedMps: 3, stepCadenceSpm: 180, isRunning: true, totalDistanceM: 1000 }, RSC_XML),

  v('FTMS-B01', 'indoor_bike_data', '44 00 CA 0C A0 00 2C 01', bike({ speedKmh: 32.74, cadenceRpm: 80, powerW: 300 }), AUUKI_IBD),
  v('FTMS-B02', 'indoor_bike_data', '54 02 CA 0C A0 00 D3 A4 00 2C 01 8F',
    bike({ speedKmh: 32.74, cadenceRpm: 80, totalDistanceM: 42195, powerW: 300, heartRateBpm: 143 }), AUUKI_IBD),
  v('FTMS-B03', 'indoor_bike_data', '54 08 E2 06 7E 00 BB 00 00 4D 00 00 00',
    bike({ speedKmh: 17.62, cadenceRpm: 63, totalDistanceM: 187, powerW: 77, elapsedTimeS: 0 }), FM_INCYCLIST),
  v('FTMS-B04', 'indoor_bike_data', '64 02 00 00 00 00 14 00 00 00 00',
    bike({ speedKmh: 0, cadenceRpm: 0, resistanceLevel: 20, powerW: 0, heartRateBpm: 0 }), `${FM_INCYCLIST} (Elite Volt)`),
  v('FTMS-B05', 'indoor_bike_data', '64 02 C1 08 00 00 14 00 1C 00 00',
    bike({ speedKmh: 22.41, cadenceRpm: 0, resistanceLevel: 20, powerW: 28, heartRateBpm: 0 }), `${FM_INCYCLIST} (Elite Volt)`),
  v('FTMS-B06', 'indoor_bike_data', 'fe1f00000000000000000000000100000000000000000000000000000000',
    bike({
      speedKmh: 0, averageSpeedKmh: 0, cadenceRpm: 0, averageCadenceRpm: 0, totalDistanceM: 0, resistanceLevel: 1, powerW: 0,
      averagePowerW: 0, totalEnergyKcal: 0, energyPerHourKcal: 0, energyPerMinuteKcal: 0, heartRateBpm: 0, metabolicEquivalent: 0,
      elapsedTimeS: 0, remainingTimeS: 0,
    }), `${FM_INCYCLIST} (Rave)`),
  v('FTMS-B07', 'indoor_bike_data', '44 02 DA 02 02 01 22 01 00',
    bike({ speedKmh: 7.3, cadenceRpm: 129, powerW: 290, heartRateBpm: 0 }), 'ptx2/gymnasticon src/test/bikes/ic4.js (Schwinn IC4)'),
  v('FTMS-B08', 'indoor_bike_data', 'FE 1F B8 0B C4 09 B4 00 AA 00 39 30 00 FB FF FA 00 C8 00 64 00 58 02 0A 96 4B 10 0E 58 02',
    bike({
      speedKmh: 30, averageSpeedKmh: 25, cadenceRpm: 90, averageCadenceRpm: 85, totalDistanceM: 12345, resistanceLevel: -5, powerW: 250,
      averagePowerW: 200, totalEnergyKcal: 100, energyPerHourKcal: 600, energyPerMinuteKcal: 10, heartRateBpm: 150,
      metabolicEquivalent: 7.5, elapsedTimeS: 3600, remainingTimeS: 600,
    }), 'constructed (all fields, non-zero)'),
  v('FTMS-B09', 'indoor_bike_data', '74 0B 00 00 00 00 00 00 00 64 00 00 00 00 00 00 00 00 48 00',
    bike({
      speedKmh: 0, cadenceRpm: 0, totalDistanceM: 0, resistanceLevel: 100, powerW: 0, totalEnergyKcal: 0, energyPerHourKcal: 0,
      energyPerMinuteKcal: 0, heartRateBpm: 72, missingFields: ['elapsedTimeS'],
    }), `${FM_INCYCLIST} (FS-2FC6E8 production log)`),
  v('FTMS-B10', 'indoor_bike_data', '41 00 2C 01', bike({ isMoreData: true, powerW: 300 }), 'constructed'),
  v('FTMS-B11', 'indoor_bike_data', '40 00 D0 07 EC FF', bike({ speedKmh: 20, powerW: -20 }), 'constructed'),

  v('FTMS-T01', 'treadmill_data', '00 00 E8 03', tread({ speedKmh: 10 }), TREAD_XML),
  v('FTMS-T02', 'treadmill_data', '84 04 2C 01 96 00 00 0C 00 00 00 00 78 00',
    tread({ speedKmh: 3, totalDistanceM: 150, totalEnergyKcal: 12, energyPerHourKcal: 0, energyPerMinuteKcal: 0, elapsedTimeS: 120 }), TREAD_XML),
  v('FTMS-T03', 'treadmill_data', '08 00 E8 03 EC FF 00 00', tread({ speedKmh: 10, inclinationPct: -2, rampAngleDeg: 0 }), TREAD_XML),
  v('FTMS-T04', 'treadmill_data', '10 00 E8 03 64 00 0A 00', tread({ speedKmh: 10, positiveElevationGainM: 10, negativeElevationGainM: 1 }), TREAD_XML),
  v('FTMS-T05', 'treadmill_data', '60 01 E8 03 0A 09 8C',
    tread({ speedKmh: 10, instantaneousPaceRaw: 10, averagePaceRaw: 9, heartRateBpm: 140, paceBytes: 1 }), TREAD_XML),
  v('FTMS-T06', 'treadmill_data', '60 01 E8 03 F0 00 04 01 8C',
    tread({ speedKmh: 10, instantaneousPaceRaw: 240, averagePaceRaw: 260, heartRateBpm: 140, paceBytes: 2 }), TREAD_XML),
  v('FTMS-T07', 'treadmill_data', '00 10 E8 03 F6 FF 96 00', tread({ speedKmh: 10, forceOnBeltN: -10, powerOutputW: 150 }), TREAD_XML),
  v('FTMS-T08', 'treadmill_data', '00 0A E8 03 32 2C 01', tread({ speedKmh: 10, metabolicEquivalent: 5, remainingTimeS: 300 }), TREAD_XML),
  v('FTMS-T09', 'treadmill_data', '01 04 78 00', tread({ isMoreData: true, elapsedTimeS: 120 }), TREAD_XML),

  v('FMF-01', 'fitness_machine_feature', '03 40 00 00 0C 60 00 00',
    { features: ['averageSpeed', 'cadence', 'powerMeasurement'], targets: ['resistanceTarget', 'powerTarget', 'indoorBikeSimulation', 'wheelCircumference'] },
    `${FM_INCYCLIST} (values 16387 / 24588)`),
  v('FMF-02', 'fitness_machine_feature', '86 54 00 00 0C E0 00 00',
    {
      features: ['cadence', 'totalDistance', 'resistanceLevel', 'heartRateMeasurement', 'elapsedTime', 'powerMeasurement'],
      targets: ['resistanceTarget', 'powerTarget', 'indoorBikeSimulation', 'wheelCircumference', 'spinDownControl'],
    }, 'constructed'),
  v('FMF-03', 'fitness_machine_feature', '3D 16 00 00 03 00 00 00',
    {
      features: ['averageSpeed', 'totalDistance', 'inclination', 'elevationGain', 'pace', 'expendedEnergy', 'heartRateMeasurement', 'elapsedTime'],
      targets: ['speedTarget', 'inclinationTarget'],
    }, 'constructed'),

  v('BAT-01', 'battery_level', '55', { levelPct: 85, raw: 85 }, 'constructed (battery_level.xml)'),
  v('BAT-02a', 'battery_level', '00', { levelPct: 0, raw: 0 }, 'constructed (battery_level.xml)'),
  v('BAT-02b', 'battery_level', '64', { levelPct: 100, raw: 100 }, 'constructed (battery_level.xml)'),
  v('BAT-03', 'battery_level', '65', { levelPct: null, raw: 101 }, 'constructed (battery_level.xml): 101 is invalid, shown as unknown'),
];

/** Ids of vectors whose bytes the encoder must reproduce exactly (device captures with quirks are excluded). */
export const EXACT_REENCODE_EXCLUDED = new Set(['BAT-03', 'BSL-03', 'FTMS-B09']);
