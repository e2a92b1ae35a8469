/**
 * Our ANT stick driver over an {@link AntTransport} (docs/ant-plus.md §1, §2): framing, checksums, the start-up
 * handshake, and dispatch of what the stick sends. It decodes nothing itself: data messages go to `frameTap` (the
 * sample adapter), channel responses and RF events to `onChannelEvent` (the stick session, which owns channels).
 *
 * - IN transfers go through {@link FrameSplitter}: several messages per transfer, messages straddling transfers,
 *   resync on garbage; every frame it hands on owns its buffer.
 * - Outgoing frames are built by src/shared/ant/messages.ts with a plain XOR checksum (0xFF is a legal checksum).
 * - Start-up: reset → startup (any reason) → capabilities request → capabilities → network key → response; a
 *   timeout with one reset retry; duplicate startup/capabilities messages are ignored. A startup message while
 *   running means the stick reset itself: the handshake is redone and `restarted` is emitted so the owner can set
 *   its channels up again.
 * - RF loss (`40 [ch 01 02|08]`) is counted and reported through `onRfLoss`; the channel stays open and searches.
 */
import { EventEmitter } from 'node:events';
import { ADV2, decodeCapabilities, EVENT, MSG, requestFrame, resetSystemFrame, RF_EVENT_MSG_ID, type StickCapabilities } from '../../shared/ant/messages';
import { FrameSplitter } from '../../shared/ant/splitter';
import { appError, fail, ok, type AppError, type Result } from '../../shared/errors';
import { nowMs } from '../../shared/sample';
import { networkKeyFrame } from './networkKey';
import type { AntTransport } from './transport';

/** Options of a driver. */
export interface AntDriverOptions {
  readonly startupTimeoutMs?: number;
  /** Clock stamping each received transfer (the replay's recorded clock, a test's fake clock). */
  readonly now?: () => number;
}

/** Counters of one driver. */
export interface AntDriverStats {
  transfersIn: number;
  framesIn: number;
  framesOut: number;
  /** Data messages (broadcast/acknowledged/burst) received. */
  dataFramesIn: number;
  badSyncBytes: number;
  badChecksums: number;
  /** Serial errors (0xAE) reported by the stick: it rejected a frame we wrote. */
  serialErrors: number;
  rfLossEvents: number;
  startups: number;
}

type Phase = 'closed' | 'awaitingStartup' | 'awaitingCapabilities' | 'awaitingKey' | 'ready' | 'gone';

/** The driver for one stick. */
export class AntStickDriver extends EventEmitter {
  maxChannels = 0;
  capabilities: StickCapabilities | null = null;
  /** Reception time (epoch ms) of the transfer being dispatched. */
  lastRxTMs = 0;
  /** Last error (start-up, USB, serial) for the status panel. */
  lastError: AppError | null = null;
  readonly stats: AntDriverStats = { transfersIn: 0, framesIn: 0, framesOut: 0, dataFramesIn: 0, badSyncBytes: 0, badChecksums: 0, serialErrors: 0, rfLossEvents: 0, startups: 0 };
  /** Called with every data message (broadcast, acknowledged, burst) and its reception time. */
  frameTap: ((frame: Uint8Array, rxTMs: number) => void) | null = null;
  /** Called with every channel response and RF event `40 [ch, msgId, code]` (the stick session's channel logic). */
  onChannelEvent: ((channel: number, msgId: number, code: number) => void) | null = null;
  /** Called with a Channel ID reply `51 [ch, devNo LE16, devType, transType]` (the device a wildcard channel found). */
  onChannelId: ((channel: number, deviceNumber: number, deviceType: number) => void) | null = null;
  /** Called for RF-loss events: channel and event code (0x02 missed message, 0x08 back to search). */
  onRfLoss: ((channel: number, code: number) => void) | null = null;
  /** Called when the transport fails (unplug, USB error). */
  onTransportError: ((error: AppError) => void) | null = null;

  private phase: Phase = 'closed';
  private readonly onFrame = (frame: Uint8Array): void => this.read(frame);
  private isRestarting = false;
  private readonly splitter = new FrameSplitter();
  private readonly opts: Required<AntDriverOptions>;
  private startupWaiters: ((ok: boolean) => void)[] = [];

  constructor(
    readonly transport: AntTransport,
    options: AntDriverOptions = {},
  ) {
    super();
    this.setMaxListeners(100);
    this.opts = { startupTimeoutMs: options.startupTimeoutMs ?? 3000, now: options.now ?? nowMs };
  }

  /** Whether the handshake completed and the stick accepts channel commands. */
  get isReady(): boolean {
    return this.phase === 'ready';
  }

  /** Open the transport, start reading and write the reset (resolves before the stick is ready — see start()). */
  async open(): Promise<boolean> {
    const opened = this.transport.open();
    if (!opened.ok) {
      this.lastError = opened;
      return false;
    }
    this.phase = 'awaitingStartup';
    this.splitter.clear();
    this.transport.startReading(
      (t) => this.onTransfer(t),
      (e) => this.onError(e),
    );
    await this.reset();
    return true;
  }

  /** Open and complete the handshake: timeout, one reset retry, then ANT_STARTUP_TIMEOUT. Idempotent. */
  async start(): Promise<Result<StickCapabilities>> {
    if (this.phase === 'ready' && this.capabilities) return ok(this.capabilities);
    if (this.phase === 'closed' || this.phase === 'gone') {
      if (!(await this.open())) return fail(this.lastError?.code ?? 'ANT_USB_FAILED', this.lastError?.message ?? 'stick could not be opened');
    }
    for (let attempt = 0; attempt < 2; attempt++) {
      if (attempt > 0) {
        this.phase = 'awaitingStartup';
        await this.reset();
      }
      if (await this.waitForStartup()) return ok(this.capabilities!);
      if (this.phase === 'gone') break;
    }
    const error = appError(
      'ANT_STARTUP_TIMEOUT',
      `${this.transport.descriptor.label} did not answer the start-up handshake within ${this.opts.startupTimeoutMs} ms, even after a second reset. Unplug it, wait a few seconds, and plug it back in.`,
    );
    this.lastError = error;
    await this.close();
    return fail(error.code, error.message);
  }

  /** Stop reading and close the transport (the stick session closes its channels first). */
  async close(): Promise<void> {
    this.phase = this.phase === 'gone' ? 'gone' : 'closed';
    this.settleStartup(false);
    await this.transport.close();
    this.emit('shutdown');
  }

  /** The stick was unplugged: stop without talking to it. */
  markGone(): void {
    if (this.phase === 'gone') return;
    this.phase = 'gone';
    this.settleStartup(false);
    void this.transport.close();
    this.emit('shutdown');
  }

  /** Handle one complete frame: handshake, serial errors, channel events, data. */
  read(frame: Uint8Array): void {
    this.stats.framesIn++;
    const id = frame[2]!;
    if (id === MSG.startup) {
      this.stats.startups++;
      if (this.phase === 'awaitingStartup') {
        this.phase = 'awaitingCapabilities';
        this.send(requestFrame(0, MSG.capabilities));
      } else if (this.phase === 'ready') {
        // the stick reset itself (power glitch, firmware watchdog): every channel is gone; redo the handshake
        this.isRestarting = true;
        this.phase = 'awaitingCapabilities';
        this.send(requestFrame(0, MSG.capabilities));
      }
      return;
    }
    if (id === MSG.capabilities) {
      const caps = decodeCapabilities(frame.subarray(3, 3 + frame[1]!));
      if (caps) {
        this.capabilities = caps;
        this.maxChannels = caps.maxChannels;
      }
      if (this.phase === 'awaitingCapabilities') {
        this.phase = 'awaitingKey';
        this.send(networkKeyFrame());
      }
      return;
    }
    if (id === MSG.channelEvent && frame[4] === MSG.networkKey) {
      if (this.phase === 'awaitingKey') {
        this.phase = 'ready';
        this.settleStartup(true);
        if (this.isRestarting) {
          this.isRestarting = false;
          this.emit('restarted');
        } else this.emit('startup', frame);
      }
      return;
    }
    if (id === MSG.serialError) {
      this.stats.serialErrors++;
      this.lastError = appError('ANT_SERIAL_ERROR', `${this.transport.descriptor.label} rejected a frame (serial error 0x${(frame[3] ?? 0).toString(16)}).`);
      return;
    }
    if (id === MSG.broadcastData || id === MSG.acknowledgedData || id === MSG.burstData) {
      this.stats.dataFramesIn++;
      this.frameTap?.(frame, this.lastRxTMs);
      return;
    }
    if (id === MSG.channelId && frame[1]! >= 5) {
      this.onChannelId?.(frame[3]!, frame[4]! | (frame[5]! << 8), frame[6]!);
      return;
    }
    if (id === MSG.channelEvent && frame[1]! >= 3) {
      const channel = frame[3]!;
      const msgId = frame[4]!;
      const code = frame[5]!;
      if (msgId === RF_EVENT_MSG_ID && (code === EVENT.rxFail || code === EVENT.rxFailGoToSearch)) {
        this.stats.rfLossEvents++;
        this.onRfLoss?.(channel, code);
      }
      this.onChannelEvent?.(channel, msgId, code);
    }
  }

  /** Write a handshake reply without blocking frame dispatch; a failed write becomes the stick's error. */
  private send(frame: Uint8Array): void {
    this.write(frame).catch((e: unknown) => this.onError(appError('ANT_USB_FAILED', `ANT write failed: ${String(e)}`)));
  }

  /** Write one frame as built (messages.ts computes its checksum). */
  async write(frame: Uint8Array): Promise<void> {
    if (this.phase === 'gone' || this.phase === 'closed') return;
    this.stats.framesOut++;
    await this.transport.write(frame);
  }

  /** Send a system reset (every channel is gone afterwards). */
  async reset(): Promise<void> {
    this.maxChannels = this.capabilities?.maxChannels ?? 0;
    await this.write(resetSystemFrame());
  }

  /** Whether the capabilities reply announced extended messages (channel ID and RSSI after each data message). */
  get hasExtendedMessages(): boolean {
    return ((this.capabilities?.advancedOptions2 ?? 0) & ADV2.extendedMessages) !== 0;
  }

  /** Whether the capabilities reply announced extended messages and scan mode. */
  get canScan(): boolean {
    return this.capabilities?.canScan ?? false;
  }

  private onTransfer(transfer: Uint8Array): void {
    this.stats.transfersIn++;
    this.lastRxTMs = this.opts.now();
    this.splitter.push(transfer, this.onFrame);
    this.stats.badChecksums = this.splitter.stats.badChecksums;
    this.stats.badSyncBytes = this.splitter.stats.badSyncBytes;
  }

  private onError(error: AppError): void {
    this.lastError = error;
    this.onTransportError?.(error);
  }

  private waitForStartup(): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.startupWaiters = this.startupWaiters.filter((w) => w !== done);
        resolve(false);
      }, this.opts.startupTimeoutMs);
      const done = (isOk: boolean): void => {
        clearTimeout(timer);
        resolve(isOk);
      };
      this.startupWaiters.push(done);
    });
  }

  private settleStartup(isOk: boolean): void {
    const waiters = this.startupWaiters;
    this.startupWaiters = [];
    for (const w of waiters) w(isOk);
  }
}
