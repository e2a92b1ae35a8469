/**
 * Conformance of the local broker with docs/broker-conformance.md, data path: SUBMIT/DISPATCH
 * (B-S), REPLAY (B-R), STATUS (B-X) and close behaviour (B-C). One `it` per checklist id.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Broker } from '../../../src/broker/broker';
import { BROKER_CLOSE_CODES } from '../../../src/shared/terra';
import { waitFor } from '../../support/wait';
import { LAB, RawClient, TestClient, devToken, disposeClients, readyClient, settle, startBroker, testClock, userToken, type Received } from './helpers';

let b: Broker;
beforeEach(async () => {
  // Heartbeats are checked in conformance.test.ts on the test clock; here a long interval keeps a
  // client that is busy parsing thousands of frames on a loaded machine from a 4005 mid-test.
  b = await startBroker({ heartbeatIntervalMs: 10_000 });
});
afterEach(async () => {
  disposeClients();
  await b.kill();
});

const TS = '2025-01-01T12:00:00.000Z';
const hr = (val: number) => ({ op: 6, t: 'HEART_RATE', d: { ts: TS, val } });
const dispatches = (c: TestClient): Received[] => c.ofOp(5);
const seqs = (frames: Received[]): number[] => frames.map((f) => f.json.seq as number);

/** A producer (u1 unless given) and a consumer of `lab`, both READY. */
async function pair(userId = 'u1'): Promise<{ p: TestClient; c: TestClient }> {
  const c = await readyClient(b, 'consumer');
  const p = await readyClient(b, 'producer', userId);
  return { p, c };
}

describe('SUBMIT / DISPATCH (B-S)', () => {
  it('B-S01 SUBMIT → one DISPATCH to every consumer with t, d, uid and integer seq', async () => {
    const { p, c } = await pair();
    p.send(hr(72));
    const f = await c.waitOp(5);
    expect(f.json).toMatchObject({ op: 5, t: 'HEART_RATE', d: { ts: TS, val: 72 }, uid: 'u1' });
    expect(Number.isInteger(f.json.seq)).toBe(true);
    await settle(p, c); // the broker has handled every SUBMIT and c has every frame sent for them
    expect(dispatches(c)).toHaveLength(1);
  });
  it('B-S02 extra and nested keys in d are forwarded deep-equal', async () => {
    const { p, c } = await pair();
    const d = { ts: TS, val: 1, unit: 'km/h', x: { y: [1, 2] } };
    p.send({ op: 6, t: 'SPEED', d });
    expect((await c.waitOp(5)).json.d).toEqual(d);
  });
  it('B-S03 vector payload forwarded deep-equal', async () => {
    const { p, c } = await pair();
    const d = { ts: TS, d: [0.1, -0.2, 9.8] };
    p.send({ op: 6, t: 'ACCELERATION', d });
    expect((await c.waitOp(5)).json.d).toEqual(d);
  });
  it('B-S04 unknown t forwarded unchanged', async () => {
    const { p, c } = await pair();
    p.send({ op: 6, t: 'FOO_BAR', d: { ts: TS, val: 3 } });
    expect((await c.waitOp(5)).json.t).toBe('FOO_BAR');
  });
  it('B-S05 ten SUBMITs → ten DISPATCHes in order with strictly increasing seq', async () => {
    const { p, c } = await pair();
    for (let i = 0; i < 10; i++) p.send(hr(60 + i));
    await c.waitOp(5, 10);
    expect(dispatches(c).map((f) => (f.json.d as { val: number }).val)).toEqual([60, 61, 62, 63, 64, 65, 66, 67, 68, 69]);
    const s = seqs(dispatches(c));
    for (let i = 1; i < s.length; i++) expect(s[i]!).toBeGreaterThan(s[i - 1]!);
  });
  it('B-S06 two producers → right uid on each, seq strictly increasing across both', async () => {
    const { p, c } = await pair('u1');
    const p2 = await readyClient(b, 'producer', 'u2');
    for (let i = 0; i < 5; i++) {
      p.send(hr(i));
      p2.send(hr(100 + i));
    }
    await c.waitOp(5, 10);
    for (const f of dispatches(c)) expect(f.json.uid).toBe((f.json.d as { val: number }).val >= 100 ? 'u2' : 'u1');
    const s = seqs(dispatches(c));
    for (let i = 1; i < s.length; i++) expect(s[i]!).toBeGreaterThan(s[i - 1]!);
  });
  it('B-S07 two consumers receive every DISPATCH with identical seq', async () => {
    const { p, c } = await pair();
    const c2 = await readyClient(b, 'consumer');
    for (let i = 0; i < 5; i++) p.send(hr(i));
    await c.waitOp(5, 5);
    await c2.waitOp(5, 5);
    expect(dispatches(c2).map((f) => f.text)).toEqual(dispatches(c).map((f) => f.text));
  });
  it('B-S08 the producer gets no DISPATCH and no reply to SUBMIT', async () => {
    const { p, c } = await pair();
    p.stopHeartbeat();
    const before = p.frames.length;
    for (let i = 0; i < 3; i++) p.send(hr(i));
    await c.waitOp(5, 3);
    await settle(p, c);
    expect(p.frames.slice(before)).toEqual([]);
  });
  it('B-S09 sparse mode produces seq gaps (consumers must not assume +1)', async () => {
    const { p, c } = await pair();
    for (let i = 0; i < 30; i++) p.send(hr(i));
    await c.waitOp(5, 30);
    const s = seqs(dispatches(c));
    const steps = s.slice(1).map((v, i) => v - s[i]!);
    expect(steps.every((d) => d >= 1 && d <= 3)).toBe(true);
    expect(steps.some((d) => d > 1)).toBe(true);
  });
  it('B-S10 SUBMIT before READY keeps the socket open and dispatches nothing', async () => {
    const c = await readyClient(b, 'consumer');
    const noIdentify = await TestClient.connect(b.url);
    noIdentify.send(hr(1));
    const token = await userToken(b);
    const early = await TestClient.connect(b.url, (ws) => {
      ws.send(JSON.stringify(hr(2))); // before IDENTIFY is even sent
      ws.send(JSON.stringify({ op: 3, d: { token, type: 0 } }));
    });
    await early.waitOp(4);
    noIdentify.send({ op: 0 });
    await noIdentify.waitOp(1);
    expect(noIdentify.isOpen && early.isOpen).toBe(true);
    expect(dispatches(c)).toEqual([]);
    expect(b.admin.stats().counters.earlySubmit).toBe(2);
  });
  it('B-S11 SUBMIT without t, or with d not an object → 1003', async () => {
    for (const frame of [{ op: 6, d: { ts: TS, val: 1 } }, { op: 6, t: 'HEART_RATE', d: [1] }, { op: 6, t: 'HEART_RATE', d: 'x' }]) {
      const p = await readyClient(b, 'producer');
      p.send(frame);
      expect((await p.closed()).code).toBe(1003);
    }
  });
  it('B-S12 DISPATCH never carries synthetic for producer traffic', async () => {
    const { p, c } = await pair();
    p.send(hr(1));
    expect('synthetic' in (await c.waitOp(5)).json).toBe(false);
    b.admin.injectSynthetic('u1', 'HEART_RATE', { ts: TS, val: 2 });
    expect((await c.waitOp(5, 2)).json.synthetic).toBe(true);
  });
});

/** Five stored dispatches s1..s5 (seen live by `c`). */
async function fiveStored(): Promise<{ c: TestClient; s: number[]; texts: string[] }> {
  const { p, c } = await pair();
  for (let i = 0; i < 5; i++) p.send(hr(i));
  await c.waitOp(5, 5);
  return { c, s: seqs(dispatches(c)), texts: dispatches(c).map((f) => f.text) };
}

/** Send REPLAY and wait until `count` more DISPATCHes arrived (then a little longer to see extras). */
async function replayed(c: TestClient, d: unknown, count: number): Promise<Received[]> {
  const before = dispatches(c).length;
  c.send({ op: 7, d });
  if (count > 0) await c.waitOp(5, before + count);
  c.send({ op: 0 }); // ACK comes back after everything the broker sent for the REPLAY
  const acks = c.ofOp(1).length;
  await c.until(() => c.ofOp(1).length > acks, 'ACK after REPLAY');
  return dispatches(c).slice(before);
}

describe('REPLAY (B-R)', () => {
  it('B-R01 (s1, s5) → exactly s2, s3, s4 ascending, deep-equal to the originals', async () => {
    const { c, s, texts } = await fiveStored();
    const got = await replayed(c, { after: s[0], before: s[4] }, 3);
    expect(got.map((f) => f.text)).toEqual(texts.slice(1, 4));
  });
  it('B-R02 no after → every retained dispatch below before', async () => {
    const { c, s, texts } = await fiveStored();
    const got = await replayed(c, { before: s[2] }, 2);
    expect(got.map((f) => f.text)).toEqual(texts.slice(0, 2));
  });
  it('B-R03 no before → nothing, socket open', async () => {
    const { c, s } = await fiveStored();
    expect(await replayed(c, { after: s[0] }, 0)).toEqual([]);
    expect(c.isOpen).toBe(true);
  });
  it('B-R04 after ≥ before → nothing, socket open', async () => {
    const { c, s } = await fiveStored();
    expect(await replayed(c, { after: s[3], before: s[3] }, 0)).toEqual([]);
    expect(await replayed(c, { after: s[4], before: s[1] }, 0)).toEqual([]);
    expect(c.isOpen).toBe(true);
  });
  it('B-R05 invalid REPLAY payloads → 1003', async () => {
    for (const d of ['x', { before: '5' }, { before: 1.5 }]) {
      const c = await readyClient(b, 'consumer');
      c.send({ op: 7, d });
      expect((await c.closed()).code).toBe(1003);
    }
  });
  it('B-R06 REPLAY during live SUBMITs: de-duplicated by seq, every seq exactly once', async () => {
    const { p, c } = await pair();
    for (let i = 0; i < 1500; i++) p.send(hr(i));
    await c.waitOp(5, 1500);
    const firstBatch = seqs(dispatches(c));
    c.send({ op: 7, d: { after: 0, before: firstBatch[1499]! + 1 } });
    for (let i = 0; i < 300; i++) p.send(hr(2000 + i));
    await c.waitOp(5, 1500 + 1500 + 300);
    const all = seqs(dispatches(c));
    const unique = [...new Set(all)].sort((x, y) => x - y);
    const live = seqs(dispatches(c).filter((f) => (f.json.d as { val: number }).val >= 2000));
    expect(unique).toEqual([...firstBatch, ...live].sort((x, y) => x - y));
    expect(all.length - unique.length).toBe(1500); // every live frame once more from the replay
  });
  it('B-R07 no end-of-replay frame', async () => {
    const { c, s } = await fiveStored();
    const before = c.frames.length;
    await replayed(c, { after: 0, before: s[4]! + 1 }, 5);
    expect(c.frames.slice(before).map((f) => f.json.op).filter((op) => op !== 1)).toEqual([5, 5, 5, 5, 5]);
  });
});

describe('STATUS (B-X)', () => {
  it('B-X01 STATUS {connected:true} → no reply, no DISPATCH, socket open', async () => {
    const { p, c } = await pair();
    p.stopHeartbeat();
    const before = p.frames.length;
    p.send({ op: 8, d: { connected: true } });
    p.send({ op: 0 });
    await p.waitOp(1, p.ofOp(1).length + 1);
    expect(p.frames.slice(before).map((f) => f.text)).toEqual(['{"op":1}']);
    expect(dispatches(c)).toEqual([]);
    expect(p.isOpen).toBe(true);
  });
  it('B-X02 STATUS with every optional field → same', async () => {
    const { p, c } = await pair();
    p.send({ op: 8, d: { connected: false, device_id: 'ant:120:12345', source: 'desktop-hub/1.0', reason: 'sensor lost' } });
    await settle(p);
    expect(dispatches(c)).toEqual([]);
    expect(p.isOpen).toBe(true);
    expect(b.admin.status('u1')).toMatchObject({ connected: false, device_id: 'ant:120:12345', reason: 'sensor lost' });
  });
  it('B-X03 malformed STATUS is dropped, socket open', async () => {
    const { p } = await pair();
    p.send({ op: 8 });
    p.send({ op: 8, d: { connected: 'yes' } });
    await settle(p);
    expect(p.isOpen).toBe(true);
    expect(b.admin.status('u1')).toBeNull();
    expect(b.admin.stats().counters.badStatus).toBe(2);
  });
  it('B-X04 admin API reports the last connected value for the user', async () => {
    const { p } = await pair();
    p.send({ op: 8, d: { connected: true } });
    p.send({ op: 8, d: { connected: false } });
    await settle(p);
    const res = await fetch(`${b.httpUrl}/admin/status?user=u1`, { headers: { 'dev-id': LAB.devId, 'x-api-key': LAB.apiKey } });
    expect(await res.json()).toMatchObject({ userId: 'u1', status: { connected: false } });
  });
});

describe('close behaviour (B-C)', () => {
  it('B-C01 every broker-initiated close uses 1000, 1003, 1009, 1011 or 4000–4005', async () => {
    const seen: number[] = [];
    const malformed = await TestClient.connect(b.url);
    malformed.send('{');
    seen.push((await malformed.closed()).code);
    const big = await TestClient.connect(b.url);
    big.send({ op: 0, pad: 'x'.repeat(70 * 1024) });
    seen.push((await big.closed()).code);
    const badToken = await TestClient.connect(b.url);
    badToken.send({ op: 3, d: { token: 'nope', type: 1 } });
    seen.push((await badToken.closed()).code);
    const role = await readyClient(b, 'consumer');
    role.send({ op: 6, t: 'X', d: {} });
    seen.push((await role.closed()).code);
    const open = await readyClient(b, 'producer');
    await b.close();
    seen.push((await open.closed()).code);
    expect(seen).toEqual([1003, 1009, 4001, 4004, 1000]);
    for (const code of seen) expect(BROKER_CLOSE_CODES).toContain(code);
  });
  it('B-C02 nothing is sent after the close frame', async () => {
    const p = await readyClient(b, 'producer');
    const raw = await RawClient.open(b.port, '/connect');
    raw.sendText(JSON.stringify({ op: 3, d: { token: await devToken(b), type: 1 } }));
    await waitFor(() => raw.frames.length >= 2, 'HELLO and READY on the raw consumer');
    for (let i = 0; i < 5; i++) p.send(hr(i)); // dispatched to the raw consumer
    await waitFor(() => raw.frames.length >= 7, 'five DISPATCH frames on the raw consumer');
    raw.sendText(JSON.stringify({ op: 6, t: 'X', d: {} })); // → 4004
    await waitFor(() => raw.frames.some((f) => f.opcode === 0x8), 'the close frame');
    // live traffic that would be dispatched to the raw consumer if it were still served: once a
    // second consumer has all of it, the broker has fanned out every frame it ever will
    const witness = await readyClient(b, 'consumer');
    for (let i = 0; i < 20; i++) p.send(hr(100 + i));
    await witness.waitOp(5, 20);
    await settle(witness);
    const ops = raw.frames.map((f) => f.opcode);
    expect(ops).toEqual([0x1, 0x1, 0x1, 0x1, 0x1, 0x1, 0x1, 0x8]); // HELLO, READY, 5 DISPATCH, close
    expect(raw.frames[7]!.payload.readUInt16BE(0)).toBe(4004);
    raw.destroy();
  });
  it('B-C03 a token minted but never used expires after its lifetime', async () => {
    const clock = testClock();
    const short = await startBroker({ tokenLifetimeMs: 200 }, clock.nowMs);
    try {
      const token = await devToken(short);
      clock.advance(199);
      expect(short.admin.stats().liveTokens).toBe(1);
      clock.advance(1);
      expect(short.admin.stats().liveTokens).toBe(0);
      const c = await TestClient.connect(short.url);
      c.send({ op: 3, d: { token, type: 1 } });
      expect((await c.closed()).code).toBe(4001);
    } finally {
      await short.kill();
    }
  });
});
