/**
 * Automatic updates are off unless the user turns them on in updates.json, never run in
 * development, and a bad settings file or a failing feed becomes a notice, never a crash.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));

const { readUpdateSettings, startAutoUpdate } = await import('../../../../src/main/electron/autoUpdate');

function dataDir(content?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sr-updates-'));
  if (content !== undefined) writeFileSync(join(dir, 'updates.json'), content);
  return dir;
}

function fakeUpdater(check: () => Promise<unknown> = () => Promise.resolve(null)) {
  const listeners: ((err: Error) => void)[] = [];
  return {
    autoDownload: false,
    autoInstallOnAppQuit: false,
    checkForUpdatesAndNotify: vi.fn(check),
    on: (_event: 'error', fn: (err: Error) => void) => listeners.push(fn),
    fail: (err: Error) => listeners.forEach((l) => l(err)),
  };
}

describe('update settings', () => {
  it('default to off without a file', () => {
    expect(readUpdateSettings(dataDir())).toEqual({ ok: true, value: { autoUpdate: false } });
  });

  it('read autoUpdate from updates.json', () => {
    expect(readUpdateSettings(dataDir('{"autoUpdate": true}'))).toEqual({ ok: true, value: { autoUpdate: true } });
    expect(readUpdateSettings(dataDir('{}'))).toEqual({ ok: true, value: { autoUpdate: false } });
  });

  it('refuse broken or unknown content with a sentence, not an exception', () => {
    for (const text of ['{not json', '{"autoUpdate": "yes"}', '{"autoUpdate": true, "channel": "beta"}', '[]']) {
      const r = readUpdateSettings(dataDir(text));
      expect(r.ok, text).toBe(false);
      if (!r.ok) {
        expect(r.code).toBe('APP_UPDATE_SETTINGS_INVALID');
        expect(r.message).toMatch(/automatic updates stay off/);
      }
    }
    const unreadable = readUpdateSettings('/x', () => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    });
    expect(unreadable).toMatchObject({ ok: false, code: 'APP_UPDATE_SETTINGS_INVALID' });
  });
});

describe('startAutoUpdate', () => {
  const on = { ok: true as const, value: { autoUpdate: true } };
  const off = { ok: true as const, value: { autoUpdate: false } };

  it('does not load the updater while updates are off (the default), in development, or with a bad settings file', async () => {
    const loadUpdater = vi.fn(async () => fakeUpdater());
    const notice = vi.fn();
    expect(await startAutoUpdate({ isPackaged: true, settings: off, loadUpdater, notice })).toMatchObject({ state: 'off' });
    expect(await startAutoUpdate({ isPackaged: false, settings: on, loadUpdater, notice })).toMatchObject({ state: 'off', reason: expect.stringMatching(/development/) });
    const bad = readUpdateSettings(dataDir('{oops'));
    expect(await startAutoUpdate({ isPackaged: true, settings: bad, loadUpdater, notice })).toMatchObject({ state: 'off' });
    expect(loadUpdater).not.toHaveBeenCalled();
    expect(notice).toHaveBeenCalledWith('warning', expect.stringMatching(/automatic updates stay off/), 'APP_UPDATE_SETTINGS_INVALID');
  });

  it('checks, downloads and installs on quit when turned on in an installed build', async () => {
    const updater = fakeUpdater();
    const notice = vi.fn();
    expect(await startAutoUpdate({ isPackaged: true, settings: on, loadUpdater: async () => updater, notice })).toEqual({ state: 'checking' });
    expect(updater.checkForUpdatesAndNotify).toHaveBeenCalledTimes(1);
    expect(updater.autoDownload).toBe(true);
    expect(updater.autoInstallOnAppQuit).toBe(true);
    expect(notice).not.toHaveBeenCalled();
  });

  it('turns a failing feed or a missing updater into a warning', async () => {
    const updater = fakeUpdater(() => Promise.reject(new Error('net::ERR_NAME_NOT_RESOLVED')));
    const notice = vi.fn();
    await startAutoUpdate({ isPackaged: true, settings: on, loadUpdater: async () => updater, notice });
    await vi.waitFor(() => expect(notice).toHaveBeenCalledWith('warning', expect.stringMatching(/update failed: net::ERR_NAME_NOT_RESOLVED/)));
    updater.fail(new Error('no app-update.yml'));
    expect(notice).toHaveBeenLastCalledWith('warning', expect.stringMatching(/no app-update.yml/));
    const failing = await startAutoUpdate({ isPackaged: true, settings: on, loadUpdater: () => Promise.reject(new Error('module missing')), notice });
    expect(failing).toMatchObject({ state: 'off', reason: expect.stringMatching(/module missing/) });
  });
});
