/**
 * The one Terra client core (src/shared/terra/client/terraClient.ts, docs/broker-protocol.md §5a)
 * on a fake clock against the in-memory fake broker: handshake and its timeout for both roles,
 * heartbeats and a lost ACK, every close code's policy, backoff bounds, and the token rules.
 */
import { describe, expect, it } from 'vitest';
import type { AppError } from '../../../../src/shared/errors';
import {
  backoffDelayMs,
  decideAfterClose,
  parseRtExpiry,
  TerraClient,
  type ClientRoleName,
  type ClientSocket,
  type TokenOutcome,
  type TokenSource,
} from '../../../../src/shared/terra';
import { flushMicrotasks, goodScript, startMemoryBroker, type FakeScript } from '../../../support/fakeBroker';
import { FakeClock } from '../../../support/fakeClock';

const INTERVAL_MS = 1000;
const BASE_MS = 1000;
const CAP_MS = 30_000;

interface Setup {
  role?: ClientRoleName;
  script?: (index: number) => FakeScript;
  token?: TokenSource;
  random?: number;
  handshakeTimeoutMs?: number;
  /** Called on every state change with the client (a listener may stop it, as the connection test does). */
  onState?: (client: TerraClient<ClientSocket>, state: string) => void;
}

function setup(options: Setup = {}) {
  const role = options.role ?? 'producer';
  const clock = new FakeClock(1_700_000_000_000, flushMicrotasks);
  const broker = startMemoryBroker(options.script ?? (() => goodScript(INTERVAL_MS)));
  const openedAtMs: number[] = [];
  const minted: string[] = [];
  const token: TokenSource =
    options.token ??
    (async () => {
      const t = `tok-${minted.length + 1}`;
      minted.push(t);
      return { ok: true, token: t };
    });
  const fatal: AppError[] = [];
  const events: string[] = [];
  const logs: string[] = [];
  const client = new TerraClient<ClientSocket>({
    url: 'ws://127.0.0.1:1/connect',
    token,
    openSocket: (url, ev) => {
      openedAtMs.push(clock.nowMs());
      return broker.openSocket(url, ev);
    },
    clock,
    random: () => options.random ?? 0.5,
    backoffBaseMs: BASE_MS,
    backoffCapMs: CAP_MS,
    ...(options.handshakeTimeoutMs !== undefined ? { handshakeTimeoutMs: options.handshakeTimeoutMs } : {}),
    onFatal: (e) => fatal.push(e),
    log: (line) => logs.push(line),
    onState: (state) => options.onState?.(client, state),
    role: {
      name: role,
      onReady: () => events.push('ready'),
      onHeartbeatSent: () => events.push('beat'),
      onHeartbeatAck: () => events.push('ack'),
      onDispatch: (f) => events.push(`dispatch ${f.seq}`),
      onSocketClosed: () => events.push('closed'),
    },
  });
  const ops = (i: number): number[] => (broker.conns[i]?.frames ?? []).map((f) => f.op as number);
  return { client, clock, broker, minted, fatal, events, logs, openedAtMs, ops };
}

/** A broker that closes with `code` (1006: drops without a close frame) when it receives IDENTIFY on connection 0, then behaves. */
function closesOnIdentify(code: number): (index: number) => FakeScript {
  return (i) =>
    i === 0
      ? goodScript(INTERVAL_MS, {
          onFrame: (c, f) => {
            if (f.op !== 3) return;
            if (code === 1006) c.ws.terminate();
            else c.ws.close(code, 'scripted');
          },
        })
      : goodScript(INTERVAL_MS);
}

describe('Terra client core: handshake', () => {
  for (const role of ['producer', 'consumer'] as const) {
    it(`${role}: token first, then HELLO → one IDENTIFY of type ${role === 'producer' ? 0 : 1} → READY, nothing else before READY`, async () => {
      const { client, clock, broker, minted, events, ops } = setup({ role });
      client.start();
      await clock.advance(0);
      expect(minted).toEqual(['tok-1']);
      expect(client.state).toBe('ready');
      expect(broker.conns[0]!.frames[0]).toEqual({ op: 3, d: { token: 'tok-1', type: role === 'producer' ? 0 : 1 } });
      expect(ops(0)).toEqual([3]);
      expect(events).toEqual(['ready']);
      expect(client.snapshot()).toMatchObject({ connections: 1, error: null, ignoredFrames: 0 });
    });

    for (const stall of ['HELLO', 'READY'] as const) {
      it(`${role}: a broker that never sends ${stall} is dropped at the handshake timeout and retried with a fresh token`, async () => {
        // Regression (issue 13): the consumer had no handshake timeout, so a broker that accepted the
        // socket and then said nothing held it forever.
        const script = (i: number): FakeScript =>
          i > 0
            ? goodScript(INTERVAL_MS)
            : stall === 'HELLO'
              ? {}
              : { onOpen: (c) => c.ws.send(JSON.stringify({ op: 2, d: { heartbeat_interval: INTERVAL_MS } })), onFrame: (c, f) => f.op === 0 && c.ws.send('{"op":1}') };
        const { client, clock, broker, minted, fatal } = setup({ role, script, handshakeTimeoutMs: 15_000 });
        client.start();
        await clock.advance(14_999);
        expect(client.state).toBe(stall === 'HELLO' ? 'connecting' : 'identifying');
        expect(broker.conns).toHaveLength(1);
        await clock.advance(1);
        expect(broker.conns[0]!.closed).toBe(true);
        expect(client.state).toBe('backoff');
        expect(client.snapshot().error).toMatchObject({ code: 'BROKER_HANDSHAKE_TIMEOUT' });
        expect(client.snapshot().lastClose).toMatchObject({ code: 1006, reason: 'handshake timeout' });
        await clock.advance(BASE_MS);
        expect(client.state).toBe('ready');
        expect(minted).toEqual(['tok-1', 'tok-2']);
        expect(broker.conns[1]!.frames.find((f) => f.op === 3)).toEqual({ op: 3, d: { token: 'tok-2', type: role === 'producer' ? 0 : 1 } });
        expect(fatal).toEqual([]);
      });
    }
  }
});

describe('Terra client core: heartbeats', () => {
  it('first HEARTBEAT at interval × jitter (0.1 + 0.9 × random), then one per interval, each ACK reported', async () => {
    const { client, clock, events, ops } = setup({ random: 0.5 });
    client.start();
    await clock.advance(549); // 0.55 × 1000 ms
    expect(ops(0).filter((op) => op === 0)).toHaveLength(0);
    await clock.advance(1);
    expect(ops(0).filter((op) => op === 0)).toHaveLength(1);
    await clock.advance(INTERVAL_MS * 3);
    expect(ops(0).filter((op) => op === 0)).toHaveLength(4);
    expect(events.filter((e) => e === 'ack')).toHaveLength(4);
    expect(client.state).toBe('ready');
  });

  for (const role of ['producer', 'consumer'] as const) {
    it(`${role}: a HEARTBEAT still unanswered when the next is due drops the connection and reconnects with a fresh token`, async () => {
      const script = (i: number): FakeScript => (i === 0 ? goodScript(INTERVAL_MS, { onFrame: (c, f) => f.op === 3 && c.ws.send('{"op":4}') }) : goodScript(INTERVAL_MS));
      const { client, clock, broker, minted } = setup({ role, script, random: 0 });
      client.start();
      await clock.advance(100); // first beat at 0.1 × interval
      expect(broker.conns[0]!.closed).toBe(false);
      await clock.advance(INTERVAL_MS - 1);
      expect(broker.conns[0]!.closed).toBe(false);
      await clock.advance(1); // the second beat is due, the first has no ACK
      expect(broker.conns[0]!.closed).toBe(true);
      expect(client.snapshot().error).toMatchObject({ code: 'BROKER_HEARTBEAT_LOST' });
      expect(client.snapshot().lastClose).toMatchObject({ reason: 'no heartbeat ack' });
      await clock.advance(BASE_MS);
      expect(client.state).toBe('ready');
      expect(minted).toEqual(['tok-1', 'tok-2']);
    });
  }
});

/** What each close code does (docs/broker-protocol.md §5a table); written out, so a change to the table is a visible change here. */
const CLOSE_EXPECTATIONS: ReadonlyArray<{ code: number; kind: 'retry' | 'stop'; error: string; isImmediate?: boolean }> = [
  { code: 1000, kind: 'retry', error: 'BROKER_CLOSED' },
  { code: 1001, kind: 'retry', error: 'BROKER_CLOSED' },
  { code: 1003, kind: 'stop', error: 'BROKER_REFUSED' },
  { code: 1006, kind: 'retry', error: 'BROKER_CLOSED' },
  { code: 1009, kind: 'stop', error: 'BROKER_REFUSED' },
  { code: 1011, kind: 'retry', error: 'BROKER_CLOSED' },
  { code: 4000, kind: 'stop', error: 'BROKER_REFUSED' },
  { code: 4001, kind: 'retry', error: 'BROKER_TOKEN_FAILED', isImmediate: true },
  { code: 4002, kind: 'stop', error: 'BROKER_SESSION_LIMIT' },
  { code: 4003, kind: 'stop', error: 'BROKER_REFUSED' },
  { code: 4004, kind: 'stop', error: 'BROKER_REFUSED' },
  { code: 4005, kind: 'retry', error: 'BROKER_CLOSED' },
  { code: 4999, kind: 'retry', error: 'BROKER_CLOSED' },
];

describe('Terra client core: close-code policy', () => {
  for (const role of ['producer', 'consumer'] as const) {
    for (const row of CLOSE_EXPECTATIONS) {
      it(`${role}: close ${row.code} → ${row.kind}${row.isImmediate ? ' at once' : ''} (${row.error})`, async () => {
        const { client, clock, broker, minted, fatal, logs, openedAtMs } = setup({ role, script: closesOnIdentify(row.code) });
        client.start();
        await clock.advance(0);
        expect(broker.conns[0]!.closed).toBe(true);
        expect(client.snapshot().lastClose?.code).toBe(row.code);
        // the code goes to the log, in front of the sentence
        expect(logs.some((l) => l.startsWith(`[${row.error}] `))).toBe(true);
        if (row.kind === 'stop') {
          expect(client.state).toBe('stopped');
          expect(client.snapshot().error?.code).toBe(row.error);
          expect(fatal.map((e) => e.code)).toEqual([row.error]);
          // a sentence for the person, with the close for reference; the code stays in the error's code
          expect(fatal[0]!.message).toMatch(new RegExp(`^the broker closed the connection \\(${row.code} .*\\) and it is not retried: `));
          expect(clock.pendingDelaysMs()).toEqual([]);
          await clock.advance(CAP_MS * 10);
          expect(broker.conns).toHaveLength(1);
          expect(minted).toEqual(['tok-1']);
          return;
        }
        if (!row.isImmediate) {
          expect(client.state).toBe('backoff');
          expect(client.snapshot().error?.code).toBe(row.error);
          // attempt 0, random 0.5: 1000 × 0.75
          expect(clock.pendingDelaysMs()).toEqual([750]);
          await clock.advance(749);
          expect(broker.conns).toHaveLength(1);
          await clock.advance(1);
        }
        expect(client.state).toBe('ready');
        expect(minted).toEqual(['tok-1', 'tok-2']);
        expect(openedAtMs[1]! - openedAtMs[0]!).toBe(row.isImmediate ? 0 : 750);
        expect(fatal).toEqual([]);
        expect(client.snapshot().error).toBeNull();
      });
    }
  }

  it('4002 tells the person to close another consumer', async () => {
    const { client, clock, fatal } = setup({ role: 'consumer', script: closesOnIdentify(4002) });
    client.start();
    await clock.advance(0);
    expect(fatal[0]!.message).toMatch(/close another consumer/);
  });

  it('a second 4001 in a row backs off instead of hammering the token backend', async () => {
    const script = (i: number): FakeScript => (i < 2 ? goodScript(INTERVAL_MS, { onFrame: (c, f) => f.op === 3 && c.ws.close(4001, 'invalid token') }) : goodScript(INTERVAL_MS));
    const { client, clock, openedAtMs, minted } = setup({ script });
    client.start();
    await clock.advance(0);
    expect(openedAtMs).toHaveLength(2); // first 4001: at once
    expect(client.state).toBe('backoff');
    expect(clock.pendingDelaysMs()).toEqual([1500]); // attempt 1: 2000 × 0.75
    await clock.advance(1500);
    expect(client.state).toBe('ready');
    expect(minted).toEqual(['tok-1', 'tok-2', 'tok-3']);
  });
});

describe('Terra client core: backoff', () => {
  it('min(base × 2^attempt, cap) × [0.5, 1): bounds for every attempt, capped', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const full = Math.min(BASE_MS * 2 ** attempt, CAP_MS);
      for (const random of [0, 0.25, 0.999999]) {
        const d = decideAfterClose({ role: 'producer', code: 1011, reason: '', cause: null, socketError: null, token: null, hasRetriedReusable: false, attempt, nowMs: 0, random, backoffBaseMs: BASE_MS, backoffCapMs: CAP_MS });
        expect(d.kind).toBe('retry');
        if (d.kind !== 'retry') continue;
        expect(d.delayMs).toBe(backoffDelayMs(attempt, random, BASE_MS, CAP_MS));
        expect(d.delayMs).toBeGreaterThanOrEqual(full * 0.5);
        expect(d.delayMs).toBeLessThan(full);
        expect(d.delayMs).toBeLessThanOrEqual(CAP_MS);
      }
    }
  });

  it('grows on consecutive failures and starts again from the base after READY', async () => {
    // connections 0–4 are closed with 1011 at IDENTIFY, 5 reaches READY and is then closed, 6 stays
    const fails = (c: Parameters<NonNullable<FakeScript['onFrame']>>[0], f: Record<string, unknown>): void => {
      if (f.op === 3) c.ws.close(1011, 'internal');
    };
    const script = (i: number): FakeScript =>
      i < 5
        ? goodScript(INTERVAL_MS, { onFrame: fails })
        : i === 5
          ? goodScript(INTERVAL_MS, { onFrame: (c, f) => { if (f.op === 3) { c.ws.send('{"op":4}'); c.ws.close(1011, 'internal'); } } })
          : goodScript(INTERVAL_MS);
    const { client, clock, openedAtMs } = setup({ script, random: 0 });
    client.start();
    await clock.advance(CAP_MS * 4);
    const gaps = openedAtMs.slice(1).map((t, i) => t - openedAtMs[i]!);
    expect(gaps).toEqual([500, 1000, 2000, 4000, 8000, 500]);
    expect(client.state).toBe('ready');
  });
});

describe('Terra client core: tokens', () => {
  it('a fatal token failure (bad credentials) stops before any socket, once', async () => {
    let calls = 0;
    const { client, clock, broker, fatal } = setup({ token: async () => (calls++, { ok: false, message: 'token endpoint answered 403 (wrong dev-id/API key)', isFatal: true }) });
    client.start();
    await clock.advance(CAP_MS * 10);
    expect(calls).toBe(1);
    expect(broker.conns).toHaveLength(0);
    expect(client.state).toBe('stopped');
    expect(fatal).toEqual([{ code: 'BROKER_TOKEN_FAILED', message: 'token endpoint answered 403 (wrong dev-id/API key)' }]);
  });

  it('a token backend that fails or throws is asked again after a backoff', async () => {
    let calls = 0;
    const token: TokenSource = async () => {
      calls++;
      if (calls === 1) return { ok: false, message: 'token endpoint answered 503', isFatal: false };
      if (calls === 2) throw new Error('socket hang up');
      return { ok: true, token: `tok-${calls}` };
    };
    const { client, clock, broker } = setup({ token, random: 0 });
    client.start();
    await clock.advance(0);
    expect(client.state).toBe('backoff');
    expect(client.snapshot().error).toMatchObject({ code: 'BROKER_TOKEN_FAILED', message: 'token endpoint answered 503' });
    await clock.advance(500);
    expect(client.snapshot().error?.message).toMatch(/socket hang up/);
    await clock.advance(1000);
    expect(client.state).toBe('ready');
    expect(broker.conns[0]!.frames[0]).toEqual({ op: 3, d: { token: 'tok-3', type: 0 } });
  });

  const rt = (expiresAtMs?: number): TokenSource => async (): Promise<TokenOutcome> => ({ ok: true, token: 'rt.athlete', isReusable: true, ...(expiresAtMs !== undefined ? { expiresAtMs } : {}) });

  it('an rt. token refused with 4001 is presented once more, then the client stops asking for a new QR code', async () => {
    const script = (): FakeScript => goodScript(INTERVAL_MS, { onFrame: (c, f) => f.op === 3 && c.ws.close(4001, 'invalid token') });
    const { client, clock, broker, fatal } = setup({ token: rt(), script });
    client.start();
    await clock.advance(CAP_MS * 10);
    expect(broker.conns.map((c) => c.frames[0])).toEqual([
      { op: 3, d: { token: 'rt.athlete', type: 0 } },
      { op: 3, d: { token: 'rt.athlete', type: 0 } },
    ]);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatchObject({ code: 'BROKER_TOKEN_FAILED' });
    expect(fatal[0]!.message).toMatch(/scan a new QR code/);
  });

  it('an rt. token past its expiry is never presented', async () => {
    const { client, clock, broker, fatal } = setup({ token: rt(1_700_000_000_000 - 1) });
    client.start();
    await clock.advance(0);
    expect(broker.conns).toHaveLength(0);
    expect(fatal.map((e) => e.code)).toEqual(['BROKER_TOKEN_EXPIRED']);
    expect(fatal[0]!.message).toMatch(/expired on 2023-11-14T22:13:19\.999Z; scan a new QR code/);
  });

  it('an rt. token refused just before its expiry is retried once; by the retry it has expired, so it is not presented', async () => {
    const expiresAtMs = 1_700_000_000_000 + 60_000;
    const script = (i: number): FakeScript => (i === 0 ? goodScript(INTERVAL_MS) : goodScript(INTERVAL_MS, { onFrame: (c, f) => f.op === 3 && c.ws.close(4001, 'invalid token') }));
    const { client, clock, broker, fatal } = setup({ token: rt(expiresAtMs), script });
    client.start();
    await clock.advance(0);
    expect(client.state).toBe('ready');
    await clock.advance(59_000);
    broker.conns[0]!.ws.close(1001, 'going away'); // the broker restarts at 59 s
    await clock.advance(750); // reconnect at 59.75 s with the same token: refused with 4001, not expired yet
    expect(broker.conns).toHaveLength(2);
    expect(client.state).toBe('backoff');
    expect(clock.pendingDelaysMs()).toEqual([1500]);
    await clock.advance(1500); // 61.25 s: past the expiry
    expect(broker.conns).toHaveLength(2);
    expect(fatal.map((e) => e.code)).toEqual(['BROKER_TOKEN_EXPIRED']);
    expect(client.state).toBe('stopped');
  });

  it('expiry reached between two attempts: the 4001 after it stops with BROKER_TOKEN_EXPIRED and no further socket', async () => {
    const expiresAtMs = 1_700_000_000_000 + 500;
    const script = (): FakeScript => goodScript(INTERVAL_MS, { onOpen: () => undefined, onFrame: () => undefined });
    const { client, clock, broker, fatal } = setup({ token: rt(expiresAtMs), script, handshakeTimeoutMs: 10_000 });
    client.start();
    await clock.advance(1000); // the token expires while the broker is silent
    broker.conns[0]!.ws.close(4001, 'invalid token');
    await clock.advance(0);
    expect(fatal.map((e) => e.code)).toEqual(['BROKER_TOKEN_EXPIRED']);
    expect(fatal[0]!.message).toMatch(/has expired; scan a new QR code/);
    expect(broker.conns).toHaveLength(1);
  });

  it('parses an rt. expiry in one place: epoch ms or ISO date, absent = none, anything else an error', () => {
    expect(parseRtExpiry(undefined)).toEqual({ ok: true, value: null });
    expect(parseRtExpiry(1_767_225_600_000)).toEqual({ ok: true, value: 1_767_225_600_000 });
    expect(parseRtExpiry('2026-01-01T00:00:00Z')).toEqual({ ok: true, value: 1_767_225_600_000 });
    expect(parseRtExpiry('2026-01-01T01:00:00+01:00')).toEqual({ ok: true, value: 1_767_225_600_000 });
    expect(parseRtExpiry('next tuesday')).toMatchObject({ ok: false, code: 'BROKER_BAD_CONFIG' });
    expect(parseRtExpiry(Number.NaN)).toMatchObject({ ok: false, code: 'BROKER_BAD_CONFIG' });
    expect(parseRtExpiry(-5)).toMatchObject({ ok: false, code: 'BROKER_BAD_CONFIG' });
  });
});

describe('Terra client core: frames and stop', () => {
  it('a socket that cannot even be opened (unparseable URL) stops with BROKER_BAD_CONFIG instead of throwing', async () => {
    const clock = new FakeClock(0, flushMicrotasks);
    const fatal: AppError[] = [];
    const client = new TerraClient<ClientSocket>({
      url: 'ws://[not-a-host/connect',
      token: async () => ({ ok: true, token: 't' }),
      openSocket: (url) => {
        throw new SyntaxError(`Invalid URL: ${url}`);
      },
      clock,
      random: () => 0.5,
      onFatal: (e) => fatal.push(e),
      role: { name: 'consumer', onReady: () => undefined },
    });
    client.start();
    await clock.advance(CAP_MS);
    expect(fatal.map((e) => e.code)).toEqual(['BROKER_BAD_CONFIG']);
    expect(client.state).toBe('stopped');
    expect(clock.pendingDelaysMs()).toEqual([]);
  });

  it('counts and ignores junk and out-of-place frames without closing (P11, C05); a consumer gets DISPATCH only when ready', async () => {
    const junk = ['not json', '[1,2]', '{"op":99}', '{"op":2,"d":{"heartbeat_interval":5}}', '{"op":4}', '{"op":1}'];
    const script = (): FakeScript =>
      goodScript(INTERVAL_MS, {
        onFrame: (c, f) => {
          if (f.op !== 3) return;
          c.ws.send('{"op":5,"d":{"ts":"2025-01-01T12:00:00.000Z","val":1},"uid":"u","seq":6,"t":"HEART_RATE"}'); // before READY
          c.ws.send('{"op":4}');
          for (const j of junk) c.ws.send(j);
          c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
          c.ws.send('{"op":5,"d":{"ts":"2025-01-01T12:00:00.000Z","val":1},"uid":"u","seq":7,"t":"HEART_RATE"}');
        },
      });
    const { client, clock, broker, events } = setup({ role: 'consumer', script });
    client.start();
    await clock.advance(0);
    expect(client.snapshot().ignoredFrames).toBe(8);
    expect(events).toEqual(['ready', 'dispatch 7']);
    expect(broker.conns[0]!.closed).toBe(false);
    expect(client.state).toBe('ready');
  });

  for (const stopOn of ['minting', 'connecting', 'backoff'] as const) {
    it(`a state listener that stops the client on '${stopOn}' stops it for good: no token, socket or retry afterwards`, async () => {
      // Regression (review): "Test connection" stops the client from its 'backoff' listener; the
      // retry timer was armed after the listener ran, so a hidden client reconnected forever.
      const { client, clock, broker, minted } = setup({
        script: closesOnIdentify(1011),
        onState: (c, state) => {
          if (state === stopOn) c.stop('stopped by the listener');
        },
      });
      client.start();
      await clock.advance(CAP_MS * 4);
      expect(client.state).toBe('stopped');
      expect(minted).toHaveLength(stopOn === 'minting' ? 0 : 1);
      expect(broker.conns).toHaveLength(stopOn === 'backoff' ? 1 : 0);
      expect(clock.pendingDelaysMs()).toEqual([]);
    });
  }

  it('stop() closes the socket and leaves no timer; a token that arrives after stop opens nothing', async () => {
    const { client, clock, broker } = setup();
    client.start();
    await clock.advance(0);
    client.stop();
    expect(broker.conns[0]!.closed).toBe(true);
    expect(clock.pendingDelaysMs()).toEqual([]);
    expect(client.state).toBe('stopped');

    let release: (o: TokenOutcome) => void = () => undefined;
    const slow = setup({ token: () => new Promise<TokenOutcome>((r) => (release = r)) });
    slow.client.start();
    await slow.clock.advance(0);
    expect(slow.client.state).toBe('minting');
    slow.client.stop();
    release({ ok: true, token: 'late' });
    await slow.clock.advance(CAP_MS);
    expect(slow.broker.conns).toHaveLength(0);
    expect(slow.clock.pendingDelaysMs()).toEqual([]);
  });
});
