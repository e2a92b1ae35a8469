/** Test harness: a simulated Bluetooth on fake timers, the real connection manager, and collectors. */
import { vi } from 'vitest';
import type { Sample } from '../../../../src/shared/sample';
import { scenarioDeviceSchema, type ScenarioDeviceInput } from '../../../../src/shared/scenario';
import type { MetricId } from '../../../../src/shared/metrics';
import type { AppError } from '../../../../src/shared/errors';
import { BleManager, type BleDeviceReport, type BleManagerOptions } from '../../../../src/renderer/ble/manager';
import { KnownDevices, memoryStorage, type KeyValueStorage } from '../../../../src/renderer/ble/knownDevices';
import { SimBluetooth } from '../../../../src/renderer/ble/sim/simBluetooth';
import { createBleTransport } from '../../../../src/renderer/ble/transport';

/** Everything a test looks at. */
export interface Harness {
  readonly bluetooth: SimBluetooth;
  readonly manager: BleManager;
  readonly samples: Sample[];
  readonly reports: { device: BleDeviceReport; reason?: string }[];
  readonly errors: { deviceId: string; error: AppError }[];
  readonly raw: { deviceId: string; uuid: string; bytes: Uint8Array; tMs: number }[];
  readonly storage: KeyValueStorage;
  /** Values of one metric of one device, in arrival order. */
  values(deviceId: string, metric: MetricId): number[];
  /** Status sequence reported for a device, with consecutive repeats collapsed. */
  statuses(deviceId: string): string[];
  /** Advance fake time (timers and promises in between). */
  advance(ms: number): Promise<void>;
}

/** A scenario device with defaults applied. */
export function simDevice(input: ScenarioDeviceInput): ReturnType<typeof scenarioDeviceSchema.parse> {
  return scenarioDeviceSchema.parse({ transport: 'ble', ...input });
}

/** Build the harness; call `vi.useFakeTimers()` first. */
export function createHarness(
  options: { bluetooth?: SimBluetooth; storage?: KeyValueStorage; manager?: Partial<BleManagerOptions> } = {},
): Harness {
  const bluetooth = options.bluetooth ?? new SimBluetooth({ now: () => Date.now(), tickMs: 50 });
  const storage = options.storage ?? memoryStorage();
  const samples: Sample[] = [];
  const reports: Harness['reports'] = [];
  const errors: Harness['errors'] = [];
  const raw: Harness['raw'] = [];
  const manager = new BleManager({
    transport: createBleTransport(bluetooth, true),
    sink: { push: (s) => samples.push(s) },
    onDevice: (device, reason) => reports.push({ device, reason }),
    onError: (deviceId, error) => errors.push({ deviceId, error }),
    onRaw: (deviceId, uuid, bytes, tMs) => raw.push({ deviceId, uuid, bytes, tMs }),
    knownDevices: new KnownDevices(storage),
    now: () => Date.now(),
    ...options.manager,
  });
  return {
    bluetooth,
    manager,
    samples,
    reports,
    errors,
    raw,
    storage,
    values: (deviceId, metric) => samples.filter((s) => s.deviceId === deviceId && s.metric === metric).map((s) => s.value),
    statuses(deviceId) {
      const out: string[] = [];
      for (const r of reports) if (r.device.id === deviceId && out[out.length - 1] !== r.device.status) out.push(r.device.status);
      return out;
    },
    advance: async (ms) => {
      await vi.advanceTimersByTimeAsync(ms);
    },
  };
}
