/**
 * The one Terra streaming client core (docs/broker-protocol.md §5a, "the client state machine"),
 * shared by the producer uplink and the consumer: token → socket → HELLO → IDENTIFY → READY, the
 * heartbeat and its ACK deadline, the handshake timeout, the close-code policy, backoff with jitter
 * and the reusable token's expiry. Like `ws`'s receiver it does no I/O of its own: the socket, the
 * clock (time and timers) and the random source are injected, and it only reacts to events (a token
 * arrived, a text frame, a close, a timer). Roles (producer, consumer) plug in through
 * {@link ClientRole}: the core calls them on READY, on DISPATCH, around heartbeats and on close.
 */
import { appError, type AppError } from '../../errors';
import { encodeFrame, heartbeat, identify, type DispatchFrame } from '../frames';
import { IDENTIFY_TYPE } from '../opcodes';
import { decideServerFrame } from '../roles';
import { backoffDelayMs, DEFAULT_IDENTIFY_TIMEOUT_MS, heartbeatJitter } from '../timing';
import { isTokenExpired, type TokenOutcome, type TokenSource } from '../tokens';
import { decideAfterClose, type ClientRoleName, type LocalCloseCause } from './closeDecision';

/** States of the client (docs/broker-protocol.md §5a). */
export type ClientStateName = 'idle' | 'minting' | 'connecting' | 'identifying' | 'ready' | 'backoff' | 'stopped';

/** An opaque timer handle of the injected clock. */
export type TimerHandle = unknown;

/** Time and timers, injected: the system clock in the app, a fake clock in tests. */
export interface ClientClock {
  nowMs(): number;
  setTimer(delayMs: number, fn: () => void): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

/** The socket as the core uses it. Sending on a socket that is not open is a no-op. */
export interface ClientSocket {
  send(text: string): void;
  /** Close with a close frame (the `close` event follows). */
  close(code: number, reason: string): void;
  /** Drop the connection without a close frame (the `close` event follows, code 1006). */
  terminate(): void;
}

/** What the socket reports to the core; the adapter calls these. */
export interface SocketEvents {
  onText(text: string): void;
  onBinary(): void;
  onClose(code: number, reason: string): void;
  onError(message: string): void;
}

/** Opens a socket to `url` that reports to `events`. */
export type OpenSocket<S extends ClientSocket> = (url: string, events: SocketEvents) => S;

/** The role on top of the core: what it does when the session is ready, when data arrives, around heartbeats. */
export interface ClientRole<S extends ClientSocket> {
  readonly name: ClientRoleName;
  /** A socket was opened for a new attempt (before HELLO). */
  onSocket?(socket: S): void;
  /** READY: the session may carry data. */
  onReady(socket: S): void;
  /** A HEARTBEAT was just sent (the producer notes its delivery watermark). */
  onHeartbeatSent?(): void;
  /** The HEARTBEAT_ACK of the last HEARTBEAT arrived. */
  onHeartbeatAck?(): void;
  /** A DISPATCH on a ready consumer session. */
  onDispatch?(frame: DispatchFrame, socket: S): void;
  /** The socket is gone (any reason), before the close decision. */
  onSocketClosed?(): void;
}

/** Options of {@link TerraClient}. */
export interface TerraClientOptions<S extends ClientSocket> {
  readonly url: string;
  /** A token per attempt (docs/broker-protocol.md §2). */
  readonly token: TokenSource;
  readonly role: ClientRole<S>;
  readonly openSocket: OpenSocket<S>;
  readonly clock: ClientClock;
  /** Uniform in [0, 1): heartbeat and backoff jitter. */
  readonly random: () => number;
  /** HELLO and READY must arrive within this after the socket is opened (default 15 000 ms). */
  readonly handshakeTimeoutMs?: number;
  readonly backoffBaseMs?: number;
  readonly backoffCapMs?: number;
  /** Every state change, with a detail for status lines. */
  readonly onState?: (state: ClientStateName, detail: string) => void;
  /** The client stopped for good with this error (not called on {@link TerraClient.stop}). */
  readonly onFatal?: (error: AppError) => void;
  /** Lines for the log: `[CODE] message`. */
  readonly log?: (line: string) => void;
}

/** The last close as the person sees it. */
export interface LastClose {
  readonly code: number;
  readonly reason: string;
  readonly atMs: number;
}

/** Observable state of the core. */
export interface ClientSnapshot {
  readonly state: ClientStateName;
  readonly lastClose: LastClose | null;
  /** Why the client stopped, or why the last attempt failed (null once READY). */
  readonly error: AppError | null;
  /** Sockets opened so far. */
  readonly connections: number;
  /** Broker frames ignored: binary, unparseable, unknown, or out of place (P11, C05). */
  readonly ignoredFrames: number;
  /** What went wrong in the last failed attempt, without what follows (null once READY). */
  readonly lastFailure: string | null;
}

interface Attempt<S> {
  readonly socket: S;
  readonly token: string;
  readonly isReusable: boolean;
  readonly expiresAtMs?: number;
  cause: LocalCloseCause;
  socketError: string | null;
}

/** A Terra streaming client: {@link TerraClient.start}, then events drive it until {@link TerraClient.stop} or a fatal close. */
export class TerraClient<S extends ClientSocket> {
  private stateName: ClientStateName = 'idle';
  private current: Attempt<S> | null = null;
  /** Bumped on every attempt and on stop: late events of an older attempt are ignored. */
  private generation = 0;
  private attempt = 0;
  private hasRetriedReusable = false;
  private isAwaitingAck = false;
  private connections = 0;
  private ignored = 0;
  private hasLoggedIgnore = false;
  private error: AppError | null = null;
  private lastFailure: string | null = null;
  private lastClose: LastClose | null = null;
  private retryTimer: TimerHandle | null = null;
  private beatTimer: TimerHandle | null = null;
  private handshakeTimer: TimerHandle | null = null;

  constructor(private readonly options: TerraClientOptions<S>) {}

  /** Observable state. */
  snapshot(): ClientSnapshot {
    return { state: this.stateName, lastClose: this.lastClose, error: this.error, connections: this.connections, ignoredFrames: this.ignored, lastFailure: this.lastFailure };
  }

  /** The current state. */
  get state(): ClientStateName {
    return this.stateName;
  }

  /** The socket of the current attempt (any state), else null. */
  socket(): S | null {
    return this.current?.socket ?? null;
  }

  /** Connect now, or after `delayMs` (to stagger many clients); a stopped client starts again. */
  start(delayMs = 0): void {
    if (this.stateName !== 'idle' && this.stateName !== 'stopped') return;
    this.attempt = 0;
    this.hasRetriedReusable = false;
    if (delayMs <= 0) return this.connect();
    this.retryTimer = this.options.clock.setTimer(delayMs, () => {
      this.retryTimer = null;
      this.connect();
    });
  }

  /** Stop for good: close the socket with 1000 and cancel every timer. */
  stop(reason = 'client stopping'): void {
    this.halt(reason);
    this.setState('stopped', 'stopped');
  }

  /** Stop for good with an error the person must act on (a bad URL, a fatal token failure, a close that is not retried). */
  fail(error: AppError): void {
    this.failWith(error, error.message);
  }

  private failWith(error: AppError, what: string): void {
    this.halt('client stopping after an error');
    this.error = error;
    this.lastFailure = what;
    this.options.log?.(`[${error.code}] ${error.message}`);
    this.setState('stopped', error.message);
    this.options.onFatal?.(error);
  }

  private halt(reason: string): void {
    this.generation++;
    this.clearTimers();
    const attempt = this.current;
    this.current = null;
    if (attempt) attempt.socket.close(1000, reason);
  }

  private connect(): void {
    const gen = ++this.generation;
    this.setState('minting', this.options.url);
    if (gen !== this.generation) return; // stopped by a state listener
    let pending: Promise<TokenOutcome>;
    try {
      pending = this.options.token();
    } catch (err) {
      pending = Promise.resolve({ ok: false, message: `token source failed: ${(err as Error).message}`, isFatal: false });
    }
    pending.then(
      (outcome) => this.onToken(gen, outcome),
      (err: unknown) => this.onToken(gen, { ok: false, message: `token source failed: ${err instanceof Error ? err.message : String(err)}`, isFatal: false }),
    );
  }

  private onToken(gen: number, outcome: TokenOutcome): void {
    if (gen !== this.generation || this.stateName === 'stopped') return;
    if (!outcome.ok) {
      const error = appError('BROKER_TOKEN_FAILED', outcome.message);
      if (outcome.isFatal) return this.fail(error);
      const delayMs = this.nextBackoffMs();
      this.error = error;
      this.lastFailure = error.message;
      this.options.log?.(`[${error.code}] ${error.message}; reconnecting in ${Math.round(delayMs)} ms`);
      return this.retryAfter(delayMs, `${error.message}; reconnecting in ${Math.round(delayMs)} ms`);
    }
    const isReusable = outcome.isReusable === true;
    if (isReusable && isTokenExpired(outcome.expiresAtMs, this.options.clock.nowMs())) {
      // an expired reusable token is never presented: the broker would refuse it, and it will not get better
      return this.fail(appError('BROKER_TOKEN_EXPIRED', `the rt. token expired on ${new Date(outcome.expiresAtMs ?? 0).toISOString()}; scan a new QR code in the broker settings`));
    }
    this.setState('connecting', this.options.url);
    if (gen !== this.generation) return; // stopped by a state listener
    this.connections++;
    this.isAwaitingAck = false;
    const events: SocketEvents = {
      onText: (text) => gen === this.generation && this.onText(text),
      onBinary: () => gen === this.generation && this.ignore('a binary frame'),
      onClose: (code, reason) => gen === this.generation && this.onClose(code, reason),
      onError: (message) => {
        if (gen === this.generation && this.current) this.current.socketError = message;
      },
    };
    let socket: S;
    try {
      socket = this.options.openSocket(this.options.url, events);
    } catch (err) {
      // a URL the socket library cannot even parse: retrying would fail the same way
      return this.fail(appError('BROKER_BAD_CONFIG', `cannot open a connection to ${this.options.url}: ${err instanceof Error ? err.message : String(err)}`));
    }
    this.current = { socket, token: outcome.token, isReusable, ...(outcome.expiresAtMs !== undefined ? { expiresAtMs: outcome.expiresAtMs } : {}), cause: null, socketError: null };
    this.options.role.onSocket?.(socket);
    // A broker that accepts the socket but never says HELLO or READY must not hold the client forever.
    const timeoutMs = this.options.handshakeTimeoutMs ?? DEFAULT_IDENTIFY_TIMEOUT_MS;
    this.handshakeTimer = this.options.clock.setTimer(timeoutMs, () => {
      this.handshakeTimer = null;
      if (gen !== this.generation || this.stateName === 'ready') return;
      const missing = this.stateName === 'identifying' ? 'READY' : 'HELLO';
      this.dropConnection('handshake-timeout', `no ${missing} within ${timeoutMs} ms: dropping the connection`);
    });
  }

  private onText(text: string): void {
    const attempt = this.current;
    if (!attempt) return;
    const decision = decideServerFrame(text, this.options.role.name);
    if (decision.kind === 'ignore') return this.ignore(`${decision.error.code}: ${decision.error.message}`);
    const frame = decision.frame;
    switch (frame.op) {
      case 2: // HELLO
        if (this.stateName !== 'connecting') return this.ignore('a HELLO after HELLO');
        this.setState('identifying', '');
        this.startHeartbeats(frame.d.heartbeat_interval);
        attempt.socket.send(encodeFrame(identify(attempt.token, IDENTIFY_TYPE[this.options.role.name])));
        return;
      case 4: // READY
        if (this.stateName !== 'identifying') return this.ignore('a READY outside the handshake');
        if (this.handshakeTimer !== null) this.options.clock.clearTimer(this.handshakeTimer);
        this.handshakeTimer = null;
        this.attempt = 0;
        this.hasRetriedReusable = false;
        this.error = null;
        this.lastFailure = null;
        this.setState('ready', '');
        this.options.role.onReady(attempt.socket);
        return;
      case 1: // HEARTBEAT_ACK
        if (!this.isAwaitingAck) return this.ignore('a HEARTBEAT_ACK nobody asked for');
        this.isAwaitingAck = false;
        this.options.role.onHeartbeatAck?.();
        return;
      case 5: // DISPATCH (consumers only: decideServerFrame ignores it for producers)
        if (this.stateName !== 'ready' || !this.options.role.onDispatch) return this.ignore('a DISPATCH before READY');
        this.options.role.onDispatch(frame, attempt.socket);
        return;
    }
  }

  private startHeartbeats(intervalMs: number): void {
    const beat = (): void => {
      this.beatTimer = null;
      const attempt = this.current;
      if (!attempt) return;
      if (this.isAwaitingAck) {
        this.dropConnection('heartbeat-lost', 'no HEARTBEAT_ACK before the next beat: dropping the connection');
        return;
      }
      this.isAwaitingAck = true;
      this.options.role.onHeartbeatSent?.();
      attempt.socket.send(encodeFrame(heartbeat()));
      this.beatTimer = this.options.clock.setTimer(intervalMs, beat);
    };
    this.isAwaitingAck = false;
    this.beatTimer = this.options.clock.setTimer(intervalMs * heartbeatJitter(this.options.random()), beat);
  }

  /** End a connection the client gave up on; the close event then decides (a dead link sends no close frame, so terminate). */
  private dropConnection(cause: LocalCloseCause, line: string): void {
    const attempt = this.current;
    if (!attempt) return;
    attempt.cause = cause;
    this.options.log?.(line);
    attempt.socket.terminate();
  }

  private onClose(code: number, reason: string): void {
    const attempt = this.current;
    if (!attempt) return;
    this.current = null;
    this.clearTimers();
    this.options.role.onSocketClosed?.();
    const now = this.options.clock.nowMs();
    this.lastClose =
      attempt.cause === 'heartbeat-lost' ? { code, reason: 'no heartbeat ack', atMs: now } : attempt.cause === 'handshake-timeout' ? { code, reason: 'handshake timeout', atMs: now } : { code, reason, atMs: now };
    const decision = decideAfterClose({
      role: this.options.role.name,
      code,
      reason,
      cause: attempt.cause,
      socketError: attempt.socketError,
      token: { isReusable: attempt.isReusable, ...(attempt.expiresAtMs !== undefined ? { expiresAtMs: attempt.expiresAtMs } : {}) },
      hasRetriedReusable: this.hasRetriedReusable,
      attempt: this.attempt,
      nowMs: now,
      random: this.options.random(),
      ...(this.options.backoffBaseMs !== undefined ? { backoffBaseMs: this.options.backoffBaseMs } : {}),
      ...(this.options.backoffCapMs !== undefined ? { backoffCapMs: this.options.backoffCapMs } : {}),
    });
    if (decision.kind === 'stop') return this.failWith(decision.error, decision.what);
    this.lastFailure = decision.what;
    if (decision.isReusableRetry) this.hasRetriedReusable = true;
    this.error = decision.error;
    this.options.log?.(`[${decision.error.code}] ${decision.error.message}`);
    this.retryAfter(decision.delayMs, decision.error.message);
  }

  private nextBackoffMs(): number {
    return backoffDelayMs(this.attempt, this.options.random(), this.options.backoffBaseMs, this.options.backoffCapMs);
  }

  private retryAfter(delayMs: number, why: string): void {
    this.attempt++;
    const gen = this.generation;
    this.setState('backoff', why);
    // a state listener may have stopped the client (a one-shot connection test does): no retry then
    if (gen !== this.generation) return;
    this.retryTimer = this.options.clock.setTimer(delayMs, () => {
      this.retryTimer = null;
      if (gen === this.generation) this.connect();
    });
  }

  private ignore(what: string): void {
    this.ignored++;
    if (this.hasLoggedIgnore) return;
    this.hasLoggedIgnore = true;
    this.options.log?.(`ignored ${what} from the broker; further ignored frames are only counted`);
  }

  private clearTimers(): void {
    const clock = this.options.clock;
    for (const t of [this.retryTimer, this.beatTimer, this.handshakeTimer]) if (t !== null) clock.clearTimer(t);
    this.retryTimer = this.beatTimer = this.handshakeTimer = null;
    this.isAwaitingAck = false;
  }

  private setState(state: ClientStateName, detail: string): void {
    this.stateName = state;
    this.options.onState?.(state, detail);
  }
}
