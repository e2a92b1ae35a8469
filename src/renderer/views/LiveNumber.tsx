/**
 * A live number: its text is written from the frame loop straight into the DOM, never through
 * React state. A reading older than the metric's stale timeout is not shown as current.
 */
import { useEffect, useRef } from 'react';
import type { DeviceId } from '../../shared/device';
import { METRICS, type MetricId } from '../../shared/metrics';
import { live } from '../app';
import { onFrame } from '../live/frameLoop';

/** Props of {@link LiveNumber}. */
export interface LiveNumberProps {
  deviceId: DeviceId;
  metric: MetricId;
  className?: string;
  testId?: string;
}

const PLACEHOLDER = '--';

/** A number updated every frame from the live data. */
export function LiveNumber({ deviceId, metric, className, testId }: LiveNumberProps): React.JSX.Element {
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const info = METRICS[metric];
    const maxAgeMs = info.staleAfterMs ?? 5000;
    let shown = '';
    return onFrame((now) => {
      const el = ref.current;
      if (!el) return;
      const latest = live.latest(deviceId, metric);
      const text =
        latest && now - latest.tMs <= maxAgeMs + 500 ? latest.value.toFixed(info.decimals) : PLACEHOLDER;
      if (text !== shown) {
        el.textContent = text;
        shown = text;
      }
    });
  }, [deviceId, metric]);
  return (
    <span ref={ref} className={className} data-testid={testId}>
      {PLACEHOLDER}
    </span>
  );
}
