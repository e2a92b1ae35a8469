/**
 * Byte-level simulated ANT USB stick: the stick's side of the ANT serial protocol (docs/ant-plus.md §1–§4,
 * §10.2), behind the same {@link AntTransport} seam as a real stick, so our driver, channel set-up and adapter run unchanged.
 *
 * - Start-up: reset → startup `6F [20]` (quirks: sent twice, packed with an unsolicited capabilities reply, or
 *   the first reset ignored — §1.2); capabilities in the ANTUSB2 (6-byte) or USB-m (8-byte) form.
 * - Checks the checksum of every frame the host writes; a bad one is counted and answered with serial error 0xAE.
 * - Channels with states (unassigned / assigned / open): wrong-state commands answered `15`, scan mode with other
 *   channels open answered `19`, close answered `00` then EVENT_CHANNEL_CLOSED.
 * - Broadcasts at each device's channel period, with extended data per lib config / enable-ext; several messages
 *   packed per 64-byte transfer; RF loss: `02` per missed message and `08` after {@link RX_FAIL_TO_SEARCH} misses.
 * - Time is explicit: {@link SimAntStick.advanceTo} renders everything due up to a time (tests step a fake clock,
 *   `--simulate` steps it from a real timer).
 */
import { encodeFrame, isChecksumValid } from '../../../shared/ant/frame';
import { EXT_FLAG, encodeExtendedData } from '../../../shared/ant/extended';
import { channelEventFrame, EVENT, MSG, RF_EVENT_MSG_ID, SERIAL_ERROR_BAD_CHECKSUM } from '../../../shared/ant/messages';
import { periodToMs } from '../../../shared/ant/profiles';
import { appError, ok, type AppError, type Result } from '../../../shared/errors';
import { ANT_PRODUCT_IDS, ANT_VENDOR_ID, stickModelName, type AntStickDescriptor, type AntTransport } from '../transport';
import { createPageSource, type PageSource, type SimAntDevice } from './simDevices';

/** Consecutive missed messages after which a tracking channel reports RX_FAIL_GO_TO_SEARCH. */
const RX_FAIL_TO_SEARCH = 8;

/** How the simulated stick behaves. */
export interface SimStickOptions {
  readonly key: string;
  readonly model?: 'usb2' | 'usbM';
  readonly maxChannels?: number;
  readonly canScan?: boolean;
  /** Extended messages (channel ID / RSSI after data): without them, lib config is refused (older sticks). */
  readonly hasExtendedMessages?: boolean;
  /** Start-up quirks seen on real sticks (§1.2). */
  readonly startupQuirk?: 'none' | 'double' | 'packedWithCapabilities' | 'ignoreFirstReset' | 'silent';
  /** Open fails with this error (permission, busy, driver). */
  readonly openError?: AppError;
  readonly maxTransferBytes?: number;
}

/** Counters a test reads. */
export interface SimStickStats {
  framesFromHost: number;
  badChecksumsFromHost: number;
  transfersToHost: number;
  framesToHost: number;
  dataFramesToHost: number;
  /** Times the host tried to open the stick (failed tries included). */
  openAttempts: number;
  /** Frames the host wrote, as hex-free records (id + payload) for sequence assertions. */
  readonly hostLog: Uint8Array[];
}

interface SimChannel {
  state: 'unassigned' | 'assigned' | 'open';
  devNo: number;
  devType: number;
  transType: number;
  libConfig: number;
  tracked: SimDeviceState | null;
  missed: number;
  isSearching: boolean;
}

interface SimDeviceState {
  readonly device: SimAntDevice;
  readonly source: PageSource;
  readonly periodMs: number;
  nextSlotTMs: number;
}

/** The simulated stick. */
export class SimAntStick implements AntTransport {
  readonly descriptor: AntStickDescriptor;
  readonly stats: SimStickStats = { framesFromHost: 0, badChecksumsFromHost: 0, transfersToHost: 0, framesToHost: 0, dataFramesToHost: 0, openAttempts: 0, hostLog: [] };
  private readonly opts: Required<Omit<SimStickOptions, 'openError'>> & { openError?: AppError };
  private readonly devices: SimDeviceState[] = [];
  private channels: SimChannel[] = [];
  private isScanMode = false;
  private isExtRxEnabled = false;
  private onData: ((t: Uint8Array) => void) | null = null;
  private onError: ((e: AppError) => void) | null = null;
  private isOpen = false;
  private isPlugged = true;
  private resets = 0;
  private pendingReplies: Uint8Array[] = [];
  private replyScheduled = false;
  private timeMs = 0;
  private openError: AppError | undefined;

  constructor(options: SimStickOptions) {
    this.opts = { model: 'usbM', maxChannels: 8, canScan: true, hasExtendedMessages: true, startupQuirk: 'none', maxTransferBytes: 64, ...options };
    const productId = this.opts.model === 'usb2' ? ANT_PRODUCT_IDS.usb2 : ANT_PRODUCT_IDS.usbM;
    this.openError = options.openError;
    this.descriptor = { key: options.key, vendorId: ANT_VENDOR_ID, productId, label: `${stickModelName(productId)} (simulated ${options.key})`, isSimulated: true };
    this.resetChannels();
  }

  /** Add a device (it starts transmitting at its next slot). */
  addDevice(device: SimAntDevice): PageSource {
    const source = createPageSource(device);
    const periodMs = periodToMs(source.profile.period);
    const phase = ((device.deviceNumber * 37) % 100) / 100;
    this.devices.push({ device, source, periodMs, nextSlotTMs: this.timeMs + phase * periodMs });
    return source;
  }

  /** Remove a device by number (it stops transmitting for good). */
  removeDevice(deviceNumber: number): void {
    const i = this.devices.findIndex((d) => d.device.deviceNumber === deviceNumber);
    if (i >= 0) this.devices.splice(i, 1);
  }

  /** The page source of a device (e.g. the HR ground-truth beats). */
  sourceOf(deviceNumber: number): PageSource | undefined {
    return this.devices.find((d) => d.device.deviceNumber === deviceNumber)?.source;
  }

  /** Transfers start failing as if the device vanished, without a hot-plug event (some platforms send none). */
  failTransport(): void {
    const onError = this.onError;
    this.unplug();
    onError?.(appError('ANT_STICK_REMOVED', `${this.descriptor.label} stopped answering (no device).`));
  }

  /** The stick resets itself (power glitch): every channel is lost and an unsolicited power-on startup is sent. */
  powerCycle(): void {
    this.resetChannels();
    this.reply(encodeFrame(MSG.startup, [0x00]));
  }

  /** A finite search timeout expires on an open channel: EVENT_RX_SEARCH_TIMEOUT, then EVENT_CHANNEL_CLOSED. */
  expireSearch(channel: number): void {
    const c = this.channels[channel];
    if (!c || c.state !== 'open') return;
    c.state = 'assigned';
    c.tracked = null;
    this.reply(channelEventFrame(channel, RF_EVENT_MSG_ID, EVENT.rxSearchTimeout));
    this.reply(channelEventFrame(channel, RF_EVENT_MSG_ID, EVENT.channelClosed));
  }

  /** Make the next open() fail with `error` (permission, busy, driver), or succeed again with null. */
  setOpenError(error: AppError | null): void {
    this.openError = error ?? undefined;
  }

  /** Simulated time (ms). */
  get nowMs(): number {
    return this.timeMs;
  }

  /** Pull the stick: nothing is delivered any more, open() fails until it is plugged back. */
  unplug(): void {
    this.isPlugged = false;
    this.isOpen = false;
    this.onData = null;
    this.pendingReplies = [];
  }

  /** Plug the stick back in: it powers up with every channel unassigned. */
  plug(): void {
    this.isPlugged = true;
    this.resetChannels();
  }

  open(): Result<void> {
    this.stats.openAttempts++;
    if (!this.isPlugged) return { ok: false, ...appError('ANT_STICK_REMOVED', `${this.descriptor.label} is not plugged in.`) };
    if (this.openError) return { ok: false, ...this.openError };
    this.isOpen = true;
    return ok(undefined);
  }

  startReading(onData: (transfer: Uint8Array) => void, onError?: (error: AppError) => void): void {
    this.onData = onData;
    this.onError = onError ?? null;
  }

  async write(frame: Uint8Array): Promise<void> {
    if (!this.isOpen) return;
    this.stats.framesFromHost++;
    this.stats.hostLog.push(Uint8Array.from(frame));
    if (!isChecksumValid(frame) || frame[0] !== 0xa4 || frame.length !== frame[1]! + 4) {
      this.stats.badChecksumsFromHost++;
      this.reply(encodeFrame(MSG.serialError, [SERIAL_ERROR_BAD_CHECKSUM]));
      return;
    }
    this.handle(frame[2]!, frame.subarray(3, frame.length - 1));
  }

  async close(): Promise<void> {
    this.isOpen = false;
    this.onData = null;
  }

  /** Render every message due up to `tMs` and deliver them packed into transfers. */
  advanceTo(tMs: number): void {
    const due: { t: number; frame: Uint8Array }[] = [];
    for (const d of this.devices) {
      while (d.nextSlotTMs <= tMs) {
        const t = d.nextSlotTMs;
        d.nextSlotTMs += d.periodMs;
        const page = d.source.next(t);
        const inRange = d.device.isInRange(t);
        this.route(d, page, inRange, t, due);
      }
    }
    this.timeMs = Math.max(this.timeMs, tMs);
    if (!this.isOpen || !this.onData || due.length === 0) return;
    due.sort((a, b) => a.t - b.t);
    this.deliver(due.map((x) => x.frame));
  }

  private route(d: SimDeviceState, page: Uint8Array, inRange: boolean, t: number, due: { t: number; frame: Uint8Array }[]): void {
    if (!this.isOpen) return;
    const type = d.source.profile.deviceType;
    if (this.isScanMode) {
      if (inRange) due.push({ t, frame: this.dataFrame(0, page, d, this.channels[0]!.libConfig | (this.isExtRxEnabled ? EXT_FLAG.channelId : 0)) });
      return;
    }
    for (let ch = 0; ch < this.channels.length; ch++) {
      const c = this.channels[ch]!;
      if (c.state !== 'open') continue;
      if (c.tracked === null) {
        if (!inRange || c.devType !== type || (c.devNo !== 0 && c.devNo !== d.device.deviceNumber)) continue;
        if (this.channels.some((o) => o.tracked === d)) continue;
        c.tracked = d;
      }
      if (c.tracked !== d) continue;
      if (inRange) {
        c.missed = 0;
        c.isSearching = false;
        due.push({ t, frame: this.dataFrame(ch, page, d, c.libConfig) });
      } else if (!c.isSearching) {
        c.missed++;
        due.push({ t, frame: channelEventFrame(ch, RF_EVENT_MSG_ID, c.missed >= RX_FAIL_TO_SEARCH ? EVENT.rxFailGoToSearch : EVENT.rxFail) });
        if (c.missed >= RX_FAIL_TO_SEARCH) c.isSearching = true;
      }
    }
  }

  private dataFrame(ch: number, page: Uint8Array, d: SimDeviceState, flag: number): Uint8Array {
    const ext = flag ? encodeExtendedData(flag, { deviceNumber: d.device.deviceNumber, deviceType: d.source.profile.deviceType, transmissionType: d.device.transmissionType ?? 1, rssiDbm: d.device.rssiDbm ?? -62, thresholdDbm: -80, rxTimestamp: Math.round(this.timeMs * 32.768) & 0xffff }) : [];
    const payload = new Array<number>(9 + ext.length);
    payload[0] = ch;
    for (let i = 0; i < 8; i++) payload[1 + i] = page[i]!;
    for (let i = 0; i < ext.length; i++) payload[9 + i] = ext[i]!;
    this.stats.dataFramesToHost++;
    return encodeFrame(MSG.broadcastData, payload);
  }

  private handle(id: number, p: Uint8Array): void {
    const ch = p[0] ?? 0;
    const c = this.channels[ch];
    const respond = (code: number): void => this.reply(channelEventFrame(ch, id, code));
    switch (id) {
      case MSG.resetSystem:
        return this.onReset();
      case MSG.request:
        return this.onRequest(ch, p[1]!);
      case MSG.networkKey:
        return respond(EVENT.noError);
      case MSG.assignChannel:
        if (!c) return respond(EVENT.invalidMessage);
        if (c.state !== 'unassigned') return respond(EVENT.channelInWrongState);
        c.state = 'assigned';
        return respond(EVENT.noError);
      case MSG.unassignChannel:
        if (!c || c.state !== 'assigned') return respond(EVENT.channelInWrongState);
        this.channels[ch] = emptyChannel();
        return respond(EVENT.noError);
      case MSG.channelId:
        if (!c || c.state === 'unassigned') return respond(EVENT.channelInWrongState);
        c.devNo = p[1]! | (p[2]! << 8);
        c.devType = p[3]!;
        c.transType = p[4]!;
        return respond(EVENT.noError);
      case MSG.libConfig:
        if (!this.opts.hasExtendedMessages) return respond(EVENT.invalidMessage);
        if (c) c.libConfig = p[1]!;
        return respond(EVENT.noError);
      case MSG.enableExtRx:
        this.isExtRxEnabled = p[1] === 1;
        return respond(EVENT.noError);
      case MSG.searchTimeout:
      case MSG.rfFrequency:
      case MSG.channelPeriod:
        return respond(c && c.state !== 'unassigned' ? EVENT.noError : EVENT.channelInWrongState);
      case MSG.openChannel:
        if (!c || c.state !== 'assigned') return respond(EVENT.channelInWrongState);
        c.state = 'open';
        return respond(EVENT.noError);
      case MSG.openRxScan:
        if (!this.opts.canScan) return respond(EVENT.invalidMessage);
        if (this.channels.some((o, i) => i !== 0 && o.state === 'open')) return respond(EVENT.closeAllChannels);
        if (!c || c.state !== 'assigned') return respond(EVENT.channelInWrongState);
        c.state = 'open';
        this.isScanMode = true;
        return respond(EVENT.noError);
      case MSG.closeChannel:
        if (!c || c.state !== 'open') return respond(EVENT.channelInWrongState);
        c.state = 'assigned';
        c.tracked = null;
        if (ch === 0) this.isScanMode = false;
        respond(EVENT.noError);
        return this.reply(channelEventFrame(ch, RF_EVENT_MSG_ID, EVENT.channelClosed));
      case MSG.acknowledgedData:
        return this.reply(channelEventFrame(ch, RF_EVENT_MSG_ID, EVENT.transferTxCompleted));
      default:
        return respond(EVENT.invalidMessage);
    }
  }

  private onReset(): void {
    this.resets++;
    this.resetChannels();
    const quirk = this.opts.startupQuirk;
    if (quirk === 'silent' || (quirk === 'ignoreFirstReset' && this.resets === 1)) return;
    const startup = encodeFrame(MSG.startup, [0x20]);
    if (quirk === 'packedWithCapabilities') {
      this.reply(startup);
      this.reply(this.capabilitiesFrame());
      return;
    }
    this.reply(startup);
    if (quirk === 'double') this.reply(encodeFrame(MSG.startup, [0x20]));
  }

  private onRequest(ch: number, what: number): void {
    if (what === MSG.capabilities) return this.reply(this.capabilitiesFrame());
    if (what === MSG.channelId) {
      const c = this.channels[ch];
      const d = c?.tracked;
      const devNo = d ? d.device.deviceNumber : (c?.devNo ?? 0);
      const type = d ? d.source.profile.deviceType : (c?.devType ?? 0);
      const trans = d ? (d.device.transmissionType ?? 1) : (c?.transType ?? 0);
      return this.reply(encodeFrame(MSG.channelId, [ch, devNo & 0xff, devNo >> 8, type, trans]));
    }
    this.reply(channelEventFrame(ch, MSG.request, EVENT.invalidMessage));
  }

  private capabilitiesFrame(): Uint8Array {
    const adv2 = (this.opts.canScan && this.opts.hasExtendedMessages ? 0x36 : 0x30) | (this.opts.hasExtendedMessages ? 0x02 : 0);
    const payload = this.opts.model === 'usb2' ? [this.opts.maxChannels, 3, 0x00, 0xba, adv2, 0x00] : [this.opts.maxChannels, 8, 0x00, 0xba, adv2, 0x00, 0xdf, 0x79];
    return encodeFrame(MSG.capabilities, payload);
  }

  private resetChannels(): void {
    this.channels = Array.from({ length: this.opts.maxChannels }, emptyChannel);
    this.isScanMode = false;
    this.isExtRxEnabled = false;
  }

  /** Replies go out asynchronously, as a real stick answers, packed like real transfers (docs/ant-plus.md §4). */
  private reply(frame: Uint8Array): void {
    this.pendingReplies.push(frame);
    if (this.replyScheduled) return;
    this.replyScheduled = true;
    setImmediate(() => {
      this.replyScheduled = false;
      const frames = this.pendingReplies;
      this.pendingReplies = [];
      if (this.isOpen && this.onData) this.deliver(frames);
    });
  }

  private deliver(frames: Uint8Array[]): void {
    const max = this.opts.maxTransferBytes;
    let i = 0;
    while (i < frames.length && this.onData) {
      let size = 0;
      let j = i;
      while (j < frames.length && (j === i || size + frames[j]!.length <= max)) size += frames[j++]!.length;
      const usbBuffer = new Uint8Array(Math.max(max, size));
      let off = 0;
      for (let k = i; k < j; k++) {
        usbBuffer.set(frames[k]!, off);
        off += frames[k]!.length;
      }
      this.stats.transfersToHost++;
      this.stats.framesToHost += j - i;
      this.onData(usbBuffer.subarray(0, off));
      i = j;
    }
  }
}

function emptyChannel(): SimChannel {
  return { state: 'unassigned', devNo: 0, devType: 0, transType: 0, libConfig: 0, tracked: null, missed: 0, isSearching: false };
}
