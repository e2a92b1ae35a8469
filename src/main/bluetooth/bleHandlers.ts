/**
 * Host handlers of the Bluetooth commands (the desktop app's in-app chooser and pairing prompts).
 * The Electron side implements {@link BluetoothUiPort}; in web mode there is none and the
 * browser's own chooser is used, so these commands answer with a clear error.
 */
import type { z } from 'zod';
import type { bleCommands } from '../../shared/contract/ble';
import type { Result } from '../../shared/errors';
import { CommandError } from '../contract/server';

/** What the Electron Bluetooth glue offers the host. */
export interface BluetoothUiPort {
  readonly chooser: { select(requestId: number, deviceId: string): Result<null>; cancel(requestId: number): Result<null> };
  readonly pairing: { respond(requestId: number, answer: { confirmed: boolean; pin?: string }): Result<null> };
}

function unwrap(r: Result<null>): null {
  if (!r.ok) throw new CommandError(r.code, r.message);
  return null;
}

const NO_WINDOW = "The in-app Bluetooth chooser exists only in the desktop app; in a browser, use the browser's own chooser.";

/** Handlers of the Bluetooth section. */
export type BleHandlers = {
  readonly [K in keyof typeof bleCommands]: (args: z.output<(typeof bleCommands)[K]['args']>) => null;
};

/** Host handlers of the Bluetooth commands; `ui()` is null until the Electron window exists, and always in web mode. */
export function bleHandlers(ui: () => BluetoothUiPort | null): BleHandlers {
  const need = (): BluetoothUiPort => {
    const u = ui();
    if (!u) throw new CommandError('BLE_NO_CHOOSER_REQUEST', NO_WINDOW);
    return u;
  };
  return {
    'ble.chooserSelect': ({ requestId, deviceId }) => unwrap(need().chooser.select(requestId, deviceId)),
    'ble.chooserCancel': ({ requestId }) => unwrap(need().chooser.cancel(requestId)),
    'ble.pairingRespond': ({ requestId, confirmed, pin }) => unwrap(need().pairing.respond(requestId, { confirmed, pin })),
  };
}
