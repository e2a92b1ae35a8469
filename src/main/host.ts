/**
 * The host's composition root: builds the sample hub, the device registry, the simulators and every
 * feature service, wires the live sample stream to them, and starts and stops them in order. The
 * same host runs inside Electron's main process and under plain Node (web and headless modes);
 * transports (Electron IPC, WebSocket) plug in through {@link Host.connect}.
 *
 * Where each job lives: UI connections `uiConnections.ts` (one registry: `events.ts`), clock pings
 * `clockPings.ts`, device-list pushes `deviceListPush.ts`, the contract's handler map
 * `hostHandlers.ts`, ANT+ frames into the raw log `recording/antRawFrames.ts`, pages taking their
 * Bluetooth devices along `bluetooth/pageDevices.ts`, recovery notices `recording/recoveryNotices.ts`.
 */
import { prepareDataDir } from './dataDir';
import type { CallMessage, Reply } from '../shared/contract/wire';
import { nowMs } from '../shared/sample';
import type { Scenario } from '../shared/scenario';
import { runCall, type CallContext, type Handlers } from './contract/server';
import { ClockSync } from './clockSync';
import { ClockPinger } from './clockPings';
import { DeviceListPush } from './deviceListPush';
import { DeviceRegistry, followHubStaleness } from './devices';
import { UiEvents } from './events';
import { hostHandlers } from './hostHandlers';
import { SampleHub } from './hub';
import { SimSource } from './sim/simSource';
import { UiBatcher } from './uiBatcher';
import { attachUi, type AttachedUi } from './uiConnections';
import { createAntFeature, type AntFeature } from './ant/antFeature';
import type { BluetoothUiPort } from './bluetooth/bleHandlers';
import { releasePageDevices } from './bluetooth/pageDevices';
import { BleOwners } from './bluetooth/bleOwners';
import { antRawFrameTap } from './recording/antRawFrames';
import { wireStatus } from './recording/handlers';
import { noticeRecoveredSessions } from './recording/recoveryNotices';
import { RecordingService } from './recording/service';
import { RosterService } from './roster/rosterService';
import { BrokerManager } from './producer/manager';
import { createHeadlessSecretStore, type SecretStore } from './producer/secrets';
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
  connect(send: (message: unknown) => void): AttachedUi;
  /** Call a command directly (in-process callers and tests). */
  call(call: CallMessage, ctx?: CallContext): Promise<Reply>;
  /** The desktop app's Bluetooth chooser and pairing glue (null in web mode). */
  setBluetoothUi(ui: BluetoothUiPort | null): void;
  /** Report a problem the user should see. */
  notice(level: 'info' | 'warning' | 'error', message: string, code?: string): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Build a host (not yet started). */
export function createHost(options: HostOptions): Host {
  const dataDir = prepareDataDir(options.dataDir);
  if (!dataDir.ok) throw new Error(dataDir.message);
  const hub = new SampleHub();
  const devices = new DeviceRegistry();
  const sim = new SimSource({ sink: hub, registry: devices });
  const events = new UiEvents();
  const clock = new ClockSync();
  const pinger = new ClockPinger(events, clock);
  const deviceList = new DeviceListPush(devices, events);
  const bleOwners = new BleOwners();
  const recentSamples = new RecentSamples();
  const batcher = new UiBatcher((batch) => {
    if (events.size > 0) events.emit('samples', { samples: batch });
  }, options.uiFrameMs);
  const notice = events.notice.bind(events);

  const roster = new RosterService({
    dataDir: options.dataDir,
    devices,
    lastValue: (deviceId, metric) => hub.lastValue(deviceId, metric),
    notice,
    emit: (name, payload) => events.emit(name, payload),
  });
  const recording = new RecordingService({
    dataDir: options.dataDir,
    hub,
    devices,
    app: { version: options.version, mode: options.mode },
    onProblem: (message) => notice('error', message, 'REC_IO_FAILED'),
    onStatus: (status) => events.emit('recordingStatus', wireStatus(status)),
  });
  const broker = new BrokerManager({
    dataDir: options.dataDir,
    hub,
    devices,
    roster,
    secrets: options.secrets ?? createHeadlessSecretStore(options.dataDir),
    version: options.version ?? '0.0.0',
    notice,
    emitState: (state) => events.emit('brokerState', state),
  });

  // the UI, the registry, the roster and the uplinks take the live stream; only the recorder pays the reorder window
  hub.subscribeLive((batch) => {
    devices.noteSamples(batch);
    batcher.add(batch);
    recentSamples.add(batch);
  });
  hub.subscribeLive((batch) => roster.onSamples(batch));
  hub.onDeviceEvent((e) => events.emit('deviceEvent', e));
  followHubStaleness(hub, devices);
  clock.onOffset((o) => recording.recordClockOffset(o));

  let antFeature: AntFeature | null = null;
  let bluetoothUi: BluetoothUiPort | null = null;
  const uiDeps = {
    events,
    pinger,
    handlers: () => handlers,
    onClose: (clientId: string) => void releasePageDevices({ bleOwners, devices, hub, recentSamples }, clientId),
  };

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
    startedAtMs: nowMs(),
    connect: (send) => attachUi(uiDeps, send),
    call: (call, ctx = { clientId: 'in-process' }) => runCall(handlers, call, ctx),
    setBluetoothUi(ui) {
      bluetoothUi = ui;
    },
    notice,
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
        onDataFrame: antRawFrameTap(recording),
      });
      void antFeature.start(); // real sticks take seconds to start; the status event reports progress
      noticeRecoveredSessions(events, await recording.recoverUnfinished());
      pinger.start();
      deviceList.start();
    },
    async stop() {
      pinger.stop();
      deviceList.stop();
      sim.stop();
      await antFeature?.stop();
      roster.stop();
      hub.stop(); // releases everything held to every subscriber, the outboxes and the recorder included
      await broker.stop();
      recording.close();
      batcher.flush();
    },
  };
  const handlers: Handlers = hostHandlers(host, { ant: () => antFeature, bluetoothUi: () => bluetoothUi });
  return host;
}
