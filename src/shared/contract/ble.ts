/**
 * The Bluetooth section of the UI–host contract (Electron only; in a browser the browser shows its
 * own chooser): the in-app chooser list for `select-bluetooth-device`, pairing prompts, and the UI's
 * answers. See src/main/electron/bluetoothChooser.ts and bluetoothPairing.ts.
 */
import { z } from 'zod';
import { command, nothing } from './schemas';

const chooserView = z.object({
  requestId: z.number().int().positive(),
  devices: z.array(z.object({ id: z.string().min(1).max(200), name: z.string().max(200) })).max(500),
});

const pairingPrompt = z.object({
  requestId: z.number().int().positive(),
  deviceId: z.string().max(200),
  kind: z.enum(['confirm', 'confirmPin', 'providePin']),
  pin: z.string().max(32).nullable(),
});

/** Bluetooth commands: name → args and result. */
export const bleCommands = {
  /** The user picked a device in the in-app chooser. */
  'ble.chooserSelect': command(z.object({ requestId: z.number().int().positive(), deviceId: z.string().min(1).max(200) }), nothing),
  /** The user dismissed the in-app chooser. */
  'ble.chooserCancel': command(z.object({ requestId: z.number().int().positive() }), nothing),
  /** The user answered a pairing prompt (`pin` for `providePin`). */
  'ble.pairingRespond': command(
    z.object({ requestId: z.number().int().positive(), confirmed: z.boolean(), pin: z.string().max(32).optional() }),
    nothing,
  ),
} as const;

/** Bluetooth events pushed to the UI: name → payload. */
export const bleEvents = {
  /** The in-app chooser's list changed (`view` null: the chooser closed). */
  bleChooser: z.object({ view: chooserView.nullable() }),
  /** Open pairing prompts (empty: none). */
  blePairing: z.object({ prompts: z.array(pairingPrompt) }),
} as const;
