/**
 * The in-app Bluetooth chooser of the desktop app (Electron has no browser chooser): the devices
 * found so far, updated as they appear; pick one or cancel. Closing the dialog cancels. It takes
 * the keyboard focus when it opens and Escape cancels.
 */
import { useDialogFocus } from '../useDialogFocus';
import type { ChooserDevice } from './types';

/** Props of {@link BluetoothChooserDialog}. */
export interface BluetoothChooserDialogProps {
  /** The open request, or null when no chooser is open. */
  readonly view: { readonly requestId: number; readonly devices: readonly ChooserDevice[] } | null;
  readonly onPick: (requestId: number, deviceId: string) => void;
  readonly onCancel: (requestId: number) => void;
}

/** The chooser dialog. */
export function BluetoothChooserDialog({ view, onPick, onCancel }: BluetoothChooserDialogProps): React.JSX.Element | null {
  const requestId = view?.requestId ?? null;
  const ref = useDialogFocus<HTMLDivElement>(requestId !== null, () => {
    if (requestId !== null) onCancel(requestId);
  });
  if (!view) return null;
  return (
    <div ref={ref} tabIndex={-1} className="ble-dialog" role="dialog" aria-modal="true" aria-label="Choose a Bluetooth sensor" data-testid="ble-chooser">
      <h3>Choose a Bluetooth sensor</h3>
      {view.devices.length === 0 ? (
        <p className="muted">Searching… wake the sensor (wear the strap, turn the cranks).</p>
      ) : (
        <ul className="ble-choices">
          {view.devices.map((d) => (
            <li key={d.id}>
              <button onClick={() => onPick(view.requestId, d.id)} data-testid={`ble-choice-${d.id}`}>
                {d.name || 'Unnamed device'} <span className="muted mono">{d.id}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <button onClick={() => onCancel(view.requestId)} data-testid="ble-chooser-cancel">
        Cancel
      </button>
    </div>
  );
}
