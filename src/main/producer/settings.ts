/**
 * Broker settings file `<dataDir>/broker-settings.json` (no secrets): zod-validated; a bad file
 * gives a clear notice and the defaults, and the original is kept beside it as `.bad`.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { writePrivateFileAtomic } from '../../broker/privateFiles';
import { join } from 'node:path';
import type { z } from 'zod';
import { describeZodError } from '../../shared/contract';
import { brokerSettingsSchema, type brokerConfigureSchema, type BrokerSettings } from '../../shared/contract/broker';
import { fail, ok, type Result } from '../../shared/errors';

/** Arguments of `broker.configure`. */
export type BrokerConfigureArgs = z.output<typeof brokerConfigureSchema>;

/** File name of the settings inside the data folder. */
export const BROKER_SETTINGS_FILE = 'broker-settings.json';

/** Load the settings; `notice` explains why defaults are used when the file is bad. */
export function loadBrokerSettings(dataDir: string): { settings: BrokerSettings; notice: string | null } {
  const path = join(dataDir, BROKER_SETTINGS_FILE);
  const defaults = brokerSettingsSchema.parse({});
  if (!existsSync(path)) return { settings: defaults, notice: null };
  let problem: string;
  try {
    const parsed = brokerSettingsSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (parsed.success) return { settings: parsed.data, notice: null };
    problem = describeZodError(parsed.error);
  } catch (err) {
    problem = (err as Error).message;
  }
  const bad = `${path}.bad`;
  try {
    renameSync(path, bad);
  } catch (err) {
    problem += ` (and it could not be moved aside: ${(err as Error).message})`;
  }
  return { settings: defaults, notice: `broker settings ${path} are invalid (${problem}); using the defaults (embedded broker). The original is kept as ${bad}.` };
}

/** Write the settings atomically. */
export function saveBrokerSettings(dataDir: string, settings: BrokerSettings): Result<null> {
  const path = join(dataDir, BROKER_SETTINGS_FILE);
  try {
    writePrivateFileAtomic(path, `${JSON.stringify(settings, null, 2)}\n`);
    return ok(null);
  } catch (err) {
    return fail('BROKER_BAD_CONFIG', `could not save ${path}: ${(err as Error).message}`);
  }
}

/** Apply a patch to the settings and validate the result. */
export function mergeBrokerSettings(current: BrokerSettings, patch: NonNullable<BrokerConfigureArgs['settings']>): Result<BrokerSettings> {
  const merged = { ...current, ...patch, outbox: { ...current.outbox, ...(patch.outbox ?? {}) } };
  const parsed = brokerSettingsSchema.safeParse(merged);
  return parsed.success ? ok(parsed.data) : fail('BROKER_BAD_CONFIG', `broker settings: ${describeZodError(parsed.error)}`);
}
