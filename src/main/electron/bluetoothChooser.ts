/**
 * The in-app Bluetooth chooser (docs/web-bluetooth.md §1.1). Electron answers
 * `navigator.bluetooth.requestDevice()` with the `select-bluetooth-device` event on the webContents,
 * fired again with the whole list every time a device appears or changes its name. This keeps one
 * list per request (de-duplicated by deviceId, names updated), pushes it to the UI, and calls the
 * latest callback exactly once: with the picked id, or `''` on cancel, window close, page crash or
 * timeout. `preventDefault()` is always called, so Electron never auto-selects the first device.
 */
import type { BluetoothDevice, Event as ElectronEvent, WebContents } from 'electron';
import { fail, ok, type Result } from '../../shared/errors';

/** A device in the chooser list. */
export interface ChooserDevice {
  readonly id: string;
  /** Empty while the name is not known yet (Chromium often reports names late). */
  readonly name: string;
}

/** What the UI shows: the open request and its devices, or null when no chooser is open. */
export interface ChooserView {
  readonly requestId: number;
  readonly devices: readonly ChooserDevice[];
}

/** Options of the chooser. */
export interface BluetoothChooserOptions {
  /** The list changed, or the chooser closed (null). Forward to the UI. */
  readonly onUpdate: (view: ChooserView | null) => void;
  /** Cancel when nobody picks within this time (default 30 s). */
  readonly timeoutMs?: number;
}

/** The `select-bluetooth-device` callback. */
type SelectCallback = (deviceId: string) => void;

interface Pending {
  readonly requestId: number;
  readonly devices: Map<string, string>;
  callback: SelectCallback;
  timer: ReturnType<typeof setTimeout> | null;
}

/** The chooser of one window. */
export class BluetoothChooser {
  private pending: Pending | null = null;
  private nextRequestId = 1;
  private autoSelect: ((device: ChooserDevice) => boolean) | null = null;

  constructor(private readonly options: BluetoothChooserOptions) {}

  /** Listen on a window's webContents; cancels on destroy and renderer crash. Returns the detach function. */
  attach(contents: WebContents): () => void {
    const onSelect = (event: ElectronEvent, devices: BluetoothDevice[], callback: SelectCallback): void => {
      event.preventDefault();
      this.handle(devices, callback);
    };
    const onGone = (): void => {
      this.cancelPending('window closed');
    };
    contents.on('select-bluetooth-device', onSelect);
    contents.on('destroyed', onGone);
    contents.on('render-process-gone', onGone);
    return () => {
      contents.off('select-bluetooth-device', onSelect);
      contents.off('destroyed', onGone);
      contents.off('render-process-gone', onGone);
      this.cancelPending('detached');
    };
  }

  /**
   * Pick remembered sensors automatically (app start-up reconnect, §1.3): while set, a device for
   * which `predicate` is true is selected as soon as it appears. Null switches it off.
   */
  setAutoSelect(predicate: ((device: ChooserDevice) => boolean) | null): void {
    this.autoSelect = predicate;
  }

  /** The open chooser, or null. */
  view(): ChooserView | null {
    const p = this.pending;
    if (!p) return null;
    return { requestId: p.requestId, devices: [...p.devices].map(([id, name]) => ({ id, name })) };
  }

  /** The user picked a device. */
  select(requestId: number, deviceId: string): Result<null> {
    const p = this.pending;
    if (!p || p.requestId !== requestId) return fail('BLE_NO_CHOOSER_REQUEST', 'This Bluetooth chooser is no longer open; add the sensor again.');
    if (!p.devices.has(deviceId)) return fail('BLE_NO_CHOOSER_REQUEST', `Device ${deviceId} is not in the chooser list.`);
    this.finish(p, deviceId);
    return ok(null);
  }

  /** The user cancelled. */
  cancel(requestId: number): Result<null> {
    const p = this.pending;
    if (!p || p.requestId !== requestId) return fail('BLE_NO_CHOOSER_REQUEST', 'This Bluetooth chooser is no longer open.');
    this.finish(p, '');
    return ok(null);
  }

  /** Handle one `select-bluetooth-device` event (exposed for tests through {@link attach}). */
  private handle(devices: readonly BluetoothDevice[], callback: SelectCallback): void {
    let p = this.pending;
    if (!p) {
      p = { requestId: this.nextRequestId++, devices: new Map(), callback, timer: null };
      this.pending = p;
      const current = p;
      p.timer = setTimeout(() => {
        if (this.pending === current) this.finish(current, '');
      }, this.options.timeoutMs ?? 30_000);
      p.timer.unref?.();
    }
    p.callback = callback; // keep the latest callback (§1.1)
    let isChanged = false;
    for (const d of devices) {
      const name = d.deviceName ?? '';
      const known = p.devices.get(d.deviceId);
      if (known === undefined || (name !== '' && name !== known)) {
        p.devices.set(d.deviceId, name !== '' ? name : (known ?? ''));
        isChanged = true;
      }
    }
    const auto = this.autoSelect;
    if (auto) {
      const match = [...p.devices].find(([id, name]) => auto({ id, name }));
      if (match) {
        this.finish(p, match[0]);
        return;
      }
    }
    if (isChanged || devices.length === 0) this.options.onUpdate(this.view());
  }

  private cancelPending(_reason: string): void {
    if (this.pending) this.finish(this.pending, '');
  }

  private finish(p: Pending, deviceId: string): void {
    if (this.pending !== p) return;
    this.pending = null;
    if (p.timer) clearTimeout(p.timer);
    p.callback(deviceId);
    this.options.onUpdate(null);
  }
}

/**
 * Command-line switches that enable Web Bluetooth on Linux (off there by default, §1.5), with the new
 * permissions backend so `getDevices()` exists. Merges with `enable-features` values already given.
 * Returns `[name, value]` pairs for `app.commandLine.appendSwitch`; empty on other platforms.
 */
export function bluetoothSwitches(platform: string, existingEnableFeatures = ''): [string, string][] {
  if (platform !== 'linux') return [];
  const features = existingEnableFeatures.split(',').map((f) => f.trim()).filter((f) => f !== '');
  for (const f of ['WebBluetooth', 'WebBluetoothNewPermissionsBackend']) if (!features.includes(f)) features.push(f);
  return [['enable-features', features.join(',')]];
}
