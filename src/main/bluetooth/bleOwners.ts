/**
 * Which UI connection (page) owns each Bluetooth device. Web Bluetooth links live in the page that
 * made them: when that page closes (tab closed, reload, window gone), its sensors are gone too. The
 * host used to keep them as stale/reconnecting ghosts in every new page; now a device leaves the
 * registry when the last page that reported it disconnects from the host.
 */
import type { DeviceId } from '../../shared/device';

/** Device ownership by UI connection id. */
export class BleOwners {
  private readonly owners = new Map<DeviceId, Set<string>>();

  /** `clientId` reported `deviceId` (it holds the Bluetooth link). */
  claim(deviceId: DeviceId, clientId: string): void {
    let set = this.owners.get(deviceId);
    if (!set) {
      set = new Set();
      this.owners.set(deviceId, set);
    }
    set.add(clientId);
  }

  /** The device left by the user's choice (removed, forgotten): no page owns it any more. */
  forget(deviceId: DeviceId): void {
    this.owners.delete(deviceId);
  }

  /** `clientId` went away; returns the devices no page owns any more (to remove). */
  release(clientId: string): DeviceId[] {
    const orphans: DeviceId[] = [];
    for (const [deviceId, set] of this.owners) {
      if (!set.delete(clientId) || set.size > 0) continue;
      this.owners.delete(deviceId);
      orphans.push(deviceId);
    }
    return orphans;
  }

  /** Number of devices with an owner (diagnostics, tests). */
  get size(): number {
    return this.owners.size;
  }
}
