/** The Electron secret store encrypts with safeStorage and refuses to store when no keychain is available. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const state = vi.hoisted(() => ({ isAvailable: true, backend: 'gnome_libsecret' }));
vi.mock('electron', () => ({
  safeStorage: {
    isEncryptionAvailable: () => state.isAvailable,
    getSelectedStorageBackend: () => state.backend,
    encryptString: (s: string) => Buffer.from(`enc:${Buffer.from(s).toString('hex')}`),
    decryptString: (b: Buffer) => {
      const text = b.toString();
      if (!text.startsWith('enc:')) throw new Error('bad ciphertext');
      return Buffer.from(text.slice(4), 'hex').toString();
    },
  },
}));

import { createSafeStorageSecretStore } from '../../../../src/main/electron/secretsSafeStorage';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'safe-'));
  state.isAvailable = true;
  state.backend = 'gnome_libsecret';
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('safeStorage secret store', () => {
  it('keeps only ciphertext on disk and decrypts it back', () => {
    const p = join(dir, 'secrets.json');
    const store = createSafeStorageSecretStore(p);
    expect(store.set('broker.apiKey', 'super-secret').ok).toBe(true);
    expect(readFileSync(p, 'utf8')).not.toContain('super-secret');
    expect(createSafeStorageSecretStore(p).get('broker.apiKey')).toEqual({ ok: true, value: 'super-secret' });
  });

  it('refuses to store a secret when the OS keychain is unavailable', () => {
    state.isAvailable = false;
    const r = createSafeStorageSecretStore(join(dir, 's.json')).set('k', 'v');
    expect(r.ok ? null : r.code).toBe('SECRETS_UNAVAILABLE');
  });

  it.skipIf(process.platform !== 'linux')('refuses the Linux basic_text backend (a hard-coded key is no protection)', () => {
    state.backend = 'basic_text';
    const r = createSafeStorageSecretStore(join(dir, 's.json')).set('k', 'v');
    expect(r.ok ? '' : r.message).toMatch(/keyring/);
  });
});
