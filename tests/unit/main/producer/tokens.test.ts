/** Token paths against the real local broker: each source reaches READY; 4001 recovers; bad credentials stop with one request. */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBroker, type Broker } from '../../../../src/broker/broker';
import { Outbox } from '../../../../src/main/producer/outbox';
import { createHeadlessSecretStore, SECRET_NAMES } from '../../../../src/main/producer/secrets';
import { buildTokenSource, tokenUrlFor } from '../../../../src/main/producer/tokens';
import { Uplink } from '../../../../src/main/producer/uplink';
import type { TokenSourceConfig } from '../../../../src/shared/contract/broker';
import { waitFor } from '../../../support/fakeBroker';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'tokens-'));
  cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

async function broker(): Promise<Broker> {
  const r = await createBroker({
    port: 0,
    heartbeatIntervalMs: 200,
    developers: [{ devId: 'dev', apiKey: 'key-123', users: ['athlete-1'] }],
    rtTokens: [{ token: 'rt.athlete-1', userId: 'athlete-1' }],
  });
  if (!r.ok) throw new Error(r.message);
  cleanups.push(() => r.value.kill());
  return r.value;
}

/** A customer backend: POST → {"token"} minted by the broker for the `id` in the query; counts requests. */
async function tokenBackend(b: Broker, status = 200): Promise<{ url: string; ids: string[] }> {
  const ids: string[] = [];
  const server: Server = createServer((req, res) => {
    const id = new URL(req.url ?? '/', 'http://x').searchParams.get('id') ?? '';
    ids.push(id);
    if (status !== 200) {
      res.writeHead(status).end('{"error":"bad_credentials"}');
      return;
    }
    const t = b.admin.mintUserToken(id);
    res.writeHead(t.ok ? 200 : 403, { 'content-type': 'application/json' }).end(JSON.stringify(t.ok ? { token: t.value } : { error: t.message }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanups.push(() => new Promise((r) => server.close(r)));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/terra-token`, ids };
}

function uplinkFor(b: Broker, config: TokenSourceConfig, secrets = createHeadlessSecretStore(tempDir())): Uplink {
  const built = buildTokenSource(config, { userId: 'athlete-1', brokerUrl: b.url, secrets, embedded: null });
  if (!built.ok) throw new Error(built.message);
  const opened = Outbox.open({ dir: tempDir() });
  if (!opened.ok) throw new Error(opened.message);
  const up = new Uplink({ url: b.url, token: built.value.source, outbox: opened.value, source: 't', backoffBaseMs: 20, backoffCapMs: 100 });
  cleanups.push(() => opened.value.close());
  cleanups.push(() => up.stop());
  return up;
}

describe('producer token sources', () => {
  it('token URL on the customer backend: one request per connection with the user id', async () => {
    const b = await broker();
    const backend = await tokenBackend(b);
    const up = uplinkFor(b, { kind: 'tokenUrl', url: backend.url });
    up.start();
    await waitFor(() => up.state().state === 'ready', 'ready');
    expect(backend.ids).toEqual(['athlete-1']);
  });

  it('developer credentials against /auth/user reach READY', async () => {
    const b = await broker();
    const secrets = createHeadlessSecretStore(tempDir());
    secrets.set(SECRET_NAMES.apiKey, 'key-123');
    const up = uplinkFor(b, { kind: 'developer', devId: 'dev' }, secrets);
    up.start();
    await waitFor(() => up.state().state === 'ready', 'ready');
  });

  it('an rt. token from the secret store reaches READY', async () => {
    const b = await broker();
    const secrets = createHeadlessSecretStore(tempDir());
    secrets.set(SECRET_NAMES.rtToken, 'rt.athlete-1');
    const up = uplinkFor(b, { kind: 'rt' }, secrets);
    up.start();
    await waitFor(() => up.state().state === 'ready', 'ready');
  });

  it('a token rejected with 4001 (already redeemed) is replaced by a fresh one and the uplink recovers', async () => {
    const b = await broker();
    const used = b.admin.mintUserToken('athlete-1');
    if (!used.ok) throw new Error(used.message);
    const backend = await tokenBackend(b);
    let calls = 0;
    const fresh = buildTokenSource({ kind: 'tokenUrl', url: backend.url }, { userId: 'athlete-1', brokerUrl: b.url, secrets: createHeadlessSecretStore(tempDir()), embedded: null });
    if (!fresh.ok) throw new Error(fresh.message);
    const opened = Outbox.open({ dir: tempDir() });
    if (!opened.ok) throw new Error(opened.message);
    cleanups.push(() => opened.value.close());
    const up = new Uplink({
      url: b.url,
      outbox: opened.value,
      source: 't',
      backoffBaseMs: 20,
      // the first attempt presents a token the broker does not know (expired / already redeemed)
      token: async () => (++calls === 1 ? { ok: true, token: `${used.value}-stale` } : fresh.value.source()),
    });
    cleanups.push(() => up.stop());
    up.start();
    await waitFor(() => up.state().state === 'ready', 'recovered');
    expect(up.state().lastClose?.code).toBe(4001);
    expect(calls).toBe(2);
    expect(backend.ids).toEqual(['athlete-1']);
  });

  it('invalid credentials (403): the error is shown, exactly one token request, no retry loop', async () => {
    const b = await broker();
    const backend = await tokenBackend(b, 403);
    const up = uplinkFor(b, { kind: 'tokenUrl', url: backend.url });
    // The uplink's timers on the test clock (sockets stay real): ten backoff caps pass, no retry.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    up.start();
    await vi.advanceTimersByTimeAsync(0);
    await waitFor(() => up.state().state === 'stopped', 'stopped');
    await vi.advanceTimersByTimeAsync(10_000);
    vi.useRealTimers();
    expect(backend.ids).toHaveLength(1);
    expect(up.state().error).toMatchObject({ code: 'BROKER_TOKEN_FAILED' });
    expect(up.state().error?.message).toMatch(/403/);
  });

  it('a wrong API key against the broker itself stops with the 403 explained', async () => {
    const b = await broker();
    const secrets = createHeadlessSecretStore(tempDir());
    secrets.set(SECRET_NAMES.apiKey, 'wrong');
    const up = uplinkFor(b, { kind: 'developer', devId: 'dev' }, secrets);
    up.start();
    await waitFor(() => up.state().state === 'stopped', 'stopped');
    expect(up.state().error?.message).toMatch(/403.*wrong dev-id\/API key/);
    expect(up.state().connections).toBe(0);
  });

  it('missing secrets and a missing embedded broker are reported, not guessed', () => {
    const ctx = { userId: 'u', brokerUrl: 'wss://ws.tryterra.co/connect', secrets: createHeadlessSecretStore(tempDir()), embedded: null };
    expect(buildTokenSource({ kind: 'developer', devId: 'd' }, ctx)).toMatchObject({ ok: false, code: 'BROKER_TOKEN_FAILED' });
    expect(buildTokenSource({ kind: 'rt' }, ctx)).toMatchObject({ ok: false, code: 'BROKER_TOKEN_FAILED' });
    expect(buildTokenSource({ kind: 'embedded' }, ctx)).toMatchObject({ ok: false, code: 'BROKER_BAD_CONFIG' });
  });

  it('token URL: {userId} is replaced, otherwise id= is added', () => {
    expect(tokenUrlFor('https://b.example/tok/{userId}', 'a b')).toBe('https://b.example/tok/a%20b');
    expect(tokenUrlFor('https://b.example/tok?x=1', 'u1')).toBe('https://b.example/tok?x=1&id=u1');
  });
});
