/**
 * Headless secret store: one JSON file created with mode 0600 (owner read/write only) and replaced
 * atomically on every change. Its mode is re-checked on read: a file others can read is refused
 * with a message telling how to fix it, rather than silently used.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { fail, ok, type Result } from '../../shared/errors';
import type { SecretStore } from './secretStore';

const fileSchema = z.record(z.string(), z.string());

/** A secret store in `path` (mode 0600). */
export function createFileSecretStore(path: string): SecretStore {
  function read(): Result<Record<string, string>> {
    if (!existsSync(path)) return ok({});
    if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
      return fail('SECRETS_UNSAFE_FILE', `${path} can be read by other users; run \`chmod 600 ${path}\` (or delete it and enter the secrets again)`);
    }
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      return fail('SECRETS_UNREADABLE', `${path} is not readable JSON (${(err as Error).message}); delete it and enter the secrets again`);
    }
    const parsed = fileSchema.safeParse(json);
    return parsed.success ? ok(parsed.data) : fail('SECRETS_UNREADABLE', `${path} does not hold a map of secrets; delete it and enter the secrets again`);
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
    description: `file ${path} (readable only by you)`,
    get(key) {
      const all = read();
      return all.ok ? ok(all.value[key] ?? null) : all;
    },
    set(key, value) {
      const all = read();
      if (!all.ok) return all;
      return write({ ...all.value, [key]: value });
    },
    delete(key) {
      const all = read();
      if (!all.ok) return all;
      const { [key]: _removed, ...rest } = all.value;
      return write(rest);
    },
  };
}
