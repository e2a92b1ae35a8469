/**
 * The preload: exposes the contract to the sandboxed renderer with `contextBridge`, built from the
 * command list in one loop. Nothing else crosses: no ipcRenderer, no Node.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { COMMAND_NAMES, EVENT_NAMES } from '../shared/contract';
import { IPC_CALL, IPC_EVENT } from '../shared/contract/channels';

const commandSet = new Set<string>(COMMAND_NAMES);
const eventSet = new Set<string>(EVENT_NAMES);

contextBridge.exposeInMainWorld('sensorRelay', {
  invoke(name: string, args: unknown): Promise<unknown> {
    if (!commandSet.has(name)) return Promise.resolve({ ok: false, code: 'CONTRACT_UNKNOWN_COMMAND', message: name });
    return ipcRenderer.invoke(IPC_CALL, name, args);
  },
  onEvent(listener: (name: string, payload: unknown) => void): () => void {
    const handler = (_event: unknown, name: unknown, payload: unknown): void => {
      if (typeof name === 'string' && eventSet.has(name)) listener(name, payload);
    };
    ipcRenderer.on(IPC_EVENT, handler);
    return () => ipcRenderer.removeListener(IPC_EVENT, handler);
  },
});
