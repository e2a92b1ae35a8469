/**
 * A Terra streaming consumer: the consumer role on top of the one client core
 * (src/shared/terra/client/terraClient.ts, docs/broker-protocol.md §5a), which owns the fresh token
 * per attempt, IDENTIFY type 1, heartbeats and their ACK deadline, the handshake timeout, the close
 * policy (4002 and the other client bugs stop; 4001 re-mints; the rest back off) and backoff. This
 * role adds what only a consumer does (§7): after a reconnect a REPLAY `(settled, firstLive)` with
 * de-duplication by `seq`, so `onDispatch` sees every retained dispatch exactly once. A producer
 * re-sends readings it could not prove delivered (docs/broker-protocol.md §13), and the broker gives
 * each copy a new seq, so readings are also de-duplicated on (uid, t, ts) and counted: `onDispatch`
 * sees every reading once. Replayed frames may arrive after newer live ones.
 */
import type { AppError } from '../shared/errors';
import {
  describeClose,
  encodeFrame,
  replay,
  TerraClient,
  type ClientClock,
  type ClientStateName,
  type DispatchFrame,
  type TimerHandle,
  type TokenSource,
} from '../shared/terra';
import type { ClientSocket, OpenSocket } from '../shared/terra';
import { systemClock, wsOpener } from '../client/wsSocket';

/** Connection state of a consumer (the client core's states). */
export type ConsumerState = ClientStateName;

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
  /** HELLO and READY must arrive within this after the socket opens, else reconnect (default 15000 ms). */
  readonly handshakeTimeoutMs?: number;
  readonly backoffBaseMs?: number;
  readonly backoffCapMs?: number;
  readonly random?: () => number;
  /** Time and timers (default: the system clock). */
  readonly clock?: ClientClock;
  /** The socket (default: a `ws` WebSocket); tests pass a scripted one. */
  readonly openSocket?: OpenSocket<ClientSocket>;
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
  const clock = options.clock ?? systemClock;
  const settleMs = options.replaySettleMs ?? 5000;
  const isBackfillEnabled = options.isBackfillEnabled ?? true;
  const counts = { delivered: 0, duplicates: 0, duplicateReadings: 0, replayed: 0, replayRequests: 0, highestSeq: 0 };
  /** Every seq ≤ settled has been delivered (or is beyond retention); null before the first dispatch. */
  let settled: number | null = null;
  /** Delivered seqs above `settled` while a backfill is open. */
  const seen = new Set<number>();
  let isBackfillOpen = false;
  let backfillBefore = 0;
  let settleTimer: TimerHandle | null = null;
  const seenReadings = new ReadingKeys(options.dedupeReadings ?? 1_000_000);

  function cancelSettle(): void {
    if (settleTimer !== null) clock.clearTimer(settleTimer);
    settleTimer = null;
  }

  function deliver(frame: DispatchFrame, isReplay: boolean): void {
    const seq = frame.seq;
    const isDuplicate = (settled !== null && seq <= settled) || seen.has(seq);
    if (isDuplicate) {
      counts.duplicates++;
      return;
    }
    if (isBackfillOpen || seq < counts.highestSeq) seen.add(seq);
    else settled = seq;
    if (seq > counts.highestSeq) counts.highestSeq = seq;
    if (!seenReadings.add(frame)) {
      counts.duplicateReadings++;
      return;
    }
    counts.delivered++;
    if (isReplay) counts.replayed++;
    try {
      options.onDispatch(frame, { isReplay });
    } catch (err) {
      // A failing callback must not take the socket (or the host process) down with it.
      log(`onDispatch threw for seq ${seq}: ${(err as Error).message}`);
    }
  }

  function onDispatch(socket: ClientSocket, frame: DispatchFrame): void {
    if (isBackfillOpen && backfillBefore === 0) {
      // First live frame after a reconnect: ask for the gap (settled, firstLive) (§7 recipe).
      backfillBefore = frame.seq;
      if (settled !== null && frame.seq > settled + 1) {
        counts.replayRequests++;
        socket.send(encodeFrame(replay(settled, frame.seq)));
        cancelSettle();
        settleTimer = clock.setTimer(settleMs, () => {
          settleTimer = null;
          // The gap is filled: everything up to the highest delivered seq is done.
          isBackfillOpen = false;
          settled = Math.max(settled ?? 0, counts.highestSeq);
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

  const openSocket: OpenSocket<ClientSocket> = options.openSocket ?? wsOpener({ perMessageDeflate: false });
  const client = new TerraClient<ClientSocket>({
    url: options.url,
    token: options.token,
    openSocket,
    clock,
    random: options.random ?? Math.random,
    ...(options.handshakeTimeoutMs !== undefined ? { handshakeTimeoutMs: options.handshakeTimeoutMs } : {}),
    ...(options.backoffBaseMs !== undefined ? { backoffBaseMs: options.backoffBaseMs } : {}),
    ...(options.backoffCapMs !== undefined ? { backoffCapMs: options.backoffCapMs } : {}),
    onState: (state, detail) => options.onState?.(state, detail),
    onFatal: (error) => options.onFatal?.(error),
    log,
    role: {
      name: 'consumer',
      onReady: () => {
        isBackfillOpen = isBackfillEnabled && settled !== null;
        backfillBefore = 0;
      },
      onDispatch: (frame, socket) => onDispatch(socket, frame),
      onSocketClosed: cancelSettle,
    },
  });
  client.start();

  return {
    get stats(): ConsumerStats {
      const s = client.snapshot();
      const close = s.lastClose;
      return {
        state: s.state,
        connections: s.connections,
        ignoredFrames: s.ignoredFrames,
        lastClose: close ? describeClose(close.code, close.reason) : '',
        ...counts,
      };
    },
    stop() {
      cancelSettle();
      if (client.state !== 'stopped') client.stop('consumer stopped');
    },
  };
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
