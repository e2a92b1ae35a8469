/**
 * The class display as a second window: on the second display when there is one (a TV on a
 * second monitor, full screen), else a normal window. Same security as the main window (the
 * shared secure web preferences, navigation lock, CSP from the session) and the same contract
 * bridge; it shows the read-only `#/class` page of the app's own UI.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions, Display, Screen, WebContents } from 'electron';
import { lockNavigation, secureWebPreferences } from './window';

/** What opening the class window needs from Electron. */
export interface ClassWindowDeps {
  readonly BrowserWindow: typeof BrowserWindow;
  readonly screen: Pick<Screen, 'getAllDisplays' | 'getPrimaryDisplay'>;
}

/** The display for the class window: the first one that is not the primary display, or null. */
export function pickClassDisplay(displays: readonly Display[], primary: Display): Display | null {
  return displays.find((d) => d.id !== primary.id) ?? null;
}

/** The class page URL of the app UI (`#/class`). */
export function classPageUrl(appUrl: string): string {
  const u = new URL(appUrl);
  u.hash = '/class';
  return u.href;
}

/** Window options: full screen on `display` when given, else a normal window. */
export function classWindowOptions(preloadPath: string, display: Display | null): BrowserWindowConstructorOptions {
  const base: BrowserWindowConstructorOptions = {
    show: false,
    title: 'Sensor Relay — Class',
    backgroundColor: '#07090d',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(preloadPath),
  };
  if (!display) return { ...base, width: 1280, height: 720 };
  const { x, y, width, height } = display.bounds;
  return { ...base, x, y, width, height, fullscreen: true };
}

/**
 * Open the class window and attach it to the contract bridge (`attach` is the bridge's
 * `IpcBridge.attach`, so the window's calls pass the same sender checks as the main window's).
 */
export function openClassWindow(
  deps: ClassWindowDeps,
  paths: { readonly preload: string; readonly appUrl: string },
  attach: (contents: WebContents) => void,
): BrowserWindow {
  const display = pickClassDisplay(deps.screen.getAllDisplays(), deps.screen.getPrimaryDisplay());
  const win = new deps.BrowserWindow(classWindowOptions(paths.preload, display));
  lockNavigation(win.webContents, paths.appUrl);
  attach(win.webContents);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(classPageUrl(paths.appUrl));
  return win;
}
