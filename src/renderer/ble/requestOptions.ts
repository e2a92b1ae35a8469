/**
 * How the renderer asks Web Bluetooth for a kind of sensor (the profile table itself is shared:
 * src/shared/ble/profiles.ts).
 */
import { fitnessMachineTypeFilter } from '../../shared/gatt/fitnessMachineServiceData';
import { BLE_PROFILES, serviceUuid, type BleKind } from '../../shared/ble/profiles';
import type { BleRequestOptions } from './transport';

/**
 * The `requestDevice` options for a kind: filter on its service (and, for the kinds sharing Fitness
 * Machine, on the machine type in its service data, so "Treadmill" never offers a bike), ask for
 * Battery too.
 */
export function requestOptionsFor(kind: BleKind, name?: string): BleRequestOptions {
  const profile = BLE_PROFILES[kind];
  const service = serviceUuid(profile.service);
  const serviceData = profile.machineType === undefined ? undefined : [{ service, ...fitnessMachineTypeFilter(profile.machineType) }];
  return {
    filters: [{ services: [service], ...(serviceData ? { serviceData } : {}), ...(name === undefined ? {} : { name }) }],
    optionalServices: [serviceUuid('battery_service')],
  };
}
