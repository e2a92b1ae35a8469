/**
 * The contract over Electron IPC: one `invoke` channel for commands, one channel for events.
 * Every call's sender is checked (the main frame of one of our windows, showing our own UI) before the call is
 * validated and dispatched; replies are values, nothing is thrown across the boundary.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { Reply } from '../../shared/contract/wire';
import type { Host } from '../host';
import { IPC_CALL, IPC_EVENT } from '../../shared/contract/channels';
import { isAppUrl } from './window';

/** The bridge for a set of windows. */
export interface IpcBridge {
  /** Attach a window's contents: it may call commands and receives events. */
  attach(contents: WebContents): void;
  dispose(): void;
}

/**
 * Whether an IPC call comes from the main frame of a window we attached, showing our UI. A
 * subframe of our window (an iframe, even one of our own origin) is refused, as is a frame that
 * is gone (`senderFrame` null after a navigation or crash).
 */
export function isTrustedSender(event: IpcMainInvokeEvent, attached: ReadonlySet<number>, appUrl: string): boolean {
  try {
    if (!attached.has(event.sender.id)) return false;
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null) return false;
    const main = event.sender.mainFrame;
    if (!main || (frame !== main && (frame.processId !== main.processId || frame.routingId !== main.routingId))) return false;
    return typeof frame.url === 'string' && isAppUrl(frame.url, appUrl);
  } catch (err) {
    // Electron throws when a disposed frame is read: a frame that is gone is not trusted
    console.warn(`[ipc] sender check failed, call refused: ${(err as Error).message}`);
    return false;
  }
}

/** Register the IPC handlers for `host`. */
export function registerIpcBridge(ipcMain: IpcMain, host: Host, appUrl: string): IpcBridge {
  const attached = new Set<number>();
  const detachers = new Map<number, () => void>();
  /** Contract connection id of each attached window, so calls and events share one client id. */
  const clientIds = new Map<number, string>();

  ipcMain.handle(IPC_CALL, async (event, name: unknown, args: unknown): Promise<Reply> => {
    if (!isTrustedSender(event, attached, appUrl)) {
      return { ok: false, code: 'CONTRACT_UNAUTHORIZED', message: 'IPC call from an unknown sender was refused' };
    }
    const clientId = clientIds.get(event.sender.id) ?? `ipc-${event.sender.id}`;
    return host.call({ kind: 'call', id: 0, name: typeof name === 'string' ? name : '', args }, { clientId });
  });

  return {
    attach(contents) {
      attached.add(contents.id);
      const connection = host.connect((message) => {
        const m = message as { kind: string; name?: string; payload?: unknown };
        if (m.kind === 'event' && !contents.isDestroyed()) contents.send(IPC_EVENT, m.name, m.payload);
      });
      detachers.set(contents.id, connection.close);
      clientIds.set(contents.id, connection.id);
      contents.once('destroyed', () => {
        attached.delete(contents.id);
        clientIds.delete(contents.id);
        detachers.get(contents.id)?.();
        detachers.delete(contents.id);
      });
    },
    dispose() {
      ipcMain.removeHandler(IPC_CALL);
      for (const d of detachers.values()) d();
      detachers.clear();
      attached.clear();
    },
  };
}
