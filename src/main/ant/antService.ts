/**
 * The ANT+ host service: finds sticks (several at once), follows hot-plug (pull → the stick's devices go stale and
 * its status says so; plug back → the stick restarts and its sensors return), runs each stick in scan or paired
 * mode, and pushes samples into a `SampleSink` and device identity/status into a registry. No logging and no
 * allocation beyond the sample objects per message.
 */
import { profileByDeviceType } from '../../shared/ant/profiles';
import type { DeviceId, DeviceStatus } from '../../shared/device';
import type { AppError } from '../../shared/errors';
import { nowMs, type SampleSink } from '../../shared/sample';
import type { DeviceInit } from '../devices';
import { AntSampleAdapter, type AntDeviceDetails } from './adapter';
import { AntStickDriver, type AntDriverOptions } from './driver';
import { StickSession, type AntMode, type PairedDevice } from './stickSession';
import type { AntBus, AntTransport } from './transport';
import { noStickError } from './usbErrors';

/** What the service tells the device registry (the lead's DeviceRegistry fits). */
export interface AntDeviceRegistry {
  upsert(init: DeviceInit): void;
  setStatus(id: DeviceId, status: DeviceStatus, reason: string): void;
}

/** State of one stick as the stick panel shows it. */
export interface AntStickStatus {
  readonly key: string;
  readonly label: string;
  readonly productId: number;
  readonly isSimulated: boolean;
  readonly state: 'starting' | 'running' | 'error' | 'removed';
  readonly mode: AntMode;
  readonly channelsUsed: number;
  readonly maxChannels: number;
  readonly canScan: boolean;
  /** Data messages per second over the last status interval. */
  readonly messageRateHz: number;
  readonly framesIn: number;
  readonly badFrames: number;
  readonly deviceCount: number;
  readonly error: AppError | null;
}

/** Whole-service status. */
export interface AntServiceStatus {
  readonly sticks: AntStickStatus[];
  /** Service-level problem (e.g. no stick), null when fine. */
  readonly error: AppError | null;
}

/** Options of the service. */
export interface AntServiceOptions {
  readonly bus: AntBus;
  readonly sink: SampleSink;
  readonly registry?: AntDeviceRegistry;
  /** Called whenever the status changes and once per `statusEveryMs`. */
  readonly onStatus?: (status: AntServiceStatus) => void;
  /** Mode of every stick (default scan). */
  readonly mode?: AntMode;
  /** Devices to pair in paired mode (spread over the sticks in order). */
  readonly paired?: readonly PairedDevice[];
  readonly wheelCircumferenceM?: number;
  readonly statusEveryMs?: number;
  readonly now?: () => number;
  readonly driverOptions?: AntDriverOptions;
  readonly attachTimeoutMs?: number;
  /** How often the bus is listed again to find sticks whose hot-plug event never came (default 5 s). */
  readonly rescanEveryMs?: number;
  /** Delay before retrying a stick that failed to open (permissions settling after hot-plug). */
  readonly openRetryMs?: number;
  /**
   * Every data message as received (for the recording's raw transport log) with the device the adapter read from
   * its extended data (null when it names none: no channel-ID block on an unpaired channel); must be cheap.
   */
  readonly onDataFrame?: (frame: Uint8Array, tMs: number, stickKey: string, deviceId: DeviceId | null) => void;
}

interface StickEntry {
  transport: AntTransport;
  driver: AntStickDriver | null;
  session: StickSession | null;
  adapter: AntSampleAdapter | null;
  state: AntStickStatus['state'];
  error: AppError | null;
  readonly devices: Map<DeviceId, { lastHeardMs: number; isStale: boolean }>;
  lastDataFrames: number;
  lastRateMs: number;
  rateHz: number;
}

/** The service. */
export class AntService {
  private readonly sticks = new Map<string, StickEntry>();
  private unsubscribe: (() => void)[] = [];
  private timer: ReturnType<typeof setInterval> | null = null;
  private serviceError: AppError | null = null;
  private isStopped = false;
  private lastRescanMs = 0;
  private readonly now: () => number;
  private mode: AntMode;
  private paired: readonly PairedDevice[];

  constructor(private readonly opts: AntServiceOptions) {
    this.now = opts.now ?? nowMs;
    this.mode = opts.mode ?? 'scan';
    this.paired = opts.paired ?? [];
  }

  /** Switch every running stick to scan mode, or to paired mode with `paired`; sticks restart. */
  async setMode(mode: AntMode, paired: readonly PairedDevice[] = []): Promise<AntServiceStatus> {
    this.mode = mode;
    this.paired = paired;
    for (const e of this.sticks.values()) {
      if (e.state === 'removed') continue;
      if (e.session) await e.session.close();
      e.state = 'error';
      await this.addStick(e.transport);
    }
    return this.status();
  }

  /** Open every present stick and follow hot-plug. */
  async start(): Promise<void> {
    this.unsubscribe.push(this.opts.bus.onAttach((t) => void this.addStick(t)));
    this.unsubscribe.push(this.opts.bus.onDetach((key) => this.removeStick(key)));
    let present: AntTransport[] = [];
    try {
      present = this.opts.bus.list();
    } catch (e) {
      this.serviceError = { code: 'ANT_USB_FAILED', message: `Listing USB devices failed: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (present.length === 0 && !this.serviceError) this.serviceError = noStickError();
    this.timer = setInterval(() => this.tick(), this.opts.statusEveryMs ?? 1000);
    this.timer.unref?.();
    await Promise.all(present.map((t) => this.addStick(t)));
    this.emitStatus();
  }

  /** Close every stick (channels closed one by one). */
  async stop(): Promise<void> {
    this.isStopped = true;
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const e of this.sticks.values()) if (e.session && e.state !== 'removed') await e.session.close();
  }

  /** Current status. */
  status(): AntServiceStatus {
    return { sticks: [...this.sticks.values()].map((e) => this.stickStatus(e)), error: this.serviceError };
  }

  /** Manufacturer/product details a device sent (any stick), or null when unknown. */
  deviceDetails(deviceType: number, deviceNumber: number): AntDeviceDetails | null {
    for (const e of this.sticks.values()) {
      const d = e.adapter?.details(deviceType, deviceNumber);
      if (d) return { ...d };
    }
    return null;
  }

  /** Rescan and message rates (also run by the timer; callable from tests with a fake clock). Silence is judged by the hub (src/main/devices.ts followHubStaleness), not here. */
  tick(): void {
    const t = this.now();
    if (t - this.lastRescanMs >= (this.opts.rescanEveryMs ?? 5000)) this.rescan(t);
    for (const e of this.sticks.values()) {
      if (e.driver) {
        const dt = t - e.lastRateMs;
        if (dt > 0) {
          e.rateHz = ((e.driver.stats.dataFramesIn - e.lastDataFrames) * 1000) / dt;
          e.lastDataFrames = e.driver.stats.dataFramesIn;
          e.lastRateMs = t;
        }
      }
    }
    this.emitStatus();
  }

  /** Pick up sticks the bus lists but that are not running (platforms or moments without hot-plug events). */
  private rescan(t: number): void {
    this.lastRescanMs = t;
    let present: AntTransport[];
    try {
      present = this.opts.bus.list();
    } catch (e) {
      void e; // listing can fail transiently while devices enumerate; the next rescan tries again
      return;
    }
    for (const transport of present) {
      const e = this.sticks.get(transport.descriptor.key);
      if (!e || e.state === 'removed') void this.addStick(transport);
    }
  }

  private async addStick(transport: AntTransport, retriesLeft = 2): Promise<void> {
    const key = transport.descriptor.key;
    let e = this.sticks.get(key);
    if (e && e.state !== 'removed' && e.state !== 'error') return;
    if (!e) {
      e = { transport, driver: null, session: null, adapter: null, state: 'starting', error: null, devices: new Map(), lastDataFrames: 0, lastRateMs: this.now(), rateHz: 0 };
      this.sticks.set(key, e);
    }
    const entry = e;
    entry.transport = transport;
    this.serviceError = null;
    entry.state = 'starting';
    entry.error = null;
    this.emitStatus();
    const driver = new AntStickDriver(transport, { now: this.now, ...this.opts.driverOptions });
    // one adapter per stick for the service's lifetime: a strap's beat and counter state survive a replug
    const adapter =
      entry.adapter ??
      new AntSampleAdapter({
        sink: this.opts.sink,
        onDeviceSeen: (type, number, id) => this.onDeviceSeen(entry, type, number, id),
        onDeviceHeard: (id, tMs) => this.onDeviceHeard(entry, id, tMs),
        wheelCircumferenceM: this.opts.wheelCircumferenceM,
        onUnknownChannel: (channel) => entry.session?.identify(channel),
      });
    entry.driver = driver;
    entry.adapter = adapter;
    entry.lastDataFrames = 0;
    const onDataFrame = this.opts.onDataFrame;
    driver.frameTap = onDataFrame
      ? (frame, tMs) => {
          adapter.onFrame(frame, tMs);
          onDataFrame(frame, tMs, key, adapter.lastDeviceId);
        }
      : (frame, tMs) => adapter.onFrame(frame, tMs);
    driver.onRfLoss = (channel, code) => this.onRfLoss(entry, channel, code);
    driver.onTransportError = (err) => {
      if (err.code === 'ANT_STICK_REMOVED' && entry.driver === driver) return this.removeStick(key);
      entry.error = err;
      this.emitStatus();
    };
    const started = await driver.start();
    if (!started.ok) {
      entry.state = 'error';
      entry.error = { code: started.code, message: started.message };
      this.emitStatus();
      // a freshly plugged stick can refuse the first open until udev has applied its permissions: retry a little later
      if (retriesLeft > 0 && started.code !== 'ANT_STARTUP_TIMEOUT') {
        const t = setTimeout(() => {
          if (!this.isStopped && entry.state === 'error') void this.addStick(transport, retriesLeft - 1);
        }, this.opts.openRetryMs ?? 1000);
        t.unref?.();
      }
      return;
    }
    driver.on('restarted', () => void this.startSession(entry, driver, adapter, `${transport.descriptor.label} reset itself; channels restored`));
    await this.startSession(entry, driver, adapter, `${transport.descriptor.label} restarted`);
  }

  /** Run scan or paired mode on a started driver (first start, or after the stick reset itself). */
  private async startSession(entry: StickEntry, driver: AntStickDriver, adapter: AntSampleAdapter, reason: string): Promise<void> {
    entry.session?.abandon();
    const session = new StickSession({ driver, adapter, attachTimeoutMs: this.opts.attachTimeoutMs });
    entry.session = session;
    const wantsScan = this.mode === 'scan';
    const scanError = wantsScan ? await session.startScan() : null;
    if (!wantsScan || scanError) {
      const pairs = this.paired.length ? this.pairedFor(entry.transport.descriptor.key) : StickSession.wildcardDevices(driver.maxChannels);
      const errors = await session.startPaired(pairs);
      entry.error = scanError ?? errors[0] ?? null;
    }
    if (entry.state === 'starting') entry.state = 'running';
    for (const [id, d] of entry.devices) if (d.isStale) this.opts.registry?.setStatus(id, 'reconnecting', reason);
    this.emitStatus();
  }

  private removeStick(key: string): void {
    const e = this.sticks.get(key);
    if (!e || e.state === 'removed') return;
    e.state = 'removed';
    e.error = { code: 'ANT_STICK_REMOVED', message: `${e.transport.descriptor.label} was unplugged; its devices are stale until it is plugged back in.` };
    e.session?.abandon();
    e.driver?.markGone();
    for (const [id, d] of e.devices) {
      d.isStale = true;
      this.opts.registry?.setStatus(id, 'stale', `${e.transport.descriptor.label} unplugged`);
    }
    this.emitStatus();
  }

  private onDeviceSeen(e: StickEntry, type: number, number: number, id: DeviceId): void {
    if (!e.devices.has(id)) e.devices.set(id, { lastHeardMs: this.now(), isStale: false });
    const profile = profileByDeviceType(type)!;
    this.opts.registry?.upsert({ id, name: `${profile.label} ${number}`, kind: profile.kind, source: 'ant', isSimulated: e.transport.descriptor.isSimulated });
    this.emitStatus();
  }

  private onDeviceHeard(e: StickEntry, id: DeviceId, tMs: number): void {
    const d = e.devices.get(id);
    if (!d) return;
    d.lastHeardMs = tMs;
    if (d.isStale) d.isStale = false;
  }

  private onRfLoss(e: StickEntry, channel: number, code: number): void {
    if (code !== 0x08 || !e.session) return;
    const ch = e.session.paired.find((p) => p.channel === channel);
    const key = e.adapter?.channelDevice[channel];
    const number = ch?.device.deviceNumber || (key !== undefined ? key & 0xffff : 0);
    if (!ch || !number) return;
    const id = `ant:${ch.device.deviceType}:${number}`;
    const d = e.devices.get(id);
    if (d) d.isStale = true;
    this.opts.registry?.setStatus(id, 'reconnecting', 'ANT+ channel lost the device and is searching');
  }

  private pairedFor(key: string): PairedDevice[] {
    const keys = [...this.sticks.keys()];
    const index = keys.indexOf(key);
    const all = this.paired;
    const per = this.sticks.get(key)?.driver?.maxChannels ?? 8;
    const isLast = index === keys.length - 1;
    return isLast ? all.slice(index * per) : all.slice(index * per, index * per + per);
  }

  private stickStatus(e: StickEntry): AntStickStatus {
    const d = e.driver;
    const used = e.session?.channelsUsed ?? 0;
    return {
      key: e.transport.descriptor.key,
      label: e.transport.descriptor.label,
      productId: e.transport.descriptor.productId,
      isSimulated: e.transport.descriptor.isSimulated,
      state: e.state,
      mode: e.session?.mode ?? this.mode,
      channelsUsed: e.state === 'removed' ? 0 : used,
      maxChannels: d?.maxChannels ?? 0,
      canScan: d?.capabilities?.canScan ?? false,
      messageRateHz: Math.round(e.rateHz * 10) / 10,
      framesIn: d?.stats.framesIn ?? 0,
      badFrames: (d ? d.stats.badChecksums + d.stats.serialErrors : 0) + (e.adapter?.stats.shortPages ?? 0),
      deviceCount: e.devices.size,
      error: e.error ?? d?.lastError ?? null,
    };
  }

  private emitStatus(): void {
    this.opts.onStatus?.(this.status());
  }
}
