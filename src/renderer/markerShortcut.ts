/**
 * The marker keyboard shortcut: pressing M anywhere in the app (outside text fields) adds a
 * labelled marker to the running recording; the host says when nothing is recording. The key can be
 * turned off (Recording → "M adds a marker"), and then does nothing.
 */
import type { HostClient } from './contract/client';
import { useAppStore } from './stores/appStore';
import { userMessage } from './userMessage';

/** Install the shortcut; returns the function that removes it. */
export function installMarkerShortcut(client: HostClient): () => void {
  const onKey = (e: KeyboardEvent): void => {
    if (e.key.toLowerCase() !== 'm' || e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
    if (!useAppStore.getState().isMarkerKeyEnabled) return;
    const target = e.target as HTMLElement | null;
    if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
    void client.call('recording.marker', { label: 'Marker', source: 'keyboard' }).then((r) => {
      if (!r.ok) useAppStore.getState().addNotice({ level: 'warning', code: r.code, message: userMessage(r, 'add a marker (M)'), tMs: Date.now() });
    });
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
