/** The switch for the single-key marker shortcut (M), under the Recording view. */
import { useAppStore } from '../stores/appStore';

/** The setting. */
export function MarkerShortcutSetting(): React.JSX.Element {
  const isEnabled = useAppStore((s) => s.isMarkerKeyEnabled);
  const setEnabled = useAppStore((s) => s.setMarkerKeyEnabled);
  return (
    <label className="setting-toggle" data-testid="marker-key-setting">
      <input type="checkbox" checked={isEnabled} onChange={(e) => setEnabled(e.target.checked)} data-testid="marker-key-enabled" />
      <span>The M key adds a marker while recording (turn off if you type notes in other windows while this one has focus)</span>
    </label>
  );
}
