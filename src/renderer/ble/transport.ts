/**
 * The transport seam between the BLE connection manager and Web Bluetooth. `WebBluetoothLike` is
 * the structural subset of `navigator.bluetooth` / `BluetoothDevice` / GATT the app uses: the real
 * browser object satisfies it, and so does the simulated Bluetooth in `sim/` — both go through
 * {@link createBleTransport}, so the manager, the decoders and the event plumbing are the same code
 * in production, in sim mode and in tests. (docs/web-bluetooth.md §2.)
 */

/** Minimal EventTarget surface (what the DOM and Node's `EventTarget` both provide). */
export interface EventTargetLike {
  addEventListener(type: string, listener: (ev: Event) => void): void;
  removeEventListener(type: string, listener: (ev: Event) => void): void;
}

/** Subset of `BluetoothRemoteGATTCharacteristic`. */
export interface WebBluetoothCharacteristicLike extends EventTargetLike {
  readonly uuid: string;
  readonly properties: { readonly read: boolean; readonly notify: boolean; readonly indicate: boolean };
  readonly value?: DataView | null;
  readValue(): Promise<DataView>;
  startNotifications(): Promise<unknown>;
}

/** Subset of `BluetoothRemoteGATTService`. */
export interface WebBluetoothServiceLike {
  readonly uuid: string;
  getCharacteristic(uuid: string): Promise<WebBluetoothCharacteristicLike>;
}

/** Subset of `BluetoothRemoteGATTServer`. */
export interface WebBluetoothServerLike {
  readonly connected: boolean;
  connect(): Promise<WebBluetoothServerLike>;
  disconnect(): void;
  getPrimaryService(uuid: string): Promise<WebBluetoothServiceLike>;
}

/** Subset of `BluetoothDevice` (fires `gattserverdisconnected`). */
export interface WebBluetoothDeviceLike extends EventTargetLike {
  readonly id: string;
  readonly name?: string | null;
  readonly gatt?: WebBluetoothServerLike | null;
}

/** A service data filter: the advertised bytes of `service`, masked, start with `dataPrefix` masked. */
export interface BleServiceDataFilter {
  readonly service: string;
  readonly dataPrefix?: Uint8Array;
  readonly mask?: Uint8Array;
}

/** A `requestDevice` filter (subset of `BluetoothLEScanFilter`). */
export interface BleScanFilter {
  readonly services?: readonly string[];
  readonly name?: string;
  readonly namePrefix?: string;
  readonly serviceData?: readonly BleServiceDataFilter[];
}

/** Options of `requestDevice` (subset of `RequestDeviceOptions`). */
export interface BleRequestOptions {
  readonly filters: readonly BleScanFilter[];
  readonly optionalServices?: readonly string[];
}

/** Subset of `navigator.bluetooth`. `getDevices` exists only with the new permissions backend. */
export interface WebBluetoothLike {
  getAvailability(): Promise<boolean>;
  requestDevice(options: BleRequestOptions): Promise<WebBluetoothDeviceLike>;
  getDevices?(): Promise<WebBluetoothDeviceLike[]>;
}

/** A characteristic as the manager uses it. */
export interface BleCharacteristic {
  readonly uuid: string;
  readonly canRead: boolean;
  readonly canNotify: boolean;
  readValue(): Promise<DataView>;
  /** Subscribe; `onValue` gets each notification's bytes. Resolves once the peripheral confirmed. */
  startNotifications(onValue: (dv: DataView) => void): Promise<void>;
}

/** A connected device's GATT as the manager uses it. */
export interface BleGatt {
  /** The characteristic, or null when the service or characteristic does not exist. */
  characteristic(serviceUuid: string, characteristicUuid: string): Promise<BleCharacteristic | null>;
}

/** A granted device. */
export interface BleDevice {
  readonly id: string;
  readonly name: string;
  readonly isConnected: boolean;
  connect(): Promise<BleGatt>;
  disconnect(): void;
  /** Listen for `gattserverdisconnected`; returns the unsubscribe function. */
  onDisconnected(listener: () => void): () => void;
}

/** What the connection manager talks to. */
export interface BleTransport {
  /** Whether the devices are simulated (shown on tiles). */
  readonly isSimulated: boolean;
  isAvailable(): Promise<boolean>;
  /** Show the chooser (must run in a user gesture in a real browser). */
  requestDevice(options: BleRequestOptions): Promise<BleDevice>;
  /** Devices granted earlier, or null when the browser has no `getDevices` (old permissions backend). */
  getDevices(): Promise<BleDevice[] | null>;
}

/** 128-bit UUID string of a 16-bit SIG-assigned number (how Web Bluetooth reports `uuid`). */
export function uuid16(n: number): string {
  return `0000${n.toString(16).padStart(4, '0')}-0000-1000-8000-00805f9b34fb`;
}

/** Whether a promise rejection means "this service/characteristic is not there" (vs. a link error). */
function isNotFound(err: unknown): boolean {
  return err instanceof Error && (err.name === 'NotFoundError' || /not found|No Services|No Characteristics/i.test(err.message));
}

/** The listener attached to each characteristic object, so a re-subscribe never adds a second one. */
const attached = new WeakMap<WebBluetoothCharacteristicLike, (ev: Event) => void>();

function wrapCharacteristic(c: WebBluetoothCharacteristicLike): BleCharacteristic {
  return {
    uuid: c.uuid,
    canRead: c.properties.read,
    canNotify: c.properties.notify || c.properties.indicate,
    readValue: () => c.readValue(),
    async startNotifications(onValue) {
      // The listener reads `value` of the characteristic that fired: the DataView of this notification.
      const previous = attached.get(c);
      if (previous) c.removeEventListener('characteristicvaluechanged', previous);
      const listener = (ev: Event): void => {
        const value = (ev.target as WebBluetoothCharacteristicLike | null)?.value ?? c.value;
        if (value) onValue(value);
      };
      attached.set(c, listener);
      c.addEventListener('characteristicvaluechanged', listener);
      await c.startNotifications();
    },
  };
}

function wrapDevice(d: WebBluetoothDeviceLike): BleDevice {
  return {
    id: d.id,
    get name() {
      return d.name ?? '';
    },
    get isConnected() {
      return d.gatt?.connected ?? false;
    },
    async connect() {
      if (!d.gatt) throw new Error(`Device ${d.name ?? d.id} has no GATT server`);
      const server = await d.gatt.connect();
      return {
        async characteristic(serviceUuid, characteristicUuid) {
          try {
            const service = await server.getPrimaryService(serviceUuid);
            return wrapCharacteristic(await service.getCharacteristic(characteristicUuid));
          } catch (err) {
            if (isNotFound(err)) return null;
            throw err;
          }
        },
      };
    },
    disconnect: () => d.gatt?.disconnect(),
    onDisconnected(listener) {
      const fn = (): void => listener();
      d.addEventListener('gattserverdisconnected', fn);
      return () => d.removeEventListener('gattserverdisconnected', fn);
    },
  };
}

/** Wrap `navigator.bluetooth` (or the simulated Bluetooth) as a {@link BleTransport}. */
export function createBleTransport(bluetooth: WebBluetoothLike, isSimulated = false): BleTransport {
  const devices = new Map<string, BleDevice>();
  // One wrapper per device object keeps listeners attached to the same underlying device.
  const wrap = (d: WebBluetoothDeviceLike): BleDevice => {
    let w = devices.get(d.id);
    if (!w) {
      w = wrapDevice(d);
      devices.set(d.id, w);
    }
    return w;
  };
  return {
    isSimulated,
    isAvailable: () => bluetooth.getAvailability(),
    requestDevice: async (options) => wrap(await bluetooth.requestDevice(options)),
    async getDevices() {
      if (typeof bluetooth.getDevices !== 'function') return null;
      return (await bluetooth.getDevices()).map(wrap);
    },
  };
}

/** The browser's Web Bluetooth, or null when the page has none (Linux without the feature flag, Firefox). */
export function browserBluetooth(): WebBluetoothLike | null {
  const nav = globalThis.navigator as (Navigator & { bluetooth?: WebBluetoothLike }) | undefined;
  return nav?.bluetooth ?? null;
}
