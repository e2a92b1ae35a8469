/**
 * The class window with a mocked `electron`: it opens full screen on the second display (or as a
 * normal window without one), with the same secure web preferences and navigation lock as the main
 * window, shows the read-only class page, and its IPC calls pass the bridge's sender checks.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { FakeWindow, ipcHandlers } from '../../../support/electronFake';
import type { Display, IpcMainInvokeEvent } from 'electron';

vi.mock('electron', async () => (await import('../../../support/electronFake')).electronModule());

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
    const call = ipcHandlers.get('sensor-relay:call')!;
    const event = { sender: win.webContents, senderFrame: { ...win.webContents.mainFrame, url: `${APP_URL}#/class` } } as unknown as IpcMainInvokeEvent;
    const reply = (await call(event, 'roster.get', {})) as { ok: boolean; value: { participants: unknown[] } };
    expect(reply.ok).toBe(true);
    expect(reply.value.participants).toEqual([]);
  });
});
