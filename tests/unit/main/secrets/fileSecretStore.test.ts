/** Headless secret store: 0600 file, survives reopen, refuses a file other users can read. */
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileSecretStore } from '../../../../src/main/secrets/fileSecretStore';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function path(): string {
  const d = mkdtempSync(join(tmpdir(), 'secrets-'));
  dirs.push(d);
  return join(d, 'sub', 'secrets.json');
}

describe('file secret store', () => {
  it('stores secrets in a file only the owner can read, and reads them back after reopening', () => {
    const p = path();
    const a = createFileSecretStore(p);
    expect(a.get('broker.apiKey')).toEqual({ ok: true, value: null });
    expect(a.set('broker.apiKey', 'k-123').ok).toBe(true);
    expect(statSync(p).mode & 0o777).toBe(0o600);
    expect(createFileSecretStore(p).get('broker.apiKey')).toEqual({ ok: true, value: 'k-123' });
    expect(a.description).not.toContain('k-123');
    a.delete('broker.apiKey');
    expect(JSON.parse(readFileSync(p, 'utf8'))).toEqual({});
  });

  it.skipIf(process.platform === 'win32')('refuses a secrets file that other users can read, saying how to fix it', () => {
    const p = path();
    const store = createFileSecretStore(p);
    store.set('x', 'y');
    chmodSync(p, 0o644);
    const r = store.get('x');
    expect(r.ok ? null : r.code).toBe('SECRETS_UNSAFE_FILE');
    expect(r.ok ? '' : r.message).toContain('chmod 600');
  });
});
