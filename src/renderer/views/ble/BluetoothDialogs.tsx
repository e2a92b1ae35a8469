/** Chooser and pairing dialogs of the desktop app, fed by the host's bleChooser/blePairing events. */
import { useEffect, useState } from 'react';
import type { HostClient } from '../../contract/client';
import { BluetoothChooserDialog, type BluetoothChooserDialogProps } from './BluetoothChooserDialog';
import { PairingPrompt } from './PairingPrompt';
import type { PairingPromptView } from './types';
import './ble.css';

/** The Bluetooth dialogs (render nothing while no chooser or pairing request is open). */
export function BluetoothDialogs({ client }: { readonly client: HostClient }): React.JSX.Element {
  const [view, setView] = useState<BluetoothChooserDialogProps['view']>(null);
  const [prompts, setPrompts] = useState<readonly PairingPromptView[]>([]);
  useEffect(() => {
    const offChooser = client.on('bleChooser', (p) => setView(p.view));
    const offPairing = client.on('blePairing', (p) => setPrompts(p.prompts));
    return () => {
      offChooser();
      offPairing();
    };
  }, [client]);
  return (
    <>
      <BluetoothChooserDialog
        view={view}
        onPick={(requestId, deviceId) => void client.call('ble.chooserSelect', { requestId, deviceId })}
        onCancel={(requestId) => void client.call('ble.chooserCancel', { requestId })}
      />
      <PairingPrompt
        prompt={prompts[0] ?? null}
        onAnswer={(requestId, answer) => void client.call('ble.pairingRespond', { requestId, ...answer })}
      />
    </>
  );
}
