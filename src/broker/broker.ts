/**
 * The local Terra-compatible broker (docs/broker-protocol.md): `/connect` WebSocket sessions,
 * token endpoints, SUBMIT → DISPATCH fan-out with a per-developer monotonic `seq`, REPLAY from a
 * (optionally persisted) store, consumer cap, STATUS presence with a 60 s TTL. Plain Node + `ws`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { fail, ok, type Result } from '../shared/errors';
import { MAX_FRAME_BYTES, type Payload, type StatusFrame } from '../shared/terra';
import { parseBrokerConfig, type BrokerConfig, type BrokerConfigInput } from './config';
import { DispatchLog } from './dispatchLog';
import { handleHttp } from './http';
import { Session, type SessionCounter, type SessionHost } from './session';
import { TokenStore } from './tokens';

/** How long a STATUS stays visible on the admin API (§9). */
export const STATUS_TTL_MS = 60_000;
/** Replayed frames sent per event-loop turn, so live frames interleave with a long replay. */
const REPLAY_CHUNK = 1000;

/** Last STATUS of a user as the admin API reports it. */
export interface UserStatus {
  readonly connected: boolean;
  readonly device_id?: string;
  readonly source?: string;
  readonly reason?: string;
  readonly receivedAtMs: number;
}

/** Broker counters. */
export interface BrokerStats {
  readonly sessions: { readonly unidentified: number; readonly producer: number; readonly consumer: number };
  readonly counters: Readonly<Record<SessionCounter | 'dispatches' | 'replayed' | 'slowConsumers' | 'refusedUnidentified', number>>;
  /** Broker-initiated closes by code. */
  readonly closes: Readonly<Record<string, number>>;
  readonly tokensMinted: number;
  readonly liveTokens: number;
  /** Last seq and retained dispatches per developer. */
  readonly streams: Readonly<Record<string, { readonly lastSeq: number; readonly retained: number; readonly retainedBytes: number; readonly unstored: number }>>;
}

/** Admin/test surface of a running broker. */
export interface BrokerAdmin {
  /** Last STATUS of a developer's user (default: the developer the user belongs to), or null when none in the last 60 s. */
  status(userId: string, devId?: string): UserStatus | null;
  stats(): BrokerStats;
  /** Mint a producer token without HTTP (the app's embedded use). */
  mintUserToken(userId: string): Result<string>;
  /** Mint a consumer token without HTTP (the in-app monitor). */
  mintDeveloperToken(devId: string): Result<string>;
  /** Dispatch a `synthetic:true` sample as if from `userId` (dashboard test traffic). */
  injectSynthetic(userId: string, t: string, d: Payload): Result<number>;
}

/** A running broker. */
export interface Broker {
  /** WebSocket URL, `ws://host:port/connect` (`wss://` with TLS). */
  readonly url: string;
  /** HTTP base URL for the token endpoints, `http://host:port`. */
  readonly httpUrl: string;
  readonly port: number;
  readonly config: BrokerConfig;
  readonly admin: BrokerAdmin;
  /** Graceful stop: every session closed with 1000, store flushed. */
  close(): Promise<void>;
  /** Hard stop, like a killed process: sockets dropped without close frames, nothing more written. */
  kill(): Promise<void>;
}

/** Start a broker; fails with BROKER_BAD_CONFIG on a bad configuration. `nowMs` is the clock token lifetimes are judged by (tests drive it by hand). */
export async function createBroker(
  input: BrokerConfigInput,
  log: (line: string) => void = () => {},
  nowMs: () => number = Date.now,
): Promise<Result<Broker>> {
  const parsed = parseBrokerConfig(input);
  if (!parsed.ok) return parsed;
  const config = parsed.value;
  const tokens = new TokenStore(config, nowMs);
  const logs = new Map<string, DispatchLog>();
  const consumers = new Map<string, Set<Session>>();
  const sessions = new Set<Session>();
  /** Keyed by developer and user: two developers may both have a user `bob`. */
  const statuses = new Map<string, UserStatus>();
  const statusKey = (devId: string, userId: string): string => `${devId}\u0000${userId}`;
  const counters = { earlySubmit: 0, statusNotProducer: 0, badStatus: 0, heartbeats: 0, submits: 0, oversizeFrames: 0, dispatches: 0, replayed: 0, slowConsumers: 0, refusedUnidentified: 0 };
  const closes: Record<string, number> = {};
  const devOfUser = new Map<string, string>();
  for (const dev of config.developers) for (const u of dev.users) if (!devOfUser.has(u)) devOfUser.set(u, dev.devId);
  const openDevId = config.developers.find((d) => d.acceptAnyUser)?.devId;
  const devOf = (userId: string): string | undefined => devOfUser.get(userId) ?? openDevId;

  function logOf(devId: string): DispatchLog {
    let l = logs.get(devId);
    if (!l) {
      l = new DispatchLog(devId, { ...config.replay, seqMode: config.seqMode, dataDir: config.dataDir, random: Math.random, nowMs: Date.now, onProblem: (m) => log(m) });
      logs.set(devId, l);
    }
    return l;
  }
  // Open every configured stream now so a restarted broker's seq and replay store are loaded up front.
  for (const dev of config.developers) logOf(dev.devId);

  function fanOut(devId: string, text: string): void {
    const set = consumers.get(devId);
    if (!set) return;
    for (const c of set) {
      if (c.ws.bufferedAmount > config.maxConsumerBufferBytes) {
        counters.slowConsumers++;
        log(`consumer of ${devId} buffers over ${config.maxConsumerBufferBytes} bytes: closing 1011`);
        c.close(1011, 'consumer too slow');
      } else {
        c.send(text);
      }
    }
  }

  function dispatchFrom(devId: string, uid: string, t: string, d: Payload, synthetic: boolean): number {
    const { seq, text } = logOf(devId).append(uid, t, d, synthetic);
    counters.dispatches++;
    fanOut(devId, text);
    return seq;
  }

  const host: SessionHost = {
    beforeWire() {
      for (const l of logs.values()) l.flush();
    },
    config,
    tokens,
    hasConsumerRoom(devId) {
      const cap = config.developers.find((d) => d.devId === devId)?.consumerCap ?? config.consumerCap;
      return (consumers.get(devId)?.size ?? 0) < cap;
    },
    onReady(session) {
      if (session.state !== 'consumer' || !session.grant) return;
      let set = consumers.get(session.grant.devId);
      if (!set) consumers.set(session.grant.devId, (set = new Set()));
      set.add(session);
    },
    onSubmit(session, frame) {
      const grant = session.grant;
      if (!grant || grant.kind === 'developer') return;
      try {
        dispatchFrom(grant.devId, grant.userId, frame.t, frame.d, false);
      } catch (err) {
        log(`SUBMIT could not be stored: ${(err as Error).message}; closing 1011`);
        session.close(1011);
      }
    },
    onReplay(session, _frame, after, before) {
      if (!session.grant) return;
      const texts = logOf(session.grant.devId).range(after, before);
      counters.replayed += texts.length;
      let i = 0;
      const sendChunk = (): void => {
        const end = Math.min(i + REPLAY_CHUNK, texts.length);
        for (; i < end && !session.isClosed; i++) {
          // the slow-consumer limit applies to replayed frames exactly as to live ones
          if (session.ws.bufferedAmount > config.maxConsumerBufferBytes) {
            counters.slowConsumers++;
            log(`consumer of ${session.grant?.devId} buffers over ${config.maxConsumerBufferBytes} bytes during REPLAY: closing 1011`);
            session.close(1011, 'consumer too slow');
            return;
          }
          session.send(texts[i]!);
        }
        if (i < texts.length && !session.isClosed) setImmediate(sendChunk);
      };
      sendChunk();
    },
    onStatus(session, frame: StatusFrame) {
      const grant = session.grant;
      if (!grant || grant.kind === 'developer') return;
      statuses.set(statusKey(grant.devId, grant.userId), { ...frame.d, receivedAtMs: Date.now() });
    },
    onEnd(session, code) {
      sessions.delete(session);
      if (session.grant) consumers.get(session.grant.devId)?.delete(session);
      if (code !== null) closes[code] = (closes[code] ?? 0) + 1;
    },
    count(counter) {
      counters[counter]++;
    },
    log,
  };

  const admin: BrokerAdmin = {
    status(userId, devId) {
      const dev = devId ?? devOf(userId);
      const s = dev === undefined ? undefined : statuses.get(statusKey(dev, userId));
      if (!s || Date.now() - s.receivedAtMs > STATUS_TTL_MS) return null;
      return s;
    },
    stats() {
      const bySate = { unidentified: 0, producer: 0, consumer: 0 };
      for (const s of sessions) bySate[s.state]++;
      const streams: Record<string, { lastSeq: number; retained: number; retainedBytes: number; unstored: number }> = {};
      for (const [devId, l] of logs) streams[devId] = { lastSeq: l.lastSeq, retained: l.size, retainedBytes: l.sizeBytes, unstored: l.unstored };
      return { sessions: bySate, counters: { ...counters }, closes: { ...closes }, tokensMinted: tokens.mintedCount, liveTokens: tokens.liveCount(), streams };
    },
    mintUserToken(userId) {
      const devId = devOf(userId);
      if (!devId) return fail('BROKER_TOKEN_FAILED', `user ${userId} is not configured on this broker`);
      return ok(tokens.mint({ kind: 'user', devId, userId }));
    },
    mintDeveloperToken(devId) {
      if (!config.developers.some((d) => d.devId === devId)) return fail('BROKER_TOKEN_FAILED', `developer ${devId} is not configured`);
      return ok(tokens.mint({ kind: 'developer', devId }));
    },
    injectSynthetic(userId, t, d) {
      const devId = devOf(userId);
      if (!devId) return fail('BROKER_TOKEN_FAILED', `user ${userId} is not configured on this broker`);
      return ok(dispatchFrom(devId, userId, t, d, true));
    },
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, skipUTF8Validation: true, perMessageDeflate: false });
  wss.on('connection', (ws) => sessions.add(new Session(ws, host)));
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    handleHttp(
      {
        config,
        mintUserToken: (devId, userId) => tokens.mint({ kind: 'user', devId, userId }),
        mintDeveloperToken: (devId) => tokens.mint({ kind: 'developer', devId }),
        statusOf: (devId, userId) => admin.status(userId, devId),
        stats: () => admin.stats(),
        injectSynthetic: (devId, userId, t, d) => dispatchFrom(devId, userId, t, d, true),
      },
      req,
      res,
    ).catch((err: Error) => log(`http handler failed: ${err.message}`));
  };
  const server: Server = config.tls ? createTlsServer({ cert: config.tls.cert, key: config.tls.key }, onRequest) : createServer(onRequest);
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://broker.local').pathname;
    if (path !== '/connect') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    let unidentified = 0;
    for (const s of sessions) if (s.state === 'unidentified') unidentified++;
    if (unidentified >= config.maxUnidentifiedSessions) {
      counters.refusedUnidentified++;
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 5\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const listened = await new Promise<Result<number>>((resolve) => {
    server.once('error', (err) => resolve(fail('BROKER_BAD_CONFIG', `broker cannot listen on ${config.host}:${config.port}: ${err.message}`)));
    server.listen(config.port, config.host, () => resolve(ok((server.address() as AddressInfo).port)));
  });
  if (!listened.ok) {
    tokens.dispose();
    for (const l of logs.values()) l.close();
    return listened;
  }
  const port = listened.value;
  const urlHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;

  let isStopped = false;
  async function stop(hard: boolean): Promise<void> {
    if (isStopped) return;
    isStopped = true;
    tokens.dispose();
    for (const s of [...sessions]) {
      if (hard) s.terminate();
      else s.close(1000, 'broker shutting down');
    }
    for (const l of logs.values()) {
      if (hard) l.abandon();
      else l.close();
    }
    if (hard) server.closeAllConnections();
    await new Promise<void>((resolve) => {
      wss.close();
      server.close(() => resolve());
      // Peers that do not answer the close handshake are dropped after a second.
      if (!hard) {
        setTimeout(() => {
          for (const ws of wss.clients) ws.terminate();
          server.closeAllConnections();
        }, 1000).unref();
      }
    });
  }

  return ok({
    url: `${config.tls ? 'wss' : 'ws'}://${urlHost}:${port}/connect`,
    httpUrl: `${config.tls ? 'https' : 'http'}://${urlHost}:${port}`,
    port,
    config,
    admin,
    close: () => stop(false),
    kill: () => stop(true),
  });
}
