/**
 * Secret storage for broker credentials (API keys, `rt.` tokens, token-URL headers). docs/security.md
 * "Secrets": secrets live in the OS keychain through Electron `safeStorage`
 * (src/main/electron/secretsSafeStorage.ts) or, headless, in a file only the user can read
 * (fileSecretStore.ts); never in settings files, never in logs.
 */
import type { Result } from '../../shared/errors';

/** A small key → secret string store. */
export interface SecretStore {
  /** Where the secrets are kept, for the UI ("OS keychain", a file path). Never the secrets. */
  readonly description: string;
  get(key: string): Result<string | null>;
  set(key: string, value: string): Result<null>;
  delete(key: string): Result<null>;
}
