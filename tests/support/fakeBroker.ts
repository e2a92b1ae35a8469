/**
 * The one fake broker of the test suite: it records every frame of every client connection and lets
 * each test decide, per connection, how to misbehave. Two ways to script it: behaviour switches plus
 * a frame hook (`startFakeBroker`), or a full per-connection script that owns every reply
 * (`startScriptedBroker`, with `goodScript` for a well-behaved start). Two transports: a raw `ws`
 * server on port 0, or in memory (`startMemoryBroker`): the same scripts drive the client core's
 * injected socket, so a test on a fake clock needs no network and no real time.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { ClientSocket, OpenSocket, SocketEvents } from '../../src/shared/terra';

export { waitFor } from './wait';

/** The broker's end of one connection, as scripts use it (a `ws` WebSocket, or the in-memory peer). */
export interface BrokerPeer {
  send(data: string | Buffer, options?: { binary?: boolean }): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
}

/** One client connection as the fake broker sees it. */
export interface FakeConn {
  readonly index: number;
  readonly ws: BrokerPeer;
  /** Parsed frames received, in order (`{raw}` for non-JSON text). */
  readonly frames: Array<Record<string, unknown>>;
  /** Received texts, exactly as sent. */
  readonly raw: string[];
  /** Whether READY has been sent. */
  isReady: boolean;
  /** Frames received before READY was sent. */
  readonly beforeReady: Array<Record<string, unknown>>;
  closed: boolean;
}

/** Record a text a connection received (parsed, or `{raw}` when it is not JSON) and return the frame. */
function receive(conn: FakeConn, text: string): Record<string, unknown> {
  let frame: Record<string, unknown>;
  try {
    frame = JSON.parse(text) as Record<string, unknown>;
  } catch {
    frame = { raw: text }; // not JSON: kept as text for the test to inspect
  }
  conn.raw.push(text);
  conn.frames.push(frame);
  if (!conn.isReady) conn.beforeReady.push(frame);
  return frame;
}

/** What the script does with one frame; return true when handled (skip the default behaviour). */
export type Script = (conn: FakeConn, frame: Record<string, unknown>) => boolean | void;

/** Per-connection behaviour switches. */
export interface FakeBehaviour {
  /** Send HELLO on connect (default true). */
  readonly hello?: boolean;
  readonly heartbeatIntervalMs?: number;
  /** Answer IDENTIFY with READY (default true). */
  readonly ready?: boolean;
  /** Answer HEARTBEAT with ACK (default true). */
  readonly ack?: boolean;
}

/** A running fake broker. */
export interface FakeBroker {
  readonly url: string;
  readonly conns: FakeConn[];
  /** Behaviour for connection `index` (0-based). */
  behaviour: (index: number) => FakeBehaviour;
  script: Script;
  /** Resolves when `n` connections have been seen. */
  waitConnections(n: number): Promise<FakeConn>;
  /** Resolves when `pred` holds (checked on every frame and connection). */
  waitFor(pred: () => boolean): Promise<void>;
  close(): Promise<void>;
}

/** Start a fake broker; `onConnect` runs for each new connection before its HELLO. */
export async function startFakeBroker(
  behaviour: (index: number) => FakeBehaviour = () => ({}),
  script: Script = () => false,
  onConnect: (conn: FakeConn) => void = () => undefined,
): Promise<FakeBroker> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', path: '/connect' });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const port = (wss.address() as AddressInfo).port;
  const waiters: Array<() => void> = [];
  const poke = (): void => {
    for (const w of waiters.slice()) w();
  };
  const fake: FakeBroker = {
    url: `ws://127.0.0.1:${port}/connect`,
    conns: [],
    behaviour,
    script,
    waitConnections(n) {
      return fake.waitFor(() => fake.conns.length >= n).then(() => fake.conns[n - 1]!);
    },
    waitFor(pred) {
      return new Promise((resolve) => {
        const check = (): void => {
          if (!pred()) return;
          waiters.splice(waiters.indexOf(check), 1);
          resolve();
        };
        waiters.push(check);
        check();
      });
    },
    async close() {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
  wss.on('connection', (ws) => {
    const conn: FakeConn = { index: fake.conns.length, ws, frames: [], raw: [], beforeReady: [], isReady: false, closed: false };
    fake.conns.push(conn);
    const b = { hello: true, heartbeatIntervalMs: 100, ready: true, ack: true, ...fake.behaviour(conn.index) };
    ws.on('message', (data) => {
      const frame = receive(conn, data.toString());
      if (!fake.script(conn, frame)) {
        if (frame.op === 3 && b.ready) {
          conn.isReady = true;
          ws.send('{"op":4}');
        } else if (frame.op === 0 && b.ack) ws.send('{"op":1}');
      }
      poke();
    });
    ws.on('close', () => {
      conn.closed = true;
      poke();
    });
    onConnect(conn);
    if (b.hello) ws.send(JSON.stringify({ op: 2, d: { heartbeat_interval: b.heartbeatIntervalMs } }));
    poke();
  });
  return fake;
}

/** A full per-connection script: called on open and on every parsed frame; it sends every reply itself. */
export interface FakeScript {
  onOpen?(conn: FakeConn): void;
  onFrame?(conn: FakeConn, frame: Record<string, unknown>): void;
}

/** Start a fake broker whose `script(index)` gives the whole behaviour of the index-th connection (0-based). */
export function startScriptedBroker(script: (index: number) => FakeScript): Promise<FakeBroker> {
  const scripts: FakeScript[] = [];
  return startFakeBroker(
    () => ({ hello: false, ready: false, ack: false }),
    (conn, frame) => {
      scripts[conn.index]?.onFrame?.(conn, frame);
      return true;
    },
    (conn) => {
      scripts[conn.index] = script(conn.index);
      scripts[conn.index]!.onOpen?.(conn);
    },
  );
}

/** A well-behaved broker script: HELLO, READY on IDENTIFY, ACK every HEARTBEAT. */
export function goodScript(intervalMs: number, overrides: Partial<FakeScript> = {}): FakeScript {
  return {
    onOpen: (c) => c.ws.send(JSON.stringify({ op: 2, d: { heartbeat_interval: intervalMs } })),
    onFrame: (c, f) => {
      if (f.op === 3) {
        c.isReady = true;
        c.ws.send('{"op":4}');
      }
      if (f.op === 0) c.ws.send('{"op":1}');
    },
    ...overrides,
  };
}

/** SUBMIT frames a connection received. */
export function submits(conn: FakeConn): Array<{ op: number; t: string; d: { ts: string; val: number } }> {
  return conn.frames.filter((f) => f.op === 6) as never;
}

/** The fake broker in memory: `openSocket` is what the client core's `openSocket` option takes. */
export interface MemoryBroker {
  readonly conns: FakeConn[];
  readonly openSocket: OpenSocket<ClientSocket>;
  /** URLs the client opened, in order. */
  readonly urls: string[];
}

/**
 * Start the fake broker in memory: each socket the client opens is one {@link FakeConn}, driven by
 * `script(index)` exactly like {@link startScriptedBroker}. Both directions are delivered as
 * microtasks (never inside the sender's call), so a test awaits `flushMicrotasks()` between steps.
 */
export function startMemoryBroker(script: (index: number) => FakeScript): MemoryBroker {
  const conns: FakeConn[] = [];
  const urls: string[] = [];
  const openSocket: OpenSocket<ClientSocket> = (url: string, events: SocketEvents) => {
    urls.push(url);
    let isOpen = true;
    const shut = (code: number, reason: string): void => {
      if (!isOpen) return;
      isOpen = false;
      conn.closed = true;
      queueMicrotask(() => events.onClose(code, reason));
    };
    const peer: BrokerPeer = {
      send: (data, options) => {
        if (!isOpen) return;
        const isBinary = options?.binary === true || typeof data !== 'string';
        // sent before any close, so delivered before the close event (as on a real socket)
        queueMicrotask(() => {
          if (isBinary) events.onBinary();
          else events.onText(data as string);
        });
      },
      close: (code = 1005, reason = '') => shut(code, reason),
      terminate: () => shut(1006, ''),
    };
    const conn: FakeConn = { index: conns.length, ws: peer, frames: [], raw: [], beforeReady: [], isReady: false, closed: false };
    conns.push(conn);
    const behaviour = script(conn.index);
    queueMicrotask(() => {
      if (isOpen) behaviour.onOpen?.(conn);
    });
    return {
      send: (text: string) => {
        if (!isOpen) return;
        const frame = receive(conn, text);
        queueMicrotask(() => behaviour.onFrame?.(conn, frame));
      },
      close: (code: number, reason: string) => shut(code, reason),
      terminate: () => shut(1006, ''),
    };
  };
  return { conns, openSocket, urls };
}

/** Let every queued microtask (and the ones they queue) run. */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
