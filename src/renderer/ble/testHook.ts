/**
 * `window.sensorRelayBle`: the Playwright control surface of the simulated Bluetooth, installed only
 * in sim mode. Tests drive the simulated peripherals (values, dropouts, reconnects, malformed
 * packets) and read what the connection manager knows, while the UI is clicked as a user would.
 */
import type { MetricId } from '../../shared/metrics';
import type { BleDeviceState } from './manager';
import { resolveCharacteristicUuid, type SimBluetooth } from './sim/simBluetooth';

/** What tests get as `window.sensorRelayBle`. */
export interface BleTestHook {
  /** Simulated peripherals: Web Bluetooth id, name, kind, whether connected. */
  peripherals(): { id: string; name: string; kind: string; isConnected: boolean; notifications: number }[];
  /** Override a metric of a peripheral with a steady value. */
  setValue(peripheralId: string, metric: MetricId, value: number): void;
  /** Take a peripheral out of range (for `durationMs`, or until {@link BleTestHook.reconnect}). */
  dropout(peripheralId: string, durationMs?: number): void;
  /** Bring a peripheral back into range. */
  reconnect(peripheralId: string): void;
  /** Send raw bytes (hex) as a measurement notification (malformed or truncated packets included). */
  inject(peripheralId: string, hex: string): void;
  /** Refuse (`true`) or allow again (`false`) the peripheral's GATT connections: `connect()` fails with a NetworkError. */
  refuseConnections(peripheralId: string, isRefused: boolean): void;
  /** Make `connect()` take `delayMs` before it settles (0: at once again). */
  setConnectDelay(peripheralId: string, delayMs: number): void;
  /**
   * Take a characteristic out of the peripheral's GATT database (`isMissing` true) or put it back:
   * by GATT name (`heart_rate_measurement`, `battery_level`), 16-bit hex (`2a37`) or full UUID.
   * Applies from the next connection or lookup.
   */
  setCharacteristicMissing(peripheralId: string, characteristic: string, isMissing: boolean): void;
  /** The connection manager's view of every device. */
  devices(): BleDeviceState[];
  /** Remove every device (disconnect, forget here and in the host). */
  removeAll(): void;
}

declare global {
  interface Window {
    sensorRelayBle?: BleTestHook;
  }
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`No simulated peripheral ${what}`);
  return value;
}

/** Install the hook on `window` (no-op outside a page). */
export function installBleTestHook(
  runtime: { manager: { list(): BleDeviceState[] }; remove(deviceId: string): unknown },
  sim: SimBluetooth,
): void {
  if (typeof window === 'undefined') return;
  window.sensorRelayBle = {
    peripherals: () =>
      sim.list().map((p) => ({ id: p.id, name: p.name, kind: p.kind, isConnected: p.gatt.connected, notifications: p.notifications })),
    setValue: (id, metric, value) => void need(sim.peripheral(id), id).overrides.set(metric, value),
    dropout: (id, durationMs) => need(sim.peripheral(id), id).dropout(durationMs),
    reconnect: (id) => need(sim.peripheral(id), id).reconnect(),
    inject: (id, hex) => need(sim.peripheral(id), id).injectMeasurement(Uint8Array.from(hex.match(/[0-9a-f]{2}/gi) ?? [], (b) => parseInt(b, 16))),
    refuseConnections: (id, isRefused) => void (need(sim.peripheral(id), id).faults.isConnectRefused = isRefused),
    setConnectDelay: (id, delayMs) => {
      if (!Number.isFinite(delayMs) || delayMs < 0) throw new Error(`A connect delay must be 0 ms or more, not ${delayMs}.`);
      need(sim.peripheral(id), id).faults.connectDelayMs = delayMs;
    },
    setCharacteristicMissing: (id, characteristic, isMissing) => {
      const uuid = resolveCharacteristicUuid(characteristic);
      if (!uuid) throw new Error(`"${characteristic}" is not a GATT characteristic name, 16-bit UUID or UUID.`);
      const missing = need(sim.peripheral(id), id).faults.missingCharacteristics;
      if (isMissing) missing.add(uuid);
      else missing.delete(uuid);
    },
    devices: () => runtime.manager.list(),
    removeAll: () => {
      for (const d of runtime.manager.list()) runtime.remove(d.id);
    },
  };
}
