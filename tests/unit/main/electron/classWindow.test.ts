/**
 * The class window with a mocked `electron`: it opens full screen on the second display (or as a
 * normal window without one), with the same secure web preferences and navigation lock as the main
 * window, shows the read-only class page, and its IPC calls pass the bridge's sender checks.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { BrowserWindowConstructorOptions, Display, IpcMainInvokeEvent } from 'electron';

type Listener = (...args: unknown[]) => void;

class FakeContents {
  static nextId = 100;
  readonly id = FakeContents.nextId++;
  readonly listeners = new Map<string, Listener[]>();
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
  emit(event: string, ...args: unknown[]): void {
    for (const fn of this.listeners.get(event) ?? []) fn(...args);
  }
  setWindowOpenHandler(fn: () => unknown): void {
    this.windowOpenHandler = fn;
  }
  send(): void {}
  isDestroyed(): boolean {
    return false;
  }
}

class FakeWindow {
  readonly webContents = new FakeContents();
  loadedUrl = '';
  isShown = false;
  private readonly onceListeners = new Map<string, Listener>();
  constructor(readonly options: BrowserWindowConstructorOptions) {}
  once(event: string, fn: Listener): this {
    this.onceListeners.set(event, fn);
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

const handlers = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown>();
const ipcMain = {
  handle: (channel: string, fn: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown) => handlers.set(channel, fn),
  removeHandler: (channel: string) => handlers.delete(channel),
};
vi.mock('electron', () => ({ BrowserWindow: FakeWindow, ipcMain }));

const APP_URL = 'app://sensor-relay/index.html';
const laptop = { id: 1, bounds: { x: 0, y: 0, width: 1440, height: 900 } } as Display;
const tv = { id: 2, bounds: { x: 1440, y: 0, width: 3840, height: 2160 } } as Display;

async function open(displays: Display[]) {
  const { openClassWindow } = await import('../../../../src/main/electron/classWindow');
  const { registerIpcBridge } = await import('../../../../src/main/electron/ipcBridge');
  const { createHost } = await import('../../../../src/main/host');
  const electron = await import('electron');
  const host = createHost({ mode: 'electron', dataDir: mkdtempSync(join(tmpdir(), 'sr-classwin-')) });
  const bridge = registerIpcBridge(electron.ipcMain as never, host, APP_URL);
  const screen = { getAllDisplays: () => displays, getPrimaryDisplay: () => laptop };
  const win = openClassWindow(
    { BrowserWindow: electron.BrowserWindow, screen } as never,
    { preload: '/opt/preload.cjs', appUrl: APP_URL },
    (c) => bridge.attach(c),
  ) as unknown as FakeWindow;
  return { win, host };
}

describe('class window', () => {
  it('opens full screen on the second display with the secure preferences, showing the class page', async () => {
    const { win } = await open([laptop, tv]);
    expect(win.options).toMatchObject({ x: 1440, y: 0, width: 3840, height: 2160, fullscreen: true, show: false });
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: '/opt/preload.cjs',
    });
    expect(win.loadedUrl).toBe(`${APP_URL}#/class`);
    win.fire('ready-to-show');
    expect(win.isShown).toBe(true);
  });

  it('opens as a normal window when there is only one display', async () => {
    const { win } = await open([laptop]);
    expect(win.options.fullscreen).toBeUndefined();
    expect(win.options).toMatchObject({ width: 1280, height: 720 });
  });

  it('blocks navigation away and new windows, and its IPC calls pass the sender checks', async () => {
    const { win } = await open([laptop, tv]);
    const prevent = vi.fn();
    win.webContents.emit('will-navigate', { preventDefault: prevent }, 'https://evil.example/');
    expect(prevent).toHaveBeenCalledTimes(1);
    expect(win.webContents.windowOpenHandler!()).toEqual({ action: 'deny' });
    const call = handlers.get('sensor-relay:call')!;
    const event = { sender: win.webContents, senderFrame: { ...win.webContents.mainFrame, url: `${APP_URL}#/class` } } as unknown as IpcMainInvokeEvent;
    const reply = (await call(event, 'roster.get', {})) as { ok: boolean; value: { participants: unknown[] } };
    expect(reply.ok).toBe(true);
    expect(reply.value.participants).toEqual([]);
  });
});
