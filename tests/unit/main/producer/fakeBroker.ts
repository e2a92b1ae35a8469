/** A scripted, misbehaving broker for producer tests: a raw `ws` server on port 0 that records every frame. */
import { WebSocketServer, type WebSocket } from 'ws';

/** One accepted socket and what it received. */
export interface FakeConn {
  readonly index: number;
  readonly ws: WebSocket;
  readonly frames: { op: number; [k: string]: unknown }[];
  readonly raw: string[];
}

/** What the broker does with a connection: called on open and on every parsed frame. */
export interface FakeScript {
  onOpen?(conn: FakeConn): void;
  onFrame?(conn: FakeConn, frame: { op: number; [k: string]: unknown }): void;
}

/** A scripted broker. */
export interface FakeBroker {
  readonly url: string;
  readonly conns: FakeConn[];
  close(): Promise<void>;
}

/** Start a fake broker; `script(index)` gives the behaviour of the index-th connection (0-based). */
export async function startFakeBroker(script: (index: number) => FakeScript): Promise<FakeBroker> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const conns: FakeConn[] = [];
  wss.on('connection', (ws) => {
    const conn: FakeConn = { index: conns.length, ws, frames: [], raw: [] };
    conns.push(conn);
    const s = script(conn.index);
    ws.on('message', (data) => {
      const text = data.toString();
      conn.raw.push(text);
      const frame = JSON.parse(text) as { op: number };
      conn.frames.push(frame);
      s.onFrame?.(conn, frame);
    });
    s.onOpen?.(conn);
  });
  const port = (wss.address() as { port: number }).port;
  return {
    url: `ws://127.0.0.1:${port}/connect`,
    conns,
    close: () =>
      new Promise((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}

/** A well-behaved broker: HELLO, READY on IDENTIFY, ACK every HEARTBEAT. */
export function goodScript(intervalMs: number, overrides: Partial<FakeScript> = {}): FakeScript {
  return {
    onOpen: (c) => c.ws.send(JSON.stringify({ op: 2, d: { heartbeat_interval: intervalMs } })),
    onFrame: (c, f) => {
      if (f.op === 3) c.ws.send('{"op":4}');
      if (f.op === 0) c.ws.send('{"op":1}');
    },
    ...overrides,
  };
}

/** Poll until `cond` holds (no fixed sleeps); throws with `what` after `timeoutMs`. */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
