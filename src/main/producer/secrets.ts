/**
 * Broker secrets of the producer (a developer API key, an `rt.` token): kept in a
 * {@link SecretStore} — the OS keychain through `safeStorage` in Electron
 * (src/main/electron/secretsSafeStorage.ts), a 0600 file in headless and web mode
 * (src/main/secrets/fileSecretStore.ts) — never in the settings file, never in a log line.
 */
import { join } from 'node:path';
import { createFileSecretStore } from '../secrets/fileSecretStore';
import type { SecretStore } from '../secrets/secretStore';

export type { SecretStore } from '../secrets/secretStore';

/** Names of the secrets the producer uses. */
export const SECRET_NAMES = { apiKey: 'broker.apiKey', rtToken: 'broker.rtToken' } as const;

/** The headless/web store: `<dataDir>/secrets.json`, mode 0600. */
export function createHeadlessSecretStore(dataDir: string): SecretStore {
  return createFileSecretStore(join(dataDir, 'secrets.json'));
}

/** Read a secret; a store error reads as absent plus the reason. */
export function readSecret(store: SecretStore, name: string): { value: string | null; problem: string | null } {
  const r = store.get(name);
  return r.ok ? { value: r.value, problem: null } : { value: null, problem: r.message };
}
