/**
 * The main window with the security defaults of docs/architecture.md: context isolation, sandbox, no Node
 * integration, a strict CSP on every response, no remote content, navigation and new windows
 * blocked. Typed against Electron's own definitions; everything Electron is passed in, so it can
 * be unit-tested with a mocked module.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { isAppOrigin } from './permissions';

/** The web preferences of every app window. */
export function secureWebPreferences(preloadPath: string): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

/** Options of the main window. */
function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    backgroundColor: '#0e1117',
    title: 'Sensor Relay',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(preloadPath),
  };
}

/** Whether `url` is the app's own UI (the app scheme or the dev server), the only thing windows may show. */
export function isAppUrl(url: string, appUrl: string): boolean {
  return isAppOrigin(url, appUrl);
}

/** Add the CSP header to every response the session serves. */
export function enforceCsp(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
}

/** Block navigation away from the app, new windows, and webviews. */
export function lockNavigation(contents: WebContents, appUrl: string): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, appUrl)) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Create the main window and load the UI. */
export function createMainWindow(
  BrowserWindowCtor: typeof BrowserWindow,
  preloadPath: string,
  appUrl: string,
): BrowserWindow {
  const win = new BrowserWindowCtor(mainWindowOptions(preloadPath));
  lockNavigation(win.webContents, appUrl);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(appUrl);
  return win;
}
