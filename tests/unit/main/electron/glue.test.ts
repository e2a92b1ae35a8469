/**
 * The Electron glue with a mocked `electron`: window security options, the CSP on every response,
 * navigation lock, and IPC sender validation.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { FakeContents, FakeWindow, ipcHandlers, type FakeSession } from '../../../support/electronFake';
import type { IpcMainInvokeEvent } from 'electron';

const app = { on: vi.fn() };

vi.mock('electron', async () => (await import('../../../support/electronFake')).electronModule({ app }));

const APP_URL = 'app://sensor-relay/index.html';

async function start() {
  const electron = await import('electron');
  const { startElectronUi } = await import('../../../../src/main/electron/app');
  const { createHost } = await import('../../../../src/main/host');
  const host = createHost({ mode: 'electron', dataDir: mkdtempSync(join(tmpdir(), 'sr-electron-')) });
  const deps = {
    app: electron.app,
    BrowserWindow: electron.BrowserWindow,
    ipcMain: electron.ipcMain,
    session: () => electron.session.defaultSession,
  } as unknown as Parameters<typeof startElectronUi>[0];
  const win = startElectronUi(deps, host, { preload: '/opt/preload.cjs', appUrl: APP_URL }) as unknown as FakeWindow;
  return { host, win };
}

/** A call from the main frame of `contents` showing `url`. */
function invokeEvent(contents: FakeContents, url: string): IpcMainInvokeEvent {
  return { sender: contents, senderFrame: { ...contents.mainFrame, url } } as unknown as IpcMainInvokeEvent;
}

describe('Electron glue', () => {
  it('creates the window with context isolation, sandbox and no Node integration', async () => {
    const { win } = await start();
    const prefs = win.options.webPreferences!;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/opt/preload.cjs',
    });
    expect(win.loadedUrl).toBe(APP_URL);
  });

  it('adds a strict CSP to every response', async () => {
    await start();
    const session = (await import('electron')).session.defaultSession as unknown as FakeSession;
    let result: { responseHeaders: Record<string, string[]> } | undefined;
    session.headersHook!({ responseHeaders: { 'X-Other': ['1'] } }, (r) => (result = r as typeof result));
    const csp = result!.responseHeaders['Content-Security-Policy']![0]!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("object-src 'none'");
    // no inline styles (React style props and uPlot use the CSSOM, which CSP does not govern)
    expect(csp).toMatch(/style-src 'self'(;|$)/);
    expect(csp).not.toContain('unsafe-inline');
    expect(result!.responseHeaders['X-Other']).toEqual(['1']);
  });

  it('blocks navigation away from the app and every new window', async () => {
    const { win } = await start();
    const prevent = vi.fn();
    win.webContents.emit('will-navigate', { preventDefault: prevent }, 'https://evil.example/');
    expect(prevent).toHaveBeenCalledTimes(1);
    const allow = vi.fn();
    win.webContents.emit('will-navigate', { preventDefault: allow }, APP_URL);
    expect(allow).not.toHaveBeenCalled();
    expect(win.webContents.windowOpenHandler!()).toEqual({ action: 'deny' });
  });

  it('answers IPC calls from the app window and refuses other senders', async () => {
    const { win } = await start();
    const call = ipcHandlers.get('sensor-relay:call')!;
    const ok = (await call(invokeEvent(win.webContents, APP_URL), 'host.info', {})) as { ok: boolean; value: { mode: string } };
    expect(ok.ok).toBe(true);
    expect(ok.value.mode).toBe('electron');

    const stranger = new FakeContents();
    const refused = await call(invokeEvent(stranger, APP_URL), 'host.info', {});
    expect(refused).toMatchObject({ ok: false, code: 'CONTRACT_UNAUTHORIZED' });

    // our window, but a frame that navigated to foreign content
    const foreign = await call(invokeEvent(win.webContents, 'https://evil.example/'), 'host.info', {});
    expect(foreign).toMatchObject({ ok: false, code: 'CONTRACT_UNAUTHORIZED' });
  });

  it('refuses IPC calls from a subframe of our window, even one showing our own origin', async () => {
    const { win } = await start();
    const call = ipcHandlers.get('sensor-relay:call')!;
    const main = win.webContents.mainFrame;
    const iframe = { parent: main, processId: main.processId, routingId: 4242, url: APP_URL };
    const fromIframe = await call({ sender: win.webContents, senderFrame: iframe } as unknown as IpcMainInvokeEvent, 'host.info', {});
    expect(fromIframe).toMatchObject({ ok: false, code: 'CONTRACT_UNAUTHORIZED' });
    // a top-level frame that is not this window's main frame (e.g. a stale frame after a crash)
    const other = { parent: null, processId: 8, routingId: main.routingId, url: APP_URL };
    expect(await call({ sender: win.webContents, senderFrame: other } as unknown as IpcMainInvokeEvent, 'host.info', {})).toMatchObject({ ok: false, code: 'CONTRACT_UNAUTHORIZED' });
    // a frame that is gone
    expect(await call({ sender: win.webContents, senderFrame: null } as unknown as IpcMainInvokeEvent, 'host.info', {})).toMatchObject({ ok: false, code: 'CONTRACT_UNAUTHORIZED' });
    // a disposed frame whose properties throw (Electron: "Render frame was disposed")
    const disposed = {
      get parent(): never {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
    };
    expect(await call({ sender: win.webContents, senderFrame: disposed } as unknown as IpcMainInvokeEvent, 'host.info', {})).toMatchObject({ ok: false, code: 'CONTRACT_UNAUTHORIZED' });
    // and the main frame still works
    expect(await call(invokeEvent(win.webContents, APP_URL), 'host.info', {})).toMatchObject({ ok: true });
  });

  it('refuses IPC calls from a file:// page in our window', async () => {
    const { win } = await start();
    const call = ipcHandlers.get('sensor-relay:call')!;
    expect(await call(invokeEvent(win.webContents, 'file:///opt/sensor-relay/out/renderer/index.html'), 'host.info', {})).toMatchObject({ ok: false, code: 'CONTRACT_UNAUTHORIZED' });
  });

  it('validates IPC arguments like any other transport', async () => {
    const { win } = await start();
    const call = ipcHandlers.get('sensor-relay:call')!;
    const bad = await call(invokeEvent(win.webContents, APP_URL), 'sim.setValue', { deviceId: 1 });
    expect(bad).toMatchObject({ ok: false, code: 'CONTRACT_BAD_ARGS' });
  });

  it('pushes host events to the window over the event channel', async () => {
    const { host, win } = await start();
    host.notice('warning', 'battery low');
    const sent = win.webContents.sent.find((m) => m[1] === 'notice');
    expect(sent?.[0]).toBe('sensor-relay:event');
    expect(sent?.[2]).toMatchObject({ level: 'warning', message: 'battery low' });
  });
});
