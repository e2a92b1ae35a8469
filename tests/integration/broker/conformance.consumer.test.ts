/**
 * Consumer conformance (docs/broker-conformance.md C01–C05) of `createConsumer`, against the
 * embedded broker (restarted on the same port and data dir to force reconnects) and a scripted fake.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer } from 'ws';
import type { Broker } from '../../../src/broker/broker';
import { createConsumer, type Consumer, type ConsumerOptions } from '../../../src/broker/consumer';
import { developerTokenSource, type TokenSource } from '../../../src/client/tokenSources';
import type { AppError } from '../../../src/shared/errors';
import type { DispatchFrame } from '../../../src/shared/terra';
import { LAB, disposeClients, onTestClock, readyClient, sleep, startBroker } from './helpers';
import { waitFor } from '../../support/wait';
import { startFakeBroker } from '../../support/fakeBroker';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  vi.useRealTimers();
  disposeClients();
  for (const f of cleanups.splice(0).reverse()) await f();
});

const TS = '2025-01-01T12:00:00.000Z';
/** A distinct reading per value (readings are de-duplicated on (uid, t, ts)). */
const tsOf = (n: number): string => new Date(Date.parse(TS) + n).toISOString();
const hr = (val: number) => ({ op: 6, t: 'HEART_RATE', d: { ts: tsOf(val), val } });

/** A token source that records every token it hands out. */
function counting(source: TokenSource): { source: TokenSource; tokens: string[]; calls: () => number } {
  const tokens: string[] = [];
  let calls = 0;
  return {
    tokens,
    calls: () => calls,
    source: async () => {
      calls++;
      const r = await source();
      if (r.ok) tokens.push(r.token);
      return r;
    },
  };
}

/** A consumer that records what it delivers; stopped after the test. */
function consumer(url: string, token: TokenSource, over: Partial<ConsumerOptions> = {}) {
  const got: Array<{ frame: DispatchFrame; isReplay: boolean }> = [];
  const fatal: AppError[] = [];
  const c: Consumer = createConsumer({
    url,
    token,
    onDispatch: (frame, info) => got.push({ frame, isReplay: info.isReplay }),
    onFatal: (e) => fatal.push(e),
    backoffBaseMs: 50,
    replaySettleMs: 300,
    ...over,
  });
  cleanups.push(() => c.stop());
  return { c, got, fatal };
}

async function until(pred: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

async function withBroker(over: Parameters<typeof startBroker>[0] = {}): Promise<Broker> {
  const b = await startBroker(over);
  cleanups.push(() => b.kill());
  return b;
}

describe('consumer (C)', () => {
  it('C01 mints a fresh developer token for every connection attempt', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'broker-c01-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const b1 = await withBroker({ dataDir });
    const tokens = counting(developerTokenSource(b1.httpUrl, LAB.devId, LAB.apiKey));
    const { c } = consumer(b1.url, tokens.source);
    await until(() => c.stats.state === 'ready', 'first READY');
    await b1.kill();
    const b2 = await withBroker({ dataDir, port: b1.port });
    await until(() => c.stats.state === 'ready' && c.stats.connections >= 2, 'READY after restart');
    expect(tokens.calls()).toBe(c.stats.connections);
    expect(new Set(tokens.tokens).size).toBe(tokens.tokens.length);
    expect(b2.admin.stats().sessions.consumer).toBe(1);
  });

  it('C02 accepts unknown t, unknown keys in d, synthetic:true and sparse seq', async () => {
    const b = await withBroker();
    const { c, got } = consumer(b.url, developerTokenSource(b.httpUrl, LAB.devId, LAB.apiKey));
    await until(() => c.stats.state === 'ready', 'READY');
    const p = await readyClient(b, 'producer');
    const odd = { ts: TS, val: 3, unit: 'km/h', extra: { nested: [1, 2] } };
    p.send({ op: 6, t: 'FOO_BAR', d: odd });
    for (let i = 0; i < 20; i++) p.send(hr(i));
    await until(() => got.length === 21, '21 dispatches');
    b.admin.injectSynthetic('u2', 'HEART_RATE', { ts: TS, val: 99 });
    await until(() => got.length === 22, 'synthetic dispatch');
    expect(got[0]!.frame).toMatchObject({ t: 'FOO_BAR', d: odd, uid: 'u1' });
    expect(got[21]!.frame).toMatchObject({ synthetic: true, uid: 'u2' });
    const seqs = got.map((g) => g.frame.seq);
    expect(seqs.slice(1).some((s, i) => s - seqs[i]! > 1)).toBe(true); // gaps were present…
    expect(c.stats.replayRequests).toBe(0); // …and were not mistaken for loss
    expect(c.stats.delivered).toBe(22);
  });

  it('C03 after a reconnect replays (lastProcessed, firstLive) and de-duplicates by seq', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'broker-c03-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const b1 = await withBroker({ dataDir });
    const { c, got } = consumer(b1.url, developerTokenSource(b1.httpUrl, LAB.devId, LAB.apiKey), { backoffBaseMs: 800 });
    await until(() => c.stats.state === 'ready', 'READY');
    const p1 = await readyClient(b1, 'producer');
    for (let i = 0; i < 5; i++) p1.send(hr(i));
    await until(() => got.length === 5, 'first five');
    const lastBefore = got[4]!.frame.seq;
    await b1.kill(); // process-kill style: no close frames

    const b2 = await withBroker({ dataDir, port: b1.port });
    const p2 = await readyClient(b2, 'producer');
    for (let i = 5; i < 10; i++) p2.send(hr(i)); // dispatched while the consumer is away
    await until(() => b2.admin.stats().counters.dispatches === 5, 'missed five stored');
    await until(() => c.stats.state === 'ready' && c.stats.connections === 2, 'consumer back');
    p2.send(hr(10)); // first live frame after the reconnect
    await until(() => got.length === 11, 'eleven delivered');
    await sleep(100);
    const vals = got.map((g) => (g.frame.d as { val: number }).val);
    expect([...vals].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(got.filter((g) => g.isReplay).map((g) => (g.frame.d as { val: number }).val)).toEqual([5, 6, 7, 8, 9]);
    expect(got[5]!.frame.seq).toBeGreaterThan(lastBefore); // seq stays monotonic across the restart
    expect(c.stats.replayRequests).toBe(1);
    expect(c.stats.duplicates).toBe(0); // bounds were exclusive and exact: nothing replayed twice
  });

  it('C04 treats 4002 as "do not auto-retry"', async () => {
    const b = await withBroker({ developers: [{ ...LAB, users: ['u1'], consumerCap: 1 }], rtTokens: [] });
    await readyClient(b, 'consumer');
    const tokens = counting(developerTokenSource(b.httpUrl, LAB.devId, LAB.apiKey));
    onTestClock();
    const { c, fatal } = consumer(b.url, tokens.source, { backoffBaseMs: 20 });
    await waitFor(() => fatal.length > 0, 'fatal error'); // real-time wait; the consumer's timers are on the test clock
    await vi.advanceTimersByTimeAsync(10_000); // hundreds of backoff periods: a retry would have happened
    expect(fatal[0]!.code).toBe('BROKER_SESSION_LIMIT');
    expect(fatal[0]!.message).toMatch(/close another consumer/);
    expect(c.stats.state).toBe('stopped');
    expect(tokens.calls()).toBe(1);
  });

  it('C05 ignores binary frames and frames it cannot parse without closing', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => new Promise<void>((r) => wss.close(() => r())));
    await new Promise<void>((r) => wss.once('listening', () => r()));
    let clientClosed = false;
    wss.on('connection', (ws) => {
      ws.on('close', () => (clientClosed = true));
      ws.send('{"op":2,"d":{"heartbeat_interval":60000}}');
      ws.once('message', () => {
        ws.send(Buffer.from([0, 1, 2]), { binary: true });
        ws.send('garbage{');
        ws.send('{"op":99}');
        ws.send('{"op":4}');
        ws.send('{"op":5,"d":{"ts":"2025-01-01T12:00:00.000Z","val":1},"uid":"u","seq":7,"t":"HEART_RATE"}');
      });
    });
    const port = (wss.address() as { port: number }).port;
    const { c, got } = consumer(`ws://127.0.0.1:${port}/connect`, async () => ({ ok: true, token: 't' }));
    await until(() => got.length === 1, 'dispatch after garbage');
    expect(got[0]!.frame.seq).toBe(7);
    expect(c.stats.ignoredFrames).toBe(3);
    expect(c.stats.state).toBe('ready');
    expect(clientClosed).toBe(false);
  });

  it('bad developer credentials stop the consumer with a clear error and no retry loop', async () => {
    const b = await withBroker();
    const tokens = counting(developerTokenSource(b.httpUrl, LAB.devId, 'wrong'));
    onTestClock();
    const { c, fatal } = consumer(b.url, tokens.source, { backoffBaseMs: 20 });
    await waitFor(() => fatal.length > 0, 'fatal'); // real-time wait; the consumer's timers are on the test clock
    await vi.advanceTimersByTimeAsync(10_000); // hundreds of backoff periods: a retry would have happened
    expect(fatal[0]!.code).toBe('BROKER_TOKEN_FAILED');
    expect(fatal[0]!.message).toMatch(/403/);
    expect(tokens.calls()).toBe(1);
    expect(c.stats.connections).toBe(0);
  });

  it('delivers a reading the producer re-sent (same uid, t, ts; new seq) once, and counts the copy', async () => {
    // Regression (issue 13): after a broker kill and restart the consumer wrote 476 duplicate
    // readings while reporting "0 duplicates skipped", because it de-duplicated by seq only.
    const b = await withBroker();
    const { c, got } = consumer(b.url, developerTokenSource(b.httpUrl, LAB.devId, LAB.apiKey));
    await until(() => c.stats.state === 'ready', 'READY');
    const p1 = await readyClient(b, 'producer');
    for (let i = 0; i < 5; i++) p1.send(hr(i));
    // the producer could not prove delivery of 2..4 and sends them again after its reconnect
    const p2 = await readyClient(b, 'producer');
    for (let i = 2; i < 8; i++) p2.send(hr(i));
    await until(() => c.stats.delivered + c.stats.duplicateReadings === 11, 'eleven dispatches');
    const keys = got.map((g) => `${g.frame.uid}|${g.frame.t}|${String(g.frame.d.ts)}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(got.map((g) => (g.frame.d as { val: number }).val)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(c.stats.duplicateReadings).toBe(3);
  });

  for (const stall of ['HELLO', 'READY'] as const) {
    it(`a broker that accepts the socket but never sends ${stall} is abandoned at the handshake timeout; the consumer reconnects with a fresh token`, async () => {
      // Regression (issue 13): only the producer had a handshake timeout; the consumer waited forever.
      const fake = await startFakeBroker((i) => (stall === 'HELLO' ? { hello: i > 0 } : { ready: i > 0 }));
      cleanups.push(() => fake.close());
      const tokens: string[] = [];
      const { c } = consumer(fake.url, async () => {
        tokens.push(`dev-${tokens.length + 1}`);
        return { ok: true, token: tokens[tokens.length - 1]! };
      }, { handshakeTimeoutMs: 300, backoffBaseMs: 20 });
      const second = await fake.waitConnections(2);
      await until(() => c.stats.state === 'ready', 'READY on the second connection');
      expect(fake.conns[0]!.closed).toBe(true);
      expect(second.frames.find((f) => f.op === 3)).toEqual({ op: 3, d: { token: 'dev-2', type: 1 } });
      expect(tokens.slice(0, 2)).toEqual(['dev-1', 'dev-2']);
    });
  }

  it('a HEARTBEAT left unanswered drops the connection at the next beat and the consumer reconnects', async () => {
    const fake = await startFakeBroker((i) => ({ heartbeatIntervalMs: 100, ack: i > 0 }));
    cleanups.push(() => fake.close());
    const { c } = consumer(fake.url, async () => ({ ok: true, token: 'dev' }), { backoffBaseMs: 20 });
    await fake.waitConnections(2);
    await until(() => c.stats.state === 'ready' && c.stats.connections === 2, 'READY on the second connection');
    expect(fake.conns[0]!.closed).toBe(true);
    expect(c.stats.lastClose).toMatch(/no heartbeat ack/);
  });

  it('remembers exactly the last dedupeReadings readings: a copy inside the bound is skipped, one older than the bound is delivered again', async () => {
    // the bound keeps an 8-hour stream's memory flat; forgetting must drop the oldest reading, in arrival order
    const b = await withBroker();
    const { c, got } = consumer(b.url, developerTokenSource(b.httpUrl, LAB.devId, LAB.apiKey), { dedupeReadings: 3 });
    await until(() => c.stats.state === 'ready', 'READY');
    const p1 = await readyClient(b, 'producer');
    for (let i = 0; i < 5; i++) p1.send(hr(i)); // remembered: 2, 3, 4
    await until(() => c.stats.delivered === 5, 'five readings');
    p1.send(hr(3)); // inside the bound: a copy
    p1.send(hr(1)); // forgotten (only 2, 3, 4 are remembered): delivered again; now 3, 4, 1 are remembered
    p1.send(hr(4)); // still remembered
    await until(() => c.stats.delivered + c.stats.duplicateReadings === 8, 'eight dispatches');
    expect(got.map((g) => (g.frame.d as { val: number }).val)).toEqual([0, 1, 2, 3, 4, 1]);
    expect(c.stats.duplicateReadings).toBe(2);
  });
});
