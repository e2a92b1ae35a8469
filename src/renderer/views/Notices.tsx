/** Notices from the host (errors with codes, warnings), dismissible. */
import { useAppStore } from '../stores/appStore';

/** Notice stack. */
export function Notices(): React.JSX.Element | null {
  const notices = useAppStore((s) => s.notices);
  const dismiss = useAppStore((s) => s.dismissNotice);
  if (notices.length === 0) return null;
  return (
    <div className="notices" role="status">
      {notices.map((n) => (
        <div key={n.tMs} className={`notice notice-${n.level}`}>
          {n.code && <code>{n.code}</code>} {n.message}
          <button className="link" onClick={() => dismiss(n.tMs)} aria-label="Dismiss">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
