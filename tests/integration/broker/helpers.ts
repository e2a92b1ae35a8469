/** Test clients for the broker conformance suite: a recording WebSocket client, token fetchers, a raw-socket client. */
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { vi } from 'vitest';
import WebSocket from 'ws';
import { createBroker, type Broker } from '../../../src/broker/broker';
import type { BrokerConfigInput } from '../../../src/broker/config';

/** Heartbeat interval used by the suite (ms). */
export const N = 500;

/** Test developers: `lab` (users u1, u2) and `other` (user x1, consumer cap 2). */
export const LAB: DevCreds = { devId: 'lab', apiKey: 'lab-key' };
export const OTHER: DevCreds = { devId: 'other', apiKey: 'other-key' };
/** Developer credentials. */
export interface DevCreds {
  readonly devId: string;
  readonly apiKey: string;
}

/** A configuration with short intervals so the suite stays fast. */
export function testConfig(over: Partial<BrokerConfigInput> = {}): BrokerConfigInput {
  return {
    heartbeatIntervalMs: N,
    identifyTimeoutMs: 1000,
    developers: [
      { ...LAB, users: ['u1', 'u2'] },
      { ...OTHER, users: ['x1'], consumerCap: 2 },
    ],
    rtTokens: [{ token: 'rt.u1-reusable', userId: 'u1' }],
    ...over,
  };
}

/** Start a broker or throw; `nowMs` is the clock its tokens expire by (a test clock makes expiry instant and exact). */
export async function startBroker(over: Partial<BrokerConfigInput> = {}, nowMs: () => number = Date.now): Promise<Broker> {
  const r = await createBroker(testConfig(over), () => {}, nowMs);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

/** POST a token endpoint with headers; returns status and parsed body. */
export async function post(url: string, headers: Record<string, string> = {}, method = 'POST'): Promise<{ status: number; body: unknown; contentType: string }> {
  const res = await fetch(url, { method, headers });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text; // non-JSON bodies are kept as text
  }
  return { status: res.status, body, contentType: res.headers.get('content-type') ?? '' };
}

/** Mint a producer token for `userId` (developer `lab` unless given). */
export async function userToken(b: Broker, userId = 'u1', dev: { devId: string; apiKey: string } = LAB): Promise<string> {
  const r = await post(`${b.httpUrl}/auth/user?id=${userId}`, { 'dev-id': dev.devId, 'x-api-key': dev.apiKey });
  if (r.status !== 200) throw new Error(`user token: ${r.status}`);
  return (r.body as { token: string }).token;
}

/** Mint a consumer token. */
export async function devToken(b: Broker, dev: { devId: string; apiKey: string } = LAB): Promise<string> {
  const r = await post(`${b.httpUrl}/auth/developer`, { 'dev-id': dev.devId, 'x-api-key': dev.apiKey });
  if (r.status !== 200) throw new Error(`developer token: ${r.status}`);
  return (r.body as { token: string }).token;
}

/** A received text frame. */
export interface Received {
  readonly text: string;
  readonly json: Record<string, unknown>;
  readonly atMs: number;
}

const open = new Set<TestClient>();

/**
 * How long a client waits for a frame or a close before failing. Only a bound for a broken broker:
 * passing tests never wait for it, and a loaded 2-core machine can take seconds for 3000 frames.
 */
const WAIT_MS = 20_000;

// Real timers and a monotonic clock for the clients' own timeouts, so tests may put the broker on
// Vitest's fake timers (`onTestClock`) without the clients' waits depending on them.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

/**
 * Put timers and `Date` on Vitest's test clock (sockets stay real) for heartbeat and timeout checks:
 * the test moves time with `vi.advanceTimersByTimeAsync`, so windows are exact and machine load
 * cannot move them. Call before connecting (the broker's per-socket timers are created on connect).
 */
export function onTestClock(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
}

/** A WebSocket client that records every frame and the close. */
export class TestClient {
  readonly frames: Received[] = [];
  readonly openedAtMs: number;
  close: { code: number; reason: string; atMs: number } | null = null;
  framesAfterClose = 0;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    this.openedAtMs = Date.now();
    ws.on('message', (data, isBinary) => {
      if (this.close) this.framesAfterClose++;
      const text = isBinary ? '<binary>' : data.toString();
      let json: Record<string, unknown>;
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        json = {}; // not JSON: kept as text only
      }
      this.frames.push({ text, json, atMs: Date.now() });
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.stopHeartbeat();
      this.close = { code, reason: reason.toString(), atMs: Date.now() };
      this.wake();
    });
    ws.on('error', () => this.wake());
  }

  /** Open a socket to `url` and resolve once the upgrade succeeded; `onOpen` runs synchronously in the open event. */
  static connect(url: string, onOpen?: (ws: WebSocket) => void): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const client = new TestClient(ws);
      open.add(client);
      ws.once('open', () => {
        onOpen?.(ws);
        resolve(client);
      });
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Send a frame (object → JSON). */
  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Frames with a given op. */
  ofOp(op: number): Received[] {
    return this.frames.filter((f) => f.json.op === op);
  }

  /** Wait until `pred` holds (checked on every frame/close), or fail after `timeoutMs`. */
  async until(pred: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!pred()) {
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; frames: ${this.frames.map((f) => f.text).join(' ')}; close: ${JSON.stringify(this.close)}`);
      await new Promise<void>((r) => {
        const t = realSetTimeout(r, left);
        this.waiters.push(() => {
          realClearTimeout(t);
          r();
        });
      });
    }
  }

  /** Wait for the close and return it. */
  async closed(timeoutMs = WAIT_MS): Promise<{ code: number; reason: string; atMs: number }> {
    await this.until(() => this.close !== null, 'close', timeoutMs);
    return this.close!;
  }

  /** Wait for the n-th frame of `op` (1-based count). */
  async waitOp(op: number, count = 1, timeoutMs = WAIT_MS): Promise<Received> {
    await this.until(() => this.ofOp(op).length >= count, `${count}× op ${op}`, timeoutMs);
    return this.ofOp(op)[count - 1]!;
  }

  /**
   * A WebSocket ping answered by the peer's pong: every frame the broker sent before it handled the
   * ping (a close included) has arrived when this resolves. Resolves 'open', or 'closed' when the
   * socket closed first: proof that nothing was pending, without sleeping.
   */
  async roundTrip(timeoutMs = WAIT_MS): Promise<'open' | 'closed'> {
    if (!this.isOpen) return 'closed';
    let isPonged = false;
    const onPong = (): void => {
      isPonged = true;
      this.wake();
    };
    this.ws.once('pong', onPong);
    this.ws.ping();
    try {
      await this.until(() => isPonged || this.close !== null, 'pong', timeoutMs);
    } finally {
      this.ws.off('pong', onPong);
    }
    return this.close === null ? 'open' : 'closed';
  }

  /** Send HEARTBEAT every `everyMs`. */
  startHeartbeat(everyMs = N * 0.8): void {
    this.stopHeartbeat();
    this.heartbeatTimer = setInterval(() => {
      if (this.ws.readyState === WebSocket.OPEN) this.send({ op: 0 });
    }, everyMs);
  }

  stopHeartbeat(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  /** Whether the socket is still open. */
  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN && this.close === null;
  }

  /** Terminate the socket. */
  dispose(): void {
    this.stopHeartbeat();
    this.ws.terminate();
    open.delete(this);
  }
}

/**
 * Round trips on each client in order (a ping answered by the broker): once the first client's
 * round trip is back, the broker has handled every frame it sent before; once the next one's is
 * back, that client has every frame the broker sent it meanwhile. Replaces "sleep, then count".
 */
export async function settle(...clients: TestClient[]): Promise<void> {
  for (const c of clients) await c.roundTrip();
}

/** Close every client opened by the suite. */
export function disposeClients(): void {
  for (const c of [...open]) c.dispose();
}

/** A READY client (IDENTIFY with a fresh token), heartbeating. */
export async function readyClient(b: Broker, kind: 'producer' | 'consumer', userId = 'u1', dev: DevCreds = LAB): Promise<TestClient> {
  const token = kind === 'producer' ? await userToken(b, userId, dev) : await devToken(b, dev);
  const c = await TestClient.connect(b.url);
  c.send({ op: 3, d: { token, type: kind === 'producer' ? 0 : 1 } });
  await c.waitOp(4);
  c.startHeartbeat();
  return c;
}

/** Wait `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** One server→client WebSocket frame seen on a raw socket. */
export interface RawFrame {
  readonly opcode: number;
  readonly payload: Buffer;
}

/** A raw TCP client doing the upgrade by hand, to see every byte the broker sends (status line, frames after a close). */
export class RawClient {
  statusLine = '';
  readonly frames: RawFrame[] = [];
  private buf = Buffer.alloc(0);
  private isUpgraded = false;
  private constructor(private readonly socket: Socket) {}

  /** Connect and send an upgrade request for `path`; resolves when the response head is read. */
  static open(port: number, path: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      const c = new RawClient(socket);
      socket.on('error', reject);
      socket.on('data', (chunk: Buffer) => {
        c.buf = Buffer.concat([c.buf, chunk]);
        if (!c.isUpgraded) {
          const end = c.buf.indexOf('\r\n\r\n');
          if (end < 0) return;
          c.statusLine = c.buf.subarray(0, c.buf.indexOf('\r\n')).toString();
          c.buf = c.buf.subarray(end + 4);
          c.isUpgraded = true;
          resolve(c);
        }
        c.parse();
      });
      socket.on('close', () => resolve(c));
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
  }

  private parse(): void {
    for (;;) {
      if (this.buf.length < 2) return;
      const opcode = this.buf[0]! & 0x0f;
      let len = this.buf[1]! & 0x7f;
      let off = 2;
      if (len === 126) {
        if (this.buf.length < 4) return;
        len = this.buf.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (this.buf.length < 10) return;
        len = Number(this.buf.readBigUInt64BE(2));
        off = 10;
      }
      if (this.buf.length < off + len) return;
      this.frames.push({ opcode, payload: this.buf.subarray(off, off + len) });
      this.buf = this.buf.subarray(off + len);
    }
  }

  /** Send a masked text frame. */
  sendText(text: string): void {
    const payload = Buffer.from(text);
    const mask = randomBytes(4);
    const head = payload.length < 126 ? Buffer.from([0x81, 0x80 | payload.length]) : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
    const body = Buffer.alloc(payload.length);
    for (let i = 0; i < payload.length; i++) body[i] = payload[i]! ^ mask[i % 4]!;
    this.socket.write(Buffer.concat([head, mask, body]));
  }

  /** Destroy the socket. */
  destroy(): void {
    this.socket.destroy();
  }
}

/** A hand-driven clock for token lifetimes: starts at the wall clock, moves only when told. */
export function testClock(): { nowMs: () => number; advance(ms: number): void } {
  let t = Date.now();
  return {
    nowMs: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}
