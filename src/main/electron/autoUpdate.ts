/**
 * Automatic updates through electron-updater (docs/packaging.md "Updates"), off by default so a
 * lab can pin a version for a study. A user or an administrator turns them on with
 * `{ "autoUpdate": true }` in `<data dir>/updates.json`; the installer must also have been built
 * with an update feed (SENSOR_RELAY_UPDATE_URL at `npm run dist`). Development runs never update.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { fail, ok, type Result } from '../../shared/errors';

/** Name of the settings file in the data directory. */
export const UPDATE_SETTINGS_FILE = 'updates.json';

const updateSettingsSchema = z.object({ autoUpdate: z.boolean().default(false) }).strict();

/** The update settings. */
export type UpdateSettings = z.infer<typeof updateSettingsSchema>;

/** Defaults: no automatic updates. */
export const DEFAULT_UPDATE_SETTINGS: UpdateSettings = { autoUpdate: false };

/**
 * Read `<dataDir>/updates.json`. A missing file means the defaults; an unreadable or invalid file
 * is an error value (and updates stay off), never an exception.
 */
export function readUpdateSettings(dataDir: string, read: (path: string) => string = (p) => readFileSync(p, 'utf8')): Result<UpdateSettings> {
  const path = join(dataDir, UPDATE_SETTINGS_FILE);
  let text: string;
  try {
    text = read(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return ok(DEFAULT_UPDATE_SETTINGS);
    return fail('APP_UPDATE_SETTINGS_INVALID', `The update settings in ${path} could not be read (${(err as Error).message}); automatic updates stay off.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail('APP_UPDATE_SETTINGS_INVALID', `The update settings in ${path} are not valid JSON; automatic updates stay off. Write { "autoUpdate": true } or delete the file.`);
  }
  const parsed = updateSettingsSchema.safeParse(json);
  if (!parsed.success) {
    return fail('APP_UPDATE_SETTINGS_INVALID', `The update settings in ${path} are not understood (expected { "autoUpdate": true or false }); automatic updates stay off.`);
  }
  return ok(parsed.data);
}

/** The part of electron-updater's `autoUpdater` used here. */
export interface Updater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  checkForUpdatesAndNotify(): Promise<unknown>;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

/** What {@link startAutoUpdate} decided. */
export type AutoUpdateState = { readonly state: 'off'; readonly reason: string } | { readonly state: 'checking' };

/** What starting the updater needs. */
export interface AutoUpdateDeps {
  readonly isPackaged: boolean;
  readonly settings: Result<UpdateSettings>;
  /** Loads electron-updater (only when updates are on). */
  readonly loadUpdater: () => Promise<Updater>;
  /** Tell the user (host.notice). */
  readonly notice: (level: 'info' | 'warning' | 'error', message: string, code?: string) => void;
}

/**
 * Start checking for updates when allowed: packaged, and `autoUpdate` on. A found update is
 * downloaded and installed when the app quits (never in the middle of a recording). Failures
 * become a warning notice; nothing here throws.
 */
export async function startAutoUpdate(deps: AutoUpdateDeps): Promise<AutoUpdateState> {
  if (!deps.settings.ok) {
    deps.notice('warning', deps.settings.message, deps.settings.code);
    return { state: 'off', reason: deps.settings.message };
  }
  if (!deps.settings.value.autoUpdate) return { state: 'off', reason: 'automatic updates are off (updates.json)' };
  if (!deps.isPackaged) return { state: 'off', reason: 'development run: updates apply to installed builds only' };
  try {
    const updater = await deps.loadUpdater();
    updater.autoDownload = true;
    updater.autoInstallOnAppQuit = true;
    updater.on('error', (err) => deps.notice('warning', `Checking for a Sensor Relay update failed: ${err.message}`));
    void updater.checkForUpdatesAndNotify().catch((err: unknown) => {
      deps.notice('warning', `Checking for a Sensor Relay update failed: ${err instanceof Error ? err.message : String(err)}`);
    });
    return { state: 'checking' };
  } catch (err) {
    const message = `Automatic updates could not start: ${err instanceof Error ? err.message : String(err)}`;
    deps.notice('warning', message);
    return { state: 'off', reason: message };
  }
}

/** electron-updater's `autoUpdater` (a CommonJS package, loaded on demand). */
export async function loadElectronUpdater(): Promise<Updater> {
  const mod = (await import('electron-updater')) as unknown as { autoUpdater?: Updater; default?: { autoUpdater: Updater } };
  const updater = mod.autoUpdater ?? mod.default?.autoUpdater;
  if (!updater) throw new Error('electron-updater has no autoUpdater export');
  return updater;
}
