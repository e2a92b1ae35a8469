/** Web mode: the UI and contract are served on loopback; foreign origins and missing tokens are refused. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createHost } from '../../../../src/main/host';
import { startWebServer, type WebServer } from '../../../../src/main/web/webServer';

const servers: WebServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});

async function serve(token: string | null = null, host = '127.0.0.1', limits: { maxConnections?: number; maxBufferedBytes?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'sr-web-'));
  const ui = join(dir, 'ui');
  mkdirSync(ui);
  writeFileSync(join(ui, 'index.html'), '<!doctype html><title>ui</title>');
  writeFileSync(join(dir, 'secret.txt'), 'secret');
  const h = createHost({ mode: 'web', dataDir: join(dir, 'data') });
  const server = await startWebServer(h, { host, port: 0, uiDir: ui, token, ...limits });
  servers.push(server);
  return { server, port: server.port, host: h };
}

function connect(url: string, origin?: string, headers: Record<string, string> = {}): Promise<{ ok: boolean; status?: number; ws?: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers: { ...(origin ? { Origin: origin } : {}), ...headers } });
    ws.on('open', () => resolve({ ok: true, ws }));
    ws.on('unexpected-response', (_req, res) => resolve({ ok: false, status: res.statusCode }));
    ws.on('error', () => resolve({ ok: false }));
  });
}

describe('web server', () => {
  it('serves the UI with the CSP header and refuses path traversal', async () => {
    const { port } = await serve();
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const traversal = await fetch(`http://127.0.0.1:${port}/..%2fsecret.txt`);
    expect(await traversal.text()).not.toContain('secret');
  });

  it('answers contract calls over the WebSocket from its own origin', async () => {
    const { port } = await serve();
    const c = await connect(`ws://127.0.0.1:${port}/contract`, `http://127.0.0.1:${port}`);
    expect(c.ok).toBe(true);
    const reply = await new Promise<unknown>((resolve) => {
      c.ws!.on('message', (d) => resolve(JSON.parse(String(d))));
      c.ws!.send(JSON.stringify({ kind: 'call', id: 7, name: 'host.info', args: {} }));
    });
    expect(reply).toMatchObject({ kind: 'reply', id: 7, reply: { ok: true, value: { mode: 'web' } } });
    c.ws!.close();
  });

  it('refuses a WebSocket from another site (cross-site WebSocket hijacking)', async () => {
    const { port } = await serve();
    const c = await connect(`ws://127.0.0.1:${port}/contract`, 'https://evil.example');
    expect(c).toMatchObject({ ok: false, status: 403 });
  });

  it('requires the access token when one is set', async () => {
    const { port } = await serve('s3cret');
    expect(await connect(`ws://127.0.0.1:${port}/contract`)).toMatchObject({ ok: false, status: 403 });
    expect(await connect(`ws://127.0.0.1:${port}/contract?token=wrong`)).toMatchObject({ ok: false, status: 403 });
    const good = await connect(`ws://127.0.0.1:${port}/contract?token=s3cret`);
    expect(good.ok).toBe(true);
    good.ws!.close();
  });

  it('will not bind beyond loopback without a token', async () => {
    await expect(serve(null, '0.0.0.0')).rejects.toThrow(/access token is required/);
  });
});

/** A raw HTTP request with any Host header (fetch will not send a foreign Host). */
function rawGet(port: number, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('web server: malformed requests, DNS rebinding, slow and surplus clients (issue 11)', () => {
  it('answers a malformed path with 400 and keeps serving (GET /% used to kill web mode)', async () => {
    const { server, port } = await serve();
    expect(await rawGet(port, '/%')).toBe(400);
    expect(await rawGet(port, '/%E0%A4%A')).toBe(400);
    expect(await rawGet(port, '/a%00b')).toBe(400);
    expect(server.stats.badRequests).toBe(3);
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(res.status).toBe(200);
  });

  it('refuses a foreign Host on loopback, for pages and for the contract (DNS rebinding)', async () => {
    const { server, port } = await serve();
    expect(await rawGet(port, '/', { Host: `evil.example:${port}` })).toBe(403);
    const rebound = await connect(`ws://127.0.0.1:${port}/contract`, `http://evil.example:${port}`, { Host: `evil.example:${port}` });
    expect(rebound).toMatchObject({ ok: false, status: 403 });
    expect(server.stats.forbidden).toBe(2);
    for (const name of ['127.0.0.1', 'localhost']) {
      const own = await connect(`ws://${name}:${port}/contract`, `http://${name}:${port}`);
      expect(own.ok).toBe(true);
      own.ws!.close();
    }
  });

  it('caps contract connections and says so with 503', async () => {
    const { server, port } = await serve(null, '127.0.0.1', { maxConnections: 2 });
    const a = await connect(`ws://127.0.0.1:${port}/contract`);
    const b = await connect(`ws://127.0.0.1:${port}/contract`);
    expect(a.ok && b.ok).toBe(true);
    expect(await connect(`ws://127.0.0.1:${port}/contract`)).toMatchObject({ ok: false, status: 503 });
    expect(server.stats.refusedConnections).toBe(1);
    a.ws!.close();
    b.ws!.close();
  });

  it('drops a client that stops reading instead of buffering without bound', async () => {
    const { server, port, host } = await serve(null, '127.0.0.1', { maxBufferedBytes: 256 * 1024 });
    const reader = await connect(`ws://127.0.0.1:${port}/contract`);
    const stalled = await connect(`ws://127.0.0.1:${port}/contract`);
    expect(reader.ok && stalled.ok).toBe(true);
    let readerGot = 0;
    reader.ws!.on('message', () => (readerGot += 1));
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      stalled.ws!.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
    (stalled.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const big = 'x'.repeat(64 * 1024);
    await vi.waitFor(
      () => {
        for (let i = 0; i < 20; i++) host.notice('info', big);
        expect(server.stats.slowClientsDropped).toBe(1);
      },
      { timeout: 20_000, interval: 20 },
    );
    expect(server.connectionCount).toBeGreaterThanOrEqual(1);
    (stalled.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await closed).toEqual({ code: 1008, reason: expect.stringMatching(/too slow/) });
    // the reading client is unaffected
    await vi.waitFor(() => expect(readerGot).toBeGreaterThan(20));
    reader.ws!.close();
  });
});
