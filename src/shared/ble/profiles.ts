/**
 * What the app reads from each kind of BLE sensor: the primary service used as the chooser filter,
 * the measurement characteristic it subscribes to, the characteristics it reads once (features,
 * body sensor location), and the optional services it asks access for (Battery). UUIDs come from
 * the shared GATT registry (docs/gatt.md).
 */
import type { DeviceKind } from '../device';
import { GATT_CODECS, GATT_SERVICE_UUIDS, fullUuid, type GattCharacteristicName, type GattServiceName } from '../gatt/registry';
import type { FitnessMachineType } from '../gatt/fitnessMachineServiceData';

/** Device kinds that can be added over Bluetooth. */
export const BLE_KINDS = ['hr', 'power', 'csc', 'rsc', 'bike', 'treadmill'] as const;
/** One of {@link BLE_KINDS}. */
export type BleKind = (typeof BLE_KINDS)[number];

/** The profile of one kind of sensor. */
export interface BleProfile {
  readonly kind: BleKind;
  /** The service the chooser filters on. */
  readonly service: GattServiceName;
  /** The characteristic whose notifications carry the readings. */
  readonly measurement: GattCharacteristicName;
  /** Characteristics read once after each connect (absent ones are skipped). */
  readonly reads: readonly GattCharacteristicName[];
  /** Fitness Machine Type advertised in the service data (kinds that share Fitness Machine; docs/ble-chooser.md). */
  readonly machineType?: FitnessMachineType;
}

/** Profiles by kind. */
export const BLE_PROFILES: { readonly [K in BleKind]: BleProfile } = {
  hr: { kind: 'hr', service: 'heart_rate', measurement: 'heart_rate_measurement', reads: ['body_sensor_location'] },
  power: { kind: 'power', service: 'cycling_power', measurement: 'cycling_power_measurement', reads: ['cycling_power_feature'] },
  csc: { kind: 'csc', service: 'cycling_speed_and_cadence', measurement: 'csc_measurement', reads: ['csc_feature'] },
  rsc: { kind: 'rsc', service: 'running_speed_and_cadence', measurement: 'rsc_measurement', reads: ['rsc_feature'] },
  bike: { kind: 'bike', service: 'fitness_machine', measurement: 'indoor_bike_data', reads: ['fitness_machine_feature'], machineType: 'indoorBike' },
  treadmill: { kind: 'treadmill', service: 'fitness_machine', measurement: 'treadmill_data', reads: ['fitness_machine_feature'], machineType: 'treadmill' },
};

/** Full UUID of a service. */
export function serviceUuid(service: GattServiceName): string {
  return fullUuid(GATT_SERVICE_UUIDS[service]);
}

/** Full UUID of a characteristic. */
export function characteristicUuid(name: GattCharacteristicName): string {
  return GATT_CODECS[name].uuid;
}

/** The service a characteristic belongs to. */
export function serviceOf(name: GattCharacteristicName): GattServiceName {
  return GATT_CODECS[name].service;
}

/** Whether `kind` can be added over Bluetooth. */
export function isBleKind(kind: DeviceKind): kind is BleKind {
  return (BLE_KINDS as readonly string[]).includes(kind);
}
