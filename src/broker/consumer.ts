/**
 * A Terra streaming consumer (docs/broker-protocol.md §5, §7, §8): fresh
 * token per attempt, IDENTIFY type 1 on HELLO, heartbeats with jitter in [0.1, 1.0), close policy
 * from the shared table (4002 and other client bugs stop; 4001 re-mints; the rest back off), and
 * after a reconnect a REPLAY `(settled, firstLive)` with de-duplication by `seq`, so `onDispatch`
 * sees every retained dispatch exactly once. A producer re-sends readings it could not prove
 * delivered (docs/broker-protocol.md §13), and the broker gives each copy a new seq, so
 * readings are also de-duplicated on (uid, t, ts) and counted: `onDispatch` sees every reading once.
 * Replayed frames may arrive after newer live ones.
 */
import { WebSocket, type RawData } from 'ws';
import { appError, type AppError } from '../shared/errors';
import {
  backoffDelayMs,
  closePolicy,
  decideServerFrame,
  describeClose,
  encodeFrame,
  heartbeat,
  heartbeatJitter,
  identify,
  replay,
  type DispatchFrame,
} from '../shared/terra';
import type { TokenSource } from './tokenSources';

/** Connection state of a consumer. */
export type ConsumerState = 'connecting' | 'identifying' | 'ready' | 'backoff' | 'stopped';

/** Options of {@link createConsumer}. */
export interface ConsumerOptions {
  /** `ws://…/connect` or `wss://…/connect`. */
  readonly url: string;
  /** Fresh developer token per connection attempt. */
  readonly token: TokenSource;
  /** Every dispatch exactly once (by seq); `isReplay`: it came from a backfill REPLAY. */
  readonly onDispatch: (frame: DispatchFrame, info: { readonly isReplay: boolean }) => void;
  readonly onState?: (state: ConsumerState, detail: string) => void;
  /** A fatal error: the consumer stopped and will not retry. */
  readonly onFatal?: (error: AppError) => void;
  readonly log?: (line: string) => void;
  /** Backfill gaps with REPLAY after reconnects (default true). */
  readonly isBackfillEnabled?: boolean;
  /** How many recent readings are remembered for (uid, t, ts) de-duplication (default 1,000,000). */
  readonly dedupeReadings?: number;
  /** How long after a backfill REPLAY the gap counts as filled (default 5000 ms). */
  readonly replaySettleMs?: number;
  readonly backoffBaseMs?: number;
  readonly backoffCapMs?: number;
  readonly random?: () => number;
}

/** Counters of a consumer. */
export interface ConsumerStats {
  state: ConsumerState;
  connections: number;
  delivered: number;
  /** Dispatches skipped because their seq was already delivered (REPLAY overlap). */
  duplicates: number;
  /** Dispatches skipped because a reading with the same (uid, t, ts) was already delivered under another seq (producer re-send). */
  duplicateReadings: number;
  replayed: number;
  ignoredFrames: number;
  replayRequests: number;
  /** Highest seq delivered so far (0: none). */
  highestSeq: number;
  lastClose: string;
}

/** A running consumer. */
export interface Consumer {
  readonly stats: Readonly<ConsumerStats>;
  /** Stop for good (closes with 1000). */
  stop(): void;
}

/** Start a consumer; it connects at once and keeps reconnecting until stopped or a fatal close. */
export function createConsumer(options: ConsumerOptions): Consumer {
  const log = options.log ?? (() => {});
  const random = options.random ?? Math.random;
  const settleMs = options.replaySettleMs ?? 5000;
  const isBackfillEnabled = options.isBackfillEnabled ?? true;
  const stats: ConsumerStats = {
    state: 'connecting',
    connections: 0,
    delivered: 0,
    duplicates: 0,
    duplicateReadings: 0,
    replayed: 0,
    ignoredFrames: 0,
    replayRequests: 0,
    highestSeq: 0,
    lastClose: '',
  };
  /** Every seq ≤ settled has been delivered (or is beyond retention); null before the first dispatch. */
  let settled: number | null = null;
  /** Delivered seqs above `settled` while a backfill is open. */
  const seen = new Set<number>();
  let isBackfillOpen = false;
  let backfillBefore = 0;
  let attempt = 0;
  let isStopped = false;
  let ws: WebSocket | null = null;
  const timers = new Set<NodeJS.Timeout>();
  let hasLoggedIgnore = false;
  const seenReadings = new ReadingKeys(options.dedupeReadings ?? 1_000_000);

  function setState(state: ConsumerState, detail = ''): void {
    stats.state = state;
    options.onState?.(state, detail);
  }

  function clearTimers(): void {
    for (const t of timers) clearTimeout(t);
    timers.clear();
  }

  function later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  }

  function stopWith(error: AppError): void {
    isStopped = true;
    clearTimers();
    setState('stopped', error.message);
    options.onFatal?.(error);
  }

  function scheduleReconnect(): void {
    if (isStopped) return;
    const delay = backoffDelayMs(attempt, random(), options.backoffBaseMs, options.backoffCapMs);
    attempt++;
    setState('backoff', `reconnecting in ${Math.round(delay)} ms`);
    later(delay, () => void connect());
  }

  function deliver(frame: DispatchFrame, isReplay: boolean): void {
    const seq = frame.seq;
    const isDuplicate = (settled !== null && seq <= settled) || seen.has(seq);
    if (isDuplicate) {
      stats.duplicates++;
      return;
    }
    if (isBackfillOpen || seq < stats.highestSeq) seen.add(seq);
    else settled = seq;
    if (seq > stats.highestSeq) stats.highestSeq = seq;
    if (!seenReadings.add(frame)) {
      stats.duplicateReadings++;
      return;
    }
    stats.delivered++;
    if (isReplay) stats.replayed++;
    try {
      options.onDispatch(frame, { isReplay });
    } catch (err) {
      // A failing callback must not take the socket (or the host process) down with it.
      log(`onDispatch threw for seq ${seq}: ${(err as Error).message}`);
    }
  }

  function onDispatch(socket: WebSocket, frame: DispatchFrame): void {
    if (isBackfillOpen && backfillBefore === 0) {
      // First live frame after a reconnect: ask for the gap (settled, firstLive) (§7 recipe).
      backfillBefore = frame.seq;
      if (settled !== null && frame.seq > settled + 1) {
        stats.replayRequests++;
        socket.send(encodeFrame(replay(settled, frame.seq)));
        later(settleMs, () => {
          // The gap is filled: everything up to the highest delivered seq is done.
          isBackfillOpen = false;
          settled = Math.max(settled ?? 0, stats.highestSeq);
          seen.clear();
        });
      } else {
        isBackfillOpen = false;
        seen.clear();
      }
      deliver(frame, false);
      return;
    }
    deliver(frame, isBackfillOpen && frame.seq < backfillBefore);
  }

  async function connect(): Promise<void> {
    if (isStopped) return;
    clearTimers();
    setState('connecting', options.url);
    const token = await options.token();
    if (isStopped) return;
    if (!token.ok) {
      if (token.isFatal) stopWith(appError('BROKER_TOKEN_FAILED', token.message));
      else {
        log(token.message);
        scheduleReconnect();
      }
      return;
    }
    stats.connections++;
    const socket = new WebSocket(options.url, { perMessageDeflate: false });
    ws = socket;
    let isAwaitingAck = false;
    let isClosedByUs = false;

    const beat = (intervalMs: number): void => {
      if (socket.readyState !== WebSocket.OPEN) return;
      if (isAwaitingAck) {
        log('no HEARTBEAT_ACK before the next beat: closing and reconnecting');
        isClosedByUs = true;
        socket.close();
        return;
      }
      isAwaitingAck = true;
      socket.send(encodeFrame(heartbeat()));
      later(intervalMs, () => beat(intervalMs));
    };

    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) {
        stats.ignoredFrames++;
        return;
      }
      const decision = decideServerFrame(rawText(data), 'consumer');
      if (decision.kind === 'ignore') {
        stats.ignoredFrames++;
        if (!hasLoggedIgnore) {
          hasLoggedIgnore = true;
          log(`ignored a broker frame (${decision.error.code}: ${decision.error.message}); further ones are only counted`);
        }
        return;
      }
      const frame = decision.frame;
      if (frame.op === 2) {
        const intervalMs = frame.d.heartbeat_interval;
        later(intervalMs * heartbeatJitter(random()), () => beat(intervalMs));
        setState('identifying');
        socket.send(encodeFrame(identify(token.token, 1)));
      } else if (frame.op === 1) {
        isAwaitingAck = false;
      } else if (frame.op === 4) {
        attempt = 0;
        isBackfillOpen = isBackfillEnabled && settled !== null;
        backfillBefore = 0;
        setState('ready');
      } else if (frame.op === 5) {
        onDispatch(socket, frame);
      }
    });
    socket.on('error', (err) => log(`socket error: ${err.message}`));
    socket.on('close', (code, reasonBuf) => {
      if (ws === socket) ws = null;
      clearTimers();
      const reason = reasonBuf.toString();
      stats.lastClose = describeClose(code, reason);
      if (isStopped) return;
      if (isClosedByUs) {
        scheduleReconnect();
        return;
      }
      const policy = closePolicy(code, 'consumer');
      if (policy === 'stop') {
        const hint = code === 4002 ? ': too many consumers for this developer; close another consumer, then start this one again' : '';
        stopWith(appError(code === 4002 ? 'BROKER_SESSION_LIMIT' : 'BROKER_CLOSED', `broker closed the connection: ${stats.lastClose}${hint}`));
        return;
      }
      log(`connection closed: ${stats.lastClose}`);
      scheduleReconnect();
    });
  }

  void connect();

  return {
    stats,
    stop() {
      if (isStopped) return;
      isStopped = true;
      clearTimers();
      ws?.close(1000, 'consumer stopped');
      setState('stopped', 'stopped');
    },
  };
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/**
 * The (uid, t, ts) keys of the most recent readings, oldest forgotten first: a bounded memory for an
 * 8-hour stream (a re-sent reading comes back within one outbox backlog, far inside the bound).
 * The readings also sit in a ring in arrival order, so forgetting the oldest is one `delete` by key:
 * taking it from the Set's iterator instead walks every hole left by earlier deletes (V8 keeps
 * them until a rehash), which made each reading past the bound cost tens of microseconds.
 */
class ReadingKeys {
  /** uid → t → ts of the readings remembered (no key string built per reading). */
  private readonly byUser = new Map<string, Map<string, Set<string>>>();
  private readonly ringSets: (Set<string> | undefined)[] = [];
  private readonly ringTs: string[] = [];
  private at = 0;
  constructor(private readonly max: number) {}

  /** Remember the reading; false when it was already there. */
  add(frame: DispatchFrame): boolean {
    let byType = this.byUser.get(frame.uid);
    if (!byType) this.byUser.set(frame.uid, (byType = new Map()));
    let seen = byType.get(frame.t);
    if (!seen) byType.set(frame.t, (seen = new Set()));
    const ts = String(frame.d.ts);
    if (seen.has(ts)) return false;
    seen.add(ts);
    this.ringSets[this.at]?.delete(this.ringTs[this.at]!);
    this.ringSets[this.at] = seen;
    this.ringTs[this.at] = ts;
    this.at = this.at + 1 === this.max ? 0 : this.at + 1;
    return true;
  }
}
