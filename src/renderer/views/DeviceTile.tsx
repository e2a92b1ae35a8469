/** One device's tile: big live numbers, link status, battery, contact, and a live chart. */
import { DEVICE_KIND_LABELS, type DeviceInfo } from '../../shared/device';
import { METRICS } from '../../shared/metrics';
import { useAppStore } from '../stores/appStore';
import { TILE_METRICS } from './deviceMetrics';
import { LiveChart } from './LiveChart';
import { LiveNumber } from './LiveNumber';
import { shownStatus, StatusBadge } from './StatusBadge';

/** Props of {@link DeviceTile}. */
export interface DeviceTileProps {
  device: DeviceInfo;
  /** False while the page has lost the host: the tile then shows `host offline`, never `live`. */
  isHostLinked?: boolean;
}

const CHART_COLORS: Record<string, string> = {
  heartRate: '#ff5d6c',
  power: '#ffb547',
  speed: '#4cc2ff',
  cadence: '#9d8cff',
};

/** A device tile. */
export function DeviceTile({ device, isHostLinked = true }: DeviceTileProps): React.JSX.Element {
  const windowS = useAppStore((s) => s.chartWindowS);
  const [primary, ...secondary] = TILE_METRICS[device.kind];
  const status = shownStatus(device.status, isHostLinked);
  const isDimmed = status !== 'live';
  return (
    <article
      className={`tile status-${status}`}
      data-testid={`tile-${device.id}`}
      data-status={status}
      aria-label={`${device.name}, ${status === 'host-offline' ? 'host offline' : status}`}
    >
      <header className="tile-head">
        <div>
          <h3 className="tile-name">{device.name}</h3>
          <div className="tile-kind">
            {DEVICE_KIND_LABELS[device.kind]} · {device.source === 'sim' ? 'simulated' : device.source.toUpperCase()}
            {device.isSimulated && device.source !== 'sim' ? ' · simulated' : ''}
          </div>
        </div>
        <div className="tile-badges">
          {device.contact === false && <span className="badge badge-warn">no skin contact</span>}
          {device.batteryPct !== null && (
            <span className={`badge ${device.batteryPct <= 15 ? 'badge-warn' : ''}`} data-testid="battery-badge">
              battery {Math.round(device.batteryPct)}%
            </span>
          )}
          <StatusBadge status={status} />
        </div>
      </header>
      {primary && (
        <div className={`tile-primary ${isDimmed ? 'is-dimmed' : ''}`}>
          <LiveNumber deviceId={device.id} metric={primary} className="big-number" testId={`value-${device.id}-${primary}`} />
          <span className="big-unit">{METRICS[primary].unit}</span>
        </div>
      )}
      <div className={`tile-secondary ${isDimmed ? 'is-dimmed' : ''}`}>
        {secondary.map((m) => (
          <div key={m} className="secondary-metric">
            <span className="secondary-label">{METRICS[m].displayName}</span>
            <LiveNumber deviceId={device.id} metric={m} className="secondary-value" testId={`value-${device.id}-${m}`} />
            <span className="secondary-unit">{METRICS[m].unit}</span>
          </div>
        ))}
      </div>
      {primary && <LiveChart deviceId={device.id} metric={primary} windowS={windowS} color={CHART_COLORS[primary]} />}
    </article>
  );
}
