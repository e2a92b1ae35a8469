/**
 * Measures the clock offset of every UI process that sends samples to the host (NTP-style, over
 * the contract): the host sends `clockPing` with its send time, the UI answers `clock.pong` with
 * its own clock, and offset = clientMs − (hostSend + hostReceive) / 2, with the round trip as
 * the uncertainty. In Electron the offset is near zero; from another machine in web mode it is not.
 */
import { nowMs } from '../shared/sample';

/** One measurement of a UI's clock offset. */
export interface ClockOffset {
  readonly clientId: string;
  /** UI clock minus host clock (ms). */
  readonly offsetMs: number;
  readonly rttMs: number;
  /** Host time of the measurement. */
  readonly tMs: number;
}

interface PendingPing {
  readonly clientId: string;
  readonly hostSendMs: number;
}

/** Tracks pings and the latest offset per UI. */
export class ClockSync {
  private nextPing = 1;
  private readonly pending = new Map<number, PendingPing>();
  private readonly latest = new Map<string, ClockOffset>();
  private readonly listeners = new Set<(offset: ClockOffset) => void>();

  constructor(private readonly now: () => number = nowMs) {}

  /** Start a ping to `clientId`; returns the event payload to send it. */
  ping(clientId: string): { pingId: number; hostSendMs: number } {
    const pingId = this.nextPing++;
    const hostSendMs = this.now();
    this.pending.set(pingId, { clientId, hostSendMs });
    if (this.pending.size > 1000) this.pending.delete(this.pending.keys().next().value!);
    return { pingId, hostSendMs };
  }

  /** Handle a pong; ignores unknown pings and pongs from another UI than the one pinged. */
  pong(clientId: string, pingId: number, clientMs: number): ClockOffset | null {
    const p = this.pending.get(pingId);
    if (!p || p.clientId !== clientId) return null;
    this.pending.delete(pingId);
    const hostReceiveMs = this.now();
    const offset: ClockOffset = {
      clientId,
      offsetMs: clientMs - (p.hostSendMs + hostReceiveMs) / 2,
      rttMs: hostReceiveMs - p.hostSendMs,
      tMs: hostReceiveMs,
    };
    this.latest.set(clientId, offset);
    for (const fn of this.listeners) fn(offset);
    return offset;
  }

  /** Latest offset of every UI. */
  offsets(): ClockOffset[] {
    return [...this.latest.values()];
  }

  /** Called on every new measurement (the recorder logs them). */
  onOffset(fn: (offset: ClockOffset) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
