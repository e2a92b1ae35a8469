/**
 * Regression (issue 15, small): the single-key M marker shortcut could not be turned off. With the
 * setting off, M does nothing; on, it asks the host for a marker; either way the choice is kept.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

class MemoryStorage {
  private readonly map = new Map<string, string>();
  getItem(k: string): string | null {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.map.set(k, v);
  }
}

beforeEach(() => {
  vi.resetModules();
  vi.stubGlobal('window', new EventTarget());
  vi.stubGlobal('localStorage', new MemoryStorage());
});
afterEach(() => {
  vi.unstubAllGlobals();
});

function pressM(): void {
  window.dispatchEvent(Object.assign(new Event('keydown'), { key: 'm', ctrlKey: false, metaKey: false, altKey: false, repeat: false }));
}

describe('M marker shortcut', () => {
  it('adds a marker when on, does nothing when turned off, and the setting is remembered', async () => {
    const { installMarkerShortcut } = await import('../../../src/renderer/markerShortcut');
    const { useAppStore, MARKER_KEY_SETTING } = await import('../../../src/renderer/stores/appStore');
    const calls: string[] = [];
    const client = { call: async (name: string) => (calls.push(name), { ok: true, value: null }) };
    const remove = installMarkerShortcut(client as never);
    pressM();
    expect(calls).toEqual(['recording.marker']);
    useAppStore.getState().setMarkerKeyEnabled(false);
    pressM();
    expect(calls).toEqual(['recording.marker']);
    expect(localStorage.getItem(MARKER_KEY_SETTING)).toBe('off');
    remove();
    vi.resetModules();
    const reloaded = await import('../../../src/renderer/stores/appStore');
    expect(reloaded.useAppStore.getState().isMarkerKeyEnabled).toBe(false);
  });
});
