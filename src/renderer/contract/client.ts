/**
 * The UI side of the contract: one client over either transport (Electron preload bridge or the
 * web-mode WebSocket). Every reply and event is validated against the shared schemas before it
 * reaches the app; invalid messages are reported, never trusted.
 */
import {
  COMMANDS,
  EVENTS,
  describeZodError,
  hostMessageSchema,
  type CommandInput,
  type CommandName,
  type CommandResult,
  type EventName,
  type EventPayload,
  type Reply,
} from '../../shared/contract';

/** What the Electron preload exposes as `window.sensorRelay`. */
export interface PreloadBridge {
  invoke(name: string, args: unknown): Promise<unknown>;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    sensorRelay?: PreloadBridge;
  }
}

/** Connection state of the client to the host. */
export type LinkState = 'connecting' | 'open' | 'closed';

type Listener = (payload: never) => void;

/** The part of a WebSocket the client uses (the browser's, or `ws` in Node tests). */
export interface ContractSocket {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'message', listener: (event: { data?: unknown }) => void): void;
}

/** Transport options for the web-mode socket. */
export interface HostClientOptions {
  /** Opens the socket (default: the global WebSocket). */
  readonly createSocket?: (url: string) => ContractSocket;
  /** Delay before reconnecting after the socket closed (default 1000 ms). */
  readonly reconnectMs?: number;
}

/** `WebSocket.OPEN`, without relying on a global WebSocket being present. */
const SOCKET_OPEN = 1;

/** A typed client of the host. */
export class HostClient {
  private readonly listeners = new Map<EventName, Set<Listener>>();
  private readonly stateListeners = new Set<(state: LinkState) => void>();
  private nextId = 1;
  private readonly pending = new Map<number, (reply: Reply) => void>();
  private ws: ContractSocket | null = null;
  private wsReady: Promise<void> | null = null;
  private state: LinkState = 'connecting';
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private isClosedByUser = false;
  /** Messages from the host that failed validation (shown in diagnostics). */
  invalidMessages = 0;

  constructor(
    private readonly bridge: PreloadBridge | null,
    private readonly wsUrl: string | null,
    private readonly options: HostClientOptions = {},
  ) {
    if (bridge) {
      bridge.onEvent((name, payload) => this.deliverEvent(name, payload));
      this.setState('open');
    } else {
      this.openSocket();
    }
  }

  /** Current link state. */
  get linkState(): LinkState {
    return this.state;
  }

  /** Call a command; resolves to a reply value object, never rejects. */
  async call<K extends CommandName>(name: K, args: CommandInput<K>): Promise<Reply<CommandResult<K>>> {
    let raw: unknown;
    if (this.bridge) {
      try {
        raw = await this.bridge.invoke(name, args);
      } catch (err) {
        return { ok: false, code: 'CONTRACT_HANDLER_FAILED', message: (err as Error).message };
      }
    } else {
      raw = await this.callOverSocket(name, args);
    }
    return this.checkReply(name, raw);
  }

  /** Call and unwrap: throws an Error with the host's message on failure (for UI actions). */
  async invoke<K extends CommandName>(name: K, args: CommandInput<K>): Promise<CommandResult<K>> {
    const reply = await this.call(name, args);
    if (!reply.ok) throw new Error(reply.message);
    return reply.value;
  }

  /** Listen to an event. */
  on<K extends EventName>(name: K, fn: (payload: EventPayload<K>) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(fn as Listener);
    return () => set.delete(fn as Listener);
  }

  /** Close the socket for good (no reconnect); pending and later calls resolve to a failure. */
  close(): void {
    this.isClosedByUser = true;
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.ws?.close();
  }

  /** Listen to link state changes. */
  onState(fn: (state: LinkState) => void): () => void {
    this.stateListeners.add(fn);
    return () => this.stateListeners.delete(fn);
  }

  private setState(state: LinkState): void {
    this.state = state;
    for (const fn of this.stateListeners) fn(state);
  }

  private checkReply<K extends CommandName>(name: K, raw: unknown): Reply<CommandResult<K>> {
    const envelope = hostMessageSchema.options[0].shape.reply.safeParse(raw);
    if (!envelope.success) {
      return { ok: false, code: 'CONTRACT_BAD_MESSAGE', message: `malformed reply to ${name}` };
    }
    if (!envelope.data.ok) return envelope.data;
    const value = COMMANDS[name].result.safeParse(envelope.data.value);
    if (!value.success) {
      return { ok: false, code: 'CONTRACT_BAD_MESSAGE', message: `${name}: ${describeZodError(value.error)}` };
    }
    return { ok: true, value: value.data as CommandResult<K> };
  }

  private deliverEvent(name: string, payload: unknown): void {
    if (!Object.prototype.hasOwnProperty.call(EVENTS, name)) {
      this.invalidMessages++;
      return;
    }
    const parsed = EVENTS[name as EventName].safeParse(payload);
    if (!parsed.success) {
      this.invalidMessages++;
      console.warn(`Sensor Relay: dropped an invalid "${name}" event: ${describeZodError(parsed.error)}`);
      return;
    }
    for (const fn of this.listeners.get(name as EventName) ?? []) (fn as (p: unknown) => void)(parsed.data);
  }

  private openSocket(): void {
    if (!this.wsUrl || this.isClosedByUser) return;
    const ws = this.options.createSocket ? this.options.createSocket(this.wsUrl) : new WebSocket(this.wsUrl);
    this.ws = ws;
    this.setState('connecting');
    // Settles on open and also on close: a socket that closes before it opens must not leave
    // callers waiting on a promise nobody will resolve (they then get "not connected").
    this.wsReady = new Promise((resolve) => {
      ws.addEventListener('open', () => {
        this.setState('open');
        resolve();
      });
      ws.addEventListener('close', () => resolve());
    });
    ws.addEventListener('message', (e) => {
      let data: unknown;
      try {
        data = JSON.parse(String(e.data));
      } catch {
        this.invalidMessages++;
        return;
      }
      const msg = hostMessageSchema.safeParse(data);
      if (!msg.success) {
        this.invalidMessages++;
        return;
      }
      if (msg.data.kind === 'reply') {
        this.pending.get(msg.data.id)?.(msg.data.reply as Reply);
        this.pending.delete(msg.data.id);
      } else {
        this.deliverEvent(msg.data.name, msg.data.payload);
      }
    });
    ws.addEventListener('close', () => {
      for (const resolve of this.pending.values()) {
        resolve({ ok: false, code: 'CONTRACT_HANDLER_FAILED', message: 'connection to the host closed' });
      }
      this.pending.clear();
      this.setState('closed');
      if (this.isClosedByUser) return;
      this.reconnectTimer = setTimeout(() => {
        this.reconnectTimer = null;
        this.openSocket();
      }, this.options.reconnectMs ?? 1000);
    });
  }

  private async callOverSocket(name: string, args: unknown): Promise<unknown> {
    await this.wsReady;
    const ws = this.ws;
    if (!ws || ws.readyState !== SOCKET_OPEN) {
      return { ok: false, code: 'CONTRACT_HANDLER_FAILED', message: 'not connected to the host' };
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      ws.send(JSON.stringify({ kind: 'call', id, name, args }));
    });
  }
}

/** Build the client for this page: the preload bridge in Electron, else the web-mode WebSocket. */
export function createHostClient(): HostClient {
  if (window.sensorRelay) return new HostClient(window.sensorRelay, null);
  const token = new URLSearchParams(location.search).get('token');
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = `${scheme}//${location.host}/contract${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  return new HostClient(null, url);
}
