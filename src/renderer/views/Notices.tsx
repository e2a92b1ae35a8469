/** Notices from the host (errors, warnings), dismissible; a notice's code is kept in `data-code` for tests and tools, not shown. */
import { useAppStore } from '../stores/appStore';
import { withoutCode } from '../userMessage';

/** Notice stack. */
export function Notices(): React.JSX.Element | null {
  const notices = useAppStore((s) => s.notices);
  const dismiss = useAppStore((s) => s.dismissNotice);
  if (notices.length === 0) return null;
  return (
    <div className="notices" role="status">
      {notices.map((n) => (
        <div key={n.tMs} className={`notice notice-${n.level}`} data-code={n.code}>
          {withoutCode(n.message)}
          <button className="link" onClick={() => dismiss(n.tMs)} aria-label="Dismiss">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
