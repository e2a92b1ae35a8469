/**
 * The producer uplink against a scripted fake broker that misbehaves (reference/broker-protocol.md
 * §15 P01–P11): stalled READY, no ACKs, every close code, garbage and unexpected frames.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../../src/main/uplink/outbox';
import { checkBrokerUrl, Uplink, type UplinkOptions, type UplinkStatus } from '../../../src/main/uplink/uplink';
import type { TokenSource } from '../../../src/main/uplink/tokens';
import { CLOSE_CODES } from '../../../src/shared/terra';
import { startFakeBroker, submits, type FakeBehaviour, type FakeBroker, type Script } from './fakeBroker';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Resolves when the uplink reports `state`. */
function waitState(uplink: Uplink, state: UplinkStatus['state']): Promise<void> {
  return new Promise((resolve) => {
    const t = setInterval(() => {
      if (uplink.status().state !== state) return;
      clearInterval(t);
      resolve();
    }, 5);
  });
}

/** A token source handing out `tok-1`, `tok-2`, … and recording each. */
function countingTokens(reusable?: string): TokenSource & { tokens: string[] } {
  const tokens: string[] = [];
  return {
    kind: reusable ? 'rt' : 'tokenUrl',
    warning: null,
    tokens,
    async next() {
      const token = reusable ?? `tok-${tokens.length + 1}`;
      tokens.push(token);
      return { ok: true, token, isReusable: Boolean(reusable) };
    },
  };
}

async function setup(
  behaviour: (i: number) => FakeBehaviour = () => ({}),
  script?: Script,
  over: Partial<UplinkOptions> = {},
): Promise<{ fake: FakeBroker; uplink: Uplink; outbox: Outbox; tokens: string[]; states: UplinkStatus[] }> {
  const fake = await startFakeBroker(behaviour, script);
  const dir = mkdtempSync(join(tmpdir(), 'uplink-fake-'));
  const outbox = Outbox.open({ dir, syncPolicy: 'never' });
  const tokenSource = (over.tokenSource as ReturnType<typeof countingTokens>) ?? countingTokens();
  const states: UplinkStatus[] = [];
  const uplink = new Uplink({
    url: fake.url,
    userId: 'u1',
    tokenSource,
    outbox,
    backoffBaseMs: 20,
    backoffCapMs: 100,
    handshakeTimeoutMs: 2000,
    onStatus: (s) => states.push(s),
    ...over,
  });
  cleanups.push(async () => {
    await uplink.stop();
    outbox.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { fake, uplink, outbox, tokens: tokenSource.tokens, states };
}

const hr = (i: number) => `{"op":6,"d":{"ts":"2025-01-01T12:00:00.${String(i).padStart(3, '0')}Z","val":${60 + i}},"t":"HEART_RATE"}`;
const hrs = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => hr(from + k));
const sentTexts = (frames: ReturnType<typeof submits>) => frames.map((f) => JSON.stringify(f));

describe('uplink handshake (P01–P06, P10)', () => {
  it('identifies once with a fresh token, sends only heartbeats before READY, then STATUS and the queued readings', async () => {
    let release: () => void = () => {};
    const { fake, uplink, tokens } = await setup(() => ({ ready: false }), (conn, frame) => {
      if (frame.op === 3) {
        release = () => {
          conn.isReady = true;
          conn.ws.send('{"op":4}');
        };
        return true;
      }
    });
    uplink.enqueue(hrs(0, 5));
    uplink.start();
    const conn = await fake.waitConnections(1);
    await fake.waitFor(() => conn.frames.filter((f) => f.op === 0).length >= 2);
    uplink.enqueue(hrs(5, 8));
    expect(conn.frames.filter((f) => f.op === 6)).toEqual([]);
    release();
    await fake.waitFor(() => submits(conn).length === 8);
    const identifies = conn.frames.filter((f) => f.op === 3);
    expect(identifies).toEqual([{ op: 3, d: { token: 'tok-1', type: 0 } }]);
    expect(tokens).toEqual(['tok-1']);
    expect(conn.beforeReady.every((f) => f.op === 0 || f.op === 3)).toBe(true);
    const afterReady = conn.frames.slice(conn.beforeReady.length).filter((f) => f.op !== 0);
    expect(afterReady[0]).toMatchObject({ op: 8, d: { connected: false } });
    expect(sentTexts(submits(conn))).toEqual(hrs(0, 8));
    for (const f of submits(conn)) {
      expect(f.d.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(typeof f.d.val).toBe('number');
      expect(typeof f.t).toBe('string');
    }
  });

  it('sends STATUS for a device link change while READY', async () => {
    const { fake, uplink } = await setup();
    uplink.start();
    const conn = await fake.waitConnections(1);
    await fake.waitFor(() => conn.isReady);
    await fake.waitFor(() => conn.frames.some((f) => f.op === 8));
    uplink.setLink('ant:120:1', false, 'signal lost');
    await fake.waitFor(() => conn.frames.filter((f) => f.op === 8).length === 2);
    expect(conn.frames.filter((f) => f.op === 8)[1]).toEqual({ op: 8, d: { connected: false, device_id: 'ant:120:1', source: 'sensor-relay', reason: 'signal lost' } });
  });
});

describe('uplink delivery watermark (P04, P08, P09)', () => {
  it('a missing HEARTBEAT_ACK closes the socket, reconnects with a new token and re-sends every unacknowledged reading with its original ts', async () => {
    const { fake, uplink, tokens } = await setup((i) => ({ ack: i > 0 }));
    uplink.start();
    const first = await fake.waitConnections(1);
    await fake.waitFor(() => first.isReady);
    uplink.enqueue(hrs(0, 10));
    const second = await fake.waitConnections(2);
    await fake.waitFor(() => submits(second).length === 10);
    expect(first.closed).toBe(true);
    expect(tokens.slice(0, 2)).toEqual(['tok-1', 'tok-2']);
    expect(sentTexts(submits(second))).toEqual(hrs(0, 10));
    await fake.waitFor(() => uplink.status().outbox.delivered === 10);
  });

  it('after an ACK only readings sent after that heartbeat are re-sent on the next connection', async () => {
    const { fake, uplink, outbox } = await setup(() => ({}), (conn, frame) => {
      // The connection drops right after the 8th reading, before any heartbeat could cover readings 6–8.
      if (conn.index === 0 && frame.op === 6 && submits(conn).length === 8) conn.ws.close(1011, 'internal error');
    });
    uplink.start();
    const first = await fake.waitConnections(1);
    await fake.waitFor(() => first.isReady);
    uplink.enqueue(hrs(0, 5));
    await fake.waitFor(() => outbox.metrics().delivered === 5);
    uplink.enqueue(hrs(5, 8));
    const second = await fake.waitConnections(2);
    await fake.waitFor(() => submits(second).length === 3);
    expect(sentTexts(submits(second))).toEqual(hrs(5, 8));
  });
});

describe('uplink close-code policy (P07, §8)', () => {
  for (const row of CLOSE_CODES.filter((r) => r.code !== 1006)) {
    it(`${row.code} (${row.meaning}) → ${row.producer}`, async () => {
      const { fake, uplink, tokens } = await setup(() => ({}), (conn, frame) => {
        if (conn.index === 0 && frame.op === 3) {
          conn.ws.close(row.code, row.reason);
          return true;
        }
      });
      uplink.start();
      if (row.producer === 'stop') {
        await fake.waitFor(() => fake.conns[0]?.closed === true);
        await waitState(uplink, 'error');
        await sleep(300); // backoff base is 20 ms: a retry would have happened by now
        expect(fake.conns.length).toBe(1);
        expect(uplink.status().error?.code).toBe('BROKER_CLOSED');
        expect(uplink.status().error?.message).toContain(String(row.code));
        expect(uplink.status().lastCloseCode).toBe(row.code);
      } else {
        const second = await fake.waitConnections(2);
        await fake.waitFor(() => second.isReady);
        await waitState(uplink, 'ready');
        expect(tokens[1]).not.toBe(tokens[0]);
        expect(uplink.status().lastCloseCode).toBe(row.code);
      }
    });
  }

  it('1006 (connection dropped without a close frame) → reconnect with backoff', async () => {
    const { fake, uplink } = await setup(() => ({}), (conn, frame) => {
      if (conn.index === 0 && frame.op === 3) {
        conn.ws.terminate();
        return true;
      }
    });
    uplink.start();
    const second = await fake.waitConnections(2);
    await fake.waitFor(() => second.isReady);
    expect(uplink.status().lastCloseCode).toBe(1006);
  });

  it('an rt. token rejected with 4001 is retried once unchanged, then the uplink stops and asks for a new one', async () => {
    const { fake, uplink, tokens } = await setup(() => ({}), (conn, frame) => {
      if (frame.op === 3) {
        conn.ws.close(4001, 'invalid token');
        return true;
      }
    }, { tokenSource: countingTokens('rt.abc') });
    uplink.start();
    await fake.waitConnections(2);
    await fake.waitFor(() => fake.conns[1]!.closed);
    await sleep(300);
    expect(fake.conns.length).toBe(2);
    expect(tokens).toEqual(['rt.abc', 'rt.abc']);
    expect(uplink.status().state).toBe('error');
    expect(uplink.status().error?.message).toMatch(/new QR code/);
  });

  it('repeated 4001 with minted tokens backs off instead of reconnecting in a tight loop', async () => {
    const { fake, uplink, states } = await setup(() => ({}), (conn, frame) => {
      if (frame.op === 3 && conn.index < 3) {
        conn.ws.close(4001, 'invalid token');
        return true;
      }
    });
    uplink.start();
    const fourth = await fake.waitConnections(4);
    await fake.waitFor(() => fourth.isReady);
    expect(states.filter((s) => s.state === 'backoff').length).toBeGreaterThanOrEqual(2);
  });
});

describe('uplink robustness (P11, stalled handshake)', () => {
  it('ignores garbage, binary, unknown ops and DISPATCH frames and keeps delivering', async () => {
    const { fake, uplink, outbox } = await setup(() => ({}), (conn, frame) => {
      if (frame.op === 3) {
        conn.isReady = true;
        conn.ws.send('{"op":4}');
        conn.ws.send('not json');
        conn.ws.send(Buffer.from([1, 2, 3]));
        conn.ws.send('{"op":99}');
        conn.ws.send('{"d":{}}');
        conn.ws.send('{"op":5,"d":{"ts":"2025-01-01T12:00:00.000Z","val":1},"uid":"x","seq":1,"t":"HEART_RATE"}');
        conn.ws.send('{"op":2,"d":{"heartbeat_interval":5}}');
        conn.ws.send('{"op":4}');
        return true;
      }
    });
    uplink.start();
    const conn = await fake.waitConnections(1);
    await fake.waitFor(() => conn.isReady);
    uplink.enqueue(hrs(0, 20));
    await fake.waitFor(() => outbox.metrics().delivered === 20);
    expect(fake.conns.length).toBe(1);
    expect(uplink.status().ignoredFrames).toBeGreaterThanOrEqual(7);
    expect(sentTexts(submits(conn))).toEqual(hrs(0, 20));
  });

  it('a broker that never sends READY is abandoned after the handshake timeout and a new token is used; no SUBMIT is ever sent to it', async () => {
    const { fake, uplink, tokens } = await setup((i) => ({ ready: i > 0 }), undefined, { handshakeTimeoutMs: 300 });
    uplink.enqueue(hrs(0, 3));
    uplink.start();
    const second = await fake.waitConnections(2);
    await fake.waitFor(() => submits(second).length === 3);
    expect(submits(fake.conns[0]!)).toEqual([]);
    expect(tokens[1]).toBe('tok-2');
  });

  it('a broker that never sends HELLO is abandoned after the handshake timeout', async () => {
    const { fake, uplink } = await setup((i) => ({ hello: i > 0 }), undefined, { handshakeTimeoutMs: 300 });
    uplink.start();
    const second = await fake.waitConnections(2);
    await fake.waitFor(() => second.isReady);
    expect(fake.conns[0]!.frames.filter((f) => f.op === 3)).toEqual([]);
  });
});

describe('broker URL check', () => {
  it('accepts wss anywhere and ws only on this computer (BROKER_INSECURE_URL)', () => {
    expect(checkBrokerUrl('wss://ws.tryterra.co/connect').ok).toBe(true);
    expect(checkBrokerUrl('ws://127.0.0.1:8790/connect').ok).toBe(true);
    expect(checkBrokerUrl('ws://localhost:8790/connect').ok).toBe(true);
    const insecure = checkBrokerUrl('ws://ws.tryterra.co/connect');
    expect(insecure.ok ? null : insecure.code).toBe('BROKER_INSECURE_URL');
    expect(insecure.ok ? '' : insecure.message).toContain('wss://ws.tryterra.co/connect');
    const wrong = checkBrokerUrl('https://ws.tryterra.co/connect');
    expect(wrong.ok ? null : wrong.code).toBe('BROKER_BAD_CONFIG');
  });

  it('an uplink with an insecure URL never connects and shows the error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'uplink-url-'));
    const outbox = Outbox.open({ dir, syncPolicy: 'never' });
    const tokens = countingTokens();
    const uplink = new Uplink({ url: 'ws://192.0.2.1/connect', userId: 'u', tokenSource: tokens, outbox });
    uplink.start();
    expect(uplink.status().state).toBe('error');
    expect(uplink.status().error?.code).toBe('BROKER_INSECURE_URL');
    expect(tokens.tokens).toEqual([]);
    outbox.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
