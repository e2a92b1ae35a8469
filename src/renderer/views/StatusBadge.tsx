/** A device's link status as a coloured badge. */
import type { DeviceStatus } from '../../shared/device';

const LABELS: Record<DeviceStatus, string> = {
  connecting: 'connecting',
  live: 'live',
  stale: 'stale',
  reconnecting: 'reconnecting',
  lost: 'lost',
  disconnected: 'disconnected',
};

/** Status badge. */
export function StatusBadge({ status }: { status: DeviceStatus }): React.JSX.Element {
  return (
    <span className={`badge status-badge status-badge-${status}`} data-testid="status-badge">
      {LABELS[status]}
    </span>
  );
}
