/**
 * A scripted fake broker for producer tests: a raw `ws` server on port 0 that records every frame
 * of every connection and lets each test decide, per connection, how to misbehave.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** One producer connection as the fake broker sees it. */
export interface FakeConn {
  readonly index: number;
  readonly ws: WebSocket;
  /** Parsed frames received, in order (`{raw}` for non-JSON text). */
  readonly frames: Array<Record<string, unknown>>;
  /** Whether READY has been sent. */
  isReady: boolean;
  /** Frames received before READY was sent. */
  readonly beforeReady: Array<Record<string, unknown>>;
  closed: boolean;
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

/** Start a fake broker. */
export async function startFakeBroker(behaviour: (index: number) => FakeBehaviour = () => ({}), script: Script = () => false): Promise<FakeBroker> {
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
    const conn: FakeConn = { index: fake.conns.length, ws, frames: [], beforeReady: [], isReady: false, closed: false };
    fake.conns.push(conn);
    const b = { hello: true, heartbeatIntervalMs: 100, ready: true, ack: true, ...fake.behaviour(conn.index) };
    if (b.hello) ws.send(JSON.stringify({ op: 2, d: { heartbeat_interval: b.heartbeatIntervalMs } }));
    ws.on('message', (data) => {
      let frame: Record<string, unknown>;
      try {
        frame = JSON.parse(data.toString()) as Record<string, unknown>;
      } catch {
        frame = { raw: data.toString() };
      }
      conn.frames.push(frame);
      if (!conn.isReady) conn.beforeReady.push(frame);
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
    poke();
  });
  return fake;
}

/** SUBMIT frames a connection received. */
export function submits(conn: FakeConn): Array<{ op: number; t: string; d: { ts: string; val: number } }> {
  return conn.frames.filter((f) => f.op === 6) as never;
}
