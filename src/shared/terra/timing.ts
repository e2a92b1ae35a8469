/**
 * Timing rules shared by producer, consumer and broker (docs/broker-protocol.md §5.4, §8, §11).
 */

/** Default heartbeat interval every public example uses (§5.2), ms. */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 40_000;
/** Documented identify timeout (§5.3), ms. */
export const DEFAULT_IDENTIFY_TIMEOUT_MS = 15_000;
/** Local broker's heartbeat grace factor: deadline = factor × interval (§5.4). */
export const DEFAULT_HEARTBEAT_GRACE_FACTOR = 1.5;

/** RFC 3339 UTC with exactly three fractional digits and `Z`, e.g. `2025-01-01T12:00:00.000Z` (§11). Sub-ms fractions are floored. */
export function formatTs(epochMs: number): string {
  return new Date(Math.floor(epochMs)).toISOString();
}

/** First-heartbeat jitter factor in [0.1, 1.0) from a uniform `random` in [0, 1) (§5.4). */
export function heartbeatJitter(random: number): number {
  return 0.1 + 0.9 * random;
}

/** Reconnect delay of the reference consumer: min(1000·2^attempt, 30000) × (0.5 + random·0.5) ms (§8). */
export function backoffDelayMs(attempt: number, random: number, baseMs = 1000, capMs = 30_000): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt), capMs) * (0.5 + random * 0.5);
}
