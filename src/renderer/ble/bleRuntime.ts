/**
 * The renderer's Bluetooth runtime: one connection manager wired to the host through the contract
 * (samples batched into `samples.ingest`, device changes into `devices.report`), the remembered
 * sensors in page storage, and — in sim mode (`--simulate`, `--test-control`) — the simulated
 * Bluetooth with the scenario's `transport: 'ble'` devices plus one simulated sensor of each kind,
 * and the `window.sensorRelayBle` test hook. The UI reads it through {@link BleRuntime.subscribe}.
 */
import type { CommandInput, CommandName, CommandResult, Reply } from '../../shared/contract';
import { DEVICE_KIND_LABELS, type DeviceId } from '../../shared/device';
import { ok, type AppError, type Result } from '../../shared/errors';
import type { Sample } from '../../shared/sample';
import { DEFAULT_METRICS, parseScenario, scenarioDeviceSchema, type ScenarioDevice } from '../../shared/scenario';
import { BUILTIN_SCENARIOS } from '../../shared/scenarios';
import { BLE_KINDS, isBleKind, type BleKind } from '../../shared/ble/profiles';
import { KnownDevices, memoryStorage, type KeyValueStorage } from './knownDevices';
import { BleManager, type BleDeviceState, type RawLogFn } from './manager';
import { createRawLogBatcher } from './rawLogBatcher';
import { SimBluetooth } from './sim/simBluetooth';
import { browserBluetooth, createBleTransport, type BleTransport } from './transport';
import { installBleTestHook } from './testHook';

/** The part of the host client the runtime uses. */
export interface BleHostClient {
  call<K extends CommandName>(name: K, args: CommandInput<K>): Promise<Reply<CommandResult<K>>>;
}

/** Options of {@link startBle}. */
export interface BleRuntimeOptions {
  readonly client: BleHostClient;
  /** Use the simulated Bluetooth (sim / test-control mode). */
  readonly isSimulated: boolean;
  /** Scenario devices with `transport: 'ble'` become simulated peripherals. */
  readonly scenarioDevices?: readonly ScenarioDevice[];
  /** Where remembered sensors are kept (default: localStorage, or memory when absent). */
  readonly storage?: KeyValueStorage;
  /** Extra raw-notification callback (the runtime already sends every notification to `raw.ingest`). */
  readonly onRaw?: RawLogFn;
  /** How often samples are sent to the host (ms, default 50). */
  readonly flushMs?: number;
}

/** What the UI shows. */
export interface BleSnapshot {
  readonly isAvailable: boolean;
  readonly isSimulated: boolean;
  readonly devices: readonly BleDeviceState[];
  /** Kind being added (chooser open), or null. */
  readonly busyKind: BleKind | null;
  /** Last problem to show (add failed, bad packets), with its code. */
  readonly lastError: AppError | null;
}

const UNAVAILABLE: AppError = {
  code: 'BLE_UNAVAILABLE',
  message: 'This browser has no Web Bluetooth. Use Chromium or Chrome (on Linux with --enable-features=WebBluetooth), or the desktop app.',
};

/** The runtime. */
export class BleRuntime {
  readonly manager: BleManager;
  /** The remembered sensors. */
  readonly knownDevices: KnownDevices;
  private readonly listeners = new Set<() => void>();
  private snap: BleSnapshot;
  private queue: Sample[] = [];
  /** Raw bytes for the recording's raw log, batched into `raw.ingest`. */
  private readonly rawLog = createRawLogBatcher((messages) => {
    void this.options.client.call('raw.ingest', { messages }).then((reply) => {
      if (!reply.ok) this.changed({ lastError: { code: reply.code as AppError['code'], message: `Host refused raw Bluetooth bytes: ${reply.message}` } });
    });
  });
  private flushTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly options: BleRuntimeOptions,
    readonly transport: BleTransport | null,
    readonly sim: SimBluetooth | null,
    storage: KeyValueStorage,
  ) {
    this.knownDevices = new KnownDevices(storage, options.isSimulated ? 'sensorRelay.ble.knownSimDevices' : undefined);
    this.snap = { isAvailable: transport !== null, isSimulated: options.isSimulated, devices: [], busyKind: null, lastError: transport ? null : UNAVAILABLE };
    this.manager = new BleManager({
      transport: transport ?? createBleTransport({ getAvailability: async () => false, requestDevice: async () => Promise.reject(new Error(UNAVAILABLE.message)) }),
      sink: { push: (s) => this.enqueue(s) },
      onDevice: (device, reason) => {
        void options.client.call('devices.report', { device, reason });
        this.changed({});
      },
      onError: (_deviceId, error) => this.changed({ lastError: error }),
      onRaw: (deviceId, characteristic, bytes, tMs) => {
        this.rawLog.onRaw(deviceId, characteristic, bytes, tMs);
        options.onRaw?.(deviceId, characteristic, bytes, tMs);
      },
      knownDevices: this.knownDevices,
    });
  }

  /** Current state for the UI. */
  snapshot(): BleSnapshot {
    return this.snap;
  }

  /** Re-render on change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Add a sensor of `kind` (call from a click handler: the chooser needs a user gesture). */
  async addSensor(kind: BleKind): Promise<Result<DeviceId>> {
    if (!this.transport) return { ok: false, ...UNAVAILABLE };
    this.changed({ busyKind: kind, lastError: null });
    const r = await this.manager.addSensor(kind);
    this.changed({ busyKind: null, lastError: r.ok ? null : { code: r.code, message: r.message } });
    return r;
  }

  /** Disconnect and forget a sensor. */
  remove(deviceId: DeviceId): Result<null> {
    this.manager.remove(deviceId);
    void this.options.client.call('devices.forget', { deviceId });
    this.changed({});
    return ok(null);
  }

  /**
   * Stop everything (page unload). The host forgets simulated sensors (they live in this page);
   * real ones are reported disconnected (they reconnect from the remembered list next time).
   */
  dispose(): void {
    for (const d of this.manager.list()) {
      if (this.options.isSimulated) void this.options.client.call('devices.forget', { deviceId: d.id });
      else {
        const { id, name, kind, batteryPct, contact } = d;
        const device = { id, name, kind, batteryPct, contact, source: 'ble' as const, status: 'disconnected' as const, isSimulated: false };
        void this.options.client.call('devices.report', { device, reason: 'page closed' });
      }
    }
    this.manager.dispose();
    this.sim?.stop();
    this.flush();
    this.rawLog.flush();
  }

  private enqueue(s: Sample): void {
    this.queue.push(s);
    this.flushTimer ??= setTimeout(() => this.flush(), this.options.flushMs ?? 50);
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    while (this.queue.length > 0) {
      const samples = this.queue.splice(0, 5000);
      void this.options.client.call('samples.ingest', { samples }).then((reply) => {
        if (!reply.ok) this.changed({ lastError: { code: reply.code as AppError['code'], message: `Host refused Bluetooth samples: ${reply.message}` } });
      });
    }
  }

  private changed(patch: Partial<BleSnapshot>): void {
    this.snap = { ...this.snap, ...patch, devices: this.manager.list() };
    for (const l of this.listeners) l();
  }
}

/** Simulated peripherals: the scenario's BLE devices, plus one of each kind with default values. */
export function simulatedPeripherals(scenarioDevices: readonly ScenarioDevice[]): ScenarioDevice[] {
  const fromScenario = scenarioDevices.filter((d) => d.transport === 'ble' && isBleKind(d.kind));
  const defaults = BLE_KINDS.map((kind) =>
    scenarioDeviceSchema.parse({
      id: `default-${kind}`,
      name: `Sim ${DEVICE_KIND_LABELS[kind]}`,
      kind,
      transport: 'ble',
      metrics: Object.fromEntries(Object.entries(DEFAULT_METRICS[kind]).map(([m, v]) => [m, { type: 'steady', value: v }])),
      battery: { startPct: 90, drainPctPerHour: 3 },
    }),
  );
  return [...fromScenario, ...defaults];
}

function pageStorage(): KeyValueStorage {
  try {
    if (typeof localStorage !== 'undefined') return localStorage;
  } catch (err) {
    console.warn(`localStorage unavailable (${(err as Error).message}); remembered sensors last for this page only`);
  }
  return memoryStorage();
}

/** Start the runtime: real Web Bluetooth, or the simulated one in sim mode; restores remembered sensors. */
export function startBle(options: BleRuntimeOptions): BleRuntime {
  const storage = options.storage ?? pageStorage();
  let sim: SimBluetooth | null = null;
  let transport: BleTransport | null;
  if (options.isSimulated) {
    sim = new SimBluetooth();
    for (const def of simulatedPeripherals(options.scenarioDevices ?? [])) sim.addPeripheral(def);
    transport = createBleTransport(sim, true);
  } else {
    const bluetooth = browserBluetooth();
    transport = bluetooth ? createBleTransport(bluetooth) : null;
  }
  const runtime = new BleRuntime(options, transport, sim, storage);
  if (sim) installBleTestHook(runtime, sim);
  else installRestoreHook(runtime);
  if (typeof window !== 'undefined') window.addEventListener('pagehide', () => runtime.dispose(), { once: true });
  void runtime.manager.restoreKnown();
  return runtime;
}

/** What the desktop app's main process calls (as a user gesture) to reconnect remembered sensors. */
export interface BleRestoreHook {
  /** Names of remembered sensors that are not connected. */
  names(): string[];
  /** Ask for each of them by name (the main process's chooser auto-selects them). */
  run(): Promise<{ restored: number; missing: string[] }>;
}

declare global {
  interface Window {
    sensorRelayBleRestore?: BleRestoreHook;
  }
}

function installRestoreHook(runtime: BleRuntime): void {
  if (typeof window === 'undefined') return;
  window.sensorRelayBleRestore = {
    names: () => {
      const managed = new Set(runtime.manager.list().map((d) => d.name));
      return runtime.knownDevices.list().map((k) => k.name).filter((n) => n !== '' && !managed.has(n));
    },
    run: () => runtime.manager.restoreKnownByRequest(),
  };
}

/** The BLE devices (`transport: 'ble'`) of a built-in scenario, by name; empty for unknown names. */
export function scenarioBleDevices(name: string | null): ScenarioDevice[] {
  const input = name === null ? undefined : BUILTIN_SCENARIOS[name];
  if (!input) return [];
  const parsed = parseScenario(input);
  return parsed.ok ? parsed.value.devices.filter((d) => d.transport === 'ble') : [];
}

/**
 * Start the runtime for the host the page is connected to: simulated Bluetooth when the host runs a
 * scenario or test control (sim mode), the browser's Web Bluetooth otherwise.
 */
export function startBleForHost(
  client: BleHostClient,
  hostInfo: { readonly scenario: string | null; readonly isTestControlEnabled: boolean },
  onRaw?: RawLogFn,
): BleRuntime {
  const isSimulated = hostInfo.scenario !== null || hostInfo.isTestControlEnabled;
  return startBle({ client, isSimulated, scenarioDevices: isSimulated ? scenarioBleDevices(hostInfo.scenario) : [], onRaw });
}
