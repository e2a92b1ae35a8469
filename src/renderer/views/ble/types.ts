/** View types of the Bluetooth dialogs (mirror the Bluetooth contract section's payloads). */

/** A device in the in-app chooser. */
export interface ChooserDevice {
  readonly id: string;
  readonly name: string;
}

/** A pairing request waiting for the user. */
export interface PairingPromptView {
  readonly requestId: number;
  readonly deviceId: string;
  readonly kind: 'confirm' | 'confirmPin' | 'providePin';
  readonly pin: string | null;
}
