/**
 * The seam under our ANT stick driver: one open USB connection to a stick (`AntTransport`) and the list of
 * sticks with hot-plug events (`AntBus`). The real implementation wraps `usb` (nodeUsbBus.ts); the byte-level
 * simulated stick implements the same interfaces (sim/simBus.ts), so the driver, the channel set-up and the adapter run unchanged.
 */
import type { AppError, Result } from '../../shared/errors';

/** USB vendor id of Garmin/Dynastream. */
export const ANT_VENDOR_ID = 0x0fcf;
/** Product ids of the supported sticks: ANTUSB2 and ANT USB-m. */
export const ANT_PRODUCT_IDS = { usb2: 0x1008, usbM: 0x1009 } as const;

/** Identity of one stick. */
export interface AntStickDescriptor {
  /** Stable while the stick stays in the same port (bus + port path); used to match detach events. */
  readonly key: string;
  readonly vendorId: number;
  readonly productId: number;
  /** Human label, e.g. "ANT USB-m (bus 1 port 3)". */
  readonly label: string;
  readonly isSimulated: boolean;
}

/** One USB connection to a stick. */
export interface AntTransport {
  readonly descriptor: AntStickDescriptor;
  /** Open the device and claim its interface; an error value explains what the user can do. */
  open(): Result<void>;
  /** Start delivering IN transfers (each may hold several messages or part of one). */
  startReading(onData: (transfer: Uint8Array) => void, onError: (error: AppError) => void): void;
  /** Write one frame to the OUT endpoint. */
  write(frame: Uint8Array): Promise<void>;
  /** Stop reading, release and close; safe to call twice and after an unplug. */
  close(): Promise<void>;
}

/** The sticks present and their hot-plug events. */
export interface AntBus {
  /** Sticks present now. */
  list(): AntTransport[];
  /** A stick was plugged in. */
  onAttach(fn: (transport: AntTransport) => void): () => void;
  /** A stick was pulled out (by descriptor key). */
  onDetach(fn: (key: string) => void): () => void;
}

/** Label of a stick model from its product id. */
export function stickModelName(productId: number): string {
  if (productId === ANT_PRODUCT_IDS.usbM) return 'ANT USB-m';
  if (productId === ANT_PRODUCT_IDS.usb2) return 'ANTUSB2';
  return `ANT stick 0fcf:${productId.toString(16).padStart(4, '0')}`;
}
