/**
 * A page (UI connection) closed: the Bluetooth devices only it held leave the host, since their
 * links lived in that page (see {@link BleOwners}). They are marked disconnected, then removed from
 * the registry, the hub and the recent-samples rings.
 */
import type { DeviceId } from '../../shared/device';
import type { BleOwners } from './bleOwners';

/** The host parts a departing device is removed from. */
export interface PageDeviceDeps {
  readonly bleOwners: BleOwners;
  readonly devices: { setStatus(id: DeviceId, status: 'disconnected', detail: string): void; remove(id: DeviceId): void };
  readonly hub: { forget(id: DeviceId): void };
  readonly recentSamples: { forget(id: DeviceId): void };
}

/** Remove the Bluetooth devices no open page holds any more after `clientId` closed; returns their ids. */
export function releasePageDevices(deps: PageDeviceDeps, clientId: string): DeviceId[] {
  const released = deps.bleOwners.release(clientId);
  for (const deviceId of released) {
    deps.devices.setStatus(deviceId, 'disconnected', 'the window that connected it was closed');
    deps.devices.remove(deviceId);
    deps.hub.forget(deviceId);
    deps.recentSamples.forget(deviceId);
  }
  return released;
}
