/**
 * Secret store backed by Electron `safeStorage` (the OS keychain: Keychain on macOS, DPAPI on
 * Windows, libsecret/kwallet on Linux). Each secret is encrypted with `safeStorage.encryptString`
 * and kept, base64, in a 0600 JSON file under the app's data folder; only this user on this machine
 * can decrypt it. When the OS offers no real encryption (`isEncryptionAvailable()` false, or Linux
 * `basic_text` backend) secrets are refused with an actionable message instead of being stored weakly.
 */
import { safeStorage } from 'electron';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { fail, ok, type Result } from '../../shared/errors';
import type { SecretStore } from '../secrets/secretStore';

const fileSchema = z.record(z.string(), z.string());

function available(): Result<null> {
  if (!safeStorage.isEncryptionAvailable()) {
    return fail('SECRETS_UNAVAILABLE', 'the OS keychain is not available, so broker credentials cannot be stored safely; on Linux install and unlock a keyring (gnome-keyring or kwallet)');
  }
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    return fail('SECRETS_UNAVAILABLE', 'no Linux keyring is running (Electron would use a hard-coded key); install and unlock gnome-keyring or kwallet to store broker credentials');
  }
  return ok(null);
}

/** A secret store whose values are encrypted by `safeStorage` and kept in `path`. */
export function createSafeStorageSecretStore(path: string): SecretStore {
  function read(): Result<Record<string, string>> {
    if (!existsSync(path)) return ok({});
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      return fail('SECRETS_UNREADABLE', `${path} is not readable JSON (${(err as Error).message}); delete it and enter the secrets again`);
    }
    const parsed = fileSchema.safeParse(json);
    return parsed.success ? ok(parsed.data) : fail('SECRETS_UNREADABLE', `${path} does not hold encrypted secrets; delete it and enter the secrets again`);
  }

  function write(all: Record<string, string>): Result<null> {
    try {
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.tmp`;
      writeFileSync(tmp, JSON.stringify(all), { mode: 0o600 });
      chmodSync(tmp, 0o600);
      renameSync(tmp, path);
      return ok(null);
    } catch (err) {
      return fail('SECRETS_UNREADABLE', `could not write ${path}: ${(err as Error).message}`);
    }
  }

  return {
    description: 'OS keychain (Electron safeStorage)',
    get(key) {
      const can = available();
      if (!can.ok) return can;
      const all = read();
      if (!all.ok) return all;
      const sealed = all.value[key];
      if (sealed === undefined) return ok(null);
      try {
        return ok(safeStorage.decryptString(Buffer.from(sealed, 'base64')));
      } catch (err) {
        return fail('SECRETS_UNREADABLE', `a stored broker secret could not be decrypted (${(err as Error).message}); the keychain changed, enter it again`);
      }
    },
    set(key, value) {
      const can = available();
      if (!can.ok) return can;
      const all = read();
      if (!all.ok) return all;
      return write({ ...all.value, [key]: safeStorage.encryptString(value).toString('base64') });
    },
    delete(key) {
      const all = read();
      if (!all.ok) return all;
      const { [key]: _removed, ...rest } = all.value;
      return write(rest);
    },
  };
}
