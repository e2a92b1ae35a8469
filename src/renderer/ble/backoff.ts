/** Reconnect backoff for BLE devices: exponential with a ceiling, never giving up. */

/** Backoff settings. */
export interface BackoffConfig {
  /** Delay before the first reconnect attempt. */
  readonly initialMs: number;
  /** Ceiling of the delay. */
  readonly maxMs: number;
  readonly factor: number;
}

/** Default: 0.5 s, 1 s, 2 s, … up to 15 s between attempts. */
export const DEFAULT_BACKOFF: BackoffConfig = { initialMs: 500, maxMs: 15_000, factor: 2 };

/** Delay before attempt number `attempt` (0-based). */
export function backoffDelayMs(config: BackoffConfig, attempt: number): number {
  return Math.min(config.maxMs, config.initialMs * config.factor ** Math.max(0, attempt));
}
