/**
 * One producer connection to a Terra-compatible broker: the producer role on top of the one client
 * core (src/shared/terra/client/terraClient.ts, docs/broker-protocol.md §5a), which owns the token,
 * HELLO → IDENTIFY type 0 → READY, heartbeats and their ACK deadline, the handshake timeout, the §8
 * close policy and backoff. This role adds what only a producer does (§6.1, §9, §13): SUBMIT only
 * after READY from the durable {@link Outbox} (oldest first, original `ts`), the outbox's delivery
 * watermark moved by each HEARTBEAT_ACK, STATUS after READY and on link changes, and back-pressure
 * on `bufferedAmount`.
 */
import { WebSocket } from 'ws';
import { appError, type AppError } from '../../shared/errors';
import { encodeFrame, status, TerraClient, type ClientClock, type ClientStateName, type LastClose, type TokenSource } from '../../shared/terra';
import { brokerUrlProblem } from '../../shared/brokerUrl';
import { systemClock, wsOpener, type WsClientSocket } from '../../client/wsSocket';
import type { Outbox, OutboxMetrics } from './outbox';

/** Connection state of an uplink (the client core's states). */
export type UplinkStateName = ClientStateName;

/** What the UI shows about one uplink. */
export interface UplinkState {
  readonly state: UplinkStateName;
  readonly url: string;
  readonly lastClose: LastClose | null;
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
  /** A token per attempt; an `rt.` source says so in its outcome (`isReusable`, `expiresAtMs`). */
  readonly token: TokenSource;
  readonly outbox: Outbox;
  /** `source` of STATUS frames, e.g. `sensor-relay/0.1.0`. */
  readonly source: string;
  /** Stop writing SUBMITs while the socket buffers more than this (default 1 MiB). */
  readonly maxBufferedBytes?: number;
  /** HELLO and READY must arrive within this after the socket is opened, else reconnect (default 15000 ms). */
  readonly handshakeTimeoutMs?: number;
  readonly backoffBaseMs?: number;
  readonly backoffCapMs?: number;
  readonly random?: () => number;
  /** Time and timers of the client core (default: the system clock). */
  readonly clock?: ClientClock;
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
  private awaitingAckFor: number | null = null;
  private pumpTimer: ReturnType<typeof setTimeout> | null = null;
  private isPumpQueued = false;
  private readonly deviceLinks = new Map<string, { connected: boolean; reason: string }>();
  private readonly client: TerraClient<WsClientSocket>;

  constructor(private readonly options: UplinkOptions) {
    const outbox = options.outbox;
    this.client = new TerraClient<WsClientSocket>({
      url: options.url,
      token: options.token,
      openSocket: wsOpener({ handshakeTimeout: 10_000, maxPayload: 1 << 20 }),
      clock: options.clock ?? systemClock,
      random: options.random ?? Math.random,
      ...(options.handshakeTimeoutMs !== undefined ? { handshakeTimeoutMs: options.handshakeTimeoutMs } : {}),
      ...(options.backoffBaseMs !== undefined ? { backoffBaseMs: options.backoffBaseMs } : {}),
      ...(options.backoffCapMs !== undefined ? { backoffCapMs: options.backoffCapMs } : {}),
      onState: () => this.options.onChange?.(),
      ...(options.log ? { log: (line: string) => options.log?.(`uplink: ${line}`) } : {}),
      role: {
        name: 'producer',
        // every new session starts sending from the delivery watermark (§13)
        onSocket: () => outbox.rewind(),
        onReady: (socket) => {
          this.ws = socket.raw;
          for (const [deviceId, link] of this.deviceLinks) this.sendStatus(deviceId, link.connected, link.reason);
          this.pump();
        },
        // an ACK proves everything sent before its HEARTBEAT arrived: that is the watermark (§13)
        onHeartbeatSent: () => {
          this.awaitingAckFor = outbox.sentSeq;
        },
        onHeartbeatAck: () => {
          if (this.awaitingAckFor === null) return;
          outbox.ack(this.awaitingAckFor);
          this.awaitingAckFor = null;
          this.options.onChange?.();
        },
        onSocketClosed: () => {
          this.ws = null;
          this.awaitingAckFor = null;
          if (this.pumpTimer) clearTimeout(this.pumpTimer);
          this.pumpTimer = null;
          outbox.rewind();
        },
      },
    });
  }

  /** The client core's state (the pump reads it). */
  private get stateName(): UplinkStateName {
    return this.client.state;
  }

  /** Observable state. */
  state(): UplinkState {
    const s = this.client.snapshot();
    return {
      state: s.state,
      url: this.options.url,
      lastClose: s.lastClose,
      error: s.error,
      connections: s.connections,
      ignoredFrames: s.ignoredFrames,
      outbox: this.options.outbox.metrics(),
    };
  }

  /** Connect (after `delayMs`, to stagger many uplinks). */
  start(delayMs = 0): void {
    const bad = checkBrokerUrl(this.options.url);
    if (bad) return this.client.fail(bad);
    this.client.start(delayMs);
  }

  /** Close for good (1000) and release the timers. */
  stop(): Promise<void> {
    const ws = this.client.socket()?.raw ?? null;
    if (this.pumpTimer) clearTimeout(this.pumpTimer);
    this.pumpTimer = null;
    this.client.stop('producer stopping');
    this.ws = null;
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
}
