/**
 * NTP-style clock offset from one ping exchange (RFC 5905 §8, with the client's two stamps taken
 * on its own clock and a single server stamp): the server stamp is assumed to sit at the midpoint
 * of the round trip, so the error is at most half the round-trip time.
 */

/** Offset estimate: server clock minus client clock, and the round trip that bounds its error. */
export interface OffsetEstimate {
  /** Server clock − client clock (ms); add to a client time to get server time. */
  readonly offsetMs: number;
  /** Round-trip time (ms) measured on the client clock; the offset is accurate to ± rttMs / 2. */
  readonly rttMs: number;
}

/**
 * Estimate the offset from the client's send time `t0Ms`, the server's time `tServerMs` when it
 * answered, and the client's receive time `t1Ms`. Returns null when `t1Ms < t0Ms` (a clock step).
 */
export function estimateOffset(t0Ms: number, tServerMs: number, t1Ms: number): OffsetEstimate | null {
  if (!Number.isFinite(t0Ms) || !Number.isFinite(tServerMs) || !Number.isFinite(t1Ms) || t1Ms < t0Ms) return null;
  return { offsetMs: tServerMs - (t0Ms + t1Ms) / 2, rttMs: t1Ms - t0Ms };
}

/** Of several estimates, the one with the smallest round trip (the tightest bound), or null. */
export function bestOffset(estimates: readonly OffsetEstimate[]): OffsetEstimate | null {
  let best: OffsetEstimate | null = null;
  for (const e of estimates) if (!best || e.rttMs < best.rttMs) best = e;
  return best;
}
