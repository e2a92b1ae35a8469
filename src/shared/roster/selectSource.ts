/**
 * Source selection with fallback: for one participant and one metric, the first device in the
 * participant's preference list that is fresh (a reading within the metric's stale timeout)
 * supplies the metric. When the preferred device goes stale the next fresh one takes over; when
 * the preferred device returns it takes over again. Used by the host (forwarding) and the UI (tiles).
 */
import type { DeviceId } from '../device';
import { METRICS, type MetricId } from '../metrics';

/** The active source of a metric. */
export interface ActiveSource {
  readonly deviceId: DeviceId;
  /** Position in the preference list (0 = preferred). */
  readonly rank: number;
  /** True when a device other than the preferred one supplies the metric. */
  readonly isBackup: boolean;
}

/** Last reception time (ms) of a device's metric, or null when it never sent one. */
export type LastSeenFn = (deviceId: DeviceId, metric: MetricId) => number | null;

/** Fallback used for metrics without a stale timeout (event-like metrics such as RR intervals). */
const EVENT_METRIC_FRESH_MS = 5000;

/** How long a metric's reading counts as fresh. */
export function freshForMs(metric: MetricId): number {
  return METRICS[metric].staleAfterMs ?? EVENT_METRIC_FRESH_MS;
}

/** The device that supplies `metric` at `nowMs`, or null when none of them is fresh. */
export function selectSource(
  deviceIds: readonly DeviceId[],
  metric: MetricId,
  lastSeen: LastSeenFn,
  nowMs: number,
): ActiveSource | null {
  const freshMs = freshForMs(metric);
  for (let rank = 0; rank < deviceIds.length; rank++) {
    const deviceId = deviceIds[rank]!;
    const t = lastSeen(deviceId, metric);
    if (t !== null && nowMs - t <= freshMs) return { deviceId, rank, isBackup: rank > 0 };
  }
  return null;
}

/** The most recently seen device for `metric` (fresh or not), for "last seen" labels; null when none ever sent. */
export function lastSource(
  deviceIds: readonly DeviceId[],
  metric: MetricId,
  lastSeen: LastSeenFn,
): { deviceId: DeviceId; tMs: number } | null {
  let best: { deviceId: DeviceId; tMs: number } | null = null;
  for (const deviceId of deviceIds) {
    const t = lastSeen(deviceId, metric);
    if (t !== null && (!best || t > best.tMs)) best = { deviceId, tMs: t };
  }
  return best;
}
