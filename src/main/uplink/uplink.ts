/**
 * One producer connection to a Terra-compatible broker for one user (reference/broker-protocol.md
 * §5, §8, §13; checklist P01–P11). Token in hand before the socket opens; HELLO → IDENTIFY type 0 →
 * READY; first HEARTBEAT after interval × [0.1, 1.0), then every interval; a missing ACK when the
 * next beat is due closes and reconnects. After READY: STATUS, then the outbox past the watermark
 * (original `ts`, oldest first), then live readings; a HEARTBEAT_ACK moves the watermark to the
 * last reading sent before that HEARTBEAT. Close codes follow the shared §8 table. Unexpected or
 * malformed frames are counted and ignored.
 */
import { WebSocket, type RawData } from 'ws';
import { fail, ok, type AppError, type Result } from '../../shared/errors';
import {
  backoffDelayMs,
  closePolicy,
  CLOSE,
  decodeFrame,
  describeClose,
  encodeFrame,
  heartbeat,
  heartbeatJitter,
  identify,
  status as statusFrame,
  type StatusFrame,
} from '../../shared/terra';
import type { Outbox, OutboxMetrics } from './outbox';
import type { TokenSource } from './tokens';

/** Where an uplink is in its life. */
export type UplinkState = 'idle' | 'token' | 'connecting' | 'identifying' | 'ready' | 'backoff' | 'error' | 'stopped';

/** What the UI shows about one uplink. */
export interface UplinkStatus {
  readonly userId: string;
  readonly url: string;
  readonly state: UplinkState;
  readonly lastCloseCode: number | null;
  readonly lastCloseReason: string;
  /** Set when the uplink stopped for good (state `error`). */
  readonly error: AppError | null;
  /** Token-source risk to show (developer key on the desktop), or null. */
  readonly warning: string | null;
  readonly connections: number;
  readonly ignoredFrames: number;
  readonly nextRetryInMs: number | null;
  readonly outbox: OutboxMetrics;
}

/** Options of an uplink. */
export interface UplinkOptions {
  readonly url: string;
  readonly userId: string;
  readonly tokenSource: TokenSource;
  readonly outbox: Outbox;
  /** STATUS `source` (app name/version). */
  readonly source?: string;
  /** HELLO + READY must arrive within this after the socket opens (default 15000 ms). */
  readonly handshakeTimeoutMs?: number;
  /** Stop writing into the socket while `bufferedAmount` exceeds this (default 1 MiB). */
  readonly maxBufferedBytes?: number;
  readonly backoffBaseMs?: number;
  readonly backoffCapMs?: number;
  readonly random?: () => number;
  readonly onStatus?: (status: UplinkStatus) => void;
  readonly log?: (line: string) => void;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** A broker URL must be `ws(s)://`; anything off this machine must be `wss://` (BROKER_INSECURE_URL). */
export function checkBrokerUrl(url: string): Result<URL> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return fail('BROKER_BAD_CONFIG', `"${url}" is not a URL; expected e.g. wss://ws.tryterra.co/connect`);
  }
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:') return fail('BROKER_BAD_CONFIG', `broker URL must start with wss:// (or ws:// on this computer), got ${u.protocol}//`);
  const isLoopback = LOOPBACK.has(u.hostname) || /^127\./.test(u.hostname);
  if (u.protocol === 'ws:' && !isLoopback) {
    return fail('BROKER_INSECURE_URL', `${u.host} is not on this computer, so the connection must be encrypted: use wss://${u.host}${u.pathname}`);
  }
  return ok(u);
}

/** A producer uplink. Call `start()`; feed it with `enqueue()`. */
export class Uplink {
  private state: UplinkState = 'idle';
  private ws: WebSocket | null = null;
  private lastCloseCode: number | null = null;
  private lastCloseReason = '';
  private error: AppError | null = null;
  private connections = 0;
  private ignoredFrames = 0;
  private attempt = 0;
  private rtRejections = 0;
  private tokenRejections = 0;
  private isTokenReusable = false;
  private isAwaitingAck = false;
  private heartbeatMark = 0;
  private ownCloseReason: string | null = null;
  private nextRetryAtMs: number | null = null;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  private drainTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly links = new Map<string, StatusFrame['d']>();
  private readonly random: () => number;

  constructor(private readonly options: UplinkOptions) {
    this.random = options.random ?? Math.random;
  }

  /** Current status (state, last close, outbox metrics). */
  status(): UplinkStatus {
    return {
      userId: this.options.userId,
      url: this.options.url,
      state: this.state,
      lastCloseCode: this.lastCloseCode,
      lastCloseReason: this.lastCloseReason,
      error: this.error,
      warning: this.options.tokenSource.warning,
      connections: this.connections,
      ignoredFrames: this.ignoredFrames,
      nextRetryInMs: this.nextRetryAtMs === null ? null : Math.max(0, this.nextRetryAtMs - Date.now()),
      outbox: this.options.outbox.metrics(),
    };
  }

  /** Connect (and keep reconnecting until stopped or a fatal error). */
  start(): void {
    if (this.state !== 'idle' && this.state !== 'error' && this.state !== 'stopped') return;
    const checked = checkBrokerUrl(this.options.url);
    if (!checked.ok) {
      this.stopWith(checked);
      return;
    }
    this.error = null;
    this.attempt = 0;
    this.state = 'idle';
    void this.connect();
  }

  /** Append readings (SUBMIT frame texts) to the outbox, then send what the socket can take. */
  enqueue(frames: readonly string[]): void {
    if (frames.length === 0) return;
    this.options.outbox.append(frames);
    this.drain();
  }

  /** A device's link changed: STATUS now when READY, and again after every READY. */
  setLink(deviceId: string, isConnected: boolean, reason: string): void {
    const d: StatusFrame['d'] = { connected: isConnected, device_id: deviceId, source: this.options.source ?? 'sensor-relay', reason };
    this.links.set(deviceId, d);
    if (this.state === 'ready') this.sendText(encodeFrame(statusFrame(d)));
  }

  /** Close (1000) and stop reconnecting; the outbox keeps what was not delivered. */
  async stop(): Promise<void> {
    this.setState('stopped');
    this.clearTimers();
    const ws = this.ws;
    this.ws = null;
    if (!ws) return;
    await new Promise<void>((resolve) => {
      const done = setTimeout(() => {
        ws.terminate();
        resolve();
      }, 1000);
      ws.once('close', () => {
        clearTimeout(done);
        resolve();
      });
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(CLOSE.NORMAL, 'producer stopped');
    });
  }

  private setState(state: UplinkState): void {
    this.state = state;
    if (state !== 'backoff') this.nextRetryAtMs = null;
    this.options.onStatus?.(this.status());
  }

  private log(line: string): void {
    this.options.log?.(`uplink ${this.options.userId}: ${line}`);
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    if (this.drainTimer) clearTimeout(this.drainTimer);
    this.drainTimer = null;
  }

  private stopWith(error: AppError): void {
    this.clearTimers();
    this.error = { code: error.code, message: error.message };
    this.log(`stopped: ${error.message}`);
    this.setState('error');
  }

  private async connect(): Promise<void> {
    if (this.state === 'stopped') return;
    this.setState('token');
    const token = await this.options.tokenSource.next();
    if (this.state !== 'token') return; // stopped while fetching
    if (!token.ok) {
      if (token.isFatal) return this.stopWith({ code: 'BROKER_TOKEN_FAILED', message: token.message });
      this.lastCloseReason = token.message;
      return this.retryAfterBackoff(`token: ${token.message}`);
    }
    this.isTokenReusable = token.isReusable;
    this.open(token.token);
  }

  private open(token: string): void {
    this.setState('connecting');
    this.connections++;
    this.isAwaitingAck = false;
    this.ownCloseReason = null;
    this.options.outbox.rewind();
    this.heartbeatMark = this.options.outbox.lastSentIndex;
    const ws = new WebSocket(this.options.url, { handshakeTimeout: this.options.handshakeTimeoutMs ?? 15_000 });
    this.ws = ws;
    let isHelloSeen = false;
    this.later(this.options.handshakeTimeoutMs ?? 15_000, () => {
      if (this.ws === ws && this.state !== 'ready') this.abort(ws, isHelloSeen ? 'no READY within the handshake timeout' : 'no HELLO within the handshake timeout');
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (this.ws !== ws) return;
      if (isBinary) return this.ignore('binary frame');
      const decoded = decodeFrame(data.toString());
      if (!decoded.ok) return this.ignore(decoded.message);
      const frame = decoded.value;
      if (frame.op === 2 && !isHelloSeen) {
        isHelloSeen = true;
        this.startHeartbeat(ws, frame.d.heartbeat_interval);
        ws.send(encodeFrame(identify(token, 0)));
        this.setState('identifying');
      } else if (frame.op === 4 && this.state === 'identifying') {
        this.onReady();
      } else if (frame.op === 1 && this.isAwaitingAck) {
        this.isAwaitingAck = false;
        this.options.outbox.acknowledge(this.heartbeatMark);
      } else {
        this.ignore(`unexpected op ${frame.op}`);
      }
    });
    ws.on('error', (err) => this.log(`socket error: ${err.message}`));
    ws.on('close', (code: number, reason: Buffer) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.onClose(code, reason.toString());
    });
  }

  private ignore(what: string): void {
    if (this.ignoredFrames++ === 0) this.log(`ignored a frame from the broker (${what}); further ones are only counted`);
  }

  private startHeartbeat(ws: WebSocket, intervalMs: number): void {
    const beat = (): void => {
      if (this.ws !== ws) return;
      if (this.isAwaitingAck) return this.abort(ws, 'no HEARTBEAT_ACK before the next heartbeat was due');
      this.heartbeatMark = this.options.outbox.lastSentIndex;
      this.isAwaitingAck = true;
      ws.send(encodeFrame(heartbeat()));
    };
    this.later(intervalMs * heartbeatJitter(this.random()), () => {
      beat();
      if (this.ws === ws) this.heartbeatTimer = setInterval(beat, intervalMs);
    });
  }

  private onReady(): void {
    this.attempt = 0;
    this.rtRejections = 0;
    this.tokenRejections = 0;
    this.lastCloseReason = '';
    this.setState('ready');
    const source = this.options.source ?? 'sensor-relay';
    if (this.links.size === 0) this.sendText(encodeFrame(statusFrame({ connected: false, source, reason: 'no sensor linked' })));
    for (const d of this.links.values()) this.sendText(encodeFrame(statusFrame(d)));
    this.drain();
  }

  private sendText(text: string): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(text);
  }

  /** Write unsent outbox readings while the socket's buffer is under budget. */
  private drain(): void {
    const ws = this.ws;
    if (this.state !== 'ready' || !ws || ws.readyState !== WebSocket.OPEN || this.drainTimer) return;
    const budget = this.options.maxBufferedBytes ?? 1024 * 1024;
    const outbox = this.options.outbox;
    while (outbox.hasUnsent) {
      if (ws.bufferedAmount > budget) {
        this.drainTimer = setTimeout(() => {
          this.drainTimer = null;
          this.drain();
        }, 10);
        return;
      }
      const batch = outbox.unsent(512);
      for (const r of batch) ws.send(r.frame);
      outbox.markSent(batch.length);
    }
  }

  /** Close a connection we consider dead and reconnect with backoff. */
  private abort(ws: WebSocket, reason: string): void {
    this.log(reason);
    this.ownCloseReason = reason;
    ws.terminate();
  }

  private onClose(code: number, reason: string): void {
    this.clearTimers();
    if (this.state === 'stopped' || this.state === 'error') return;
    const own = this.ownCloseReason;
    this.lastCloseCode = own ? null : code;
    this.lastCloseReason = own ?? describeClose(code, reason);
    if (own) return this.retryAfterBackoff(own);
    const policy = closePolicy(code, 'producer');
    if (policy === 'stop') {
      return this.stopWith({ code: 'BROKER_CLOSED', message: `the broker closed the connection: ${describeClose(code, reason)}. This is a bug or misconfiguration the app cannot fix by retrying.` });
    }
    if (policy === 'refresh-token') {
      if (this.isTokenReusable) {
        if (++this.rtRejections >= 2) return this.stopWith({ code: 'BROKER_TOKEN_FAILED', message: 'the broker rejected the rt. token twice (4001): it has expired or was revoked; scan a new QR code from the Terra dashboard' });
      }
      // The first rejection reconnects at once with a fresh token; repeated ones back off (no storm).
      if (this.tokenRejections++ === 0) return void this.connect();
      return this.retryAfterBackoff(`token rejected (${describeClose(code, reason)})`);
    }
    this.retryAfterBackoff(describeClose(code, reason));
  }

  private retryAfterBackoff(why: string): void {
    const delayMs = backoffDelayMs(this.attempt++, this.random(), this.options.backoffBaseMs ?? 1000, this.options.backoffCapMs ?? 30_000);
    this.log(`reconnecting in ${Math.round(delayMs)} ms (${why})`);
    this.nextRetryAtMs = Date.now() + delayMs;
    this.setState('backoff');
    this.later(delayMs, () => void this.connect());
  }
}
