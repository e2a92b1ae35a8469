/**
 * The real USB side: Garmin/Dynastream sticks (0fcf:1008 ANTUSB2, 0fcf:1009 ANT USB-m) found through `usb`
 * (libusb), hot-plug from `usb`'s attach/detach events, and each stick opened as an {@link AntTransport}
 * (interface 0, bulk IN 0x81 / OUT 0x01, 64-byte packets — docs/ant-plus.md §1.2). Failures become
 * actionable errors (usbErrors.ts). Not covered by automated tests (no hardware here); the simulated bus stands in.
 */
import { getDeviceList, usb, type Device, type InEndpoint, type Interface, type OutEndpoint } from 'usb';
import { ok, type AppError, type Result } from '../../shared/errors';
import { ANT_PRODUCT_IDS, ANT_VENDOR_ID, stickModelName, type AntBus, type AntStickDescriptor, type AntTransport } from './transport';
import { LIBUSB, usbError } from './usbErrors';

/** Transfer status libusb reports when the device went away during a transfer. */
const LIBUSB_TRANSFER_NO_DEVICE = 5;

function isAntStick(d: Device): boolean {
  const { idVendor, idProduct } = d.deviceDescriptor;
  return idVendor === ANT_VENDOR_ID && (idProduct === ANT_PRODUCT_IDS.usb2 || idProduct === ANT_PRODUCT_IDS.usbM);
}

function keyOf(d: Device): string {
  const ports = d.portNumbers?.length ? d.portNumbers.join('.') : `a${d.deviceAddress}`;
  return `usb-${d.busNumber}-${ports}`;
}

function errnoOf(e: unknown): number | undefined {
  return typeof e === 'object' && e !== null && 'errno' in e ? Number((e as { errno: unknown }).errno) : undefined;
}

/** One real stick. */
export class NodeUsbTransport implements AntTransport {
  readonly descriptor: AntStickDescriptor;
  private iface: Interface | null = null;
  private inEp: InEndpoint | null = null;
  private outEp: OutEndpoint | null = null;
  private isKernelDriverDetached = false;

  constructor(private readonly device: Device) {
    const productId = device.deviceDescriptor.idProduct;
    this.descriptor = {
      key: keyOf(device),
      vendorId: ANT_VENDOR_ID,
      productId,
      label: `${stickModelName(productId)} (bus ${device.busNumber} port ${device.portNumbers?.join('.') ?? device.deviceAddress})`,
      isSimulated: false,
    };
  }

  open(): Result<void> {
    try {
      this.device.open();
      const iface = this.device.interfaces?.[0];
      if (!iface) throw Object.assign(new Error('stick has no USB interface'), { errno: -5 });
      try {
        if (iface.isKernelDriverActive()) {
          iface.detachKernelDriver();
          this.isKernelDriverDetached = true;
        }
      } catch (e) {
        void e; // kernel-driver calls are not supported on every platform (e.g. Windows); claim() reports real problems
      }
      iface.claim();
      this.iface = iface;
      this.inEp = iface.endpoints.find((e) => e.direction === 'in') as InEndpoint;
      this.outEp = iface.endpoints.find((e) => e.direction === 'out') as OutEndpoint;
      return ok(undefined);
    } catch (e) {
      this.safeClose();
      const err = usbError(errnoOf(e), e instanceof Error ? e.message : String(e), process.platform, this.descriptor.label);
      return { ok: false, ...err };
    }
  }

  startReading(onData: (transfer: Uint8Array) => void, onError: (error: AppError) => void): void {
    const ep = this.inEp;
    if (!ep) return;
    ep.on('data', (data: Buffer) => onData(data));
    ep.on('error', (e: unknown) => {
      // a transfer completing with LIBUSB_TRANSFER_NO_DEVICE (5) means the stick is gone, like LIBUSB_ERROR_NO_DEVICE
      const errno = errnoOf(e) === LIBUSB_TRANSFER_NO_DEVICE ? LIBUSB.noDevice : errnoOf(e);
      onError(usbError(errno, e instanceof Error ? e.message : String(e), process.platform, this.descriptor.label));
    });
    ep.startPoll(3, 64);
  }

  write(frame: Uint8Array): Promise<void> {
    const ep = this.outEp;
    if (!ep) return Promise.resolve();
    return new Promise((resolve, reject) => {
      ep.transfer(Buffer.from(frame), (error) => (error ? reject(error) : resolve()));
    });
  }

  async close(): Promise<void> {
    const iface = this.iface;
    const ep = this.inEp;
    this.iface = null;
    this.inEp = null;
    this.outEp = null;
    if (!iface) return;
    // after an unplug libusb may refuse these calls; each is attempted and the device is closed regardless
    if (ep) {
      await new Promise<void>((resolve) => {
        try {
          ep.stopPoll(() => resolve());
        } catch (e) {
          void e; // polling had already stopped (transfer error on unplug)
          resolve();
        }
      });
    }
    await new Promise<void>((resolve) => {
      try {
        iface.release(true, () => resolve());
      } catch (e) {
        void e; // the interface is gone with the device
        resolve();
      }
    });
    if (this.isKernelDriverDetached) {
      this.isKernelDriverDetached = false;
      try {
        iface.attachKernelDriver();
      } catch (e) {
        void e; // the kernel driver may already be gone with the device; nothing to restore
      }
    }
    this.safeClose();
  }

  private safeClose(): void {
    try {
      this.device.close();
    } catch (e) {
      void e; // closing an unplugged or never-opened device throws; there is nothing left to release
    }
  }
}

/** The real bus. */
export class NodeUsbBus implements AntBus {
  list(): AntTransport[] {
    return getDeviceList().filter(isAntStick).map((d) => new NodeUsbTransport(d));
  }

  onAttach(fn: (t: AntTransport) => void): () => void {
    const listener = (d: Device): void => {
      if (isAntStick(d)) fn(new NodeUsbTransport(d));
    };
    usb.on('attach', listener);
    usb.unrefHotplugEvents?.();
    return () => usb.off('attach', listener);
  }

  onDetach(fn: (key: string) => void): () => void {
    const listener = (d: Device): void => {
      if (isAntStick(d)) fn(keyOf(d));
    };
    usb.on('detach', listener);
    usb.unrefHotplugEvents?.();
    return () => usb.off('detach', listener);
  }
}
