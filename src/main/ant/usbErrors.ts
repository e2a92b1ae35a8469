/**
 * libusb failures turned into errors a user can act on — docs/ant-plus.md §10.3 (Linux udev), §10.4
 * (Windows WinUSB/Zadig), §10.5 (Garmin Express, a second instance holding the stick).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { appError, type AppError } from '../../shared/errors';

/** libusb error numbers (libusb.h), as `usb` reports them in `errno`. */
export const LIBUSB = { io: -1, access: -3, noDevice: -4, notFound: -5, busy: -6, notSupported: -12 } as const;

/** The udev rule's path in a source checkout. */
const REPO_UDEV_RULE = 'resources/udev/51-garmin-ant.rules';

/**
 * Where the running app's copy of the udev rule is: in an installed app next to app.asar
 * (`resources/udev/`, docs/packaging.md; inside an AppImage that is its mount, valid while the
 * app runs), else the repository's `resources/udev/`.
 */
export function shippedUdevRulePath(resourcesPath: string | undefined, exists: (path: string) => boolean = existsSync): string {
  const packaged = resourcesPath ? join(resourcesPath, 'udev', '51-garmin-ant.rules') : null;
  return packaged && exists(packaged) ? packaged : REPO_UDEV_RULE;
}

/** The one-line command that installs the rule from `rulePath`, and what to do after. */
export function udevHint(rulePath: string): string {
  return (
    `Install the udev rule shipped with the app: sudo cp '${rulePath}' /etc/udev/rules.d/ && ` +
    'sudo udevadm control --reload-rules, then unplug and re-plug the stick (your user must be in the plugdev group or logged in at the seat).'
  );
}

/** Where the udev rule ships and how to install it (Electron sets `process.resourcesPath`). */
export const UDEV_HINT = udevHint(shippedUdevRulePath((process as { resourcesPath?: string }).resourcesPath));

/** Error for "no stick found". */
export function noStickError(): AppError {
  return appError('ANT_NO_STICK', 'No ANT+ USB stick found (Garmin/Dynastream 0fcf:1008 ANTUSB2 or 0fcf:1009 ANT USB-m). Plug one in; it is picked up automatically.');
}

/** Map a libusb failure (errno or message) on `platform` to an actionable error. */
export function usbError(errno: number | undefined, message: string, platform: string, stickLabel: string): AppError {
  const busy = `${stickLabel} is held by another program. Quit Garmin Express, Zwift or another copy of Sensor Relay (or anything else using the stick) and re-plug it.`;
  if (errno === LIBUSB.busy) return appError('ANT_STICK_BUSY', busy);
  if (errno === LIBUSB.notSupported) {
    return appError(
      'ANT_DRIVER_UNSUPPORTED',
      `${stickLabel} uses a driver that libusb cannot open. On Windows install the WinUSB driver for it with Zadig (https://zadig.akeo.ie/): ` +
        'Options → List All Devices, pick the ANT stick, select WinUSB, Replace Driver. Note: Garmin software (e.g. Zwift through Garmin\'s driver) will no longer see the stick until the Garmin driver is restored.',
    );
  }
  if (errno === LIBUSB.access) {
    if (platform === 'linux') return appError('ANT_PERMISSION_DENIED', `No permission to open ${stickLabel}. ${UDEV_HINT}`);
    if (platform === 'win32') {
      return appError('ANT_DRIVER_UNSUPPORTED', `Access to ${stickLabel} was denied. Either another program holds it (quit Garmin Express/Zwift) or it still uses the Garmin libusb-win32 driver: install WinUSB with Zadig (https://zadig.akeo.ie/).`);
    }
    return appError('ANT_STICK_BUSY', busy);
  }
  if (errno === LIBUSB.noDevice) return appError('ANT_STICK_REMOVED', `${stickLabel} was unplugged.`);
  return appError('ANT_USB_FAILED', `USB error on ${stickLabel}: ${message}`);
}
