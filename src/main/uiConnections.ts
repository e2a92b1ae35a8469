/**
 * Attaching a UI transport (an Electron window's IPC, a web-mode WebSocket) to the host: each gets
 * an id, receives every event, is clock-pinged once connected, and has its calls dispatched to the
 * contract handlers with that id as the caller. Closing it lets the host release what that page held.
 */
import type { EventName } from '../shared/contract';
import { dispatchCall, type Handlers } from './contract/server';
import type { ClockPinger } from './clockPings';
import type { UiEvents } from './events';

/** One attached transport, as the transport sees it. */
export interface AttachedUi {
  readonly id: string;
  /** Handle one raw message from the UI (a contract call); the reply goes out through `send`. */
  receive(raw: unknown): Promise<void>;
  /** The transport closed. */
  close(): void;
}

/** What attaching needs from the host. */
export interface UiConnectionDeps {
  readonly events: UiEvents;
  readonly pinger: ClockPinger;
  /** The contract handlers (read per call: the host builds them after its services). */
  readonly handlers: () => Handlers;
  /** A UI went away (its Bluetooth devices leave with it). */
  readonly onClose: (id: string) => void;
}

let nextConnection = 0;

/** Attach a UI transport; `send` carries events and replies to it. */
export function attachUi(deps: UiConnectionDeps, send: (message: unknown) => void): AttachedUi {
  const id = `ui-${++nextConnection}`;
  const remove = deps.events.add({ id, send: (name: EventName, payload: unknown) => send({ kind: 'event', name, payload }) });
  queueMicrotask(() => deps.pinger.pingOne(id));
  let isClosed = false;
  return {
    id,
    async receive(raw: unknown) {
      const { id: callId, reply } = await dispatchCall(deps.handlers(), raw, { clientId: id });
      send({ kind: 'reply', id: callId, reply });
    },
    close() {
      if (isClosed) return;
      isClosed = true;
      remove();
      deps.onClose(id);
    },
  };
}
