/**
 * Electron Bluetooth glue with a mocked `electron`: the in-app chooser (repeated
 * `select-bluetooth-device` events update one de-duplicated list; pick; cancel; window close and
 * timeout cancel; the callback is called exactly once), auto-select of remembered sensors, the
 * pairing handler (confirm, confirm PIN, provide PIN, window close), and the Linux switches.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BluetoothPairingHandlerHandlerDetails, Response as PairingResponse, WebContents } from 'electron';

import { FakeContents, FakeSession } from '../../../support/electronFake';

vi.mock('electron', async () => (await import('../../../support/electronFake')).electronModule());

const { BluetoothChooser, bluetoothSwitches } = await import('../../../../src/main/electron/bluetoothChooser');
const { BluetoothPairing } = await import('../../../../src/main/electron/bluetoothPairing');
const { installBluetooth, restoreRememberedSensors } = await import('../../../../src/main/electron/bluetoothHandlers');
const { bleHandlers } = await import('../../../../src/main/bluetooth/bleHandlers');
type ChooserView = import('../../../../src/main/electron/bluetoothChooser').ChooserView;
type PairingPrompt = import('../../../../src/main/electron/bluetoothPairing').PairingPrompt;

function setup(timeoutMs?: number) {
  const views: (ChooserView | null)[] = [];
  const chooser = new BluetoothChooser({ onUpdate: (v) => views.push(v), timeoutMs });
  const contents = new FakeContents();
  const detach = chooser.attach(contents as unknown as WebContents);
  return { chooser, contents, views, detach };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Bluetooth chooser', () => {
  it('keeps one de-duplicated list across repeated events, updating late names, and always prevents auto-select', () => {
    const { chooser, contents, views } = setup();
    const a = contents.select([{ deviceId: 'AA', deviceName: '' }]);
    const b = contents.select([{ deviceId: 'AA', deviceName: '' }, { deviceId: 'BB', deviceName: 'Polar H10' }]);
    const c = contents.select([{ deviceId: 'AA', deviceName: 'Wahoo TICKR' }, { deviceId: 'BB', deviceName: 'Polar H10' }]);
    const d = contents.select([{ deviceId: 'AA', deviceName: 'Wahoo TICKR' }, { deviceId: 'BB', deviceName: 'Polar H10' }]);
    expect([a, b, c, d].map((x) => x.prevented())).toEqual([true, true, true, true]);
    // one request, three visible changes (the identical fourth event is not re-sent)
    expect(views.map((v) => v?.requestId)).toEqual([1, 1, 1]);
    expect(views.at(-1)?.devices).toEqual([
      { id: 'AA', name: 'Wahoo TICKR' },
      { id: 'BB', name: 'Polar H10' },
    ]);
    // a later event with an empty name does not erase the known one
    contents.select([{ deviceId: 'BB', deviceName: '' }]);
    expect(chooser.view()?.devices.find((x) => x.id === 'BB')?.name).toBe('Polar H10');
    expect(chooser.view()?.devices).toHaveLength(2);
  });

  it('a pick calls the latest callback once with the id, closes the chooser, and the next request is new', () => {
    const { chooser, contents, views } = setup();
    const first = contents.select([{ deviceId: 'AA', deviceName: 'Strap' }]);
    const latest = contents.select([{ deviceId: 'AA', deviceName: 'Strap' }, { deviceId: 'BB', deviceName: 'Meter' }]);
    expect(chooser.select(1, 'BB')).toEqual({ ok: true, value: null });
    expect(latest.callback).toHaveBeenCalledExactlyOnceWith('BB');
    expect(first.callback).not.toHaveBeenCalled();
    expect(views.at(-1)).toBeNull();
    // a second answer to the same request is refused, and nothing is called again
    expect(chooser.select(1, 'AA')).toMatchObject({ ok: false, code: 'BLE_NO_CHOOSER_REQUEST' });
    expect(chooser.cancel(1)).toMatchObject({ ok: false, code: 'BLE_NO_CHOOSER_REQUEST' });
    expect(latest.callback).toHaveBeenCalledTimes(1);
    contents.select([{ deviceId: 'CC', deviceName: 'Pod' }]);
    expect(views.at(-1)?.requestId).toBe(2);
  });

  it('refuses a device that is not in the list, leaving the chooser open', () => {
    const { chooser, contents } = setup();
    const e = contents.select([{ deviceId: 'AA', deviceName: 'Strap' }]);
    expect(chooser.select(1, 'ZZ')).toMatchObject({ ok: false, code: 'BLE_NO_CHOOSER_REQUEST' });
    expect(e.callback).not.toHaveBeenCalled();
    expect(chooser.view()?.requestId).toBe(1);
  });

  it('cancel answers with an empty id exactly once', () => {
    const { chooser, contents, views } = setup();
    const e = contents.select([{ deviceId: 'AA', deviceName: 'Strap' }]);
    expect(chooser.cancel(1).ok).toBe(true);
    expect(e.callback).toHaveBeenCalledExactlyOnceWith('');
    expect(views.at(-1)).toBeNull();
  });

  it('closing the window (or a renderer crash) cancels the open chooser', () => {
    const { contents } = setup();
    const e = contents.select([{ deviceId: 'AA', deviceName: 'Strap' }]);
    contents.emit('destroyed');
    contents.emit('destroyed');
    expect(e.callback).toHaveBeenCalledExactlyOnceWith('');
    const f = contents.select([{ deviceId: 'AA', deviceName: 'Strap' }]);
    contents.emit('render-process-gone', {}, { reason: 'crashed' });
    expect(f.callback).toHaveBeenCalledExactlyOnceWith('');
  });

  it('cancels when nobody picks before the timeout', () => {
    const { contents, views } = setup(30_000);
    const e = contents.select([]);
    expect(views.at(-1)).toEqual({ requestId: 1, devices: [] });
    vi.advanceTimersByTime(29_999);
    expect(e.callback).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(e.callback).toHaveBeenCalledExactlyOnceWith('');
  });

  it('detaching removes the listener and cancels an open chooser', () => {
    const { contents, detach } = setup();
    const e = contents.select([{ deviceId: 'AA', deviceName: 'Strap' }]);
    detach();
    expect(e.callback).toHaveBeenCalledExactlyOnceWith('');
    const later = contents.select([{ deviceId: 'AA', deviceName: 'Strap' }]);
    expect(later.prevented()).toBe(false);
  });

  it('auto-selects a remembered sensor as soon as it appears (start-up reconnect)', () => {
    const { chooser, contents, views } = setup();
    chooser.setAutoSelect((d) => d.name === 'Polar H10');
    const a = contents.select([{ deviceId: 'AA', deviceName: 'Other strap' }]);
    expect(a.callback).not.toHaveBeenCalled();
    const b = contents.select([{ deviceId: 'AA', deviceName: 'Other strap' }, { deviceId: 'BB', deviceName: 'Polar H10' }]);
    expect(b.callback).toHaveBeenCalledExactlyOnceWith('BB');
    expect(views.at(-1)).toBeNull();
  });
});

describe('Bluetooth pairing', () => {
  function setupPairing(platform = 'linux') {
    const updates: (readonly PairingPrompt[])[] = [];
    const pairing = new BluetoothPairing({ onUpdate: (p) => updates.push(p) });
    let handler: ((d: BluetoothPairingHandlerHandlerDetails, cb: (r: PairingResponse) => void) => void) | null = null;
    const installed = pairing.install({ setBluetoothPairingHandler: (h) => void (handler = h) }, platform);
    const ask = (details: Partial<BluetoothPairingHandlerHandlerDetails>) => {
      const cb = vi.fn();
      handler!({ deviceId: 'AA', pairingKind: 'confirm', frame: null, ...details }, cb);
      return cb;
    };
    return { pairing, updates, installed, ask };
  }

  it('is installed on Windows and Linux only', () => {
    expect(setupPairing('linux').installed).toBe(true);
    expect(setupPairing('win32').installed).toBe(true);
    expect(setupPairing('darwin').installed).toBe(false);
  });

  it('forwards a confirm request to the UI and answers it once', () => {
    const { pairing, updates, ask } = setupPairing();
    const cb = ask({ pairingKind: 'confirm' });
    expect(updates.at(-1)).toEqual([{ requestId: 1, deviceId: 'AA', kind: 'confirm', pin: null }]);
    expect(pairing.respond(1, { confirmed: true }).ok).toBe(true);
    expect(cb).toHaveBeenCalledExactlyOnceWith({ confirmed: true });
    expect(updates.at(-1)).toEqual([]);
    expect(pairing.respond(1, { confirmed: true })).toMatchObject({ ok: false, code: 'BLE_NO_PAIRING_REQUEST' });
  });

  it('shows the PIN to compare, and a refusal cancels', () => {
    const { pairing, updates, ask } = setupPairing();
    const cb = ask({ pairingKind: 'confirmPin', pin: '123456' });
    expect(updates.at(-1)?.[0]).toMatchObject({ kind: 'confirmPin', pin: '123456' });
    pairing.respond(1, { confirmed: false });
    expect(cb).toHaveBeenCalledExactlyOnceWith({ confirmed: false });
  });

  it('passes a typed PIN (trimmed), and insists on one before confirming', () => {
    const { pairing, ask } = setupPairing();
    const cb = ask({ pairingKind: 'providePin' });
    expect(pairing.respond(1, { confirmed: true, pin: '  ' })).toMatchObject({ ok: false, code: 'BLE_NO_PAIRING_REQUEST' });
    expect(cb).not.toHaveBeenCalled();
    expect(pairing.respond(1, { confirmed: true, pin: ' 0000 ' }).ok).toBe(true);
    expect(cb).toHaveBeenCalledExactlyOnceWith({ confirmed: true, pin: '0000' });
  });

  it('cancels open prompts when the window closes or nobody answers', () => {
    const { pairing, ask } = setupPairing();
    const a = ask({ deviceId: 'AA' });
    const b = ask({ deviceId: 'BB' });
    pairing.cancelAll();
    expect(a).toHaveBeenCalledExactlyOnceWith({ confirmed: false });
    expect(b).toHaveBeenCalledExactlyOnceWith({ confirmed: false });
    const c = ask({ deviceId: 'CC' });
    vi.advanceTimersByTime(60_000);
    expect(c).toHaveBeenCalledExactlyOnceWith({ confirmed: false });
  });
});

describe('Linux switches', () => {
  it('enable Web Bluetooth and the new permissions backend on Linux only, merged into one enable-features', () => {
    expect(bluetoothSwitches('linux')).toEqual([['enable-features', 'WebBluetooth,WebBluetoothNewPermissionsBackend']]);
    expect(bluetoothSwitches('linux', 'Foo, WebBluetooth')).toEqual([['enable-features', 'Foo,WebBluetooth,WebBluetoothNewPermissionsBackend']]);
    expect(bluetoothSwitches('win32')).toEqual([]);
    expect(bluetoothSwitches('darwin')).toEqual([]);
  });
});

describe('installBluetooth and the contract handlers', () => {
  it('wires chooser, pairing and permissions to one window; answers arrive through the handlers', () => {
    const contents = new FakeContents();
    const emitted: [string, unknown][] = [];
    const session = new FakeSession();
    const ui = installBluetooth({
      contents: contents as unknown as WebContents,
      session,
      appUrl: 'http://localhost:5173/',
      platform: 'linux',
      emit: (name: string, payload: unknown) => void emitted.push([name, payload]),
    });
    expect(session.installed).toEqual(['request', 'check', 'device', 'pairing']);
    const pairingHandler = session.bluetoothPairing as (d: BluetoothPairingHandlerHandlerDetails, cb: (r: PairingResponse) => void) => void;
    const handlers = bleHandlers(() => ui);

    const sel = contents.select([{ deviceId: 'AA', deviceName: 'Strap' }]);
    expect(emitted.at(-1)).toEqual(['bleChooser', { view: { requestId: 1, devices: [{ id: 'AA', name: 'Strap' }] } }]);
    expect(handlers['ble.chooserSelect']({ requestId: 1, deviceId: 'AA' })).toBeNull();
    expect(sel.callback).toHaveBeenCalledExactlyOnceWith('AA');
    expect(emitted.at(-1)).toEqual(['bleChooser', { view: null }]);
    expect(() => handlers['ble.chooserCancel']({ requestId: 1 })).toThrow(/no longer open/);

    const cb = vi.fn();
    pairingHandler!({ deviceId: 'AA', pairingKind: 'confirm', frame: null }, cb);
    expect(emitted.at(-1)?.[0]).toBe('blePairing');
    handlers['ble.pairingRespond']({ requestId: 1, confirmed: true });
    expect(cb).toHaveBeenCalledExactlyOnceWith({ confirmed: true });

    // closing the window cancels an open pairing prompt and chooser
    const open = vi.fn();
    pairingHandler!({ deviceId: 'BB', pairingKind: 'confirm', frame: null }, open);
    const sel2 = contents.select([{ deviceId: 'BB', deviceName: 'Meter' }]);
    contents.emit('destroyed');
    expect(open).toHaveBeenCalledExactlyOnceWith({ confirmed: false });
    expect(sel2.callback).toHaveBeenCalledExactlyOnceWith('');
  });

  it('without a window (web mode) the commands fail with a clear message', () => {
    const handlers = bleHandlers(() => null);
    expect(() => handlers['ble.chooserSelect']({ requestId: 1, deviceId: 'AA' })).toThrow(/only in the desktop app/);
    expect(() => handlers['ble.pairingRespond']({ requestId: 1, confirmed: false })).toThrow(/only in the desktop app/);
  });
});

describe('reconnecting remembered sensors after a restart', () => {
  function makeUi() {
    const contents = new FakeContents();
    const ui = installBluetooth({
      contents: contents as unknown as WebContents,
      session: new FakeSession(),
      appUrl: 'http://localhost:5173/',
      platform: 'linux',
      emit: () => undefined,
    });
    return { contents, ui };
  }

  it('asks the page for the names, auto-selects exactly those in the chooser during a gesture, then stops auto-selecting', async () => {
    const { contents, ui } = makeUi();
    const calls: [string, boolean | undefined][] = [];
    const page = {
      getURL: () => 'http://localhost:5173/#/live',
      executeJavaScript: async (code: string, userGesture?: boolean) => {
        calls.push([code, userGesture]);
        if (code.includes('names()')) return ['Polar H10'];
        // the page's requestDevice runs: Electron fires the chooser event while the call is pending
        const e = contents.select([{ deviceId: 'X1', deviceName: 'Other' }, { deviceId: 'P1', deviceName: 'Polar H10' }]);
        expect(e.callback).toHaveBeenCalledExactlyOnceWith('P1');
        return { restored: 1, missing: [] };
      },
    };
    expect(await restoreRememberedSensors(ui, page as unknown as WebContents, 'http://localhost:5173/')).toEqual({ restored: 1, missing: [] });
    expect(calls.map(([, g]) => g)).toEqual([undefined, true]);
    // afterwards a normal chooser is shown again, nothing is picked automatically
    const later = contents.select([{ deviceId: 'P1', deviceName: 'Polar H10' }]);
    expect(later.callback).not.toHaveBeenCalled();
  });

  it('does nothing for a page that is not the app, or with nothing remembered', async () => {
    const { ui } = makeUi();
    const foreign = { getURL: () => 'https://evil.example/', executeJavaScript: vi.fn() };
    expect(await restoreRememberedSensors(ui, foreign as unknown as WebContents, 'http://localhost:5173/')).toEqual({ restored: 0, missing: [] });
    expect(foreign.executeJavaScript).not.toHaveBeenCalled();
    const empty = { getURL: () => 'http://localhost:5173/', executeJavaScript: vi.fn(async () => []) };
    expect(await restoreRememberedSensors(ui, empty as unknown as WebContents, 'http://localhost:5173/')).toEqual({ restored: 0, missing: [] });
    expect(empty.executeJavaScript).toHaveBeenCalledTimes(1);
  });
});
