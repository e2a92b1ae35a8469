/** Device and participant identity shared by every process. */

/** Stable device id: `ble:<id>`, `ant:<type>:<number>`, or `sim:<name>` for sample-level simulation. */
export type DeviceId = string;

/** Where a device's data comes from. */
export type DeviceSource = 'ble' | 'ant' | 'sim';

/** What kind of sensor a device is. */
export const DEVICE_KINDS = ['hr', 'power', 'csc', 'speed', 'cadence', 'rsc', 'bike', 'treadmill'] as const;
/** One of {@link DEVICE_KINDS}. */
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** Human labels of device kinds. */
export const DEVICE_KIND_LABELS: { readonly [K in DeviceKind]: string } = {
  hr: 'Heart-rate strap',
  power: 'Power meter',
  csc: 'Speed & cadence sensor',
  speed: 'Speed sensor',
  cadence: 'Cadence sensor',
  rsc: 'Foot pod',
  bike: 'Smart bike / trainer',
  treadmill: 'Treadmill',
};

/** Link state of a device as the UI shows it. */
export const DEVICE_STATUSES = ['connecting', 'live', 'stale', 'reconnecting', 'lost', 'disconnected'] as const;
/** One of {@link DEVICE_STATUSES}. */
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];

/** What the host knows about one device. */
export interface DeviceInfo {
  readonly id: DeviceId;
  readonly name: string;
  readonly kind: DeviceKind;
  readonly source: DeviceSource;
  readonly status: DeviceStatus;
  /** Reception time of the last sample, epoch ms; null before the first one. */
  readonly lastSeenMs: number | null;
  /** Battery percentage when known. */
  readonly batteryPct: number | null;
  /** Skin contact for straps that report it: true/false, null when unsupported. */
  readonly contact: boolean | null;
  /** Whether the device is driven by a simulator. */
  readonly isSimulated: boolean;
}

/** Build a BLE device id from the Web Bluetooth device id. */
export function bleDeviceId(webBluetoothId: string): DeviceId {
  return `ble:${webBluetoothId}`;
}

/** Build an ANT+ device id from device type and device number. */
export function antDeviceId(deviceType: number, deviceNumber: number): DeviceId {
  return `ant:${deviceType}:${deviceNumber}`;
}
