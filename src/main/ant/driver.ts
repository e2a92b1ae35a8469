/**
 * Our ANT stick driver: implements ant-plus-next's `USBDriverBase` seam (reference/ant-plus.md §7 seam 1) over an
 * {@link AntTransport}, so the library's sensors and scanners run on top of it while framing, checksums,
 * the start-up handshake and the channel bookkeeping are ours. Workarounds for the library's bugs (§9):
 *
 * - B1: IN transfers go through {@link FrameSplitter}: several messages per transfer, messages straddling
 *   transfers, resync on garbage; every frame handed to the library owns its buffer.
 * - B2: {@link AntStickDriver.close} detaches sensors one at a time (on a copy of the list), awaiting each.
 * - B3: every outgoing frame's checksum is recomputed in {@link AntStickDriver.write}.
 * - B4: `canScan()` answers from the capabilities reply; callers must await it (the service does).
 * - B6: each synchronous dispatch to the library runs with the noise filter of quietConsole.ts.
 * - B8: RF-loss events (`40 [ch 01 02|08]`) are hidden from the sensors (they would unassign a searching channel
 *   and leak it) and reported through `onRfLoss` instead.
 * Start-up: reset → startup (any reason) → capabilities request → capabilities → network key → response; a
 * timeout with one reset retry; duplicate startup/capabilities messages are ignored (gotcha 3). A startup message
 * while running means the stick reset itself: the handshake is redone and `restarted` is emitted so the owner can
 * set its channels up again.
 */
import { EventEmitter } from 'node:events';
import type { BaseSensor, USBDriverBase } from 'ant-plus-next';
import { repairChecksum } from '../../shared/ant/frame';
import { decodeCapabilities, EVENT, MSG, requestFrame, resetSystemFrame, RF_EVENT_MSG_ID, type StickCapabilities } from '../../shared/ant/messages';
import { FrameSplitter } from '../../shared/ant/splitter';
import { appError, fail, ok, type AppError, type Result } from '../../shared/errors';
import { nowMs } from '../../shared/sample';
import { networkKeyFrame } from './networkKey';
import { runQuietly } from './quietConsole';
import type { AntTransport } from './transport';

/** Options; the `is…Enabled` switches exist so regression tests can show each bug without its workaround. */
export interface AntDriverOptions {
  readonly startupTimeoutMs?: number;
  /** How long close() waits for each sensor's `detached`. */
  readonly detachTimeoutMs?: number;
  readonly now?: () => number;
  /** B3 workaround (default on). */
  readonly isChecksumRepairEnabled?: boolean;
  /** B8 workaround (default on). */
  readonly isRfLossHidden?: boolean;
  /** B6 workaround (default on). */
  readonly isConsoleQuiet?: boolean;
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
export class AntStickDriver extends EventEmitter implements USBDriverBase {
  usedChannels = 0;
  maxChannels = 0;
  capabilities: StickCapabilities | null = null;
  /** Reception time (epoch ms) of the transfer being dispatched. */
  lastRxTMs = 0;
  /** Last error (start-up, USB, serial) for the status panel. */
  lastError: AppError | null = null;
  readonly stats: AntDriverStats = { transfersIn: 0, framesIn: 0, framesOut: 0, dataFramesIn: 0, badSyncBytes: 0, badChecksums: 0, serialErrors: 0, rfLossEvents: 0, startups: 0 };
  /** Called with every non-handshake frame before the library sees it (raw decoders: RR, torque pages). */
  frameTap: ((frame: Uint8Array, rxTMs: number) => void) | null = null;
  /** Called for RF-loss events hidden from the sensors (B8): channel and event code (0x02 or 0x08). */
  onRfLoss: ((channel: number, code: number) => void) | null = null;
  /** Called when the transport fails (unplug, USB error). */
  onTransportError: ((error: AppError) => void) | null = null;

  private phase: Phase = 'closed';
  private isRestarting = false;
  private readonly splitter = new FrameSplitter();
  private readonly attached: BaseSensor[] = [];
  private readonly opts: Required<Omit<AntDriverOptions, 'now'>> & { now: () => number };
  private startupWaiters: ((ok: boolean) => void)[] = [];

  constructor(
    readonly transport: AntTransport,
    options: AntDriverOptions = {},
  ) {
    super();
    this.setMaxListeners(100);
    this.opts = {
      startupTimeoutMs: options.startupTimeoutMs ?? 3000,
      detachTimeoutMs: options.detachTimeoutMs ?? 2000,
      now: options.now ?? nowMs,
      isChecksumRepairEnabled: options.isChecksumRepairEnabled ?? true,
      isRfLossHidden: options.isRfLossHidden ?? true,
      isConsoleQuiet: options.isConsoleQuiet ?? true,
    };
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

  /** Detach every sensor one at a time (B2), stop reading and close the transport. */
  async close(): Promise<void> {
    if (this.phase !== 'gone') await this.detachAllSensors();
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
    this.attached.length = 0;
    this.usedChannels = 0;
    void this.transport.close();
    this.emit('shutdown');
  }

  /** Handle one complete frame (the four branches of the library's driver, made idempotent). */
  async read(frame: Uint8Array): Promise<void> {
    this.stats.framesIn++;
    const id = frame[2]!;
    if (id === MSG.startup) {
      this.stats.startups++;
      if (this.phase === 'awaitingStartup') {
        this.phase = 'awaitingCapabilities';
        await this.write(requestFrame(0, MSG.capabilities));
      } else if (this.phase === 'ready') {
        // the stick reset itself (power glitch, firmware watchdog): every channel is gone; redo the handshake
        this.attached.length = 0;
        this.usedChannels = 0;
        this.isRestarting = true;
        this.phase = 'awaitingCapabilities';
        await this.write(requestFrame(0, MSG.capabilities));
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
        await this.write(networkKeyFrame());
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
    if (id === MSG.channelEvent && frame[4] === RF_EVENT_MSG_ID && (frame[5] === EVENT.rxFail || frame[5] === EVENT.rxFailGoToSearch)) {
      this.stats.rfLossEvents++;
      this.onRfLoss?.(frame[3]!, frame[5]!);
      if (this.opts.isRfLossHidden) return;
    }
    if (id === MSG.broadcastData || id === MSG.acknowledgedData || id === MSG.burstData) this.stats.dataFramesIn++;
    this.frameTap?.(frame, this.lastRxTMs);
    if (this.opts.isConsoleQuiet) runQuietly(() => this.emit('read', frame));
    else this.emit('read', frame);
  }

  /** Write one frame; its checksum is recomputed first (B3). */
  async write(data: Uint8Array): Promise<void> {
    if (this.phase === 'gone' || this.phase === 'closed') return;
    const frame = this.opts.isChecksumRepairEnabled ? repairChecksum(Uint8Array.from(data)) : Uint8Array.from(data);
    this.stats.framesOut++;
    await this.transport.write(frame);
  }

  /** Detach sensors and send a system reset (channels are gone afterwards). */
  async reset(): Promise<void> {
    await this.detachAllSensors();
    this.maxChannels = this.capabilities?.maxChannels ?? 0;
    this.usedChannels = 0;
    await this.write(resetSystemFrame());
  }

  /** Channel bookkeeping as the library expects (scan sets usedChannels to −1). */
  async attach(sensor: BaseSensor, forScan: boolean): Promise<boolean> {
    if (this.usedChannels < 0) return false;
    if (forScan && this.usedChannels !== 0) return false;
    if (!forScan && this.maxChannels <= this.usedChannels) return false;
    this.usedChannels = forScan ? -1 : this.usedChannels + 1;
    this.attached.push(sensor);
    return true;
  }

  /** Remove a sensor from the bookkeeping. */
  async detach(sensor: BaseSensor): Promise<boolean> {
    const i = this.attached.indexOf(sensor);
    if (i < 0) return false;
    this.usedChannels = this.usedChannels < 0 ? 0 : this.usedChannels - 1;
    this.attached.splice(i, 1);
    return true;
  }

  /** Sensors currently attached (a copy). */
  attachedSensors(): BaseSensor[] {
    return [...this.attached];
  }

  /** Whether the stick is still plugged in. */
  async isPresent(): Promise<boolean> {
    return this.phase !== 'gone';
  }

  /** Whether the stick is in continuous scan mode. */
  async isScanning(): Promise<boolean> {
    return this.usedChannels === -1;
  }

  /** Whether the capabilities reply announced extended messages and scan mode (B4: await it). */
  async canScan(): Promise<boolean> {
    return this.capabilities?.canScan ?? false;
  }

  /** Whether another paired channel is free. */
  async canAttach(): Promise<boolean> {
    return this.usedChannels >= 0 && this.usedChannels < this.maxChannels;
  }

  private onTransfer(transfer: Uint8Array): void {
    this.stats.transfersIn++;
    this.lastRxTMs = this.opts.now();
    this.splitter.push(transfer, (frame) => {
      this.read(frame).catch((e: unknown) => this.onError(appError('ANT_USB_FAILED', `ANT write failed: ${String(e)}`)));
    });
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

  private async detachAllSensors(): Promise<void> {
    for (const sensor of [...this.attached]) {
      if (sensor.channel === undefined) {
        await this.detach(sensor);
        continue;
      }
      const detached = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.opts.detachTimeoutMs);
        sensor.once('detached', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      await sensor.detach();
      await detached;
    }
  }
}
