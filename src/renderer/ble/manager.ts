/**
 * The BLE connection manager (renderer; a plain class, not React state). Adds sensors by kind
 * through `requestDevice` (from a user gesture), keeps several connected at once, reads features,
 * Body Sensor Location and Battery Level, subscribes to the measurement (and to the battery when it
 * notifies), decodes every notification with the shared GATT codecs into `Sample`s for the sink and
 * hands the raw bytes to the raw-log callback. On `gattserverdisconnected` it reconnects by itself
 * with backoff (no new user gesture): status `reconnecting` → `live`, the stream simply goes on.
 * Malformed notifications are counted and reported per device, never thrown, never turned into values.
 */
import { bleDeviceId, DEVICE_KIND_LABELS, type DeviceId, type DeviceInfo, type DeviceStatus } from '../../shared/device';
import { appError, fail, ok, type AppError, type Result } from '../../shared/errors';
import { GATT_CODECS, type GattCharacteristicName } from '../../shared/gatt/registry';
import type { DeriveConfig } from '../../shared/gatt/derive';
import type { SampleSink } from '../../shared/sample';
import { backoffDelayMs, DEFAULT_BACKOFF, type BackoffConfig } from './backoff';
import type { KnownDevices } from './knownDevices';
import { BLE_PROFILES, characteristicUuid, serviceOf, serviceUuid, type BleKind } from '../../shared/ble/profiles';
import { requestOptionsFor } from './requestOptions';
import { createMeasurementMapper, guardedMap, mapBatteryLevel, type MeasurementMapper } from '../../shared/ble/sampleMapping';
import type { BleDevice, BleGatt, BleTransport } from './transport';

/** A device as the host registry wants it (`devices.report`). */
export type BleDeviceReport = Omit<DeviceInfo, 'lastSeenMs'>;

/** Raw notification bytes, for the recorder. */
export type RawLogFn = (deviceId: DeviceId, characteristicUuid: string, bytes: Uint8Array, tMs: number) => void;

/** Dependencies and settings of the manager. */
export interface BleManagerOptions {
  readonly transport: BleTransport;
  readonly sink: SampleSink;
  /** Device info or status changed (forward to the host registry). */
  readonly onDevice?: (device: BleDeviceReport, reason?: string) => void;
  /** A device reported an error (bad packet, failed connect): show it, with its code. */
  readonly onError?: (deviceId: DeviceId, error: AppError) => void;
  readonly onRaw?: RawLogFn;
  readonly knownDevices?: KnownDevices;
  readonly backoff?: BackoffConfig;
  /** Wheel circumference and rate decay for CSC / power meters. */
  readonly derive?: Partial<DeriveConfig>;
  /** Reception clock; default `performance.timeOrigin + performance.now()`. */
  readonly now?: () => number;
}

/** What the manager knows about one device (for the UI and tests). */
export interface BleDeviceState {
  readonly id: DeviceId;
  readonly webId: string;
  readonly name: string;
  readonly kind: BleKind;
  readonly status: DeviceStatus;
  readonly batteryPct: number | null;
  readonly contact: boolean | null;
  /** Values read once after connect, by characteristic name (decoded). */
  readonly details: Partial<Record<GattCharacteristicName, unknown>>;
  /** Notifications that did not decode. */
  readonly badPackets: number;
  readonly lastError: AppError | null;
  readonly reconnects: number;
}

interface Entry {
  state: BleDeviceState;
  readonly device: BleDevice;
  readonly mapper: MeasurementMapper;
  unsubscribe: () => void;
  attempt: number;
  timer: ReturnType<typeof setTimeout> | null;
  isRemoved: boolean;
  /** Connect generation: notifications of an older connection are ignored. */
  generation: number;
}

function defaultNow(): number {
  return performance.timeOrigin + performance.now();
}

/** The connection manager. */
export class BleManager {
  private readonly entries = new Map<DeviceId, Entry>();
  private readonly now: () => number;
  private readonly backoff: BackoffConfig;

  constructor(private readonly options: BleManagerOptions) {
    this.now = options.now ?? defaultNow;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  /** Every managed device. */
  list(): BleDeviceState[] {
    return [...this.entries.values()].map((e) => e.state);
  }

  /** One device's state. */
  get(deviceId: DeviceId): BleDeviceState | undefined {
    return this.entries.get(deviceId)?.state;
  }

  /** Add a sensor of `kind`: opens the chooser (call from a click handler), then connects. */
  async addSensor(kind: BleKind): Promise<Result<DeviceId>> {
    let device: BleDevice;
    try {
      device = await this.options.transport.requestDevice(requestOptionsFor(kind));
    } catch (err) {
      return fail('BLE_REQUEST_FAILED', describeRequestError(err, kind));
    }
    const id = this.adopt(device, kind);
    this.options.knownDevices?.remember({ id: device.id, name: device.name, kind });
    return ok(id);
  }

  /**
   * Reconnect the sensors granted on an earlier launch: `getDevices()` where the browser has it
   * (Chromium with the new permissions backend), matched against the remembered list. Returns how
   * many were found; remembered sensors the browser no longer lists are returned in `missing`.
   */
  async restoreKnown(): Promise<{ restored: number; missing: string[] }> {
    const known = this.options.knownDevices?.list() ?? [];
    if (known.length === 0) return { restored: 0, missing: [] };
    let granted: BleDevice[] | null;
    try {
      granted = await this.options.transport.getDevices();
    } catch (err) {
      granted = null;
      this.options.onError?.('ble:*', appError('BLE_REQUEST_FAILED', `getDevices failed: ${(err as Error).message}`));
    }
    let restored = 0;
    const missing: string[] = [];
    for (const k of known) {
      const device = granted?.find((d) => d.id === k.id) ?? granted?.find((d) => d.name !== '' && d.name === k.name);
      if (!device) {
        missing.push(k.name || k.id);
        continue;
      }
      if (this.entries.has(bleDeviceId(device.id))) continue;
      this.adopt(device, k.kind);
      restored++;
    }
    return { restored, missing };
  }

  /**
   * Reconnect remembered sensors the browser did not list, by asking for each one with a name filter.
   * For Electron, whose grants do not survive a restart (reference §1.3): the main process runs this
   * as a user gesture (`executeJavaScript(code, true)`) with the chooser's auto-select set to the
   * remembered names, so no chooser is shown. Sensors already managed are skipped.
   */
  async restoreKnownByRequest(): Promise<{ restored: number; missing: string[] }> {
    const known = this.options.knownDevices?.list() ?? [];
    const managedNames = new Set(this.list().map((d) => d.name));
    let restored = 0;
    const missing: string[] = [];
    for (const k of known) {
      if (this.entries.has(bleDeviceId(k.id)) || k.name === '' || managedNames.has(k.name)) continue;
      try {
        const device = await this.options.transport.requestDevice(requestOptionsFor(k.kind, k.name));
        this.adopt(device, k.kind);
        this.options.knownDevices?.remember({ id: device.id, name: device.name || k.name, kind: k.kind });
        if (device.id !== k.id) this.options.knownDevices?.forget(k.id);
        restored++;
      } catch (err) {
        missing.push(k.name);
        this.options.onError?.(bleDeviceId(k.id), appError('BLE_REQUEST_FAILED', describeRequestError(err, k.kind)));
      }
    }
    return { restored, missing };
  }

  /** Disconnect and forget a device (also from the remembered list). */
  remove(deviceId: DeviceId): boolean {
    const e = this.entries.get(deviceId);
    if (!e) return false;
    e.isRemoved = true;
    if (e.timer) clearTimeout(e.timer);
    e.unsubscribe();
    e.device.disconnect();
    this.entries.delete(deviceId);
    this.options.knownDevices?.forget(e.state.webId);
    this.update(e, { status: 'disconnected' }, 'removed by the user');
    return true;
  }

  /** Disconnect everything (page unload); devices stay remembered. */
  dispose(): void {
    for (const e of this.entries.values()) {
      e.isRemoved = true;
      if (e.timer) clearTimeout(e.timer);
      e.unsubscribe();
      e.device.disconnect();
    }
    this.entries.clear();
  }

  private adopt(device: BleDevice, kind: BleKind): DeviceId {
    const id = bleDeviceId(device.id);
    const existing = this.entries.get(id);
    if (existing) return id;
    const entry: Entry = {
      state: {
        id,
        webId: device.id,
        name: device.name || `${DEVICE_KIND_LABELS[kind]} ${device.id.slice(0, 6)}`,
        kind,
        status: 'connecting',
        batteryPct: null,
        contact: null,
        details: {},
        badPackets: 0,
        lastError: null,
        reconnects: 0,
      },
      device,
      mapper: createMeasurementMapper(BLE_PROFILES[kind].measurement, id, this.options.derive),
      unsubscribe: () => undefined,
      attempt: 0,
      timer: null,
      isRemoved: false,
      generation: 0,
    };
    entry.unsubscribe = device.onDisconnected(() => this.onDisconnected(entry));
    this.entries.set(id, entry);
    this.report(entry);
    void this.connect(entry);
    return id;
  }

  private async connect(entry: Entry): Promise<void> {
    const generation = ++entry.generation;
    const result = await this.setUp(entry, generation);
    if (entry.isRemoved || generation !== entry.generation) return;
    if (result.ok) {
      entry.attempt = 0;
      this.update(entry, { status: 'live' }, entry.state.reconnects > 0 ? 'reconnected' : 'connected');
      return;
    }
    this.recordError(entry, result);
    // A missing data characteristic does not appear on a retry (docs/ble-chooser.md): stop and say so.
    const isPermanent = result.code === 'BLE_MISSING_SERVICE';
    if (isPermanent) this.update(entry, { status: 'lost' }, result.message);
    // A failed set-up leaves a half-open link: close it so the next attempt starts clean.
    if (entry.device.isConnected) entry.device.disconnect();
    if (!isPermanent) this.scheduleReconnect(entry);
  }

  private async setUp(entry: Entry, generation: number): Promise<Result<null>> {
    const profile = BLE_PROFILES[entry.state.kind];
    let gatt: BleGatt;
    try {
      gatt = await entry.device.connect();
    } catch (err) {
      return fail('BLE_CONNECT_FAILED', `${entry.state.name}: connect failed (${(err as Error).message})`);
    }
    try {
      const measurement = await gatt.characteristic(serviceUuid(profile.service), characteristicUuid(profile.measurement));
      if (!measurement) return fail('BLE_MISSING_SERVICE', await this.describeWrongKind(entry, gatt));
      const details: Partial<Record<GattCharacteristicName, unknown>> = { ...entry.state.details };
      for (const name of profile.reads) {
        const c = await gatt.characteristic(serviceUuid(serviceOf(name)), characteristicUuid(name));
        if (!c?.canRead) continue;
        const decoded = GATT_CODECS[name].decode(await c.readValue());
        if (decoded.ok) details[name] = decoded.value;
        else this.recordError(entry, decoded);
      }
      entry.state = { ...entry.state, details };
      await this.setUpBattery(entry, gatt, generation);
      entry.mapper.reset();
      const uuid = measurement.uuid;
      await measurement.startNotifications((dv) => {
        if (generation === entry.generation && !entry.isRemoved) this.onNotification(entry, uuid, dv);
      });
      return ok(null);
    } catch (err) {
      return fail('BLE_CONNECT_FAILED', `${entry.state.name}: set-up failed (${(err as Error).message})`);
    }
  }

  /** A sentence for a sensor without its kind's data characteristic, naming the kind it is when known. */
  private async describeWrongKind(entry: Entry, gatt: BleGatt): Promise<string> {
    const { kind, name } = entry.state;
    const wanted = DEVICE_KIND_LABELS[kind].toLowerCase();
    for (const other of Object.values(BLE_PROFILES)) {
      if (other.kind === kind) continue;
      if (await gatt.characteristic(serviceUuid(other.service), characteristicUuid(other.measurement))) {
        return `${name} is a ${DEVICE_KIND_LABELS[other.kind].toLowerCase()}, not a ${wanted}: remove it and add it with the "${DEVICE_KIND_LABELS[other.kind]}" button.`;
      }
    }
    return `${name} does not send ${GATT_CODECS[BLE_PROFILES[kind].measurement].title}, so it cannot be used as a ${wanted}: remove it.`;
  }

  private async setUpBattery(entry: Entry, gatt: BleGatt, generation: number): Promise<void> {
    const battery = await gatt.characteristic(serviceUuid('battery_service'), characteristicUuid('battery_level'));
    if (!battery) return;
    if (battery.canRead) this.onBattery(entry, battery.uuid, await battery.readValue());
    if (battery.canNotify) {
      await battery.startNotifications((dv) => {
        if (generation === entry.generation && !entry.isRemoved) this.onBattery(entry, battery.uuid, dv);
      });
    }
  }

  private onNotification(entry: Entry, uuid: string, dv: DataView): void {
    const tMs = this.now();
    this.options.onRaw?.(entry.state.id, uuid, copyBytes(dv), tMs);
    const mapped = guardedMap(entry.mapper, dv, tMs);
    if (!mapped.ok) {
      this.recordError(entry, mapped);
      return;
    }
    if (mapped.value.warning) this.recordError(entry, mapped.value.warning);
    for (const s of mapped.value.samples) this.options.sink.push(s);
    const contact = mapped.value.contact === undefined ? undefined : mapped.value.contact === 'unsupported' ? null : mapped.value.contact === 'detected';
    if (contact !== undefined && contact !== entry.state.contact) this.update(entry, { contact }, contact === false ? 'no skin contact' : undefined);
  }

  private onBattery(entry: Entry, uuid: string, dv: DataView): void {
    const tMs = this.now();
    this.options.onRaw?.(entry.state.id, uuid, copyBytes(dv), tMs);
    const r = mapBatteryLevel(dv, entry.state.id, tMs);
    if (!r.ok) {
      this.recordError(entry, r);
      return;
    }
    const { pct, sample } = r.value;
    if (sample) this.options.sink.push(sample);
    if (pct !== entry.state.batteryPct) this.update(entry, { batteryPct: pct });
  }

  private onDisconnected(entry: Entry): void {
    if (entry.isRemoved || entry.state.status === 'lost') return;
    entry.generation++; // late notifications of the dropped link are ignored
    if (entry.timer) return; // a reconnect is already scheduled
    this.update(entry, { status: 'reconnecting' }, 'link lost; reconnecting');
    this.scheduleReconnect(entry);
  }

  private scheduleReconnect(entry: Entry): void {
    if (entry.isRemoved || entry.timer) return;
    if (entry.state.status !== 'reconnecting' && entry.state.status !== 'connecting') {
      this.update(entry, { status: 'reconnecting' }, 'link lost; reconnecting');
    }
    const delay = backoffDelayMs(this.backoff, entry.attempt++);
    entry.timer = setTimeout(() => {
      entry.timer = null;
      if (entry.isRemoved) return;
      entry.state = { ...entry.state, reconnects: entry.state.reconnects + 1 };
      void this.connect(entry);
    }, delay);
  }

  private recordError(entry: Entry, error: AppError): void {
    const e = appError(error.code, error.message);
    entry.state = { ...entry.state, badPackets: entry.state.badPackets + (isPacketError(e) ? 1 : 0), lastError: e };
    this.options.onError?.(entry.state.id, e);
  }

  private update(entry: Entry, patch: Partial<BleDeviceState>, reason?: string): void {
    entry.state = { ...entry.state, ...patch };
    this.report(entry, reason);
  }

  private report(entry: Entry, reason?: string): void {
    const s = entry.state;
    this.options.onDevice?.(
      {
        id: s.id,
        name: s.name,
        kind: s.kind,
        source: 'ble',
        status: s.status,
        batteryPct: s.batteryPct,
        contact: s.contact,
        isSimulated: this.options.transport.isSimulated,
      },
      reason,
    );
  }
}

function isPacketError(e: AppError): boolean {
  return e.code === 'GATT_SHORT_PAYLOAD' || e.code === 'GATT_BAD_VALUE';
}

function copyBytes(dv: DataView): Uint8Array {
  return new Uint8Array(dv.buffer.slice(dv.byteOffset, dv.byteOffset + dv.byteLength));
}

/** A readable message for a failed `requestDevice` (cancelled chooser, no adapter, no user gesture). */
export function describeRequestError(err: unknown, kind: BleKind): string {
  const e = err as { name?: string; message?: string };
  const what = DEVICE_KIND_LABELS[kind].toLowerCase();
  if (e.name === 'NotFoundError' && /cancel/i.test(e.message ?? '')) return `No ${what} was chosen.`;
  if (e.name === 'NotFoundError' && /adapter/i.test(e.message ?? '')) {
    return 'Bluetooth adapter not available: switch Bluetooth on (on Linux, BlueZ must be running).';
  }
  if (e.name === 'NotFoundError') return `No ${what} found: wake the sensor (wear the strap, turn the cranks) and try again.`;
  if (e.name === 'SecurityError') return 'Bluetooth needs a click: use the "Add Bluetooth sensor" button.';
  return `Could not add the ${what}: ${e.message ?? String(err)}`;
}
