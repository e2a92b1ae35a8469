/** The device list: name, kind, source, status and last seen, for every device. */
import { useEffect, useState } from 'react';
import { DEVICE_KIND_LABELS } from '../../shared/device';
import { useAppStore } from '../stores/appStore';
import { StatusBadge } from './StatusBadge';

function ago(ms: number | null, now: number): string {
  if (ms === null) return 'never';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 2) return 'just now';
  if (s < 90) return `${s} s ago`;
  return `${Math.round(s / 60)} min ago`;
}

/** Device list table. */
export function DeviceList(): React.JSX.Element {
  const devices = useAppStore((s) => s.devices);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000); // a 1 Hz label refresh, not data
    return () => clearInterval(t);
  }, []);
  if (devices.length === 0) {
    return <p className="empty">No devices yet. Add a Bluetooth sensor, plug in an ANT+ stick, or add a simulated device.</p>;
  }
  return (
    <table className="device-list" data-testid="device-list">
      <thead>
        <tr>
          <th>Name</th>
          <th>Kind</th>
          <th>Source</th>
          <th>Status</th>
          <th>Last seen</th>
          <th>Battery</th>
        </tr>
      </thead>
      <tbody>
        {devices.map((d) => (
          <tr key={d.id} data-testid={`row-${d.id}`}>
            <td>
              {d.name}
              <div className="muted mono">{d.id}</div>
            </td>
            <td>{DEVICE_KIND_LABELS[d.kind]}</td>
            <td>{d.source === 'sim' ? 'Simulated' : `${d.source.toUpperCase()}${d.isSimulated ? ' (simulated)' : ''}`}</td>
            <td>
              <StatusBadge status={d.status} />
            </td>
            <td>{ago(d.lastSeenMs, now)}</td>
            <td>{d.batteryPct === null ? '—' : `${Math.round(d.batteryPct)}%`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
