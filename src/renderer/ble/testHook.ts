/**
 * `window.sensorRelayBle`: the Playwright control surface of the simulated Bluetooth, installed only
 * in sim mode. Tests drive the simulated peripherals (values, dropouts, reconnects, malformed
 * packets) and read what the connection manager knows, while the UI is clicked as a user would.
 */
import type { MetricId } from '../../shared/metrics';
import type { BleDeviceState } from './manager';
import type { SimBluetooth } from './sim/simBluetooth';

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
  /** Send raw bytes (hex) as a measurement notification. */
  inject(peripheralId: string, hex: string): void;
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
    devices: () => runtime.manager.list(),
    removeAll: () => {
      for (const d of runtime.manager.list()) runtime.remove(d.id);
    },
  };
}
