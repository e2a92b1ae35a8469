/**
 * One WebSocket session on the local broker (docs/broker-protocol.md §5): HELLO on open, the
 * identify deadline (4000), the heartbeat deadline (4005), and every client frame routed through the
 * §5.5 rules of the shared codec. After a close nothing more is sent on the socket (B-C02, docs/broker-conformance.md).
 */
import { WebSocket, type RawData } from 'ws';
import {
  CLOSE,
  closeCodeInfo,
  decideClientFrame,
  encodeFrame,
  heartbeatAck,
  hello,
  ready,
  type ReplayFrame,
  type SessionState,
  type StatusFrame,
  type SubmitFrame,
} from '../shared/terra';
import type { BrokerConfig } from './config';
import type { TokenGrant, TokenStore } from './tokens';

const ACK_TEXT = encodeFrame(heartbeatAck());
const READY_TEXT = encodeFrame(ready());

/** Counters a session reports to its broker. */
export type SessionCounter = 'earlySubmit' | 'statusNotProducer' | 'badStatus' | 'heartbeats' | 'submits' | 'oversizeFrames';

/** Close reason of a frame over the size limit (close code 1009). */
export const FRAME_TOO_BIG_REASON = 'frame too big';

/** What a session needs from its broker. */
export interface SessionHost {
  readonly config: BrokerConfig;
  readonly tokens: TokenStore;
  /** Whether a consumer of `devId` may still identify (cap). */
  hasConsumerRoom(devId: string): boolean;
  /** A session became READY. */
  onReady(session: Session): void;
  onSubmit(session: Session, frame: SubmitFrame): void;
  onReplay(session: Session, frame: ReplayFrame, after: number, before: number): void;
  onStatus(session: Session, frame: StatusFrame): void;
  /** The session ended (`code`: the broker's close code, or null when the peer closed or the socket failed). */
  onEnd(session: Session, code: number | null): void;
  count(counter: SessionCounter): void;
  log(line: string): void;
  /**
   * Called just before corked frames leave for the wire: the replay store writes what it holds, so
   * a dispatch is on disk before any consumer can see it (a broker killed right after a consumer
   * received a frame can still replay it; docs/broker-protocol.md).
   */
  beforeWire?(): void;
}

/** A broker session bound to one socket. */
export class Session {
  state: SessionState = 'unidentified';
  grant: TokenGrant | null = null;
  isClosed = false;
  private readonly identifyTimer: NodeJS.Timeout;
  private readonly heartbeatTimer: NodeJS.Timeout;
  private hasLoggedDrop = false;
  private isCorked = false;

  constructor(
    readonly ws: WebSocket,
    private readonly host: SessionHost,
  ) {
    const { heartbeatIntervalMs, heartbeatGraceFactor, identifyTimeoutMs } = host.config;
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    // ws closes an oversize frame with 1009 and no reason; give the peer the reason (docs/security.md "Broker limits")
    const closeSocket = ws.close.bind(ws);
    ws.close = (code?: number, reason?: string | Buffer) => closeSocket(code, code === 1009 && !reason ? FRAME_TOO_BIG_REASON : reason);
    ws.on('close', () => this.end(null));
    ws.on('error', (err: Error & { code?: string }) => {
      host.log(`session error: ${err.message}`);
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        host.count('oversizeFrames');
        this.end(1009);
      } else this.end(null);
    });
    this.send(encodeFrame(hello(heartbeatIntervalMs)));
    this.identifyTimer = setTimeout(() => this.close(CLOSE.IDENTIFY_TIMEOUT), identifyTimeoutMs);
    this.heartbeatTimer = setTimeout(() => this.close(CLOSE.HEARTBEAT_TIMEOUT), heartbeatGraceFactor * heartbeatIntervalMs);
  }

  /** Send a text frame unless the session is closed. */
  send(text: string): void {
    if (this.isClosed || this.ws.readyState !== WebSocket.OPEN) return;
    this.corkUntilTickEnd();
    this.ws.send(text);
  }

  /**
   * Frames sent during one turn of the event loop leave in one socket write: cork now, uncork once
   * the turn's I/O callbacks have run (setImmediate). Fifty producers' SUBMITs that arrive in the same
   * turn reach a consumer as one write, not fifty, and the replay store writes them in one go
   * ({@link SessionHost.beforeWire}); the wait is the rest of the current turn, not a timer.
   */
  private corkUntilTickEnd(): void {
    if (this.isCorked) return;
    const socket = (this.ws as unknown as { _socket?: { cork?: () => void; uncork?: () => void } })._socket;
    if (!socket || typeof socket.cork !== 'function' || typeof socket.uncork !== 'function') return;
    socket.cork();
    this.isCorked = true;
    setImmediate(() => {
      this.isCorked = false;
      this.host.beforeWire?.();
      socket.uncork!();
    });
  }

  /** Close with a protocol code and its short reason; idempotent. */
  close(code: number, reason = closeCodeInfo(code)?.reason ?? ''): void {
    if (this.isClosed) return;
    this.stopTimers();
    this.isClosed = true;
    this.ws.close(code, reason);
    this.host.onEnd(this, code);
  }

  /** Drop the socket without a close frame (hard stop). */
  terminate(): void {
    this.stopTimers();
    const wasClosed = this.isClosed;
    this.isClosed = true;
    this.ws.terminate();
    if (!wasClosed) this.host.onEnd(this, null);
  }

  private end(code: number | null): void {
    if (this.isClosed) return;
    this.stopTimers();
    this.isClosed = true;
    this.host.onEnd(this, code);
  }

  private stopTimers(): void {
    clearTimeout(this.identifyTimer);
    clearTimeout(this.heartbeatTimer);
  }

  private drop(counter: SessionCounter, what: string): void {
    this.host.count(counter);
    if (!this.hasLoggedDrop) {
      this.hasLoggedDrop = true;
      this.host.log(`dropped ${what} (${this.state} session; further drops on this session are only counted)`);
    }
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.isClosed) return;
    if (isBinary) {
      this.host.log('binary frame: closing 1003');
      this.close(CLOSE.MALFORMED, 'binary frame');
      return;
    }
    const text = rawText(data);
    const decision = decideClientFrame(text, this.state);
    switch (decision.kind) {
      case 'ack':
        this.host.count('heartbeats');
        this.heartbeatTimer.refresh();
        this.send(ACK_TEXT);
        return;
      case 'identify':
        this.identify(decision.token, decision.type);
        return;
      case 'submit':
        this.host.count('submits');
        this.host.onSubmit(this, decision.frame);
        return;
      case 'replay':
        this.host.onReplay(this, decision.frame, decision.after, decision.before);
        return;
      case 'status':
        this.host.onStatus(this, decision.frame);
        return;
      case 'drop':
        if (decision.why === 'early-submit') this.drop('earlySubmit', 'SUBMIT before READY');
        else if (decision.why === 'bad-status') this.drop('badStatus', 'malformed STATUS');
        else this.drop('statusNotProducer', 'STATUS outside a producer session');
        return;
      case 'close':
        this.host.log(`closing ${decision.code}: ${decision.error.message}`);
        this.close(decision.code);
        return;
    }
  }

  private identify(token: string | null, type: 0 | 1 | null): void {
    const tokens = this.host.tokens;
    if (token === null) {
      this.close(CLOSE.INVALID_TOKEN);
      return;
    }
    const check = tokens.check(token, type);
    if (!check.ok) {
      if (check.reason === 'wrong-type') tokens.consume(token);
      this.close(CLOSE.INVALID_TOKEN);
      return;
    }
    if (check.role === 'consumer' && !this.host.hasConsumerRoom(check.grant.devId)) {
      this.close(CLOSE.SESSION_LIMIT);
      return;
    }
    tokens.consume(token);
    clearTimeout(this.identifyTimer);
    this.state = check.role;
    this.grant = check.grant;
    this.send(READY_TEXT);
    this.host.onReady(this);
  }
}

/** A ws message as text (UTF-8 is not validated by ws here: invalid bytes surface as a 1003, not 1007). */
function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
