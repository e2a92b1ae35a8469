/**
 * The app:// protocol: the UI is served from the renderer build only. Traversal attempts (dot
 * segments, percent-encoded dots and slashes, backslashes, absolute and drive paths, symlinks
 * leading out of the build) get a 404 and never a file outside; ELECTRON_RENDERER_URL counts only
 * in development.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

import { FakeProtocol } from '../../../support/electronFake';

vi.mock('electron', async () => (await import('../../../support/electronFake')).electronModule());

const { APP_SCHEME_PRIVILEGES, APP_URL, createAppFileHandler, installAppProtocol, rendererUrl, resolveAppPath } = await import(
  '../../../../src/main/electron/appProtocol'
);
const { CONTENT_SECURITY_POLICY } = await import('../../../../src/shared/csp');

const ROOT = join('/opt', 'Sensor Relay', 'resources', 'app.asar', 'out', 'renderer');

describe('resolveAppPath (pure)', () => {
  it('maps app://sensor-relay/ paths into the renderer build', () => {
    expect(resolveAppPath(ROOT, 'app://sensor-relay/index.html')).toEqual({ ok: true, value: join(ROOT, 'index.html') });
    expect(resolveAppPath(ROOT, 'app://sensor-relay/')).toEqual({ ok: true, value: join(ROOT, 'index.html') });
    expect(resolveAppPath(ROOT, 'app://sensor-relay')).toEqual({ ok: true, value: join(ROOT, 'index.html') });
    expect(resolveAppPath(ROOT, 'app://sensor-relay/assets/index-1.js?v=2#x')).toEqual({ ok: true, value: join(ROOT, 'assets', 'index-1.js') });
    expect(resolveAppPath(ROOT, 'app://sensor-relay/assets/a%20b.css')).toEqual({ ok: true, value: join(ROOT, 'assets', 'a b.css') });
    expect(resolveAppPath(ROOT, 'app://sensor-relay/index.html#/class')).toEqual({ ok: true, value: join(ROOT, 'index.html') });
  });

  const traversals = [
    'app://sensor-relay/../../../etc/passwd',
    'app://sensor-relay/assets/../../secret',
    'app://sensor-relay/%2e%2e/%2e%2e/etc/passwd',
    'app://sensor-relay/%2E%2E/package.json',
    'app://sensor-relay/.%2e/package.json',
    'app://sensor-relay/assets/%2e%2e%2f%2e%2e%2fpackage.json',
    'app://sensor-relay/..%2fpackage.json',
    'app://sensor-relay/..%5cpackage.json',
    'app://sensor-relay/..\\..\\package.json',
    'app://sensor-relay/assets\\..\\..\\package.json',
    'app://sensor-relay/%2fetc%2fpasswd',
    'app://sensor-relay//etc/passwd',
    'app://sensor-relay/C:/Windows/win.ini',
    'app://sensor-relay/c%3a%5cWindows%5cwin.ini',
    'app://sensor-relay/./index.html',
    'app://sensor-relay/index.html%00.png',
    'app://sensor-relay/%E0%A4%A',
    'app://other-host/index.html',
    'file:///etc/passwd',
    'https://sensor-relay/index.html',
    '/etc/passwd',
    'C:\\Windows\\win.ini',
  ];
  it.each(traversals)('refuses %s', (url) => {
    const r = resolveAppPath(ROOT, url);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe('APP_PROTOCOL_REFUSED');
  });
});

function build(): { root: string; outside: string } {
  const base = mkdtempSync(join(tmpdir(), 'sr-app-protocol-'));
  const root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Sensor Relay</title>');
  writeFileSync(join(root, 'assets', 'index-1.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'index-1.css'), 'body{}');
  const outside = join(base, 'secret.txt');
  writeFileSync(outside, 'health data');
  writeFileSync(join(base, 'package.json'), '{"name":"x"}');
  return { root, outside };
}

describe('the app:// handler', () => {
  it('serves the build with content type, CSP and nosniff', async () => {
    const { root } = build();
    const handle = createAppFileHandler(root, undefined, () => {});
    const page = await handle(new Request(APP_URL));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>Sensor Relay</title>');
    const script = await handle(new Request('app://sensor-relay/assets/index-1.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
    expect((await handle(new Request('app://sensor-relay/assets/index-1.css'))).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers 404 for missing files, directories and every traversal, and 405 for writes', async () => {
    const { root } = build();
    const logged: string[] = [];
    const handle = createAppFileHandler(root, undefined, (l) => logged.push(l));
    expect((await handle(new Request('app://sensor-relay/nope.js'))).status).toBe(404);
    expect((await handle(new Request('app://sensor-relay/assets/'))).status).toBe(404);
    for (const url of ['app://sensor-relay/%2e%2e/secret.txt', 'app://sensor-relay/..%2fpackage.json', 'app://sensor-relay/assets/..%5c..%5csecret.txt']) {
      const r = await handle(new Request(url));
      expect(r.status, url).toBe(404);
      expect(await r.text()).not.toContain('health data');
    }
    expect(logged.some((l) => l.includes('APP_PROTOCOL_REFUSED'))).toBe(true);
    expect((await handle(new Request(APP_URL, { method: 'POST', body: 'x' }))).status).toBe(405);
  });

  it('refuses a symlink inside the build that leads outside it, and serves one that stays inside', async () => {
    const { root, outside } = build();
    symlinkSync(outside, join(root, 'assets', 'leak.txt'));
    symlinkSync(join(root, '..'), join(root, 'parent'));
    symlinkSync(join(root, 'assets', 'index-1.js'), join(root, 'alias.js'));
    const logged: string[] = [];
    const handle = createAppFileHandler(root, undefined, (l) => logged.push(l));
    const leak = await handle(new Request('app://sensor-relay/assets/leak.txt'));
    expect(leak.status).toBe(404);
    expect(await leak.text()).not.toContain('health data');
    expect((await handle(new Request('app://sensor-relay/parent/secret.txt'))).status).toBe(404);
    expect(logged.filter((l) => l.includes('leads outside the app'))).toHaveLength(2);
    const alias = await handle(new Request('app://sensor-relay/alias.js'));
    expect(alias.status).toBe(200);
    expect(await alias.text()).toBe('console.log(1)');
  });

  it('is installed on the app scheme, registered as a standard secure scheme that does not bypass CSP', () => {
    const protocol = new FakeProtocol();
    installAppProtocol(protocol, '/opt/x');
    expect([...protocol.handlers.keys()]).toEqual(['app']);
    expect(APP_SCHEME_PRIVILEGES).toEqual({ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } });
  });
});

describe('rendererUrl', () => {
  it('uses ELECTRON_RENDERER_URL only in development, and only an http(s) URL', () => {
    expect(rendererUrl(false, 'http://localhost:5173/')).toBe('http://localhost:5173/');
    expect(rendererUrl(true, 'http://localhost:5173/')).toBe(APP_URL);
    expect(rendererUrl(true, 'https://evil.example/')).toBe(APP_URL);
    expect(rendererUrl(false, undefined)).toBe(APP_URL);
    expect(rendererUrl(false, 'file:///tmp/other.html')).toBe(APP_URL);
    expect(rendererUrl(false, 'not a url')).toBe(APP_URL);
  });
});
