/**
 * The test-control surface: `window.sensorRelayTest`, installed when the host runs with
 * `--simulate` or `--test-control`. Playwright tests drive simulated devices through it without
 * clicking through the UI; every function goes through the same contract as the UI.
 */
import type { CommandInput, CommandResult } from '../shared/contract';
import type { MetricId } from '../shared/metrics';
import type { HostClient } from './contract/client';
import type { BleTestHook } from './ble/testHook';
import type { LiveData } from './live/liveData';
import { rosterTestControl, type RosterTestControl } from './views/roster/rosterTestControl';

/** What tests get as `window.sensorRelayTest`. */
export interface TestControl {
  /** Add a simulated device; resolves to its device id. */
  addDevice(kind: CommandInput<'sim.addDevice'>['kind'], options?: Omit<CommandInput<'sim.addDevice'>, 'kind'>): Promise<string>;
  removeDevice(deviceId: string): Promise<void>;
  setValue(deviceId: string, metric: MetricId, value: number): Promise<void>;
  /** Silence a device (optionally for `durationMs`). */
  dropout(deviceId: string, durationMs?: number): Promise<void>;
  reconnect(deviceId: string): Promise<void>;
  loadScenario(name: string): Promise<void>;
  devices(): Promise<CommandResult<'devices.list'>>;
  simDevices(): Promise<CommandResult<'sim.list'>>;
  /** Latest value the UI received for a device metric (null before the first). */
  latest(deviceId: string, metric: MetricId): number | null;
  /** Samples the UI has received so far. */
  receivedCount(): number;
  /**
   * Silence after which `metric` counts as stale, for every device (default: the metric's own, 5 s
   * for heart rate); `null` restores the default. Set it short for fast dropout tests.
   */
  setStaleTimeout(metric: MetricId, staleAfterMs: number | null): Promise<void>;
  /** BLE-level control of the simulated Web Bluetooth (`window.sensorRelayBle`): faults, raw packets. */
  readonly ble: BleTestHook;
  /** Gym mode: roster, assignment, tap to claim, classes. */
  roster: RosterTestControl;
  /** Recording: start/stop sessions, add markers (source "test"), list and export. */
  recording: {
    start(args: CommandInput<'recording.start'>): Promise<CommandResult<'recording.start'>>;
    stop(): Promise<CommandResult<'recording.stop'>>;
    marker(label: string): Promise<CommandResult<'recording.marker'>>;
    status(): Promise<CommandResult<'recording.status'>>;
    list(): Promise<CommandResult<'recording.list'>>;
  };
}

declare global {
  interface Window {
    sensorRelayTest?: TestControl;
  }
}

/** Install `window.sensorRelayTest`. */
export function installTestControl(client: HostClient, live: LiveData): void {
  const run = async (p: Promise<unknown>): Promise<void> => {
    await p;
  };
  window.sensorRelayTest = {
    addDevice: async (kind, options = {}) => (await client.invoke('sim.addDevice', { kind, ...options })).deviceId,
    removeDevice: (deviceId) => run(client.invoke('sim.removeDevice', { deviceId })),
    setValue: (deviceId, metric, value) => run(client.invoke('sim.setValue', { deviceId, metric, value })),
    dropout: (deviceId, durationMs) => run(client.invoke('sim.dropout', { deviceId, durationMs })),
    reconnect: (deviceId) => run(client.invoke('sim.reconnect', { deviceId })),
    loadScenario: (name) => run(client.invoke('sim.load', { name })),
    devices: () => client.invoke('devices.list', {}),
    simDevices: () => client.invoke('sim.list', {}),
    latest: (deviceId, metric) => live.latest(deviceId, metric)?.value ?? null,
    receivedCount: () => live.received,
    setStaleTimeout: (metric, staleAfterMs) => run(client.invoke('sim.setStaleTimeout', { metric, staleAfterMs })),
    get ble(): BleTestHook {
      if (!window.sensorRelayBle) throw new Error('The simulated Bluetooth is not running: start the host with --simulate or --test-control.');
      return window.sensorRelayBle;
    },
    roster: rosterTestControl(client),
    recording: {
      start: (args) => client.invoke('recording.start', args),
      stop: () => client.invoke('recording.stop', {}),
      marker: (label) => client.invoke('recording.marker', { label, source: 'test' }),
      status: () => client.invoke('recording.status', {}),
      list: () => client.invoke('recording.list', {}),
    },
  };
}
