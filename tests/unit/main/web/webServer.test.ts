/** Web mode: the UI and contract are served on loopback; foreign origins and missing tokens are refused. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createHost } from '../../../../src/main/host';
import { startWebServer, type WebServer } from '../../../../src/main/web/webServer';

const servers: WebServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});

async function serve(token: string | null = null, host = '127.0.0.1') {
  const dir = mkdtempSync(join(tmpdir(), 'sr-web-'));
  const ui = join(dir, 'ui');
  mkdirSync(ui);
  writeFileSync(join(ui, 'index.html'), '<!doctype html><title>ui</title>');
  writeFileSync(join(dir, 'secret.txt'), 'secret');
  const h = createHost({ mode: 'web', dataDir: join(dir, 'data') });
  const server = await startWebServer(h, { host, port: 0, uiDir: ui, token });
  servers.push(server);
  return { server, port: server.port };
}

function connect(url: string, origin?: string): Promise<{ ok: boolean; status?: number; ws?: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, origin ? { headers: { Origin: origin } } : {});
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
