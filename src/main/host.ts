/**
 * The host: composes the sample hub, the device registry, the simulators and every feature
 * service, answers the UI–host contract and pushes events to connected UIs. The same host runs
 * inside Electron's main process and under plain Node (web and headless modes); transports
 * (Electron IPC, WebSocket) plug in through {@link Host.connect}.
 */
import { prepareDataDir } from './dataDir';
import type { EventName } from '../shared/contract';
import type { CallMessage, Reply } from '../shared/contract/wire';
import type { Sample } from '../shared/sample';
import { nowMs } from '../shared/sample';
import type { Scenario } from '../shared/scenario';
import { dispatchCall, runCall, type CallContext, type Handlers } from './contract/server';
import { ClockSync } from './clockSync';
import { coreHandlers } from './coreHandlers';
import { DeviceRegistry, followHubStaleness } from './devices';
import { UiEvents, type UiConnection } from './events';
import { SampleHub } from './hub';
import { SimSource } from './sim/simSource';
import { UiBatcher } from './uiBatcher';
import { recordingHandlers } from './recording/handlers';
import { antHandlers, createAntFeature, type AntFeature } from './ant/antFeature';
import { bleHandlers, type BluetoothUiPort } from './bluetooth/bleHandlers';
import { RecordingService } from './recording/service';
import { RosterService } from './roster/rosterService';
import { rosterHandlers } from './roster/rosterHandlers';
import { BrokerManager } from './producer/manager';
import { brokerHandlers } from './producer/handlers';
import { createHeadlessSecretStore, type SecretStore } from './producer/secrets';
import { BleOwners } from './bluetooth/bleOwners';
import { RecentSamples } from './recentSamples';

/** How the host was started. */
export interface HostOptions {
  readonly mode: 'electron' | 'web' | 'headless';
  /** Where settings, recordings and outboxes live. */
  readonly dataDir: string;
  /** Scenario to load at start. */
  readonly scenario?: Scenario;
  /** Enables the `sim.*` commands for tests and the Simulator panel even without a scenario. */
  readonly isTestControlEnabled?: boolean;
  readonly version?: string;
  /** UI batch interval (ms); default one 60 Hz frame. */
  readonly uiFrameMs?: number;
  /** Open real ANT+ USB sticks (default true; scenarios with ANT+ devices always use simulated sticks). */
  readonly isAntUsbEnabled?: boolean;
  /** Where broker secrets live (Electron: safeStorage); default a 0600 file in the data dir. */
  readonly secrets?: SecretStore;
}

/** A running host. */
export interface Host {
  readonly options: HostOptions;
  readonly hub: SampleHub;
  readonly devices: DeviceRegistry;
  readonly sim: SimSource;
  readonly events: UiEvents;
  readonly clock: ClockSync;
  /** Gym mode: roster, sensor assignment, per-athlete routing, classes. */
  readonly roster: RosterService;
  /** Research recording: sessions, markers, crash recovery, exports. */
  readonly recording: RecordingService;
  /** ANT+ sticks (real or simulated); null until started. */
  readonly ant: AntFeature | null;
  /** Broker uplinks (outbox, tokens, embedded broker). */
  readonly broker: BrokerManager;
  /** Which page holds each Bluetooth device's link (its devices leave when it closes). */
  readonly bleOwners: BleOwners;
  /** The last 10 minutes per device metric, for pages that open or reload (`samples.recent`). */
  readonly recentSamples: RecentSamples;
  readonly startedAtMs: number;
  /** Attach a UI transport; returns the function that detaches it. */
  connect(send: (message: unknown) => void): { id: string; receive(raw: unknown): Promise<void>; close(): void };
  /** Call a command directly (in-process callers and tests). */
  call(call: CallMessage, ctx?: CallContext): Promise<Reply>;
  /** The desktop app's Bluetooth chooser and pairing glue (null in web mode). */
  setBluetoothUi(ui: BluetoothUiPort | null): void;
  /** Report a problem the user should see. */
  notice(level: 'info' | 'warning' | 'error', message: string, code?: string): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

let nextConnection = 0;

/** How often each UI's clock offset is measured. */
const CLOCK_PING_EVERY_MS = 30_000;

/** Build a host (not yet started). */
export function createHost(options: HostOptions): Host {
  const dataDir = prepareDataDir(options.dataDir);
  if (!dataDir.ok) throw new Error(dataDir.message);
  const hub = new SampleHub();
  const devices = new DeviceRegistry();
  const sim = new SimSource({ sink: hub, registry: devices });
  const events = new UiEvents();
  const clock = new ClockSync();
  const bleOwners = new BleOwners();
  const recentSamples = new RecentSamples();
  /** A page closed: its Bluetooth devices leave with it (their links lived in that page). */
  const releaseBleDevicesOf = (clientId: string): void => {
    for (const deviceId of bleOwners.release(clientId)) {
      devices.setStatus(deviceId, 'disconnected', 'the window that connected it was closed');
      devices.remove(deviceId);
      hub.forget(deviceId);
      recentSamples.forget(deviceId);
    }
  };
  const connections = new Map<string, (message: unknown) => void>();
  let clockTimer: ReturnType<typeof setInterval> | null = null;
  let listTimer: ReturnType<typeof setInterval> | null = null;
  let sentLastSeenVersion = 0;
  const pingAll = (): void => {
    for (const [id, send] of connections) send({ kind: 'event', name: 'clockPing', payload: clock.ping(id) });
  };
  const startedAtMs = nowMs();
  const batcher = new UiBatcher((batch: Sample[]) => {
    if (events.size > 0) events.emit('samples', { samples: batch });
  }, options.uiFrameMs);

  let devicesDirty = false;
  const pushDevices = (): void => {
    if (devicesDirty) return;
    devicesDirty = true;
    queueMicrotask(() => {
      devicesDirty = false;
      events.emit('devices', { devices: devices.list() });
    });
  };

  // the UI, the registry, the roster and the uplinks take the live stream; only the recorder pays the reorder window
  hub.subscribeLive((batch) => {
    devices.noteSamples(batch);
    batcher.add(batch);
    recentSamples.add(batch);
  });
  hub.onDeviceEvent((e) => events.emit('deviceEvent', e));
  followHubStaleness(hub, devices);
  devices.onChange(pushDevices);
  let antFeature: AntFeature | null = null;
  let bluetoothUi: BluetoothUiPort | null = null;
  const roster = new RosterService({
    dataDir: options.dataDir,
    devices,
    lastValue: (deviceId, metric) => hub.lastValue(deviceId, metric),
    notice: (level, message, code) => events.emit('notice', { level, message, code, tMs: nowMs() }),
    emit: (name, payload) => events.emit(name, payload),
  });
  hub.subscribeLive((batch) => roster.onSamples(batch));
  const recording = new RecordingService({
    dataDir: options.dataDir,
    hub,
    devices,
    app: { version: options.version, mode: options.mode },
    onProblem: (message) => events.emit('notice', { level: 'error', code: 'REC_IO_FAILED', message, tMs: nowMs() }),
    onStatus: (status) => events.emit('recordingStatus', { ...status, markers: [...status.markers], recoveredSessionIds: [...status.recoveredSessionIds], autoStartWaitingFor: status.autoStartWaitingFor ? [...status.autoStartWaitingFor] : null }),
  });
  clock.onOffset((o) => recording.recordClockOffset(o));
  const broker = new BrokerManager({
    dataDir: options.dataDir,
    hub,
    devices,
    roster,
    secrets: options.secrets ?? createHeadlessSecretStore(options.dataDir),
    version: options.version ?? '0.0.0',
    notice: (level, message, code) => events.emit('notice', { level, message, code, tMs: nowMs() }),
    emitState: (state) => events.emit('brokerState', state),
  });

  const host: Host = {
    options,
    hub,
    devices,
    sim,
    events,
    clock,
    roster,
    recording,
    broker,
    bleOwners,
    recentSamples,
    get ant() {
      return antFeature;
    },
    startedAtMs,
    connect(send) {
      const id = `ui-${++nextConnection}`;
      connections.set(id, send);
      queueMicrotask(() => send({ kind: 'event', name: 'clockPing', payload: clock.ping(id) }));
      const connection: UiConnection = {
        id,
        send: (name: EventName, payload: unknown) => send({ kind: 'event', name, payload }),
      };
      const remove = events.add(connection);
      return {
        id,
        async receive(raw: unknown) {
          const { id: callId, reply } = await dispatchCall(handlers, raw, { clientId: id });
          send({ kind: 'reply', id: callId, reply });
        },
        close: () => {
          connections.delete(id);
          remove();
          releaseBleDevicesOf(id);
        },
      };
    },
    call(call, ctx = { clientId: 'in-process' }) {
      return runCall(handlers, call, ctx);
    },
    setBluetoothUi(ui) {
      bluetoothUi = ui;
    },
    notice(level, message, code) {
      events.emit('notice', { level, message, code, tMs: nowMs() });
    },
    async start() {
      hub.start();
      if (options.scenario) sim.load(options.scenario);
      sim.start();
      roster.start();
      await broker.start();
      antFeature = await createAntFeature({
        sink: hub,
        registry: devices,
        onStatus: (status) => events.emit('antStatus', status),
        scenario: options.scenario ?? null,
        isUsbEnabled: options.isAntUsbEnabled ?? true,
        onDataFrame: (frame, tMs, stickKey, deviceId) => {
          if (!recording.isActive) return;
          // the adapter has read the device from the extended data; frames naming none are filed by stick and channel
          recording.recordRaw({ tMs, deviceId: deviceId ?? `ant:stick:${stickKey}:${frame[3]}`, transport: 'ant', channel: frame[3], bytes: frame.slice() });
        },
      });
      void antFeature.start(); // real sticks take seconds to start; the status event reports progress
      const recovered = await recording.recoverUnfinished();
      for (const m of recovered) {
        events.emit('notice', { level: 'warning', code: 'REC_TORN_RECORD', message: `Session ${m.base} was not stopped (the app ended unexpectedly); it has been recovered.`, tMs: nowMs() });
      }
      clockTimer = setInterval(pingAll, CLOCK_PING_EVERY_MS);
      clockTimer.unref?.();
      // "last seen" moves with every sample; the list is re-sent once a second, not per sample
      listTimer = setInterval(() => {
        if (devices.lastSeenVersion !== sentLastSeenVersion) {
          sentLastSeenVersion = devices.lastSeenVersion;
          pushDevices();
        }
      }, 1000);
      listTimer.unref?.();
    },
    async stop() {
      if (clockTimer) clearInterval(clockTimer);
      if (listTimer) clearInterval(listTimer);
      sim.stop();
      await antFeature?.stop();
      roster.stop();
      hub.stop(); // releases everything held to every subscriber, the outboxes and the recorder included
      await broker.stop();
      recording.close();
      batcher.flush();
    },
  };

  const antStatusBeforeStart = { sticks: [], error: null };
  const handlers: Handlers = {
    'ant.status': () => (antFeature ? antHandlers(antFeature)['ant.status']({}) : antStatusBeforeStart),
    'ant.setMode': (args) => (antFeature ? antHandlers(antFeature)['ant.setMode'](args) : antStatusBeforeStart),
    ...coreHandlers(host),
    ...bleHandlers(() => bluetoothUi),
    ...rosterHandlers(roster),
    ...brokerHandlers(broker),
    ...recordingHandlers(recording, (sessionId, fraction) => events.emit('recordingExportProgress', { sessionId, fraction })),
  };
  return host;
}
