/**
 * Replay of recorded ANT+ messages as a transport: a {@link ReplayAntBus} holds one replay stick behind the same
 * {@link AntBus} seam as real and simulated sticks, so the ANT service, our driver and the sample adapter run
 * unchanged on the recorded bytes. The stick answers the start-up handshake and channel commands like the simulated
 * stick (it is one, with no devices of its own) and delivers each recorded data message as one USB transfer when
 * the replay injects it.
 */
import { appError, type AppError, type Result } from '../../shared/errors';
import { SimAntStick } from '../ant/sim/simStick';
import type { AntBus, AntStickDescriptor, AntTransport } from '../ant/transport';

/** A stick that plays recorded messages. */
class ReplayAntStick implements AntTransport {
  readonly descriptor: AntStickDescriptor;
  private readonly stick: SimAntStick;
  private onData: ((transfer: Uint8Array) => void) | null = null;

  constructor(key: string, label: string) {
    this.stick = new SimAntStick({ key });
    this.descriptor = { ...this.stick.descriptor, label };
  }

  open(): Result<void> {
    return this.stick.open();
  }

  startReading(onData: (transfer: Uint8Array) => void, onError: (error: AppError) => void): void {
    this.onData = onData;
    this.stick.startReading(onData, onError);
  }

  write(frame: Uint8Array): Promise<void> {
    return this.stick.write(frame);
  }

  async close(): Promise<void> {
    this.onData = null;
    await this.stick.close();
  }

  /** Deliver one recorded message as a USB transfer; an error value while the stick is not open. */
  inject(frame: Uint8Array): Result<void> {
    if (!this.onData) return { ok: false, ...appError('REC_REPLAY_FAILED', `${this.descriptor.label} is not open; the message was not replayed.`) };
    this.onData(frame);
    return { ok: true, value: undefined };
  }
}

/** The bus of a replay: one replay stick, present from the start, never unplugged. */
export class ReplayAntBus implements AntBus {
  readonly stick: ReplayAntStick;

  constructor(label: string) {
    this.stick = new ReplayAntStick('replay-1', label);
  }

  list(): AntTransport[] {
    return [this.stick];
  }

  onAttach(): () => void {
    return () => undefined;
  }

  onDetach(): () => void {
    return () => undefined;
  }
}
