/** A device's link status as a coloured badge. */
import type { DeviceStatus } from '../../shared/device';

/** What a tile shows as its status: the device's, or `host-offline` while this page has lost the host (then nothing it shows is live). */
export type ShownStatus = DeviceStatus | 'host-offline';

/** The status to show for a device, given whether the page is connected to the host. */
export function shownStatus(status: DeviceStatus, isHostLinked: boolean): ShownStatus {
  return isHostLinked ? status : 'host-offline';
}

const LABELS: Record<ShownStatus, string> = {
  'host-offline': 'host offline',
  connecting: 'connecting',
  live: 'live',
  stale: 'stale',
  reconnecting: 'reconnecting',
  lost: 'lost',
  disconnected: 'disconnected',
};

/** Status badge. */
export function StatusBadge({ status }: { status: ShownStatus }): React.JSX.Element {
  return (
    <span className={`badge status-badge status-badge-${status}`} data-testid="status-badge">
      {LABELS[status]}
    </span>
  );
}
