/**
 * Conformance of the local broker with docs/broker-conformance.md, one `it` per checklist id.
 * Heartbeat interval N = 500 ms, identify timeout 1 s. Timing windows (B-I04, B-B03..B-B06) run on
 * Vitest's test clock with real sockets: the test advances time and proves "still open" with a
 * ping round trip, so the windows are exact and do not depend on the machine's load.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Broker } from '../../../src/broker/broker';
import { LAB, N, OTHER, RawClient, TestClient, devToken, disposeClients, onTestClock, post, readyClient, startBroker, testClock, userToken } from './helpers';


let b: Broker;
beforeEach(async () => {
  b = await startBroker();
});
afterEach(async () => {
  disposeClients();
  await b.kill();
});

const creds = { 'dev-id': LAB.devId, 'x-api-key': LAB.apiKey };
const basic = (id: string, key: string) => ({ Authorization: `Basic ${Buffer.from(`${id}:${key}`).toString('base64')}` });
const submitHr = (val: number) => ({ op: 6, t: 'HEART_RATE', d: { ts: '2025-01-01T12:00:00.000Z', val } });

describe('token endpoints (B-T)', () => {
  it('B-T01 /auth/user with dev-id + x-api-key → 200 JSON token', async () => {
    const r = await post(`${b.httpUrl}/auth/user?id=u1`, creds);
    expect(r.status).toBe(200);
    expect(r.contentType).toMatch(/^application\/json/);
    expect(typeof (r.body as { token: unknown }).token).toBe('string');
    expect((r.body as { token: string }).token.length).toBeGreaterThan(0);
  });
  it('B-T02 Basic credentials → 200', async () => {
    const r = await post(`${b.httpUrl}/auth/user?id=u1`, basic(LAB.devId, LAB.apiKey));
    expect(r.status).toBe(200);
    expect((r.body as { token: string }).token).toBeTruthy();
  });
  it('B-T03 /auth/developer → 200 with token', async () => {
    const r = await post(`${b.httpUrl}/auth/developer`, creds);
    expect(r.status).toBe(200);
    expect((r.body as { token: string }).token).toBeTruthy();
  });
  it('B-T04 /auth/user without id → 400', async () => {
    expect((await post(`${b.httpUrl}/auth/user`, creds)).status).toBe(400);
  });
  it('B-T05 no credentials or half of the pair → 400', async () => {
    for (const path of ['/auth/user?id=u1', '/auth/developer']) {
      expect((await post(`${b.httpUrl}${path}`)).status).toBe(400);
      expect((await post(`${b.httpUrl}${path}`, { 'dev-id': LAB.devId })).status).toBe(400);
      expect((await post(`${b.httpUrl}${path}`, { 'x-api-key': LAB.apiKey })).status).toBe(400);
    }
  });
  it('B-T06 wrong x-api-key → 403', async () => {
    expect((await post(`${b.httpUrl}/auth/user?id=u1`, { 'dev-id': LAB.devId, 'x-api-key': 'nope' })).status).toBe(403);
    expect((await post(`${b.httpUrl}/auth/developer`, basic(LAB.devId, 'nope'))).status).toBe(403);
  });
  it('B-T07 user of another developer → 403', async () => {
    const r = await post(`${b.httpUrl}/auth/user?id=x1`, creds);
    expect(r.status).toBe(403);
    expect((r.body as { error: string }).error).toBe('unknown_user');
  });
  it('B-T08 two calls → two different tokens', async () => {
    expect(await userToken(b)).not.toBe(await userToken(b));
    expect(await devToken(b)).not.toBe(await devToken(b));
  });
  it('B-T09 GET on either endpoint → 405', async () => {
    expect((await post(`${b.httpUrl}/auth/user?id=u1`, creds, 'GET')).status).toBe(405);
    expect((await post(`${b.httpUrl}/auth/developer`, creds, 'GET')).status).toBe(405);
  });
});

describe('connection and HELLO (B-H)', () => {
  it('B-H01 GET /connect without auth → 101', async () => {
    const raw = await RawClient.open(b.port, '/connect');
    expect(raw.statusLine).toMatch(/^HTTP\/1\.1 101 /);
    raw.destroy();
  });
  it('B-H02 first frame is HELLO with the interval, within 1 s', async () => {
    // On the test clock, which does not move here: HELLO arrives with 0 ms elapsed, so it is sent
    // on connect, not after any timer (the 1 s bound holds however loaded the machine is).
    onTestClock();
    try {
      const c = await TestClient.connect(b.url);
      const first = await c.waitOp(2);
      expect(c.frames[0]).toBe(first);
      expect(first.json).toEqual({ op: 2, d: { heartbeat_interval: N } });
      expect(first.atMs - c.openedAtMs).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
  it('B-H03 upgrade on another path → 404', async () => {
    const raw = await RawClient.open(b.port, '/socket');
    expect(raw.statusLine).toMatch(/^HTTP\/1\.1 404 /);
    raw.destroy();
  });
  it('a plain GET /connect (no upgrade) says it needs a WebSocket client', async () => {
    const r = await post(`${b.httpUrl}/connect`, {}, 'GET');
    expect(r.status).toBe(426);
    expect((r.body as { message: string }).message).toMatch(/WebSocket/);
  });
});

describe('IDENTIFY (B-I)', () => {
  it('B-I01 producer token, type 0 → READY {"op":4}', async () => {
    const c = await readyClient(b, 'producer');
    expect(c.ofOp(4)[0]!.text).toBe('{"op":4}');
  });
  it('B-I02 developer token, type 1 → READY', async () => {
    const c = await readyClient(b, 'consumer');
    expect(c.ofOp(4)[0]!.text).toBe('{"op":4}');
  });
  it('B-I03 IDENTIFY before reading HELLO → HELLO then READY', async () => {
    const token = await userToken(b);
    const c = await TestClient.connect(b.url, (ws) => ws.send(JSON.stringify({ op: 3, d: { token, type: 0 } })));
    await c.waitOp(4);
    expect(c.frames.map((f) => f.json.op)).toEqual([2, 4]);
  });
  it('B-I04 no IDENTIFY → 4000 at the identify timeout', async () => {
    const slow = await startBroker({ heartbeatIntervalMs: 10_000, identifyTimeoutMs: 800 });
    try {
      onTestClock(); // exact window: time moves only when the test moves it
      const c = await TestClient.connect(slow.url);
      await c.waitOp(2);
      await vi.advanceTimersByTimeAsync(799);
      expect(await c.roundTrip()).toBe('open');
      await vi.advanceTimersByTimeAsync(1);
      const close = await c.closed();
      expect(close.code).toBe(4000);
      expect(close.atMs - c.openedAtMs).toBe(800);
    } finally {
      vi.useRealTimers();
      await slow.kill();
    }
  });
  it('B-I05 HEARTBEATs alone do not prevent 4000', async () => {
    const c = await TestClient.connect(b.url);
    c.startHeartbeat(N / 2);
    const close = await c.closed();
    expect(close.code).toBe(4000);
    expect(c.ofOp(1).length).toBeGreaterThan(0);
  });
  it('B-I06 a token that already succeeded → 4001 on a new socket', async () => {
    const token = await userToken(b);
    const first = await TestClient.connect(b.url);
    first.send({ op: 3, d: { token, type: 0 } });
    await first.waitOp(4);
    const second = await TestClient.connect(b.url);
    second.send({ op: 3, d: { token, type: 0 } });
    expect((await second.closed()).code).toBe(4001);
  });
  it('B-I07 unknown token → 4001; expired token → 4001', async () => {
    const c = await TestClient.connect(b.url);
    c.send({ op: 3, d: { token: 'no-such-token', type: 0 } });
    expect((await c.closed()).code).toBe(4001);
    const clock = testClock();
    const short = await startBroker({ tokenLifetimeMs: 200 }, clock.nowMs);
    try {
      const token = await userToken(short);
      clock.advance(200); // the token's whole lifetime
      const e = await TestClient.connect(short.url);
      e.send({ op: 3, d: { token, type: 0 } });
      expect((await e.closed()).code).toBe(4001);
    } finally {
      await short.kill();
    }
  });
  it('B-I08 user token with type 1, developer token with type 0 → 4001', async () => {
    const u = await TestClient.connect(b.url);
    u.send({ op: 3, d: { token: await userToken(b), type: 1 } });
    expect((await u.closed()).code).toBe(4001);
    const d = await TestClient.connect(b.url);
    d.send({ op: 3, d: { token: await devToken(b), type: 0 } });
    expect((await d.closed()).code).toBe(4001);
  });
  it('B-I09 second IDENTIFY after READY → 4003', async () => {
    const c = await readyClient(b, 'producer');
    c.send({ op: 3, d: { token: await userToken(b), type: 0 } });
    expect((await c.closed()).code).toBe(4003);
  });
  it('B-I10 rt. token: reusable for type 0, 4001 after expiry and with type 1', async () => {
    const clock = testClock();
    const expiresAt = clock.nowMs() + 1500;
    const rtBroker = await startBroker({ rtTokens: [{ token: 'rt.soon', userId: 'u2', expiresAt }] }, clock.nowMs);
    try {
      for (let i = 0; i < 2; i++) {
        const c = await TestClient.connect(rtBroker.url);
        c.send({ op: 3, d: { token: 'rt.soon', type: 0 } });
        await c.waitOp(4);
        c.dispose();
      }
      const wrongType = await TestClient.connect(rtBroker.url);
      wrongType.send({ op: 3, d: { token: 'rt.soon', type: 1 } });
      expect((await wrongType.closed()).code).toBe(4001);
      clock.advance(1500); // exactly at the expiry time: expired
      const expired = await TestClient.connect(rtBroker.url);
      expired.send({ op: 3, d: { token: 'rt.soon', type: 0 } });
      expect((await expired.closed()).code).toBe(4001);
    } finally {
      await rtBroker.kill();
    }
  });
  it('B-I11 consumer cap reached → 4002; after closing one, a fresh token → READY', async () => {
    const a = await readyClient(b, 'consumer', 'x1', OTHER);
    await readyClient(b, 'consumer', 'x1', OTHER);
    const third = await TestClient.connect(b.url);
    third.send({ op: 3, d: { token: await devToken(b, OTHER), type: 1 } });
    expect((await third.closed()).code).toBe(4002);
    a.ws.close(1000);
    await a.closed();
    await readyClient(b, 'consumer', 'x1', OTHER);
  });
  it('a 4002 does not consume the token (§5.3): the same token works once there is room', async () => {
    const a = await readyClient(b, 'consumer', 'x1', OTHER);
    await readyClient(b, 'consumer', 'x1', OTHER);
    const token = await devToken(b, OTHER);
    const refused = await TestClient.connect(b.url);
    refused.send({ op: 3, d: { token, type: 1 } });
    expect((await refused.closed()).code).toBe(4002);
    a.ws.close(1000);
    await a.closed();
    const retry = await TestClient.connect(b.url);
    retry.send({ op: 3, d: { token, type: 1 } });
    await retry.waitOp(4);
  });
});

describe('heartbeat (B-B)', () => {
  it('B-B01 HEARTBEAT before IDENTIFY → {"op":1}', async () => {
    const c = await TestClient.connect(b.url);
    c.send({ op: 0 });
    expect((await c.waitOp(1)).text).toBe('{"op":1}');
  });
  it('B-B02 exactly one ACK per HEARTBEAT after READY', async () => {
    const c = await readyClient(b, 'producer');
    c.stopHeartbeat();
    const before = c.ofOp(1).length;
    for (let i = 0; i < 3; i++) c.send({ op: 0 });
    await c.waitOp(1, before + 3);
    c.send(submitHr(1)); // a later frame that gets no reply
    expect(await c.roundTrip()).toBe('open'); // the broker has handled every frame before the ping
    expect(c.ofOp(1).length).toBe(before + 3);
  });
});

// The heartbeat windows on Vitest's test clock (sockets stay real): time moves only when the test
// moves it, so "not before N" and "by 1.5 N" are checked exactly, whatever the machine's load.
describe('heartbeat windows (B-B03..B-B06, test clock)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A producer socket identified on the test clock; resolves at READY with the HELLO time. */
  async function identifiedOnTestClock(): Promise<{ c: TestClient; helloAtMs: number }> {
    const token = await userToken(b);
    onTestClock();
    const c = await TestClient.connect(b.url);
    c.send({ op: 3, d: { token, type: 0 } });
    const helloAtMs = (await c.waitOp(2)).atMs;
    await c.waitOp(4);
    return { c, helloAtMs };
  }

  /** Send one HEARTBEAT and wait for its ACK (the broker has restarted its timer then). */
  async function heartbeat(c: TestClient): Promise<number> {
    const acks = c.ofOp(1).length;
    c.send({ op: 0 });
    await c.waitOp(1, acks + 1);
    return Date.now();
  }

  it('B-B03 no HEARTBEAT after READY → 4005 between N and 1.5 N after HELLO', async () => {
    const { c, helloAtMs } = await identifiedOnTestClock();
    await vi.advanceTimersByTimeAsync(N - 1);
    expect(await c.roundTrip()).toBe('open');
    await vi.advanceTimersByTimeAsync(0.5 * N + 1);
    const close = await c.closed();
    expect(close.code).toBe(4005);
    expect(close.atMs - helloAtMs).toBeGreaterThanOrEqual(N);
    expect(close.atMs - helloAtMs).toBeLessThanOrEqual(1.5 * N);
  });
  it('B-B04 HEARTBEATs every N with jitter for 5 intervals → no close', async () => {
    const { c } = await identifiedOnTestClock();
    // Jitter drawn once per test from fixed fractions: the first heartbeat anywhere in (0, N].
    for (const jitter of [0.1, 0.35, 0.6, 0.85, 1]) {
      await vi.advanceTimersByTimeAsync(Math.round(N * jitter));
      await heartbeat(c);
    }
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(N);
      await heartbeat(c);
    }
    expect(await c.roundTrip()).toBe('open');
    expect(c.ofOp(1).length).toBe(10);
  });
  it('B-B05 HEARTBEATs stop after the third → 4005 within the grace after the last', async () => {
    const { c } = await identifiedOnTestClock();
    let lastAtMs = 0;
    for (let i = 0; i < 3; i++) {
      await vi.advanceTimersByTimeAsync(N * 0.9);
      lastAtMs = await heartbeat(c);
    }
    await vi.advanceTimersByTimeAsync(N - 1);
    expect(await c.roundTrip()).toBe('open');
    await vi.advanceTimersByTimeAsync(0.5 * N + 1);
    const close = await c.closed();
    expect(close.code).toBe(4005);
    expect(close.atMs - lastAtMs).toBeGreaterThanOrEqual(N);
    expect(close.atMs - lastAtMs).toBeLessThanOrEqual(1.5 * N);
  });
  it('B-B06 a HEARTBEAT at 0.1 N after HELLO is ACKed and causes no close', async () => {
    const { c } = await identifiedOnTestClock();
    await vi.advanceTimersByTimeAsync(0.1 * N);
    await heartbeat(c);
    for (let i = 0; i < 4; i++) {
      await vi.advanceTimersByTimeAsync(0.9 * N);
      await heartbeat(c);
    }
    expect(await c.roundTrip()).toBe('open');
  });
});

describe('framing and roles (B-F)', () => {
  const closesWith = async (client: TestClient, frame: unknown, code: number) => {
    client.send(frame);
    expect((await client.closed()).code).toBe(code);
  };
  it('B-F01 not JSON → 1003', async () => closesWith(await TestClient.connect(b.url), 'not json', 1003));
  it('B-F02 JSON without op → 1003', async () => closesWith(await TestClient.connect(b.url), { d: {} }, 1003));
  it('B-F03 unknown opcode after READY → 4004', async () => closesWith(await readyClient(b, 'producer'), { op: 99 }, 4004));
  it('B-F04 broker-only opcodes from a client → 4004', async () => {
    for (const frame of [{ op: 1 }, { op: 2, d: { heartbeat_interval: 1 } }, { op: 4 }, { op: 5, d: {}, uid: 'u', seq: 1, t: 'X' }]) {
      await closesWith(await readyClient(b, 'consumer'), frame, 4004);
    }
  });
  it('B-F05 SUBMIT on a consumer session → 4004', async () => closesWith(await readyClient(b, 'consumer'), submitHr(1), 4004));
  it('B-F06 REPLAY on a producer session → 4004', async () => closesWith(await readyClient(b, 'producer'), { op: 7, d: { before: 5 } }, 4004));
  it('B-F07 binary frame → 1003', async () => {
    const c = await TestClient.connect(b.url);
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect((await c.closed()).code).toBe(1003);
  });
  it('B-F08 unknown top-level keys are ignored', async () => {
    const c = await TestClient.connect(b.url);
    c.send({ op: 0, x: 1 });
    expect((await c.waitOp(1)).json).toEqual({ op: 1 });
    expect(c.isOpen).toBe(true);
  });
});
