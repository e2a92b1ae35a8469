/** The Bluetooth panel: add sensors per kind and see the connected ones, wired to the renderer's BLE runtime. */
import { useSyncExternalStore } from 'react';
import type { BleRuntime } from '../../ble/bleRuntime';
import { AddBluetoothSensor } from './AddBluetoothSensor';
import { BluetoothDevices } from './BluetoothDevices';
import './ble.css';

/** Props of {@link BluetoothPanel}. */
export interface BluetoothPanelProps {
  readonly runtime: BleRuntime;
}

/** The panel. */
export function BluetoothPanel({ runtime }: BluetoothPanelProps): React.JSX.Element {
  const snap = useSyncExternalStore(
    (fn) => runtime.subscribe(fn),
    () => runtime.snapshot(),
  );
  return (
    <section className="panel" data-testid="ble-panel">
      <div className="toolbar">
        <h2>Bluetooth sensors</h2>
      </div>
      <AddBluetoothSensor
        isAvailable={snap.isAvailable}
        isSimulated={snap.isSimulated}
        busyKind={snap.busyKind}
        lastError={snap.lastError}
        onAdd={(kind) => void runtime.addSensor(kind)}
      />
      <BluetoothDevices devices={snap.devices} onRemove={(id) => runtime.remove(id)} />
    </section>
  );
}
