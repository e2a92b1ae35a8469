/** The Sensors view: every device with its link state, and the ANT+ sticks with their mode and errors. */
import { useEffect, useState } from 'react';
import type { AntStatusView } from '../../shared/contract/ant';
import { ble, client } from '../app';
import { useAppStore } from '../stores/appStore';
import { BluetoothPanel } from './ble/BluetoothPanel';
import { StickPanel } from './ant/StickPanel';
import { DeviceList } from './DeviceList';

/** Sensors view. */
export function SensorsView(): React.JSX.Element {
  const [antStatus, setAntStatus] = useState<AntStatusView | null>(null);
  const isBleReady = useAppStore((s) => s.isBleReady);
  useEffect(() => {
    void client.call('ant.status', {}).then((r) => r.ok && setAntStatus(r.value));
    return client.on('antStatus', setAntStatus);
  }, []);
  return (
    <section className="panel sensors-view">
      <div className="toolbar">
        <h2>Sensors</h2>
      </div>
      {isBleReady && ble ? <BluetoothPanel runtime={ble} /> : <p className="empty">Connecting to the host…</p>}
      <DeviceList />
      <StickPanel status={antStatus} onSetMode={(mode) => void client.call('ant.setMode', { mode }).then((r) => r.ok && setAntStatus(r.value))} />
    </section>
  );
}
