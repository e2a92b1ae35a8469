/** The connected Bluetooth sensors: connection state, battery, skin contact, rejected packets, remove. */
import { DEVICE_KIND_LABELS } from '../../../shared/device';
import type { BleDeviceState } from '../../ble/manager';
import { StatusBadge } from '../StatusBadge';

/** Props of {@link BluetoothDevices}. */
export interface BluetoothDevicesProps {
  readonly devices: readonly BleDeviceState[];
  readonly onRemove: (deviceId: string) => void;
}

/** Contact label of a strap: null means the strap does not report contact. */
function contactLabel(contact: boolean | null): string {
  if (contact === null) return 'not reported';
  return contact ? 'skin contact' : 'no skin contact';
}

/** The list. */
export function BluetoothDevices({ devices, onRemove }: BluetoothDevicesProps): React.JSX.Element {
  if (devices.length === 0) return <p className="empty">No Bluetooth sensors yet.</p>;
  return (
    <div className="sim-list" data-testid="ble-devices">
      {devices.map((d) => (
        <div className="sim-device" key={d.id} data-testid={`ble-device-${d.id}`} data-status={d.status}>
          <div className="sim-head">
            <strong>{d.name}</strong> <span className="muted">{DEVICE_KIND_LABELS[d.kind]}</span>
            <StatusBadge status={d.status} />
            {d.batteryPct !== null && (
              <span className={`badge ${d.batteryPct <= 15 ? 'badge-warn' : ''}`} title="Battery" data-testid="ble-battery">
                {Math.round(d.batteryPct)}%
              </span>
            )}
            {d.kind === 'hr' && (
              <span className={`badge ${d.contact === false ? 'badge-warn' : ''}`} data-testid="ble-contact">
                {contactLabel(d.contact)}
              </span>
            )}
            {d.badPackets > 0 && (
              <span className="badge badge-warn" title={d.lastError?.message} data-testid="ble-bad-packets">
                {d.badPackets} rejected packet{d.badPackets === 1 ? '' : 's'}
              </span>
            )}
            {d.reconnects > 0 && <span className="muted">{d.reconnects} reconnect{d.reconnects === 1 ? '' : 's'}</span>}
            <span className="spacer" />
            <button className="danger" onClick={() => onRemove(d.id)}>
              Remove
            </button>
          </div>
          <div className="muted mono">{d.id}</div>
        </div>
      ))}
    </div>
  );
}
