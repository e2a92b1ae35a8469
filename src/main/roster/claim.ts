/**
 * Tap to claim: after the button is pressed for a participant, the first heart-rate strap whose
 * HR rises by `riseBpm` above its value at the press (or reaches `absoluteBpm`) is the one the
 * athlete is wearing. Straps that had no reading at the press take their first reading as baseline.
 */
import type { DeviceId } from '../../shared/device';

/** Claim rule and time limit. */
export interface ClaimOptions {
  readonly riseBpm: number;
  readonly absoluteBpm: number | null;
  readonly timeoutMs: number;
}

/** Defaults: +10 bpm, no absolute threshold, one minute. */
export const DEFAULT_CLAIM: ClaimOptions = { riseBpm: 10, absoluteBpm: null, timeoutMs: 60_000 };

/** A running claim. */
export interface ClaimState {
  readonly participantId: string;
  readonly startedAtMs: number;
  readonly expiresAtMs: number;
  readonly riseBpm: number;
  readonly absoluteBpm: number | null;
}

/** One claim in progress. */
export class Claim {
  readonly state: ClaimState;
  private readonly baselines = new Map<DeviceId, number>();

  constructor(participantId: string, options: ClaimOptions, nowMs: number, baselineAtPress: Map<DeviceId, number>) {
    this.state = {
      participantId,
      startedAtMs: nowMs,
      expiresAtMs: nowMs + options.timeoutMs,
      riseBpm: options.riseBpm,
      absoluteBpm: options.absoluteBpm,
    };
    for (const [d, v] of baselineAtPress) this.baselines.set(d, v);
  }

  /** Offer an HR reading; true when this strap is the one being claimed. */
  offer(deviceId: DeviceId, tMs: number, hrBpm: number): boolean {
    if (tMs < this.state.startedAtMs) return false;
    if (this.state.absoluteBpm !== null && hrBpm >= this.state.absoluteBpm) return true;
    const base = this.baselines.get(deviceId);
    if (base === undefined) {
      this.baselines.set(deviceId, hrBpm);
      return false;
    }
    return hrBpm >= base + this.state.riseBpm;
  }

  /** Whether the claim timed out at `nowMs`. */
  isExpired(nowMs: number): boolean {
    return nowMs >= this.state.expiresAtMs;
  }
}
