/**
 * GATT characteristic registry: every characteristic the app decodes, keyed by its Web Bluetooth name, with
 * its 16-bit UUID, service, decoder and encoder. Dispatch by UUID goes through lookup tables, not a switch.
 * Names and UUIDs as in docs/gatt.md (checked with BluetoothUUID in Chromium).
 */
import { fail, ok, type Result } from '../errors';
import { decodeBatteryLevel, encodeBatteryLevel, type BatteryLevel } from './batteryLevel';
import { decodeBodySensorLocation, encodeBodySensorLocation, type BodySensorLocation } from './bodySensorLocation';
import { decodeCscFeature, encodeCscFeature, type CscFeature } from './cscFeature';
import { decodeCscMeasurement, encodeCscMeasurement, type CscMeasurement } from './cscMeasurement';
import { decodeCyclingPowerFeature, encodeCyclingPowerFeature, type CyclingPowerFeature } from './cyclingPowerFeature';
import {
  decodeCyclingPowerMeasurement,
  encodeCyclingPowerMeasurement,
  type CyclingPowerMeasurement,
} from './cyclingPowerMeasurement';
import {
  decodeFitnessMachineFeature,
  encodeFitnessMachineFeature,
  type FitnessMachineFeature,
} from './fitnessMachineFeature';
import { decodeHeartRateMeasurement, encodeHeartRateMeasurement, type HeartRateMeasurement } from './heartRateMeasurement';
import { decodeIndoorBikeData, encodeIndoorBikeData, type IndoorBikeData } from './indoorBikeData';
import { decodeRscFeature, encodeRscFeature, type RscFeature } from './rscFeature';
import { decodeRscMeasurement, encodeRscMeasurement, type RscMeasurement } from './rscMeasurement';
import { decodeTreadmillData, encodeTreadmillData, type TreadmillData } from './treadmillData';

/** Decoded value type of each characteristic, by Web Bluetooth name. */
export interface GattValues {
  heart_rate_measurement: HeartRateMeasurement;
  body_sensor_location: BodySensorLocation;
  cycling_power_measurement: CyclingPowerMeasurement;
  cycling_power_feature: CyclingPowerFeature;
  csc_measurement: CscMeasurement;
  csc_feature: CscFeature;
  rsc_measurement: RscMeasurement;
  rsc_feature: RscFeature;
  indoor_bike_data: IndoorBikeData;
  treadmill_data: TreadmillData;
  fitness_machine_feature: FitnessMachineFeature;
  battery_level: BatteryLevel;
}

/** Web Bluetooth name of a characteristic the app decodes. */
export type GattCharacteristicName = keyof GattValues;

/** Web Bluetooth service names the app uses. */
export type GattServiceName =
  | 'heart_rate'
  | 'cycling_power'
  | 'cycling_speed_and_cadence'
  | 'running_speed_and_cadence'
  | 'fitness_machine'
  | 'battery_service';

/** 16-bit UUIDs of the services. */
export const GATT_SERVICE_UUIDS: { readonly [K in GattServiceName]: number } = {
  heart_rate: 0x180d,
  cycling_power: 0x1818,
  cycling_speed_and_cadence: 0x1816,
  running_speed_and_cadence: 0x1814,
  fitness_machine: 0x1826,
  battery_service: 0x180f,
};

/** One characteristic: identity, properties, decoder and encoder. */
export interface GattCodec<N extends GattCharacteristicName = GattCharacteristicName> {
  readonly name: N;
  /** Title as in the GATT specification. */
  readonly title: string;
  readonly uuid16: number;
  /** Full lower-case 128-bit UUID as Web Bluetooth reports it. */
  readonly uuid: string;
  readonly service: GattServiceName;
  /** Whether the app subscribes to notifications (otherwise it reads the value once). */
  readonly isNotify: boolean;
  readonly decode: (dv: DataView) => Result<GattValues[N]>;
  readonly encode: (value: GattValues[N]) => Uint8Array;
}

/** Full 128-bit UUID of a 16-bit SIG UUID (`0000xxxx-0000-1000-8000-00805f9b34fb`). */
export function fullUuid(uuid16: number): string {
  return `0000${uuid16.toString(16).padStart(4, '0')}-0000-1000-8000-00805f9b34fb`;
}

function codec<N extends GattCharacteristicName>(
  name: N,
  title: string,
  uuid16: number,
  service: GattServiceName,
  isNotify: boolean,
  decode: (dv: DataView) => Result<GattValues[N]>,
  encode: (value: GattValues[N]) => Uint8Array,
): GattCodec<N> {
  return { name, title, uuid16, uuid: fullUuid(uuid16), service, isNotify, decode, encode };
}

/** Every characteristic codec, keyed by Web Bluetooth name. */
export const GATT_CODECS: { readonly [N in GattCharacteristicName]: GattCodec<N> } = {
  heart_rate_measurement: codec('heart_rate_measurement', 'Heart Rate Measurement', 0x2a37, 'heart_rate', true, decodeHeartRateMeasurement, encodeHeartRateMeasurement),
  body_sensor_location: codec('body_sensor_location', 'Body Sensor Location', 0x2a38, 'heart_rate', false, decodeBodySensorLocation, (v) =>
    encodeBodySensorLocation(v.location),
  ),
  cycling_power_measurement: codec('cycling_power_measurement', 'Cycling Power Measurement', 0x2a63, 'cycling_power', true, decodeCyclingPowerMeasurement, encodeCyclingPowerMeasurement),
  cycling_power_feature: codec('cycling_power_feature', 'Cycling Power Feature', 0x2a65, 'cycling_power', false, decodeCyclingPowerFeature, encodeCyclingPowerFeature),
  csc_measurement: codec('csc_measurement', 'CSC Measurement', 0x2a5b, 'cycling_speed_and_cadence', true, decodeCscMeasurement, encodeCscMeasurement),
  csc_feature: codec('csc_feature', 'CSC Feature', 0x2a5c, 'cycling_speed_and_cadence', false, decodeCscFeature, encodeCscFeature),
  rsc_measurement: codec('rsc_measurement', 'RSC Measurement', 0x2a53, 'running_speed_and_cadence', true, decodeRscMeasurement, encodeRscMeasurement),
  rsc_feature: codec('rsc_feature', 'RSC Feature', 0x2a54, 'running_speed_and_cadence', false, decodeRscFeature, encodeRscFeature),
  indoor_bike_data: codec('indoor_bike_data', 'Indoor Bike Data', 0x2ad2, 'fitness_machine', true, decodeIndoorBikeData, encodeIndoorBikeData),
  treadmill_data: codec('treadmill_data', 'Treadmill Data', 0x2acd, 'fitness_machine', true, decodeTreadmillData, encodeTreadmillData),
  fitness_machine_feature: codec('fitness_machine_feature', 'Fitness Machine Feature', 0x2acc, 'fitness_machine', false, decodeFitnessMachineFeature, encodeFitnessMachineFeature),
  battery_level: codec('battery_level', 'Battery Level', 0x2a19, 'battery_service', true, decodeBatteryLevel, (v) =>
    encodeBatteryLevel(v.levelPct ?? 0),
  ),
};

/** Every codec in a list. */
export const GATT_CODEC_LIST: readonly GattCodec[] = Object.values(GATT_CODECS) as GattCodec[];

const BY_KEY = new Map<string, GattCodec>();
for (const c of GATT_CODEC_LIST) {
  BY_KEY.set(c.name, c);
  BY_KEY.set(c.uuid, c);
  BY_KEY.set(c.uuid16.toString(16), c);
  BY_KEY.set(`0x${c.uuid16.toString(16)}`, c);
}

/**
 * Find a codec by Web Bluetooth name, full UUID, 16-bit UUID number, or "2a37"/"0x2A37"; undefined when unknown.
 */
export function findGattCodec(key: string | number): GattCodec | undefined {
  return BY_KEY.get(typeof key === 'number' ? key.toString(16) : key.toLowerCase());
}

/** A decoded value tagged with its characteristic (what {@link decodeCharacteristic} returns). */
export type DecodedCharacteristic = { [N in GattCharacteristicName]: { readonly name: N; readonly value: GattValues[N] } }[GattCharacteristicName];

/** Decode a value of the characteristic `key` (name or UUID); GATT_BAD_VALUE for an unknown characteristic. */
export function decodeCharacteristic(key: string | number, dv: DataView): Result<DecodedCharacteristic> {
  const c = findGattCodec(key);
  if (!c) return fail('GATT_BAD_VALUE', `No decoder for characteristic ${String(key)}`);
  const r = c.decode(dv);
  if (!r.ok) return r;
  return ok({ name: c.name, value: r.value } as DecodedCharacteristic);
}
