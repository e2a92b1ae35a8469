/**
 * How a live number reads at a given moment, decided once for every tile: the newest value while it
 * is current; the same value dimmed once nothing arrived for {@link DIM_AFTER_MS} (an RR interval
 * from a strap that dropped out is not current, and must not look it); `--` when there is no
 * current value.
 *
 * Whether a value is current is the hub's decision (docs/staleness.md): a metric
 * with a stale timeout is current until the hub says `stale`; a metric without one (RR intervals,
 * battery, signal) is current while its device is live. The page's clock only times the dimming,
 * against when the value arrived on this page, so a busy host or a page whose clock is off never
 * hides a live value.
 */
import type { DeviceStatus } from '../../shared/device';
import { METRICS, type MetricId } from '../../shared/metrics';

/** Nothing arrived for this long: the value shown is dimmed (sensors send at 1-4 Hz, RR once per beat). */
export const DIM_AFTER_MS = 2500;
/** Text shown when there is no current value. */
export const NO_VALUE = '--';

/** What a live number shows. */
export interface LiveValueView {
  readonly text: string;
  readonly isStale: boolean;
}

/** What the page knows about one device metric at a moment. */
export interface LiveValueState {
  /** The newest value, or null when none arrived. */
  readonly latest: { readonly tMs: number; readonly value: number } | null;
  /** The hub has not marked the newest value stale. */
  readonly isCurrent: boolean;
  /** How long ago the newest value arrived on this page (page clock), or null. */
  readonly arrivedAgoMs: number | null;
  /** The device's link status as the host reports it, or null when the device is unknown here. */
  readonly deviceStatus: DeviceStatus | null;
}

/** The view of one device metric. */
export function liveValueView(metric: MetricId, state: LiveValueState): LiveValueView {
  const info = METRICS[metric];
  const { latest } = state;
  if (!latest || !state.isCurrent) return { text: NO_VALUE, isStale: true };
  // a metric the hub does not time out follows its device: a strap that went silent has no current RR
  if (info.staleAfterMs === null && state.deviceStatus !== null && state.deviceStatus !== 'live') return { text: NO_VALUE, isStale: true };
  return { text: latest.value.toFixed(info.decimals), isStale: (state.arrivedAgoMs ?? 0) > DIM_AFTER_MS };
}
