/**
 * A simulated Web Bluetooth: the subset of `navigator.bluetooth` / `BluetoothDevice` / GATT the
 * connection manager uses (see `WebBluetoothLike`), backed by simulated peripherals driven by the
 * scenario model. Notifications carry the bytes a real sensor would send; dropouts of the scenario
 * (or triggered by tests) fire `gattserverdisconnected` and make `connect()` fail until the device is
 * back. `requestDevice` picks the next not-yet-granted peripheral offering the requested service,
 * standing in for the chooser.
 */
import { batteryAt, curveValue, isDroppedOut, type ScenarioDevice } from '../../../shared/scenario';
import type { MetricId } from '../../../shared/metrics';
import { encodeBatteryLevel } from '../../../shared/gatt/batteryLevel';
import { GATT_CODECS, type GattCharacteristicName } from '../../../shared/gatt/registry';
import { encodeFitnessMachineServiceData } from '../../../shared/gatt/fitnessMachineServiceData';
import { BLE_PROFILES, characteristicUuid, isBleKind, serviceOf, serviceUuid, type BleKind } from '../../../shared/ble/profiles';
import type {
  BleRequestOptions,
  BleScanFilter,
  WebBluetoothCharacteristicLike,
  WebBluetoothDeviceLike,
  WebBluetoothLike,
  WebBluetoothServerLike,
  WebBluetoothServiceLike,
} from '../transport';
import { createPeripheralModel, type PeripheralModel } from './peripheralModels';

/** A DOMException-like error with the name Web Bluetooth uses. */
function bleError(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

class SimCharacteristic extends EventTarget implements WebBluetoothCharacteristicLike {
  value: DataView | null = null;
  isNotifying = false;
  constructor(
    readonly uuid: string,
    readonly properties: { read: boolean; notify: boolean; indicate: boolean },
    private readonly peripheral: SimPeripheral,
    private readonly readFn: (() => Uint8Array) | null,
  ) {
    super();
  }
  async readValue(): Promise<DataView> {
    this.peripheral.assertConnected();
    if (!this.readFn) throw bleError('NotSupportedError', 'GATT operation not permitted.');
    this.value = new DataView(this.readFn().slice().buffer);
    return this.value;
  }
  async startNotifications(): Promise<this> {
    this.peripheral.assertConnected();
    if (!this.properties.notify) throw bleError('NotSupportedError', 'GATT operation not permitted.');
    this.isNotifying = true;
    this.peripheral.onSubscribed(this);
    return this;
  }
  /** Deliver one notification (as Chromium does: set `value`, then fire the event). */
  notify(bytes: Uint8Array): void {
    if (!this.isNotifying) return;
    this.value = new DataView(bytes.slice().buffer);
    this.dispatchEvent(new Event('characteristicvaluechanged'));
  }
}

class SimService implements WebBluetoothServiceLike {
  constructor(
    readonly uuid: string,
    private readonly peripheral: SimPeripheral,
    private readonly characteristics: Map<string, SimCharacteristic>,
  ) {}
  async getCharacteristic(uuid: string): Promise<WebBluetoothCharacteristicLike> {
    this.peripheral.assertConnected();
    const c = this.characteristics.get(uuid);
    if (!c || this.peripheral.faults.missingCharacteristics.has(uuid)) {
      throw bleError('NotFoundError', `No Characteristics matching UUID ${uuid} found in Service.`);
    }
    return c;
  }
}

class SimServer implements WebBluetoothServerLike {
  connected = false;
  constructor(private readonly peripheral: SimPeripheral) {}
  async connect(): Promise<this> {
    const { connectDelayMs, isConnectRefused } = this.peripheral.faults;
    if (connectDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, connectDelayMs));
    else await Promise.resolve();
    if (isConnectRefused || this.peripheral.isDown()) throw bleError('NetworkError', 'Connection failed for unknown reason.');
    this.connected = true;
    return this;
  }
  disconnect(): void {
    this.peripheral.linkLost();
  }
  async getPrimaryService(uuid: string): Promise<WebBluetoothServiceLike> {
    this.peripheral.assertConnected();
    const s = this.peripheral.services.get(uuid);
    if (!s) throw bleError('NotFoundError', `No Services matching UUID ${uuid} found in Device.`);
    return s;
  }
}

/** Options of one simulated peripheral. */
export interface SimPeripheralOptions {
  readonly def: ScenarioDevice;
  readonly kind: BleKind;
  /** Simulated Web Bluetooth device id (Chromium uses base64 strings). */
  readonly id: string;
  readonly startMs: number;
  readonly seed: number;
  readonly key: number;
}

/** Link faults a test sets on one simulated peripheral (window.sensorRelayBle / sensorRelayTest.ble). */
export interface SimFaults {
  /** `connect()` fails with a NetworkError while set (a sensor that refuses the link). */
  isConnectRefused: boolean;
  /** `connect()` settles only after this many milliseconds (a slow link); 0: at once. */
  connectDelayMs: number;
  /** Full UUIDs of characteristics the GATT database does not offer (a sensor missing one). */
  readonly missingCharacteristics: Set<string>;
}

/** Full UUID of a characteristic given by GATT name (`heart_rate_measurement`), 16-bit hex (`2a37`) or full UUID. */
export function resolveCharacteristicUuid(nameOrUuid: string): string | null {
  if (Object.prototype.hasOwnProperty.call(GATT_CODECS, nameOrUuid)) return characteristicUuid(nameOrUuid as GattCharacteristicName);
  const text = nameOrUuid.toLowerCase().replace(/^0x/, '');
  if (/^[0-9a-f]{4}$/.test(text)) return `0000${text}-0000-1000-8000-00805f9b34fb`;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(text)) return text;
  return null;
}

/** One simulated sensor: a `BluetoothDevice` with its GATT database and its model. */
export class SimPeripheral extends EventTarget implements WebBluetoothDeviceLike {
  readonly id: string;
  readonly name: string;
  readonly kind: BleKind;
  readonly gatt: SimServer;
  readonly services = new Map<string, SimService>();
  readonly model: PeripheralModel;
  readonly overrides = new Map<MetricId, number>();
  /** Faults set by tests; none by default. */
  readonly faults: SimFaults = { isConnectRefused: false, connectDelayMs: 0, missingCharacteristics: new Set() };
  /** Manual dropout until this time (ms); Infinity: until {@link reconnect}. */
  private manualDownUntilMs: number | null = null;
  /** Scenario dropouts that started before this scenario time are overridden by a manual reconnect. */
  private reconnectedAtS: number | null = null;
  private nextDueMs = 0;
  private lastBattery: number | null = null;
  private measurementChar: SimCharacteristic | null = null;
  private batteryChar: SimCharacteristic | null = null;
  /** Notifications sent (tests). */
  notifications = 0;
  private nowMs: number;

  constructor(private readonly options: SimPeripheralOptions) {
    super();
    this.id = options.id;
    this.name = options.def.name;
    this.kind = options.kind;
    this.gatt = new SimServer(this);
    this.nowMs = options.startMs;
    this.model = createPeripheralModel(options.kind, (tS) => this.valuesAt(tS));
    this.buildGatt();
  }

  /** Scenario time at `nowMs`. */
  timeS(nowMs = this.nowMs): number {
    return Math.max(0, (nowMs - this.options.startMs) / 1000);
  }

  /** Metric values at scenario time `tS` (curves, then live overrides). */
  valuesAt(tS: number): Partial<Record<MetricId, number>> {
    const out: Partial<Record<MetricId, number>> = {};
    for (const [m, curve] of Object.entries(this.options.def.metrics) as [MetricId, NonNullable<ScenarioDevice['metrics'][MetricId]>][]) {
      out[m] = curveValue(curve, tS, this.options.seed, this.options.key * 31 + m.length);
    }
    for (const [m, v] of this.overrides) out[m] = v;
    return out;
  }

  /** Whether the device is out of range now. */
  isDown(): boolean {
    if (this.manualDownUntilMs !== null) {
      if (this.nowMs < this.manualDownUntilMs) return true;
      this.manualDownUntilMs = null;
    }
    const tS = this.timeS();
    const events = this.reconnectedAtS === null ? this.options.def.events : this.options.def.events.filter((e) => e.atS > (this.reconnectedAtS ?? 0));
    return isDroppedOut(events, tS);
  }

  /** Go out of range for `durationMs` (or until {@link reconnect}). */
  dropout(durationMs?: number): void {
    this.manualDownUntilMs = durationMs === undefined ? Infinity : this.nowMs + durationMs;
    this.tick(this.nowMs);
  }

  /** Come back into range now (ends manual and scenario dropouts). */
  reconnect(): void {
    this.manualDownUntilMs = null;
    this.reconnectedAtS = this.timeS();
  }

  /** Send arbitrary bytes as a measurement notification (tests: malformed and truncated packets). */
  injectMeasurement(bytes: Uint8Array): void {
    this.measurementChar?.notify(bytes);
  }

  /** @internal reject GATT operations while the link is down. */
  assertConnected(): void {
    if (!this.gatt.connected) throw bleError('NetworkError', 'GATT Server is disconnected. Cannot perform GATT operations.');
  }

  /** @internal a characteristic started notifying. */
  onSubscribed(c: SimCharacteristic): void {
    if (c === this.measurementChar) {
      this.model.setSubscribed(true);
      this.nextDueMs = this.nowMs + this.model.periodMs;
    }
  }

  /** @internal the link went down (dropout or `disconnect()`): fire `gattserverdisconnected` once. */
  linkLost(): void {
    if (!this.gatt.connected) return;
    this.gatt.connected = false;
    for (const s of [this.measurementChar, this.batteryChar]) if (s) s.isNotifying = false;
    this.model.setSubscribed(false);
    this.dispatchEvent(new Event('gattserverdisconnected'));
  }

  /** Advance to `nowMs`: dropouts, the model, due notifications, battery changes. */
  tick(nowMs: number): void {
    this.nowMs = Math.max(this.nowMs, nowMs);
    const tS = this.timeS();
    if (this.isDown()) {
      this.linkLost();
      this.model.advance(tS);
      return;
    }
    this.model.advance(tS);
    if (!this.gatt.connected) return;
    const m = this.measurementChar;
    if (m?.isNotifying && this.nowMs >= this.nextDueMs) {
      this.nextDueMs = Math.max(this.nextDueMs + this.model.periodMs, this.nowMs - this.model.periodMs);
      const bytes = this.model.measurement(tS);
      if (bytes) {
        this.notifications++;
        m.notify(bytes);
      }
    }
    const battery = this.battery();
    if (battery !== null && battery !== this.lastBattery) {
      this.lastBattery = battery;
      this.batteryChar?.notify(encodeBatteryLevel(battery));
    }
  }

  private battery(): number | null {
    const override = this.overrides.get('battery');
    return override ?? batteryAt(this.options.def, this.timeS());
  }

  private buildGatt(): void {
    const byService = new Map<string, Map<string, SimCharacteristic>>();
    const add = (name: GattCharacteristicName, props: { read: boolean; notify: boolean }, read: (() => Uint8Array) | null): SimCharacteristic => {
      const svc = serviceUuid(serviceOf(name));
      const c = new SimCharacteristic(characteristicUuid(name), { ...props, indicate: false }, this, read);
      if (!byService.has(svc)) byService.set(svc, new Map());
      byService.get(svc)!.set(c.uuid, c);
      return c;
    };
    const profile = BLE_PROFILES[this.kind];
    this.measurementChar = add(profile.measurement, { read: false, notify: true }, null);
    for (const [name, bytes] of Object.entries(this.model.reads) as [GattCharacteristicName, Uint8Array][]) {
      add(name, { read: true, notify: false }, () => bytes);
    }
    if (this.options.def.battery) {
      // Straps notify battery changes; the others can only be read.
      this.batteryChar = add('battery_level', { read: true, notify: this.kind === 'hr' }, () => encodeBatteryLevel(this.battery() ?? 0));
    }
    for (const [uuid, chars] of byService) this.services.set(uuid, new SimService(uuid, this, chars));
  }

  /** The service UUIDs this peripheral advertises (its primary service). */
  get advertisedServices(): string[] {
    return [serviceUuid(BLE_PROFILES[this.kind].service)];
  }

  /** Service data this peripheral advertises, by service UUID (Fitness Machine Type; docs/ble-chooser.md). */
  get advertisedServiceData(): ReadonlyMap<string, Uint8Array> {
    const profile = BLE_PROFILES[this.kind];
    if (profile.machineType === undefined) return new Map();
    return new Map([[serviceUuid(profile.service), encodeFitnessMachineServiceData({ isAvailable: true, types: [profile.machineType] })]]);
  }

  /** Title of the measurement characteristic (diagnostics). */
  get measurementTitle(): string {
    return GATT_CODECS[BLE_PROFILES[this.kind].measurement].title;
  }
}

/** Whether a peripheral matches a scan filter, by Chromium's rules (every given part must match). */
export function matchesFilter(p: SimPeripheral, f: BleScanFilter): boolean {
  const data = p.advertisedServiceData;
  return (
    (f.services ?? []).every((s) => p.advertisedServices.includes(s)) &&
    (f.name === undefined || f.name === p.name) &&
    (f.namePrefix === undefined || p.name.startsWith(f.namePrefix)) &&
    (f.serviceData ?? []).every((sd) => {
      const bytes = data.get(sd.service);
      return bytes !== undefined && maskedPrefixMatches(bytes, sd.dataPrefix, sd.mask);
    })
  );
}

/** `bytes` start with `prefix` where `mask` has bits set (a missing mask compares every bit). */
function maskedPrefixMatches(bytes: Uint8Array, prefix: Uint8Array | undefined, mask: Uint8Array | undefined): boolean {
  if (!prefix) return true;
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    const m = mask?.[i] ?? 0xff;
    if ((bytes[i]! & m) !== (prefix[i]! & m)) return false;
  }
  return true;
}

/** Options of the simulated Bluetooth. */
export interface SimBluetoothOptions {
  /** Clock in ms (default `Date.now`). */
  readonly now?: () => number;
  /** How often peripherals are advanced (default 50 ms). */
  readonly tickMs?: number;
  readonly seed?: number;
}

/** The simulated `navigator.bluetooth`. */
export class SimBluetooth implements WebBluetoothLike {
  private readonly peripherals = new Map<string, SimPeripheral>();
  private readonly granted = new Set<string>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly now: () => number;
  private nextKey = 1;
  /** Last `requestDevice` options (tests check the filters). */
  lastRequest: BleRequestOptions | null = null;

  constructor(private readonly options: SimBluetoothOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  /** Add a simulated peripheral from a scenario device (kinds without a BLE profile are refused). */
  addPeripheral(def: ScenarioDevice, id = `SIM${def.id}`): SimPeripheral {
    if (!isBleKind(def.kind)) throw new Error(`Device kind "${def.kind}" has no Bluetooth profile`);
    const p = new SimPeripheral({ def, kind: def.kind, id, startMs: this.now(), seed: this.options.seed ?? 1, key: this.nextKey++ });
    this.peripherals.set(id, p);
    this.start();
    return p;
  }

  /** A peripheral by Web Bluetooth id. */
  peripheral(id: string): SimPeripheral | undefined {
    return this.peripherals.get(id);
  }

  /** Every peripheral. */
  list(): SimPeripheral[] {
    return [...this.peripherals.values()];
  }

  /** Remove a peripheral (it disconnects). */
  removePeripheral(id: string): void {
    this.peripherals.get(id)?.linkLost();
    this.peripherals.delete(id);
    this.granted.delete(id);
  }

  async getAvailability(): Promise<boolean> {
    return true;
  }

  async requestDevice(options: BleRequestOptions): Promise<WebBluetoothDeviceLike> {
    this.lastRequest = options;
    await Promise.resolve();
    const candidates = this.list().filter((p) => options.filters.some((f) => matchesFilter(p, f)));
    const pick = candidates.find((p) => !this.granted.has(p.id)) ?? candidates[0];
    if (!pick) throw bleError('NotFoundError', 'User cancelled the requestDevice() chooser.');
    this.granted.add(pick.id);
    return pick;
  }

  async getDevices(): Promise<WebBluetoothDeviceLike[]> {
    return this.list().filter((p) => this.granted.has(p.id));
  }

  /** Advance every peripheral to now (the timer does this; tests may call it directly). */
  tick(): void {
    const t = this.now();
    for (const p of this.peripherals.values()) p.tick(t);
  }

  /** Start the peripheral clock. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.options.tickMs ?? 50);
  }

  /** Stop the clock and drop every link. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const p of this.peripherals.values()) p.linkLost();
  }
}
