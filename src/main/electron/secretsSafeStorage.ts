/**
 * Secret store backed by Electron `safeStorage` (the OS keychain: Keychain on macOS, DPAPI on
 * Windows, libsecret/kwallet on Linux). Each secret is encrypted with `safeStorage.encryptString`
 * and kept, base64, in the 0600 secret file of the file store; only this user on this machine
 * can decrypt it. When the OS offers no real encryption (`isEncryptionAvailable()` false, or Linux
 * `basic_text` backend) secrets are refused with an actionable message instead of being stored weakly.
 */
import { safeStorage } from 'electron';
import { fail, ok, type Result } from '../../shared/errors';
import { createFileSecretStore } from '../secrets/fileSecretStore';
import type { SecretStore } from '../secrets/secretStore';

function available(): Result<null> {
  if (!safeStorage.isEncryptionAvailable()) {
    return fail('SECRETS_UNAVAILABLE', 'the OS keychain is not available, so broker credentials cannot be stored safely; on Linux install and unlock a keyring (gnome-keyring or kwallet)');
  }
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    return fail('SECRETS_UNAVAILABLE', 'no Linux keyring is running (Electron would use a hard-coded key); install and unlock gnome-keyring or kwallet to store broker credentials');
  }
  return ok(null);
}

/** A secret store whose values are encrypted by `safeStorage`; the sealed values live in the file store at `path`. */
export function createSafeStorageSecretStore(path: string): SecretStore {
  const sealedFile = createFileSecretStore(path);
  return {
    description: 'OS keychain (Electron safeStorage)',
    get(key) {
      const can = available();
      if (!can.ok) return can;
      const sealed = sealedFile.get(key);
      if (!sealed.ok || sealed.value === null) return sealed;
      try {
        return ok(safeStorage.decryptString(Buffer.from(sealed.value, 'base64')));
      } catch (err) {
        return fail('SECRETS_UNREADABLE', `a stored broker secret could not be decrypted (${(err as Error).message}); the keychain changed, enter it again`);
      }
    },
    set(key, value) {
      const can = available();
      if (!can.ok) return can;
      return sealedFile.set(key, safeStorage.encryptString(value).toString('base64'));
    },
    delete(key) {
      return sealedFile.delete(key);
    },
  };
}
