/**
 * The device registry: what the host knows about every device (name, kind, source, link status,
 * last seen, battery, contact) and the link events (`connected`, `stale`, `lost`, `reconnected`…)
 * that the recorder logs and the uplinks forward as STATUS.
 */
import type { DeviceId, DeviceInfo, DeviceKind, DeviceSource, DeviceStatus } from '../shared/device';
import { nowMs, type Sample } from '../shared/sample';
import type { HubDeviceEvent } from './hub';

/** What a source tells the registry about a new device. */
export interface DeviceInit {
  readonly id: DeviceId;
  readonly name: string;
  readonly kind: DeviceKind;
  readonly source: DeviceSource;
  readonly isSimulated: boolean;
  readonly status?: DeviceStatus;
}

/** A change of a device's link status. */
export interface LinkEvent {
  readonly deviceId: DeviceId;
  readonly status: DeviceStatus;
  readonly previous: DeviceStatus | null;
  readonly reason: string;
  readonly tMs: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The device registry. */
export class DeviceRegistry {
  private readonly devices = new Map<DeviceId, Mutable<DeviceInfo>>();
  /** When each device last left `live` (epoch ms): only a reading taken after it brings the device back. */
  private readonly downSinceMs = new Map<DeviceId, number>();
  private readonly changeListeners = new Set<() => void>();
  private readonly linkListeners = new Set<(event: LinkEvent) => void>();
  /** Incremented whenever a device's last-seen time moves (the UI list refreshes on it at 1 Hz). */
  lastSeenVersion = 0;

  constructor(private readonly now: () => number = nowMs) {}

  /** Add a device or update its identity; a new device starts as `connecting` unless told otherwise. */
  upsert(init: DeviceInit): void {
    const existing = this.devices.get(init.id);
    if (existing) {
      existing.name = init.name;
      existing.kind = init.kind;
      if (init.status && init.status !== existing.status) this.setStatus(init.id, init.status, 'reported');
      else this.changed();
      return;
    }
    const status = init.status ?? 'connecting';
    this.devices.set(init.id, {
      id: init.id,
      name: init.name,
      kind: init.kind,
      source: init.source,
      status,
      lastSeenMs: null,
      batteryPct: null,
      contact: null,
      isSimulated: init.isSimulated,
    });
    this.emitLink({ deviceId: init.id, status, previous: null, reason: 'added', tMs: this.now() });
    this.changed();
  }

  /** Change a device's link status; emits a link event when it actually changes. */
  setStatus(id: DeviceId, status: DeviceStatus, reason: string): void {
    const d = this.devices.get(id);
    if (!d || d.status === status) return;
    const previous = d.status;
    d.status = status;
    if (previous === 'live') this.downSinceMs.set(id, this.now());
    else if (status === 'live') this.downSinceMs.delete(id);
    this.emitLink({ deviceId: id, status, previous, reason, tMs: this.now() });
    this.changed();
  }

  /**
   * Note samples: last seen, battery, contact; a device that sends data is live. A device that went
   * down (stale, reconnecting, lost) is live again only on a reading taken after it went down, never
   * on a reading that was merely delivered late.
   */
  noteSamples(batch: readonly Sample[]): void {
    let isChanged = false;
    for (const s of batch) {
      const d = this.devices.get(s.deviceId);
      if (!d) continue;
      if (d.lastSeenMs === null || s.tMs > d.lastSeenMs) {
        d.lastSeenMs = s.tMs;
        this.lastSeenVersion++;
      }
      if (s.metric === 'battery' && d.batteryPct !== s.value) {
        d.batteryPct = s.value;
        isChanged = true;
      } else if (s.metric === 'contact' && d.contact !== (s.value === 1)) {
        d.contact = s.value === 1;
        isChanged = true;
      }
      if (d.status !== 'live' && s.metric !== 'battery' && s.metric !== 'rssi' && s.tMs > (this.downSinceMs.get(d.id) ?? -Infinity)) {
        const reason = d.status === 'connecting' ? 'connected' : 'reconnected';
        this.setStatus(d.id, 'live', reason);
        isChanged = false;
      }
    }
    if (isChanged) this.changed();
  }

  /** Remove a device. */
  remove(id: DeviceId): void {
    if (!this.devices.delete(id)) return;
    this.downSinceMs.delete(id);
    this.emitLink({ deviceId: id, status: 'disconnected', previous: null, reason: 'removed', tMs: this.now() });
    this.changed();
  }

  /** One device. */
  get(id: DeviceId): DeviceInfo | undefined {
    return this.devices.get(id);
  }

  /** Every device, in insertion order (copies). */
  list(): DeviceInfo[] {
    return [...this.devices.values()].map((d) => ({ ...d }));
  }

  /** Called after any change (for the UI device list). */
  onChange(fn: () => void): () => void {
    this.changeListeners.add(fn);
    return () => this.changeListeners.delete(fn);
  }

  /** Called on every link status change. */
  onLinkEvent(fn: (event: LinkEvent) => void): () => void {
    this.linkListeners.add(fn);
    return () => this.linkListeners.delete(fn);
  }

  private changed(): void {
    for (const fn of this.changeListeners) fn();
  }

  private emitLink(event: LinkEvent): void {
    for (const fn of this.linkListeners) fn(event);
  }
}

/** What {@link followHubStaleness} needs from the hub. */
export interface StalenessSource {
  onDeviceEvent(fn: (event: HubDeviceEvent) => void): () => void;
  isDeviceStale(deviceId: DeviceId): boolean;
}

/**
 * A live device goes `stale` when the hub has marked every one of its tracked metrics stale: the
 * hub's per-metric timeouts (METRICS[...].staleAfterMs) are the only staleness decision in the host;
 * transports report facts (a stick was unplugged, a channel lost its device), never timeouts.
 */
export function followHubStaleness(hub: StalenessSource, registry: DeviceRegistry): () => void {
  return hub.onDeviceEvent((e) => {
    if (e.type !== 'stale' || !hub.isDeviceStale(e.deviceId)) return;
    if (registry.get(e.deviceId)?.status === 'live') registry.setStatus(e.deviceId, 'stale', `no data for ${e.metric}`);
  });
}
