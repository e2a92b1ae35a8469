/**
 * Electron wiring: single instance, session security (CSP, permissions), the main window and the
 * IPC bridge. The host itself is plain Node and is passed in; this file only glues it to Electron.
 */
import type { App, BrowserWindow, IpcMain, Screen, Session } from 'electron';
import { openClassWindow } from './classWindow';
import type { Host } from '../host';
import { registerIpcBridge } from './ipcBridge';
import { createMainWindow, enforceCsp } from './window';
import { installBluetooth, restoreRememberedSensors } from './bluetoothHandlers';

/** What the Electron entry passes in. */
export interface ElectronDeps {
  readonly app: App;
  readonly BrowserWindow: typeof BrowserWindow;
  readonly ipcMain: IpcMain;
  readonly session: () => Session;
  /** Displays; with a second one the class display opens there as its own window (a gym TV). */
  readonly screen?: Screen;
}

/** Paths and URLs of the built app. */
export interface ElectronPaths {
  readonly preload: string;
  /** The UI: the built index.html as a file URL, or the dev server URL. */
  readonly appUrl: string;
}

/** Set up session security, the window and the bridge once the app is ready. Returns the window. */
export function startElectronUi(deps: ElectronDeps, host: Host, paths: ElectronPaths): BrowserWindow {
  const ses = deps.session();
  enforceCsp(ses);
  const bridge = registerIpcBridge(deps.ipcMain, host, paths.appUrl);
  const win = createMainWindow(deps.BrowserWindow, paths.preload, paths.appUrl);
  bridge.attach(win.webContents);
  const bluetooth = installBluetooth({
    contents: win.webContents,
    session: ses,
    appUrl: paths.appUrl,
    platform: process.platform,
    emit: (name, payload) => host.events.emit(name, payload as never),
  });
  host.setBluetoothUi(bluetooth);
  // Electron keeps no Bluetooth grants across restarts: reconnect remembered sensors once the UI is up
  win.webContents.once('did-finish-load', () => {
    setTimeout(() => void restoreRememberedSensors(bluetooth, win.webContents, paths.appUrl), 2000);
  });
  if (deps.screen && deps.screen.getAllDisplays().length > 1) {
    const screen = deps.screen;
    win.once('ready-to-show', () => {
      openClassWindow({ BrowserWindow: deps.BrowserWindow, screen }, { preload: paths.preload, appUrl: paths.appUrl }, (c) => bridge.attach(c));
    });
  }
  win.on('closed', () => {
    bluetooth.dispose();
    host.setBluetoothUi(null);
  });
  deps.app.on('before-quit', () => bridge.dispose());
  return win;
}
