/**
 * One producer connection to a Terra-compatible broker (docs/broker-protocol.md §5, §6.1, §8, §9, §13):
 * a fresh token in hand before the socket opens, HELLO → IDENTIFY type 0 →
 * READY, the first HEARTBEAT after interval × jitter and then every interval, a missing ACK ends
 * the socket, SUBMIT only after READY from the durable {@link Outbox} (oldest first, original
 * `ts`), STATUS after READY and on link changes, the §8 close policy with capped, jittered backoff,
 * and back-pressure on `bufferedAmount`. Unexpected or malformed frames are counted and ignored.
 */
import { WebSocket, type RawData } from 'ws';
import { appError, type AppError } from '../../shared/errors';
import {
  backoffDelayMs,
  closePolicy,
  decideServerFrame,
  describeClose,
  encodeFrame,
  heartbeat,
  heartbeatJitter,
  identify,
  status,
} from '../../shared/terra';
import type { TokenSource } from '../../broker/tokenSources';
import { brokerUrlProblem } from '../../shared/brokerUrl';
import type { Outbox, OutboxMetrics } from './outbox';

/** Connection state of an uplink. */
export type UplinkStateName = 'idle' | 'minting' | 'connecting' | 'identifying' | 'ready' | 'backoff' | 'stopped';

/** What the UI shows about one uplink. */
export interface UplinkState {
  readonly state: UplinkStateName;
  readonly url: string;
  readonly lastClose: { readonly code: number; readonly reason: string; readonly atMs: number } | null;
  /** Why the uplink stopped or why the last attempt failed. */
  readonly error: AppError | null;
  readonly connections: number;
  readonly ignoredFrames: number;
  readonly outbox: OutboxMetrics;
}

/** Options of {@link Uplink}. */
export interface UplinkOptions {
  /** `ws://127.0.0.1:…/connect` or `wss://…/connect`. */
  readonly url: string;
  /** Fresh token per attempt (an `rt.` source returns the same string). */
  readonly token: TokenSource;
  readonly outbox: Outbox;
  /** `source` of STATUS frames, e.g. `sensor-relay/0.1.0`. */
  readonly source: string;
  /** The token is a reusable `rt.` token: on 4001 retry once, then stop (§8). */
  readonly isRtToken?: boolean;
  /** Expiry of the `rt.` token (epoch ms): a 4001 after it stops at once. */
  readonly rtExpiresAtMs?: number;
  /** Stop writing SUBMITs while the socket buffers more than this (default 1 MiB). */
  readonly maxBufferedBytes?: number;
  /** HELLO and READY must arrive within this after the socket is opened, else reconnect (default 15000 ms). */
  readonly handshakeTimeoutMs?: number;
  readonly backoffBaseMs?: number;
  readonly backoffCapMs?: number;
  readonly random?: () => number;
  readonly now?: () => number;
  readonly onChange?: () => void;
  readonly log?: (line: string) => void;
}

/** Check a broker URL with the one address rule (src/shared/brokerUrl.ts): `wss://`, or `ws://` on this computer (docs/broker-protocol.md §1). */
export function checkBrokerUrl(url: string): AppError | null {
  const problem = brokerUrlProblem(url);
  if (problem === null) return null;
  switch (problem.kind) {
    case 'empty':
    case 'notUrl':
      return appError('BROKER_BAD_CONFIG', `broker URL "${url}" is not a URL`);
    case 'badScheme':
      return appError('BROKER_BAD_CONFIG', `broker URL must start with wss:// (or ws:// on loopback), got ${problem.scheme}://`);
    case 'insecure':
      return appError('BROKER_INSECURE_URL', `broker ${problem.host} is not on this machine, so it must use wss:// (tokens and readings would cross the network in clear text)`);
  }
}

/**
 * The TCP socket under a `ws` client, for cork/uncork around a pump (ws keeps it in `_socket`; its
 * own sender corks the same socket per frame, and Node counts nested corks). Null when absent.
 */
function socketOf(ws: WebSocket): { cork(): void; uncork(): void } | null {
  const socket = (ws as unknown as { _socket?: { cork?: unknown; uncork?: unknown } })._socket;
  return socket && typeof socket.cork === 'function' && typeof socket.uncork === 'function' ? (socket as { cork(): void; uncork(): void }) : null;
}

/** Frames per socket write: a live turn fits in one; a backlog goes out in writes of at most 256 frames (512 iovecs, below IOV_MAX). */
const PUMP_CHUNK = 256;
/** Chunks per pump turn before yielding to the event loop (heartbeats and ACKs get through a backlog). */
const PUMP_CHUNKS_PER_TURN = 40;

/** A producer uplink; call {@link Uplink.start}, feed it through the outbox and {@link Uplink.kick}. */
export class Uplink {
  private ws: WebSocket | null = null;
  private stateName: UplinkStateName = 'idle';
  private lastClose: UplinkState['lastClose'] = null;
  private error: AppError | null = null;
  private attempt = 0;
  private connections = 0;
  private ignored = 0;
  private isStopping = false;
  private hasRtRetried = false;
  private awaitingAckFor: number | null = null;
  private beatTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pumpTimer: ReturnType<typeof setTimeout> | null = null;
  private handshakeTimer: ReturnType<typeof setTimeout> | null = null;
  private isPumpQueued = false;
  private readonly deviceLinks = new Map<string, { connected: boolean; reason: string }>();
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(private readonly options: UplinkOptions) {
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  /** Observable state. */
  state(): UplinkState {
    return {
      state: this.stateName,
      url: this.options.url,
      lastClose: this.lastClose,
      error: this.error,
      connections: this.connections,
      ignoredFrames: this.ignored,
      outbox: this.options.outbox.metrics(),
    };
  }

  /** Connect (after `delayMs`, to stagger many uplinks). */
  start(delayMs = 0): void {
    const bad = checkBrokerUrl(this.options.url);
    if (bad) return this.stopWith(bad);
    this.isStopping = false;
    this.retryTimer = setTimeout(() => void this.connect(), delayMs);
  }

  /** Close for good (1000) and release the timers. */
  stop(): Promise<void> {
    this.isStopping = true;
    this.clearTimers();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const ws = this.ws;
    this.setState('stopped');
    if (!ws || ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        ws.terminate();
        resolve();
      }, 1000);
      ws.once('close', () => {
        clearTimeout(t);
        resolve();
      });
      ws.close(1000, 'producer stopping');
    });
  }

  /**
   * New entries are in the outbox: send them when ready. Appends made in the same callback are
   * coalesced (the pump runs once, as a microtask at its end), without waiting a loop iteration.
   */
  kick(): void {
    if (this.stateName !== 'ready' || this.isPumpQueued) return;
    this.isPumpQueued = true;
    queueMicrotask(() => {
      this.isPumpQueued = false;
      this.pump();
    });
  }

  /** A device of this user changed link state: remember it and send STATUS when ready (§9). */
  setDeviceLink(deviceId: string, connected: boolean, reason: string): void {
    const prev = this.deviceLinks.get(deviceId);
    if (prev && prev.connected === connected) return;
    this.deviceLinks.set(deviceId, { connected, reason });
    if (this.stateName === 'ready') this.sendStatus(deviceId, connected, reason);
  }

  private async connect(): Promise<void> {
    if (this.isStopping) return;
    this.setState('minting');
    const token = await this.options.token();
    if (this.isStopping) return;
    if (!token.ok) {
      const err = appError('BROKER_TOKEN_FAILED', token.message);
      if (token.isFatal) return this.stopWith(err);
      this.error = err;
      return this.scheduleRetry();
    }
    this.setState('connecting');
    const ws = new WebSocket(this.options.url, { handshakeTimeout: 10_000, maxPayload: 1 << 20 });
    this.ws = ws;
    this.connections++;
    this.options.outbox.rewind();
    // A broker that accepts the socket but never says HELLO or READY must not hold the uplink forever.
    const handshakeMs = this.options.handshakeTimeoutMs ?? 15_000;
    this.handshakeTimer = setTimeout(() => {
      this.handshakeTimer = null;
      if (ws !== this.ws || this.stateName === 'ready') return;
      const missing = this.stateName === 'identifying' ? 'READY' : 'HELLO';
      this.options.log?.(`no ${missing} within ${handshakeMs} ms: closing and reconnecting`);
      ws.terminate();
    }, handshakeMs);
    ws.on('message', (data: RawData, isBinary: boolean) => this.onMessage(ws, data, isBinary, token.token));
    ws.on('close', (code: number, reason: Buffer) => this.onClose(ws, code, reason.toString()));
    ws.on('error', (err: Error) => {
      this.error = appError('BROKER_CLOSED', `connection to ${this.options.url} failed: ${err.message}`);
    });
  }

  private onMessage(ws: WebSocket, data: RawData, isBinary: boolean, token: string): void {
    if (ws !== this.ws) return;
    if (isBinary) {
      this.ignored++;
      return;
    }
    const decision = decideServerFrame(data.toString(), 'producer');
    if (decision.kind === 'ignore') {
      this.ignored++;
      this.options.log?.(`ignored frame from broker: ${decision.error.message}`);
      return;
    }
    const frame = decision.frame;
    if (frame.op === 2) {
      if (this.stateName !== 'connecting') {
        this.ignored++;
        return;
      }
      this.setState('identifying');
      this.startHeartbeats(ws, frame.d.heartbeat_interval);
      ws.send(encodeFrame(identify(token, 0)));
    } else if (frame.op === 4) {
      if (this.stateName !== 'identifying') {
        this.ignored++;
        return;
      }
      this.attempt = 0;
      this.hasRtRetried = false;
      this.error = null;
      this.setState('ready');
      for (const [deviceId, link] of this.deviceLinks) this.sendStatus(deviceId, link.connected, link.reason);
      this.pump();
    } else if (frame.op === 1) {
      if (this.awaitingAckFor === null) {
        this.ignored++;
        return;
      }
      this.options.outbox.ack(this.awaitingAckFor);
      this.awaitingAckFor = null;
      this.options.onChange?.();
    } else this.ignored++; // DISPATCH to a producer: not for us (P11)
  }

  private startHeartbeats(ws: WebSocket, intervalMs: number): void {
    const beat = (): void => {
      if (ws !== this.ws || ws.readyState !== WebSocket.OPEN) return;
      if (this.awaitingAckFor !== null) {
        this.options.log?.('no HEARTBEAT_ACK before the next beat: closing and reconnecting');
        this.lastClose = { code: 1006, reason: 'no heartbeat ack', atMs: this.now() };
        ws.terminate();
        return;
      }
      this.awaitingAckFor = this.options.outbox.sentSeq;
      ws.send(encodeFrame(heartbeat()));
      this.beatTimer = setTimeout(beat, intervalMs);
    };
    this.awaitingAckFor = null;
    this.beatTimer = setTimeout(beat, intervalMs * heartbeatJitter(this.random()));
  }

  private pump(): void {
    const ws = this.ws;
    if (!ws || this.stateName !== 'ready' || ws.readyState !== WebSocket.OPEN) return;
    const budget = this.options.maxBufferedBytes ?? 1 << 20;
    const outbox = this.options.outbox;
    let sent = 0;
    // what is ready leaves in one socket write (writev) per chunk, not one write per SUBMIT
    const socket = socketOf(ws);
    while (ws.bufferedAmount <= budget && sent < PUMP_CHUNK * PUMP_CHUNKS_PER_TURN) {
      const batch = outbox.pending(PUMP_CHUNK);
      if (batch.length === 0) break;
      socket?.cork();
      try {
        for (const entry of batch) ws.send(entry.frame);
      } finally {
        socket?.uncork();
      }
      outbox.markSent(batch.length);
      sent += batch.length;
    }
    if (outbox.queuedCount > 0 && !this.pumpTimer) {
      // back-pressure or a long backlog: continue shortly, letting heartbeats and ACKs through
      this.pumpTimer = setTimeout(() => {
        this.pumpTimer = null;
        this.pump();
      }, ws.bufferedAmount > budget ? 20 : 0);
    }
    if (sent > 0) this.options.onChange?.();
  }

  private sendStatus(deviceId: string, connected: boolean, reason: string): void {
    this.ws?.send(encodeFrame(status({ connected, device_id: deviceId, source: this.options.source, reason })));
  }

  private onClose(ws: WebSocket, code: number, reason: string): void {
    if (ws !== this.ws) return;
    this.ws = null;
    this.clearTimers();
    this.options.outbox.rewind();
    if (this.isStopping) return this.setState('stopped');
    const isHeartbeatLoss = this.lastClose?.reason === 'no heartbeat ack' && this.now() - this.lastClose.atMs < 2000;
    if (!isHeartbeatLoss) this.lastClose = { code, reason, atMs: this.now() };
    const policy = closePolicy(code, 'producer');
    const text = describeClose(code, reason);
    if (policy === 'stop') return this.stopWith(appError('BROKER_CLOSED', `broker closed the connection: ${text}; not retrying (fix the setup, then reconnect)`));
    if (policy === 'refresh-token') {
      if (this.options.isRtToken) {
        const expired = this.options.rtExpiresAtMs !== undefined && this.now() >= this.options.rtExpiresAtMs;
        if (expired || this.hasRtRetried) {
          return this.stopWith(appError('BROKER_TOKEN_FAILED', `the rt. token was refused (${text})${expired ? ': it has expired' : ''}; scan a new QR code in the broker settings`));
        }
        this.hasRtRetried = true;
      }
      this.error = appError('BROKER_TOKEN_FAILED', `token refused (${text}); reconnecting with a fresh token`);
      // the first 4001 reconnects at once; repeated ones back off like any other failure
      if (this.attempt === 0) {
        this.attempt++;
        this.setState('backoff');
        this.retryTimer = setTimeout(() => void this.connect(), 0);
        return;
      }
    } else this.error = appError('BROKER_CLOSED', `connection closed: ${text}; reconnecting`);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.isStopping) return;
    const delay = backoffDelayMs(this.attempt, this.random(), this.options.backoffBaseMs, this.options.backoffCapMs);
    this.attempt++;
    this.setState('backoff');
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private stopWith(error: AppError): void {
    this.error = error;
    this.isStopping = true;
    this.clearTimers();
    this.options.log?.(`uplink stopped: ${error.message}`);
    this.setState('stopped');
  }

  private clearTimers(): void {
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
    this.handshakeTimer = null;
    if (this.beatTimer) clearTimeout(this.beatTimer);
    if (this.pumpTimer) clearTimeout(this.pumpTimer);
    this.beatTimer = null;
    this.pumpTimer = null;
    this.awaitingAckFor = null;
  }

  private setState(s: UplinkStateName): void {
    this.stateName = s;
    this.options.onChange?.();
  }
}
