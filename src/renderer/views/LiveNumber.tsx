/**
 * A live number: its text is written from the frame loop straight into the DOM, never through
 * React state. A reading that stopped coming is dimmed, then replaced by `--` once the hub says it
 * is stale (liveValue.ts).
 */
import { useEffect, useRef } from 'react';
import type { DeviceStatus } from '../../shared/device';
import type { DeviceId } from '../../shared/device';
import type { MetricId } from '../../shared/metrics';
import { live } from '../app';
import { onFrame } from '../live/frameLoop';
import { useAppStore } from '../stores/appStore';
import { liveValueView, NO_VALUE } from './liveValue';

/** Props of {@link LiveNumber}. */
export interface LiveNumberProps {
  deviceId: DeviceId;
  metric: MetricId;
  className?: string;
  testId?: string;
}

/** A number updated every frame from the live data. */
export function LiveNumber({ deviceId, metric, className, testId }: LiveNumberProps): React.JSX.Element {
  const ref = useRef<HTMLSpanElement>(null);
  const deviceStatus = useAppStore((s) => s.devices.find((d) => d.id === deviceId)?.status ?? null);
  const statusRef = useRef<DeviceStatus | null>(deviceStatus);
  statusRef.current = deviceStatus;
  useEffect(() => {
    let shown = '';
    let isShownStale = true;
    return onFrame((now) => {
      const el = ref.current;
      if (!el) return;
      const view = liveValueView(metric, { ...live.view(deviceId, metric, now), deviceStatus: statusRef.current });
      if (view.text !== shown) {
        el.textContent = view.text;
        shown = view.text;
      }
      if (view.isStale !== isShownStale) {
        el.classList.toggle('is-stale', view.isStale);
        el.dataset.stale = String(view.isStale);
        isShownStale = view.isStale;
      }
    });
  }, [deviceId, metric]);
  return (
    <span ref={ref} className={`${className ?? ''} is-stale`} data-testid={testId} data-stale="true">
      {NO_VALUE}
    </span>
  );
}
