/**
 * The channels of one running stick, set up with our own message builders (src/shared/ant/messages.ts) —
 * docs/ant-plus.md §3. Each command is written and its response `40 [ch, msgId, code]` awaited before the next, so
 * a refusal is reported with the step that failed instead of a channel that silently never opens.
 *
 * - Scan mode (default, §10.2): channel 0 assigned as a receive channel with a wildcard channel ID, on the ANT+
 *   frequency, extended data (channel ID, RSSI, timestamp) enabled, then Open RX Scan: every ANT+ device in range
 *   arrives on channel 0 with its device number and type in the extended block.
 * - Paired mode: one channel per device (device number 0 = the first one found), up to the stick's channel count,
 *   with the profile's channel period and a search that never times out. A channel the stick closes by itself
 *   (a search timeout) is opened again.
 * - Close: each channel is closed, its EVENT_CHANNEL_CLOSED awaited, then unassigned — one at a time.
 * RF loss keeps the channel open and searching; the service reports the device as reconnecting.
 */
import {
  assignChannelFrame,
  channelIdFrame,
  channelPeriodFrame,
  closeChannelFrame,
  enableExtRxFrame,
  EVENT,
  libConfigFrame,
  MSG,
  openChannelFrame,
  openRxScanFrame,
  requestFrame,
  RF_EVENT_MSG_ID,
  rfFrequencyFrame,
  searchTimeoutFrame,
  unassignChannelFrame,
} from '../../shared/ant/messages';
import { profileByDeviceType } from '../../shared/ant/profiles';
import { appError, type AppError } from '../../shared/errors';
import type { AntSampleAdapter } from './adapter';
import type { AntStickDriver } from './driver';

/** How a stick receives. */
export type AntMode = 'scan' | 'paired';

/** A device to pair on its own channel (device number 0 = first one found). */
export interface PairedDevice {
  readonly deviceType: number;
  readonly deviceNumber: number;
}

/** Options of a stick session. */
export interface StickSessionOptions {
  readonly driver: AntStickDriver;
  readonly adapter: AntSampleAdapter;
  /** How long each channel command waits for the stick's response. */
  readonly attachTimeoutMs?: number;
  /** Delay before opening again a channel the stick closed by itself. */
  readonly reattachDelayMs?: number;
}

/** A paired channel. */
export interface PairedChannel {
  readonly channel: number;
  readonly device: PairedDevice;
  isOpen: boolean;
}

interface Waiter {
  readonly channel: number;
  readonly msgId: number;
  /** For RF events: the event code awaited. */
  readonly code: number;
  readonly resolve: (code: number) => void;
}

/** No response in time. */
const TIMED_OUT = -1;

/** Channels running on one stick. */
export class StickSession {
  mode: AntMode = 'scan';
  readonly paired: PairedChannel[] = [];
  /** Times a channel closed by the stick had to be opened again. */
  reattachCount = 0;
  private isScanOpen = false;
  private isClosing = false;
  private waiters: Waiter[] = [];
  private readonly listener = (channel: number, msgId: number, code: number): void => this.onChannelEvent(channel, msgId, code);
  private readonly idListener = (channel: number, deviceNumber: number, deviceType: number): void => this.onChannelId(channel, deviceNumber, deviceType);
  /** Channels with a Channel ID request in flight. */
  private readonly identifying = new Set<number>();

  constructor(private readonly opts: StickSessionOptions) {
    opts.driver.onChannelEvent = this.listener;
    opts.driver.onChannelId = this.idListener;
  }

  /** Channels in use (scan mode uses one). */
  get channelsUsed(): number {
    return this.mode === 'scan' ? (this.isScanOpen ? 1 : 0) : this.paired.filter((p) => p.isOpen).length;
  }

  /** Open continuous scan on channel 0; null on success. */
  async startScan(): Promise<AppError | null> {
    const { driver } = this.opts;
    const label = driver.transport.descriptor.label;
    if (!driver.canScan) {
      return appError('ANT_SCAN_UNSUPPORTED', `${label} does not support continuous scan mode (no extended messages/scan in its capabilities); using paired channels instead.`);
    }
    this.mode = 'scan';
    const steps = [assignChannelFrame(0), channelIdFrame(0, 0, 0, 0), rfFrequencyFrame(0), enableExtRxFrame(), libConfigFrame(0), openRxScanFrame()];
    const err = await this.run(0, steps, `${label} did not confirm scan mode`);
    if (err) return err;
    this.isScanOpen = true;
    return null;
  }

  /** Pair the given devices on channels 0…n−1 (n ≤ the stick's channel count); errors per device. */
  async startPaired(devices: readonly PairedDevice[]): Promise<AppError[]> {
    const { driver } = this.opts;
    this.mode = 'paired';
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

  /** Close every channel one at a time (close, await EVENT_CHANNEL_CLOSED, unassign), then the driver. */
  async close(): Promise<void> {
    this.isClosing = true;
    const channels = this.mode === 'scan' ? (this.isScanOpen ? [0] : []) : this.paired.filter((p) => p.isOpen).map((p) => p.channel);
    for (const ch of channels) {
      const closed = this.wait(ch, RF_EVENT_MSG_ID, EVENT.channelClosed);
      const code = await this.command(ch, closeChannelFrame(ch));
      if (code === EVENT.noError) await closed;
      else this.cancel(ch, RF_EVENT_MSG_ID);
      await this.command(ch, unassignChannelFrame(ch));
      const p = this.paired.find((x) => x.channel === ch);
      if (p) p.isOpen = false;
    }
    this.isScanOpen = false;
    await this.opts.driver.close();
    this.detach();
  }

  /** The stick is gone: forget the channels without talking to it. */
  abandon(): void {
    this.isClosing = true;
    this.isScanOpen = false;
    for (const p of this.paired) p.isOpen = false;
    this.detach();
  }

  private detach(): void {
    for (const w of this.waiters) w.resolve(TIMED_OUT);
    this.waiters = [];
    if (this.opts.driver.onChannelEvent === this.listener) this.opts.driver.onChannelEvent = null;
    if (this.opts.driver.onChannelId === this.idListener) this.opts.driver.onChannelId = null;
  }

  private async pairOn(channel: number, device: PairedDevice): Promise<AppError | null> {
    const profile = profileByDeviceType(device.deviceType);
    if (!profile) return appError('ANT_CHANNEL_FAILED', `ANT+ device type ${device.deviceType} is not supported.`);
    const entry: PairedChannel = { channel, device, isOpen: false };
    this.paired.push(entry);
    const { driver } = this.opts;
    const label = driver.transport.descriptor.label;
    const steps = [
      assignChannelFrame(channel),
      channelIdFrame(channel, device.deviceNumber, device.deviceType, 0),
      searchTimeoutFrame(channel),
      rfFrequencyFrame(channel),
      channelPeriodFrame(channel, profile.period),
      // sticks without extended messages refuse lib config; their data messages carry no device identity
      ...(driver.hasExtendedMessages ? [libConfigFrame(channel)] : []),
      openChannelFrame(channel),
    ];
    const err = await this.run(channel, steps, `Channel ${channel} on ${label} did not open`);
    if (err) return err;
    entry.isOpen = true;
    if (device.deviceNumber) this.opts.adapter.channelDevice[channel] = (device.deviceType << 16) | device.deviceNumber;
    return null;
  }

  /**
   * A data message arrived on `channel` without naming its device (a wildcard channel on a stick without extended
   * messages): ask the stick which device the channel found, one request at a time per channel.
   */
  identify(channel: number): void {
    const entry = this.paired.find((p) => p.channel === channel);
    if (!entry || !entry.isOpen || this.isClosing || this.identifying.has(channel)) return;
    this.identifying.add(channel);
    void this.opts.driver.write(requestFrame(channel, MSG.channelId));
  }

  private onChannelId(channel: number, deviceNumber: number, deviceType: number): void {
    this.identifying.delete(channel);
    const entry = this.paired.find((p) => p.channel === channel);
    if (!entry || deviceNumber === 0 || deviceType !== entry.device.deviceType) return;
    this.opts.adapter.channelDevice[channel] = (deviceType << 16) | deviceNumber;
  }

  /** Write each step and await its response; the first failure becomes an error naming the step. */
  private async run(channel: number, steps: readonly Uint8Array[], what: string): Promise<AppError | null> {
    for (const frame of steps) {
      if (this.isClosing) return appError('ANT_CHANNEL_FAILED', `${what}: the stick was closed.`);
      const code = await this.command(channel, frame);
      if (code === TIMED_OUT) return appError('ANT_ATTACH_TIMEOUT', `${what} (no answer from the stick to message 0x${frame[2]!.toString(16)}).`);
      if (code !== EVENT.noError) return appError('ANT_CHANNEL_FAILED', `${what} (message 0x${frame[2]!.toString(16)} refused with code 0x${code.toString(16)}).`);
    }
    return null;
  }

  /** Write one command and await its response code (TIMED_OUT when none came). */
  private async command(channel: number, frame: Uint8Array): Promise<number> {
    const msgId = frame[2]!;
    // Enable Extended Messages answers on channel 0 whatever its filler byte says
    const replyChannel = msgId === MSG.enableExtRx ? 0 : channel;
    const response = this.wait(replyChannel, msgId, -1);
    await this.opts.driver.write(frame);
    return response;
  }

  private wait(channel: number, msgId: number, code: number): Promise<number> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(TIMED_OUT);
      }, this.opts.attachTimeoutMs ?? 3000);
      const waiter: Waiter = {
        channel,
        msgId,
        code,
        resolve: (c) => {
          clearTimeout(timer);
          resolve(c);
        },
      };
      this.waiters.push(waiter);
    });
  }

  private cancel(channel: number, msgId: number): void {
    const keep: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.channel === channel && w.msgId === msgId) w.resolve(TIMED_OUT);
      else keep.push(w);
    }
    this.waiters = keep;
  }

  private onChannelEvent(channel: number, msgId: number, code: number): void {
    if (msgId === MSG.request) this.identifying.delete(channel); // the stick refused a Channel ID request: ask again
    const i = this.waiters.findIndex((w) => w.channel === channel && w.msgId === msgId && (w.code < 0 || w.code === code));
    if (i >= 0) {
      const [w] = this.waiters.splice(i, 1);
      w!.resolve(code);
      return;
    }
    if (msgId === RF_EVENT_MSG_ID && code === EVENT.channelClosed && !this.isClosing) void this.reopen(channel);
  }

  /** The stick closed a paired channel by itself (search timeout): open it again. */
  private async reopen(channel: number): Promise<void> {
    const entry = this.paired.find((p) => p.channel === channel);
    if (!entry || !entry.isOpen) return;
    await new Promise((r) => setTimeout(r, this.opts.reattachDelayMs ?? 50));
    if (this.isClosing) return;
    this.reattachCount++;
    const code = await this.command(channel, openChannelFrame(channel));
    if (code !== EVENT.noError) entry.isOpen = false;
  }
}
