import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LIBUSB, noStickError, usbError } from '../../../../src/main/ant/usbErrors';

describe('USB failures become actionable errors', () => {
  it('Linux permission denied points to the shipped udev rule and how to install it', () => {
    const e = usbError(LIBUSB.access, 'LIBUSB_ERROR_ACCESS', 'linux', 'ANT USB-m');
    expect(e.code).toBe('ANT_PERMISSION_DENIED');
    expect(e.message).toContain('resources/udev/51-garmin-ant.rules');
    expect(e.message).toContain('udevadm control --reload-rules');
  });

  it('a stick held by another program names Garmin Express and a second instance', () => {
    const e = usbError(LIBUSB.busy, 'LIBUSB_ERROR_BUSY', 'darwin', 'ANTUSB2');
    expect(e.code).toBe('ANT_STICK_BUSY');
    expect(e.message).toMatch(/Garmin Express.*another copy of Sensor Relay/);
  });

  it('Windows without WinUSB says to install it with Zadig', () => {
    for (const errno of [LIBUSB.notSupported, LIBUSB.access]) {
      const e = usbError(errno, 'x', 'win32', 'ANT USB-m');
      expect(e.code).toBe('ANT_DRIVER_UNSUPPORTED');
      expect(e.message).toMatch(/Zadig/);
    }
  });

  it('no stick names both supported models; unknown errors keep the libusb message', () => {
    expect(noStickError().message).toMatch(/0fcf:1008.*0fcf:1009/);
    expect(usbError(-99, 'LIBUSB_ERROR_OTHER', 'linux', 'ANTUSB2')).toEqual({ code: 'ANT_USB_FAILED', message: 'USB error on ANTUSB2: LIBUSB_ERROR_OTHER' });
  });

  it('the shipped udev rule grants both sticks', () => {
    const rules = readFileSync('resources/udev/51-garmin-ant.rules', 'utf8');
    expect(rules).toMatch(/idVendor}=="0fcf", ATTR{idProduct}=="1008".*uaccess/);
    expect(rules).toMatch(/idVendor}=="0fcf", ATTR{idProduct}=="1009".*uaccess/);
  });
});
