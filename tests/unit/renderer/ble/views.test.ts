/** The Bluetooth views show what a user must see: add buttons per kind, state, battery, contact, chooser, pairing (static markup). */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { BleDeviceState } from '../../../../src/renderer/ble/manager';
import { AddBluetoothSensor } from '../../../../src/renderer/views/ble/AddBluetoothSensor';
import { BluetoothChooserDialog } from '../../../../src/renderer/views/ble/BluetoothChooserDialog';
import { BluetoothDevices } from '../../../../src/renderer/views/ble/BluetoothDevices';
import { PairingPrompt, pairingQuestion } from '../../../../src/renderer/views/ble/PairingPrompt';

const noop = (): void => undefined;

const STRAP: BleDeviceState = {
  id: 'ble:AA',
  webId: 'AA',
  name: 'Polar H10',
  kind: 'hr',
  status: 'reconnecting',
  batteryPct: 12,
  contact: false,
  details: {},
  badPackets: 2,
  lastError: { code: 'GATT_SHORT_PAYLOAD', message: 'Heart Rate Measurement 0x2A37: 1 byte(s)' },
  reconnects: 1,
};

describe('Bluetooth views', () => {
  it('offer one add button per kind, disabled while a chooser is open, and show the last error', () => {
    const html = renderToStaticMarkup(
      createElement(AddBluetoothSensor, {
        isAvailable: true,
        isSimulated: false,
        busyKind: 'power',
        lastError: { code: 'BLE_REQUEST_FAILED', message: 'No power meter was chosen.' },
        onAdd: noop,
      }),
    );
    for (const kind of ['hr', 'power', 'csc', 'rsc', 'bike', 'treadmill']) expect(html).toContain(`data-testid="ble-add-${kind}"`);
    expect(html).toContain('Choosing…');
    expect(html.match(/disabled=""/g)).toHaveLength(6);
    expect(html).toContain('No power meter was chosen.');
  });

  it('disable adding when the browser has no Web Bluetooth', () => {
    const html = renderToStaticMarkup(
      createElement(AddBluetoothSensor, { isAvailable: false, isSimulated: false, busyKind: null, lastError: null, onAdd: noop }),
    );
    expect(html.match(/disabled=""/g)).toHaveLength(6);
  });

  it('list devices with connection state, low battery, missing contact and rejected packets', () => {
    const html = renderToStaticMarkup(createElement(BluetoothDevices, { devices: [STRAP], onRemove: noop }));
    expect(html).toContain('Polar H10');
    expect(html).toContain('reconnecting');
    expect(html).toContain('12%');
    expect(html).toContain('no skin contact');
    expect(html).toContain('2 rejected packets');
    expect(html).toContain('1 reconnect');
    expect(renderToStaticMarkup(createElement(BluetoothDevices, { devices: [], onRemove: noop }))).toContain('No Bluetooth sensors yet');
  });

  it('the chooser lists devices as found, unnamed ones included, and offers cancel', () => {
    const view = { requestId: 3, devices: [{ id: 'AA', name: 'Polar H10' }, { id: 'BB', name: '' }] };
    const html = renderToStaticMarkup(createElement(BluetoothChooserDialog, { view, onPick: noop, onCancel: noop }));
    expect(html).toContain('Polar H10');
    expect(html).toContain('Unnamed device');
    expect(html).toContain('data-testid="ble-chooser-cancel"');
    expect(renderToStaticMarkup(createElement(BluetoothChooserDialog, { view: { requestId: 1, devices: [] }, onPick: noop, onCancel: noop }))).toContain('Searching');
    expect(renderToStaticMarkup(createElement(BluetoothChooserDialog, { view: null, onPick: noop, onCancel: noop }))).toBe('');
  });

  it('the pairing prompt asks the right question per kind and needs a PIN before pairing', () => {
    expect(pairingQuestion({ requestId: 1, deviceId: 'AA', kind: 'confirmPin', pin: '123456' })).toContain('123456');
    const html = renderToStaticMarkup(
      createElement(PairingPrompt, { prompt: { requestId: 1, deviceId: 'AA', kind: 'providePin', pin: null }, onAnswer: noop }),
    );
    expect(html).toContain('aria-label="PIN"');
    expect(html).toMatch(/<button class="primary" disabled="">Pair<\/button>/);
  });
});
