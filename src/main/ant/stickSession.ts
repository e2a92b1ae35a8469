/**
 * One running stick: our driver, the library's scanners or sensors on top of it, and the adapter turning their
 * output into samples. Scan mode (default, §10.2): one scan channel receives every ANT+ device in range with
 * device number, type and RSSI from extended data. Paired mode: one channel per device, up to the stick's channel
 * count; a sensor that detaches without being asked (B8 fallback) has its channel count fixed and is re-attached.
 */
import {
  BicyclePowerScanner,
  BicyclePowerSensor,
  CadenceScanner,
  CadenceSensor,
  FitnessEquipmentScanner,
  FitnessEquipmentSensor,
  HeartRateScanner,
  HeartRateSensor,
  SpeedCadenceScanner,
  SpeedCadenceSensor,
  SpeedScanner,
  SpeedSensor,
  StrideSpeedDistanceScanner,
  StrideSpeedDistanceSensor,
  type BaseSensor,
} from 'ant-plus-next';
import { closeChannelFrame, unassignChannelFrame } from '../../shared/ant/messages';
import { ANT_PROFILES, profileByDeviceType, type AntProfileName } from '../../shared/ant/profiles';
import { appError, type AppError } from '../../shared/errors';
import type { AntSampleAdapter, LibState } from './adapter';
import type { AntStickDriver } from './driver';
import { byChannel, byDeviceType, FrameRouter, type StickView } from './frameRouter';

/** How a stick receives. */
export type AntMode = 'scan' | 'paired';

/** A device to pair on its own channel (device number 0 = first one found). */
export interface PairedDevice {
  readonly deviceType: number;
  readonly deviceNumber: number;
}

type Listener = (s: LibState) => void;
type AnySensor = BaseSensor & { on(event: string, fn: Listener): unknown; scan?: () => Promise<void>; attach?: (ch: number, dev: number) => Promise<void> };

interface ProfileBinding {
  readonly scanner: new (stick: StickView) => AnySensor;
  readonly sensor: new (stick: StickView) => AnySensor;
  bind(s: AnySensor, adapter: AntSampleAdapter, now: () => number): void;
}

const BINDINGS: { readonly [K in AntProfileName]: ProfileBinding } = {
  hr: { scanner: HeartRateScanner as never, sensor: HeartRateSensor as never, bind: (s, a, now) => s.on('heartRateData', (st) => a.onHeartRate(st, now())) },
  speedCadence: {
    scanner: SpeedCadenceScanner as never,
    sensor: SpeedCadenceSensor as never,
    bind: (s, a, now) => {
      s.on('speedData', (st) => a.onSpeed('speedCadence', st, now()));
      s.on('cadenceData', (st) => a.onCadence('speedCadence', st, now()));
    },
  },
  speed: { scanner: SpeedScanner as never, sensor: SpeedSensor as never, bind: (s, a, now) => s.on('speedData', (st) => a.onSpeed('speed', st, now())) },
  cadence: { scanner: CadenceScanner as never, sensor: CadenceSensor as never, bind: (s, a, now) => s.on('cadenceData', (st) => a.onCadence('cadence', st, now())) },
  stride: { scanner: StrideSpeedDistanceScanner as never, sensor: StrideSpeedDistanceSensor as never, bind: (s, a, now) => s.on('ssdData', (st) => a.onStride(st, now())) },
  // Power is decoded from raw frames by the adapter (B7); the library object only runs the channel.
  power: { scanner: BicyclePowerScanner as never, sensor: BicyclePowerSensor as never, bind: () => undefined },
  fe: { scanner: FitnessEquipmentScanner as never, sensor: FitnessEquipmentSensor as never, bind: (s, a, now) => s.on('fitnessData', (st) => a.onFitness(st, now())) },
};

/** Wheel circumference setter some library objects have. */
interface HasWheel {
  setWheelCircumference?(m: number): void;
}

/** Options of a stick session. */
export interface StickSessionOptions {
  readonly driver: AntStickDriver;
  readonly adapter: AntSampleAdapter;
  readonly wheelCircumferenceM: number;
  readonly attachTimeoutMs?: number;
  /** Delay before re-attaching a sensor that detached on its own. */
  readonly reattachDelayMs?: number;
}

/** A paired channel. */
export interface PairedChannel {
  readonly channel: number;
  readonly device: PairedDevice;
  readonly sensor: AnySensor;
  isDetaching: boolean;
}

/** Sensors and scanners running on one stick. */
export class StickSession {
  mode: AntMode = 'scan';
  readonly paired: PairedChannel[] = [];
  private scanners: AnySensor[] = [];
  private isClosing = false;
  private router: FrameRouter | null = null;
  /** Times a sensor had to be re-attached after detaching by itself. */
  reattachCount = 0;

  constructor(private readonly opts: StickSessionOptions) {}

  /** Start continuous scan with a scanner per profile; null on success. */
  async startScan(): Promise<AppError | null> {
    const { driver } = this.opts;
    if (!(await driver.canScan())) {
      return appError('ANT_SCAN_UNSUPPORTED', `${driver.transport.descriptor.label} does not support continuous scan mode (no extended messages/scan in its capabilities); using paired channels instead.`);
    }
    this.mode = 'scan';
    const now = (): number => driver.lastRxTMs;
    this.router?.dispose();
    const router = new FrameRouter(driver, byDeviceType);
    this.router = router;
    for (const name of Object.keys(BINDINGS) as AntProfileName[]) {
      const b = BINDINGS[name];
      const scanner = new b.scanner(router.view(ANT_PROFILES[name].deviceType));
      (scanner as HasWheel).setWheelCircumference?.(this.opts.wheelCircumferenceM);
      b.bind(scanner, this.opts.adapter, now);
      const attached = this.waitFor(scanner, 'attached');
      await scanner.scan!();
      if (!(await attached)) return appError('ANT_ATTACH_TIMEOUT', `${driver.transport.descriptor.label} did not confirm scan mode.`);
      this.scanners.push(scanner);
    }
    return null;
  }

  /** Pair the given devices on channels 0…n−1 (n ≤ the stick's channel count); errors per device. */
  async startPaired(devices: readonly PairedDevice[]): Promise<AppError[]> {
    const { driver } = this.opts;
    this.mode = 'paired';
    this.router?.dispose();
    this.router = new FrameRouter(driver, byChannel);
    const errors: AppError[] = [];
    const max = driver.maxChannels;
    if (devices.length > max) {
      errors.push(appError('ANT_CHANNELS_FULL', `${driver.transport.descriptor.label} has ${max} channels; ${devices.length - max} device(s) were not paired. Use scan mode or a second stick.`));
    }
    for (let ch = 0; ch < Math.min(max, devices.length); ch++) {
      const err = await this.pairOn(ch, devices[ch]!);
      if (err) errors.push(err);
    }
    return errors;
  }

  /** Paired-mode fallback devices when scan is not available: one wildcard channel per profile. */
  static wildcardDevices(maxChannels: number): PairedDevice[] {
    const types = [0x78, 0x0b, 0x79, 0x11, 0x7c, 0x7b, 0x7a];
    return types.slice(0, maxChannels).map((deviceType) => ({ deviceType, deviceNumber: 0 }));
  }

  /** Detach everything (B2: one at a time, via the driver) — the driver does it in close(). */
  async close(): Promise<void> {
    this.isClosing = true;
    await this.opts.driver.close();
    this.router?.dispose();
  }

  /** The stick is gone: forget the sensors without talking to it. */
  abandon(): void {
    this.isClosing = true;
    this.router?.dispose();
  }

  private async pairOn(channel: number, device: PairedDevice): Promise<AppError | null> {
    const profile = profileByDeviceType(device.deviceType);
    if (!profile) return appError('ANT_ATTACH_TIMEOUT', `ANT+ device type ${device.deviceType} is not supported.`);
    const b = BINDINGS[profile.name];
    const { driver, adapter } = this.opts;
    const sensor = new b.sensor(this.router!.view(channel));
    (sensor as HasWheel).setWheelCircumference?.(this.opts.wheelCircumferenceM);
    b.bind(sensor, adapter, () => driver.lastRxTMs);
    const entry: PairedChannel = { channel, device, sensor, isDetaching: false };
    this.paired.push(entry);
    sensor.on('detached', () => void this.onDetached(entry));
    return this.attach(entry);
  }

  private async attach(entry: PairedChannel): Promise<AppError | null> {
    const { driver, adapter } = this.opts;
    const attached = this.waitFor(entry.sensor, 'attached');
    try {
      await entry.sensor.attach!(entry.channel, entry.device.deviceNumber);
    } catch (e) {
      return appError('ANT_CHANNELS_FULL', `Channel ${entry.channel} on ${driver.transport.descriptor.label}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (entry.device.deviceNumber) adapter.channelDevice[entry.channel] = (entry.device.deviceType << 16) | entry.device.deviceNumber;
    if (!(await attached)) return appError('ANT_ATTACH_TIMEOUT', `Channel ${entry.channel} on ${driver.transport.descriptor.label} did not open (no answer from the stick).`);
    return null;
  }

  /** A sensor detached without being asked (search timeout or a library path we did not hide): fix and re-attach. */
  private async onDetached(entry: PairedChannel): Promise<void> {
    if (this.isClosing || entry.isDetaching) return;
    const { driver } = this.opts;
    await driver.detach(entry.sensor);
    await driver.write(closeChannelFrame(entry.channel));
    await driver.write(unassignChannelFrame(entry.channel));
    await new Promise((r) => setTimeout(r, this.opts.reattachDelayMs ?? 50));
    if (this.isClosing) return;
    this.reattachCount++;
    await this.attach(entry);
  }

  private waitFor(sensor: AnySensor, event: string): Promise<boolean> {
    const timeoutMs = this.opts.attachTimeoutMs ?? 3000;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      (sensor as unknown as { once(e: string, fn: () => void): void }).once(event, () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
