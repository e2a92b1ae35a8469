/**
 * The one fake of the `electron` module for unit tests of the Electron glue and the preload:
 * web contents, browser windows, sessions (permission, pairing and header hooks), `protocol`,
 * `ipcMain`, `contextBridge` and `ipcRenderer`, recording what the code under test did. Use it from a `vi.mock('electron', ...)` factory:
 *
 *   vi.mock('electron', async () => (await import('../../../support/electronFake')).electronModule());
 */
import type { BrowserWindowConstructorOptions, IpcMainInvokeEvent, Session } from 'electron';
import { vi } from 'vitest';

type Listener = (...args: unknown[]) => void;

/** A webContents: records listeners, sent messages and the window-open handler. */
export class FakeContents {
  static nextId = 1;
  readonly id = FakeContents.nextId++;
  readonly listeners = new Map<string, Listener[]>();
  readonly sent: unknown[][] = [];
  /** The top-level frame (Electron's WebFrameMain: no parent). */
  readonly mainFrame = { parent: null, processId: 7, routingId: this.id, url: '' };
  windowOpenHandler: (() => unknown) | null = null;
  on(event: string, fn: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
    return this;
  }
  once(event: string, fn: Listener): this {
    return this.on(event, fn);
  }
  off(event: string, fn: Listener): this {
    this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== fn));
    return this;
  }
  emit(event: string, ...args: unknown[]): void {
    for (const fn of [...(this.listeners.get(event) ?? [])]) fn(...args);
  }
  /** Fire `select-bluetooth-device` as Electron does; returns the callback spy and whether preventDefault ran. */
  select(devices: { deviceId: string; deviceName: string }[]): { callback: ReturnType<typeof vi.fn>; prevented: () => boolean } {
    let isPrevented = false;
    const callback = vi.fn();
    this.emit('select-bluetooth-device', { preventDefault: () => (isPrevented = true) }, devices, callback);
    return { callback, prevented: () => isPrevented };
  }
  setWindowOpenHandler(fn: () => unknown): void {
    this.windowOpenHandler = fn;
  }
  send(...args: unknown[]): void {
    this.sent.push(args);
  }
  isDestroyed(): boolean {
    return false;
  }
}

/** Every window created through the fake `BrowserWindow`, in order. */
export const createdWindows: FakeWindow[] = [];

/** A BrowserWindow: keeps its options, the loaded URL, `once` listeners (fire them with `fire`) and whether it was shown. */
export class FakeWindow {
  readonly webContents = new FakeContents();
  loadedUrl = '';
  isShown = false;
  private readonly onceListeners = new Map<string, Listener>();
  constructor(readonly options: BrowserWindowConstructorOptions) {
    createdWindows.push(this);
  }
  once(event: string, fn: Listener): this {
    this.onceListeners.set(event, fn);
    return this;
  }
  on(): this {
    return this;
  }
  fire(event: string): void {
    this.onceListeners.get(event)?.();
  }
  show(): void {
    this.isShown = true;
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    return Promise.resolve();
  }
}

/** IPC handlers registered through the fake `ipcMain.handle`, by channel. */
export const ipcHandlers = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown>();

/** The fake `ipcMain`. */
export const ipcMain = {
  handle: (channel: string, fn: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown) => ipcHandlers.set(channel, fn),
  removeHandler: (channel: string) => ipcHandlers.delete(channel),
};

/** What the preload exposed through the fake `contextBridge`, by key. */
export const exposedInMainWorld = new Map<string, unknown>();

/** The fake `contextBridge`. */
export const contextBridge = {
  exposeInMainWorld: (key: string, api: unknown) => exposedInMainWorld.set(key, api),
};

/** Renderer-side IPC: records invokes, lets the test deliver events to registered listeners. */
export const ipcRenderer = {
  invoked: [] as unknown[][],
  listeners: new Map<string, Set<Listener>>(),
  invoke(...args: unknown[]): Promise<unknown> {
    ipcRenderer.invoked.push(args);
    return Promise.resolve({ ok: true, value: null });
  },
  on(channel: string, fn: Listener) {
    const set = ipcRenderer.listeners.get(channel) ?? new Set<Listener>();
    set.add(fn);
    ipcRenderer.listeners.set(channel, set);
    return ipcRenderer;
  },
  removeListener(channel: string, fn: Listener) {
    ipcRenderer.listeners.get(channel)?.delete(fn);
    return ipcRenderer;
  },
  /** Deliver an event from main as Electron would: (event, ...args). */
  emit(channel: string, ...args: unknown[]): void {
    for (const fn of ipcRenderer.listeners.get(channel) ?? []) fn({}, ...args);
  },
};

type PermissionRequestHandler = Parameters<Session['setPermissionRequestHandler']>[0];
type PermissionCheckHandler = Parameters<Session['setPermissionCheckHandler']>[0];
type DevicePermissionHandler = Parameters<Session['setDevicePermissionHandler']>[0];
type PairingHandler = Parameters<Session['setBluetoothPairingHandler']>[0];
type HeadersHook = (details: { responseHeaders?: Record<string, string[]> }, cb: (r: unknown) => void) => void;

/** A session: keeps the handlers the code under test installed, so a test can call them as Chromium would. */
export class FakeSession {
  permissionRequest: PermissionRequestHandler = null;
  permissionCheck: PermissionCheckHandler = null;
  devicePermission: DevicePermissionHandler = null;
  bluetoothPairing: PairingHandler = null;
  headersHook: HeadersHook | null = null;
  /** Which setters were called, in order (`request`, `check`, `device`, `pairing`). */
  readonly installed: string[] = [];
  readonly webRequest = {
    onHeadersReceived: (fn: HeadersHook) => {
      this.headersHook = fn;
    },
  };
  setPermissionRequestHandler(h: PermissionRequestHandler): void {
    this.installed.push('request');
    this.permissionRequest = h;
  }
  setPermissionCheckHandler(h: PermissionCheckHandler): void {
    this.installed.push('check');
    this.permissionCheck = h;
  }
  setDevicePermissionHandler(h: DevicePermissionHandler): void {
    this.installed.push('device');
    this.devicePermission = h;
  }
  setBluetoothPairingHandler(h: PairingHandler): void {
    this.installed.push('pairing');
    this.bluetoothPairing = h;
  }
}

/** `protocol`: the scheme handlers installed with `handle`, and the schemes registered as privileged. */
export class FakeProtocol {
  readonly handlers = new Map<string, (request: Request) => Response | Promise<Response>>();
  readonly privileged: unknown[] = [];
  handle(scheme: string, fn: (request: Request) => Response | Promise<Response>): void {
    this.handlers.set(scheme, fn);
  }
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    this.privileged.push(...schemes);
  }
}

/** The module object for `vi.mock('electron', ...)`; `extra` adds or replaces members (app, session, screen). */
export function electronModule(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { BrowserWindow: FakeWindow, ipcMain, contextBridge, ipcRenderer, session: { defaultSession: new FakeSession() }, protocol: new FakeProtocol(), ...extra };
}
