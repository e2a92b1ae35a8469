/**
 * The preload's exposed surface with the fake `electron`: exactly `window.sensorRelay` with
 * `invoke` and `onEvent`; only contract commands reach IPC, only contract events reach the page,
 * and unsubscribing removes the IPC listener (no ipcRenderer, no Node for the sandboxed page).
 */
import { describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES, EVENT_NAMES } from '../../../src/shared/contract';
import { IPC_CALL, IPC_EVENT } from '../../../src/shared/contract/channels';
import { exposedInMainWorld, ipcRenderer } from '../../support/electronFake';

vi.mock('electron', async () => (await import('../../support/electronFake')).electronModule());

interface Exposed {
  invoke(name: string, args: unknown): Promise<unknown>;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
}

async function loadPreload(): Promise<Exposed> {
  await import('../../../src/preload/index');
  return exposedInMainWorld.get('sensorRelay') as Exposed;
}

describe('preload', () => {
  it('exposes exactly one object, sensorRelay, with invoke and onEvent', async () => {
    const api = await loadPreload();
    expect([...exposedInMainWorld.keys()]).toEqual(['sensorRelay']);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'onEvent']);
  });

  it('forwards a contract command over the call channel', async () => {
    const api = await loadPreload();
    const name = COMMAND_NAMES[0]!;
    ipcRenderer.invoked.length = 0;
    await api.invoke(name, { a: 1 });
    expect(ipcRenderer.invoked).toEqual([[IPC_CALL, name, { a: 1 }]]);
  });

  it('refuses a name outside the contract without touching IPC', async () => {
    const api = await loadPreload();
    ipcRenderer.invoked.length = 0;
    expect(await api.invoke('fs.readFile', { path: '/etc/passwd' })).toEqual({ ok: false, code: 'CONTRACT_UNKNOWN_COMMAND', message: 'fs.readFile' });
    expect(ipcRenderer.invoked).toEqual([]);
  });

  it('delivers contract events only, and stops after unsubscribing', async () => {
    const api = await loadPreload();
    const got: [string, unknown][] = [];
    const off = api.onEvent((name, payload) => got.push([name, payload]));
    const event = EVENT_NAMES[0]!;
    ipcRenderer.emit(IPC_EVENT, event, { x: 1 });
    ipcRenderer.emit(IPC_EVENT, 'not.an.event', { x: 2 });
    ipcRenderer.emit(IPC_EVENT, 42, { x: 3 });
    expect(got).toEqual([[event, { x: 1 }]]);
    off();
    expect(ipcRenderer.listeners.get(IPC_EVENT)?.size ?? 0).toBe(0);
    ipcRenderer.emit(IPC_EVENT, event, { x: 4 });
    expect(got).toHaveLength(1);
  });
});
