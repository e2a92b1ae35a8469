/** "Add Bluetooth sensor": one button per sensor kind; each opens the chooser from the click (a user gesture). */
import { DEVICE_KIND_LABELS } from '../../../shared/device';
import type { AppError } from '../../../shared/errors';
import { BLE_KINDS, type BleKind } from '../../../shared/ble/profiles';

/** Props of {@link AddBluetoothSensor}. */
export interface AddBluetoothSensorProps {
  readonly isAvailable: boolean;
  readonly isSimulated: boolean;
  /** Kind whose chooser is open, or null. */
  readonly busyKind: BleKind | null;
  readonly lastError: AppError | null;
  readonly onAdd: (kind: BleKind) => void;
}

/** The add-sensor bar. */
export function AddBluetoothSensor({ isAvailable, isSimulated, busyKind, lastError, onAdd }: AddBluetoothSensorProps): React.JSX.Element {
  return (
    <div className="ble-add" data-testid="ble-add">
      <div className="sim-actions">
        <strong>Add Bluetooth sensor</strong>
        {isSimulated && <span className="badge">simulated Bluetooth</span>}
        {BLE_KINDS.map((kind) => (
          <button
            key={kind}
            className="primary"
            disabled={!isAvailable || busyKind !== null}
            onClick={() => onAdd(kind)}
            data-testid={`ble-add-${kind}`}
          >
            {busyKind === kind ? 'Choosing…' : DEVICE_KIND_LABELS[kind]}
          </button>
        ))}
      </div>
      {lastError && (
        <p className="notice notice-warning" role="alert" data-testid="ble-error" data-code={lastError.code}>
          {lastError.message}
        </p>
      )}
    </div>
  );
}
