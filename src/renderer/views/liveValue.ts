/**
 * How a live number reads at a given moment, decided once for every tile: the newest value while
 * readings keep coming; the last value dimmed once no reading came for {@link DIM_AFTER_MS} (an RR
 * interval from a strap that dropped out is not current, and must not look it); `--` after the
 * metric's stale timeout.
 */
import { METRICS, type MetricId } from '../../shared/metrics';

/** No reading for this long: the value shown is dimmed (sensors send at 1-4 Hz, RR once per beat). */
export const DIM_AFTER_MS = 2500;
/** Text shown when there is no current value. */
export const NO_VALUE = '--';

/** What a live number shows. */
export interface LiveValueView {
  readonly text: string;
  readonly isStale: boolean;
}

/** The view of `latest` (or none) of `metric` at `nowMs`. */
export function liveValueView(metric: MetricId, latest: { tMs: number; value: number } | null, nowMs: number): LiveValueView {
  const info = METRICS[metric];
  const hideAfterMs = (info.staleAfterMs ?? 5000) + 500;
  if (!latest || nowMs - latest.tMs > hideAfterMs) return { text: NO_VALUE, isStale: true };
  return { text: latest.value.toFixed(info.decimals), isStale: nowMs - latest.tMs > Math.min(DIM_AFTER_MS, hideAfterMs) };
}
