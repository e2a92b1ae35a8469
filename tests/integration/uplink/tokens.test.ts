/**
 * Token paths of the producer uplink against the real broker: a token URL on the customer's
 * backend, Terra developer credentials (with the desktop-key warning), a reusable `rt.` token, the
 * embedded in-process mint, 4001 (expired/used token) recovered with a fresh token, and invalid
 * credentials shown as an error with no retry loop.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBroker, type Broker } from '../../../src/broker/broker';
import { createConsumer } from '../../../src/broker/consumer';
import { developerTokenSource } from '../../../src/broker/tokenSources';
import { Outbox } from '../../../src/main/uplink/outbox';
import { createTokenSource, DEVELOPER_KEY_WARNING, type TokenSource, type TokenSourceConfig } from '../../../src/main/uplink/tokens';
import { Uplink, type UplinkStatus } from '../../../src/main/uplink/uplink';
import type { DispatchFrame } from '../../../src/shared/terra';

const LAB = { devId: 'lab', apiKey: 'lab-key' };
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function broker(over: Record<string, unknown> = {}): Promise<Broker> {
  const r = await createBroker({
    heartbeatIntervalMs: 300,
    developers: [{ ...LAB, users: ['u1'] }],
    rtTokens: [{ token: 'rt.u1-reusable', userId: 'u1' }],
    ...over,
  });
  if (!r.ok) throw new Error(r.message);
  cleanups.push(() => r.value.close());
  return r.value;
}

/** A READY consumer collecting dispatches. */
async function consume(b: Broker): Promise<DispatchFrame[]> {
  const got: DispatchFrame[] = [];
  let isReady = false;
  const c = createConsumer({
    url: b.url,
    token: developerTokenSource(b.httpUrl, LAB.devId, LAB.apiKey),
    onDispatch: (f) => got.push(f),
    onState: (state) => (isReady ||= state === 'ready'),
  });
  cleanups.push(() => c.stop());
  await until(() => isReady);
  return got;
}

function uplinkWith(b: Broker, source: TokenSource): Uplink {
  const dir = mkdtempSync(join(tmpdir(), 'uplink-tokens-'));
  const outbox = Outbox.open({ dir, syncPolicy: 'never' });
  const u = new Uplink({ url: b.url, userId: 'u1', tokenSource: source, outbox, backoffBaseMs: 20, backoffCapMs: 100 });
  cleanups.push(async () => {
    await u.stop();
    outbox.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return u;
}

function until(pred: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const t = setInterval(() => {
      if (!pred()) return;
      clearInterval(t);
      resolve();
    }, 5);
  });
}

const frame = (val: number) => `{"op":6,"d":{"ts":"2025-01-01T12:00:0${val}.000Z","val":${val}},"t":"HEART_RATE"}`;

/** Stream two readings through an uplink built from `config` and return what the consumer got. */
async function deliversWith(b: Broker, config: TokenSourceConfig): Promise<{ got: DispatchFrame[]; uplink: Uplink; source: TokenSource }> {
  const got = await consume(b);
  const source = createTokenSource(config, 'u1', b.url);
  const uplink = uplinkWith(b, source);
  uplink.start();
  uplink.enqueue([frame(1), frame(2)]);
  await until(() => got.length === 2);
  return { got, uplink, source };
}

/** A customer backend: POST /token mints a user token with the developer key it holds. */
async function customerBackend(b: Broker, status = 200): Promise<{ url: string; calls: () => number }> {
  let calls = 0;
  const server: Server = createServer((req, res) => {
    calls++;
    if (status !== 200) {
      res.writeHead(status).end('no');
      return;
    }
    const t = b.admin.mintUserToken('u1');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: t.ok ? t.value : '' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`, calls: () => calls };
}

describe('token sources', () => {
  it('token URL on the customer backend: one fresh token per connection, data delivered', async () => {
    const b = await broker();
    const backend = await customerBackend(b);
    const { got, uplink, source } = await deliversWith(b, { kind: 'tokenUrl', url: backend.url });
    expect(got.map((f) => f.d.val)).toEqual([1, 2]);
    expect(got[0]!.uid).toBe('u1');
    expect(source.warning).toBe(null);
    expect(backend.calls()).toBe(uplink.status().connections);
  });

  it('Terra developer credentials against /auth/user?id= work and carry the plain API-key warning', async () => {
    const b = await broker();
    const { got, uplink } = await deliversWith(b, { kind: 'developer', ...LAB });
    expect(got.map((f) => f.uid)).toEqual(['u1', 'u1']);
    expect(uplink.status().warning).toBe(DEVELOPER_KEY_WARNING);
    expect(uplink.status().warning).toMatch(/API key/);
  });

  it('a reusable rt. token is sent unchanged on every connection', async () => {
    const b = await broker();
    const { got, uplink } = await deliversWith(b, { kind: 'rt', token: 'rt.u1-reusable' });
    expect(got).toHaveLength(2);
    await uplink.stop();
    uplink.start(); // a second session with the very same token (a single-use token would get 4001)
    uplink.enqueue([frame(3)]);
    await until(() => got.some((f) => f.d.val === 3));
    expect(uplink.status()).toMatchObject({ connections: 2, state: 'ready', error: null });
  });

  it('an expired rt. token stops the uplink with a request for a new QR code, without connecting', async () => {
    const b = await broker();
    const source = createTokenSource({ kind: 'rt', token: 'rt.u1-reusable', expiresAtMs: Date.now() - 1000 }, 'u1', b.url);
    const uplink = uplinkWith(b, source);
    uplink.start();
    await until(() => uplink.status().state === 'error');
    expect(uplink.status().error).toMatchObject({ code: 'BROKER_TOKEN_FAILED' });
    expect(uplink.status().error?.message).toMatch(/expired.*QR/);
    expect(uplink.status().connections).toBe(0);
  });

  it('the embedded in-process mint delivers without any credentials on the wire', async () => {
    const b = await broker({ developers: [{ ...LAB, users: [], acceptAnyUser: true }], rtTokens: [] });
    const got = await consume(b);
    const source = createTokenSource({ kind: 'embedded' }, 'anyone', b.url, {
      embeddedMint: async (userId) => {
        const r = b.admin.mintUserToken(userId);
        return r.ok ? { ok: true, token: r.value } : { ok: false, message: r.message, isFatal: true };
      },
    });
    const uplink = uplinkWith(b, source);
    uplink.start();
    uplink.enqueue([frame(3)]);
    await until(() => got.length === 1);
    expect(got[0]!.uid).toBe('anyone');
  });
});

describe('token failures', () => {
  it('4001 for an expired token is recovered with a fresh token and the readings still arrive', async () => {
    const b = await broker({ tokenLifetimeMs: 50 });
    const got = await consume(b);
    const fresh = createTokenSource({ kind: 'developer', ...LAB }, 'u1', b.url);
    const handedOut: string[] = [];
    const source: TokenSource = {
      kind: 'developer',
      warning: null,
      async next() {
        const r = await fresh.next();
        if (r.ok) handedOut.push(r.token);
        if (handedOut.length === 1) await sleep(150); // the first token expires before it is used
        return r;
      },
    };
    const states: UplinkStatus[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'uplink-4001-'));
    const outbox = Outbox.open({ dir, syncPolicy: 'never' });
    const uplink = new Uplink({ url: b.url, userId: 'u1', tokenSource: source, outbox, onStatus: (s) => states.push(s) });
    cleanups.push(async () => {
      await uplink.stop();
      outbox.close();
      rmSync(dir, { recursive: true, force: true });
    });
    uplink.enqueue([frame(4)]);
    uplink.start();
    await until(() => got.length === 1);
    expect(handedOut).toHaveLength(2);
    expect(handedOut[1]).not.toBe(handedOut[0]);
    expect(states.some((s) => s.lastCloseCode === 4001)).toBe(true);
    expect(uplink.status().state).toBe('ready');
  });

  for (const [what, config] of [
    ['wrong API key (403)', { kind: 'developer', devId: 'lab', apiKey: 'wrong' }],
    ['unknown user (403)', { kind: 'developer', devId: 'lab', apiKey: 'lab-key' }],
  ] as const) {
    it(`invalid credentials — ${what} — are shown as an error and never retried`, async () => {
      const b = await broker();
      let calls = 0;
      const inner = createTokenSource(config, what.startsWith('unknown') ? 'stranger' : 'u1', b.url);
      const source: TokenSource = { ...inner, next: () => (calls++, inner.next()) };
      const uplink = uplinkWith(b, source);
      uplink.start();
      await until(() => uplink.status().state === 'error');
      await sleep(300); // backoff base is 20 ms: a retry loop would have called again by now
      expect(calls).toBe(1);
      expect(uplink.status().error?.code).toBe('BROKER_TOKEN_FAILED');
      expect(uplink.status().error?.message).toMatch(/403/);
      expect(uplink.status().error?.message).not.toContain('lab-key');
      expect(uplink.status().connections).toBe(0);
    });
  }

  it('a token URL answering 400 is an error without a retry loop', async () => {
    const b = await broker();
    const backend = await customerBackend(b, 400);
    const uplink = uplinkWith(b, createTokenSource({ kind: 'tokenUrl', url: backend.url }, 'u1', b.url));
    uplink.start();
    await until(() => uplink.status().state === 'error');
    await sleep(300);
    expect(backend.calls()).toBe(1);
    expect(uplink.status().error?.message).toMatch(/400/);
  });
});
