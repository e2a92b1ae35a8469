/**
 * Issue 11 item 3: a stored API key or rt. token goes only where it was entered. Symptom guarded:
 * `broker.configure` could move `authBase` to another host and the next token request carried the
 * stored `x-api-key` there; `http://` auth bases beyond loopback and `ws://127.attacker.example`
 * were accepted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHost, type Host } from '../../../../src/main/host';
import { checkBrokerUrl } from '../../../../src/main/producer/uplink';
import { isLoopbackHostname } from '../../../../src/shared/loopback';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** An auth endpoint that records the API keys it is sent. */
async function authServer(): Promise<{ url: string; keys: string[] }> {
  const keys: string[] = [];
  const server: Server = createServer((req, res) => {
    keys.push(String(req.headers['x-api-key'] ?? ''));
    res.writeHead(500).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, keys };
}

async function startHost(): Promise<Host> {
  const dir = mkdtempSync(join(tmpdir(), 'sec-dest-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const host = createHost({ mode: 'headless', dataDir: dir, isAntUsbEnabled: false });
  await host.start();
  cleanups.push(() => host.stop());
  return host;
}

describe('secret destinations', () => {
  it('refuses to send the stored API key to a new auth base unless the key is entered again', async () => {
    const host = await startHost();
    const first = await authServer();
    const other = await authServer();
    const developer = (authBase: string) => ({ kind: 'developer' as const, devId: 'dev', authBase });
    const set = await host.call({ kind: 'call', id: 1, name: 'broker.configure', args: { settings: { tokenSource: developer(first.url) }, apiKey: 'k-123' } });
    expect(set.ok).toBe(true);

    const moved = await host.call({ kind: 'call', id: 2, name: 'broker.configure', args: { settings: { tokenSource: developer(other.url) } } });
    expect(moved).toMatchObject({ ok: false, code: 'BROKER_SECRET_REQUIRED' });
    await host.broker.testConnection('u1');
    expect(other.keys).toEqual([]);
    expect(first.keys).toContain('k-123'); // the settings were not changed

    const reentered = await host.call({ kind: 'call', id: 3, name: 'broker.configure', args: { settings: { tokenSource: developer(other.url) }, apiKey: 'k-456' } });
    expect(reentered.ok).toBe(true);
    await host.broker.testConnection('u1');
    expect(other.keys).toContain('k-456');
    expect(other.keys).not.toContain('k-123');
  });

  it('refuses plain http:// auth bases and token URLs beyond this machine', async () => {
    const host = await startHost();
    for (const tokenSource of [
      { kind: 'developer', devId: 'dev', authBase: 'http://auth.example.com' },
      { kind: 'tokenUrl', url: 'http://tokens.example.com/mint' },
    ]) {
      const r = await host.call({ kind: 'call', id: 1, name: 'broker.configure', args: { settings: { target: { kind: 'url', url: 'wss://broker.example.com/connect' }, tokenSource }, apiKey: 'k' } });
      expect(r).toMatchObject({ ok: false, code: 'BROKER_INSECURE_URL' });
    }
  });

  it('decides loopback by parsing, not by prefix', () => {
    expect(checkBrokerUrl('ws://127.attacker.example/connect')?.code).toBe('BROKER_INSECURE_URL');
    expect(checkBrokerUrl('ws://127.0.0.1:9/connect')).toBeNull();
    expect(checkBrokerUrl('ws://[::1]:9/connect')).toBeNull();
    expect(isLoopbackHostname('127.0.0.1.attacker.example')).toBe(false);
    expect(isLoopbackHostname('127.1.2.3')).toBe(true);
  });
});
