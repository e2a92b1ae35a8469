/**
 * Bluetooth pairing prompts (docs/web-bluetooth.md §1.2): on Windows and Linux Electron
 * asks `session.setBluetoothPairingHandler` to confirm a pairing, compare a PIN, or provide one.
 * Each request is forwarded to the UI and answered exactly once — with the user's answer, or as
 * cancelled when the window closes or nobody answers in time. (macOS pairs through the OS.)
 */
import type { BluetoothPairingHandlerHandlerDetails, Response as PairingResponse, Session } from 'electron';
import { fail, ok, type Result } from '../../shared/errors';

/** What the UI shows for one pairing request. */
export interface PairingPrompt {
  readonly requestId: number;
  readonly deviceId: string;
  /** `confirm`: yes/no; `confirmPin`: does the device show `pin`?; `providePin`: type the device's PIN. */
  readonly kind: BluetoothPairingHandlerHandlerDetails['pairingKind'];
  readonly pin: string | null;
}

/** The user's answer. */
export interface PairingAnswer {
  readonly confirmed: boolean;
  readonly pin?: string;
}

/** Options of the pairing handler. */
export interface BluetoothPairingOptions {
  /** The open prompts changed. Forward to the UI. */
  readonly onUpdate: (prompts: readonly PairingPrompt[]) => void;
  /** Cancel a prompt nobody answered within this time (default 60 s). */
  readonly timeoutMs?: number;
}

interface Open {
  readonly prompt: PairingPrompt;
  readonly callback: (response: PairingResponse) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/** Platforms where Electron routes pairing through the app. */
const PAIRING_PLATFORMS = new Set(['win32', 'linux']);

/** The pairing handler of a session. */
export class BluetoothPairing {
  private readonly open = new Map<number, Open>();
  private nextId = 1;

  constructor(private readonly options: BluetoothPairingOptions) {}

  /** Install on `session` (Windows and Linux only; returns false elsewhere). */
  install(session: Pick<Session, 'setBluetoothPairingHandler'>, platform: string): boolean {
    if (!PAIRING_PLATFORMS.has(platform)) return false;
    session.setBluetoothPairingHandler((details, callback) => this.request(details, callback));
    return true;
  }

  /** Prompts waiting for an answer. */
  prompts(): PairingPrompt[] {
    return [...this.open.values()].map((o) => o.prompt);
  }

  /** Answer a prompt. A PIN is required for `providePin` when confirming. */
  respond(requestId: number, answer: PairingAnswer): Result<null> {
    const o = this.open.get(requestId);
    if (!o) return fail('BLE_NO_PAIRING_REQUEST', 'This pairing request is no longer open.');
    const pin = answer.pin?.trim() ?? '';
    if (answer.confirmed && o.prompt.kind === 'providePin' && pin === '') {
      return fail('BLE_NO_PAIRING_REQUEST', 'Type the PIN shown in the sensor\'s manual or display, or cancel.');
    }
    this.finish(o, answer.confirmed ? (o.prompt.kind === 'providePin' ? { confirmed: true, pin } : { confirmed: true }) : { confirmed: false });
    return ok(null);
  }

  /** Cancel every open prompt (window closed). */
  cancelAll(): void {
    for (const o of [...this.open.values()]) this.finish(o, { confirmed: false });
  }

  private request(details: BluetoothPairingHandlerHandlerDetails, callback: (response: PairingResponse) => void): void {
    const requestId = this.nextId++;
    const prompt: PairingPrompt = { requestId, deviceId: details.deviceId, kind: details.pairingKind, pin: details.pin ?? null };
    const timer = setTimeout(() => {
      const o = this.open.get(requestId);
      if (o) this.finish(o, { confirmed: false });
    }, this.options.timeoutMs ?? 60_000);
    timer.unref?.();
    this.open.set(requestId, { prompt, callback, timer });
    this.options.onUpdate(this.prompts());
  }

  private finish(o: Open, response: PairingResponse): void {
    if (!this.open.delete(o.prompt.requestId)) return;
    clearTimeout(o.timer);
    o.callback(response);
    this.options.onUpdate(this.prompts());
  }
}
