/**
 * One-call wiring of the Electron Bluetooth glue, and the host handlers of the Bluetooth contract
 * section (src/shared/contract/ble.ts). The chooser and the pairing handler push their state to the
 * UI through `emit`; the UI answers through the commands. Without a window (web and headless modes)
 * the commands fail with a clear message: the browser shows its own chooser there.
 */
import type { Session, WebContents } from 'electron';
import { BluetoothChooser, type ChooserView } from './bluetoothChooser';
import { BluetoothPairing, type PairingPrompt } from './bluetoothPairing';
import { installPermissionHandlers, isAppOrigin } from './permissions';

/** The chooser and pairing handler of the app window. */
export interface BluetoothUi {
  readonly chooser: BluetoothChooser;
  readonly pairing: BluetoothPairing;
  /** Detach from the window (also cancels anything open). */
  dispose(): void;
}

/** What {@link installBluetooth} needs. */
export interface InstallBluetoothDeps {
  readonly contents: WebContents;
  readonly session: Pick<
    Session,
    'setBluetoothPairingHandler' | 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
  >;
  /** The app UI's URL (permissions are granted to this origin only). */
  readonly appUrl: string;
  readonly platform: string;
  /** Push a contract event to the UI (e.g. `host.events.emit`). */
  readonly emit: {
    (name: 'bleChooser', payload: { view: ChooserView | null }): void;
    (name: 'blePairing', payload: { prompts: readonly PairingPrompt[] }): void;
  };
}

/** Install the chooser, the pairing handler and the permission handlers for the app window. */
export function installBluetooth(deps: InstallBluetoothDeps): BluetoothUi {
  const chooser = new BluetoothChooser({ onUpdate: (view) => deps.emit('bleChooser', { view }) });
  const pairing = new BluetoothPairing({ onUpdate: (prompts) => deps.emit('blePairing', { prompts }) });
  installPermissionHandlers(deps.session, deps.appUrl);
  pairing.install(deps.session, deps.platform);
  const detach = chooser.attach(deps.contents);
  const onGone = (): void => pairing.cancelAll();
  deps.contents.on('destroyed', onGone);
  return {
    chooser,
    pairing,
    dispose() {
      detach();
      pairing.cancelAll();
      deps.contents.off('destroyed', onGone);
    },
  };
}

/**
 * Reconnect the sensors remembered by the UI after a restart (Electron keeps no Web Bluetooth grants,
 * docs/web-bluetooth.md §1.3–1.4): read their names from the page, let the chooser pick
 * exactly those, and run the name-filtered `requestDevice()` calls as a user gesture. Only for the
 * app's own page. Returns how many were reconnected and which were not found.
 */
export async function restoreRememberedSensors(
  ui: BluetoothUi,
  contents: Pick<WebContents, 'executeJavaScript' | 'getURL'>,
  appUrl: string,
): Promise<{ restored: number; missing: string[] }> {
  if (!isAppOrigin(contents.getURL(), appUrl)) return { restored: 0, missing: [] };
  const names: unknown = await contents.executeJavaScript('window.sensorRelayBleRestore ? window.sensorRelayBleRestore.names() : []');
  if (!Array.isArray(names) || names.length === 0) return { restored: 0, missing: [] };
  const wanted = new Set(names.filter((n): n is string => typeof n === 'string'));
  ui.chooser.setAutoSelect((d) => wanted.has(d.name));
  try {
    const r = (await contents.executeJavaScript('window.sensorRelayBleRestore.run()', true)) as { restored?: unknown; missing?: unknown };
    return {
      restored: typeof r?.restored === 'number' ? r.restored : 0,
      missing: Array.isArray(r?.missing) ? r.missing.filter((m): m is string => typeof m === 'string') : [...wanted],
    };
  } finally {
    ui.chooser.setAutoSelect(null);
  }
}
