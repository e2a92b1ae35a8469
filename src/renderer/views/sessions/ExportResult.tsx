/**
 * The outcome of an export: how many files went where, with the folder path shown in full — a
 * button opens it in the desktop app; in a browser (web mode) the path can be copied.
 */
import { useState } from 'react';

/** One export's outcome. */
export type ExportOutcome =
  | { readonly ok: true; readonly outDir: string; readonly fileCount: number; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly message: string };

/** Props of {@link ExportResult}. */
export interface ExportResultProps {
  readonly sessionId: string;
  readonly outcome: ExportOutcome;
  /** Present in the desktop app: open the folder in the system file manager. */
  readonly onOpenFolder?: (sessionId: string) => void;
}

/** The export outcome line. */
export function ExportResult({ sessionId, outcome, onOpenFolder }: ExportResultProps): React.JSX.Element {
  const [copied, setCopied] = useState<'yes' | 'select' | null>(null);
  if (!outcome.ok) {
    return (
      <div className="export-result export-error" role="alert">
        {outcome.message}
      </div>
    );
  }
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(outcome.outDir);
      setCopied('yes');
    } catch {
      setCopied('select'); // no clipboard access (e.g. plain http on another host): the path is selected instead
    }
  };
  return (
    <div className="export-result" data-testid={`export-result-${sessionId}`}>
      <div>
        Wrote {outcome.fileCount} file{outcome.fileCount === 1 ? '' : 's'} to
      </div>
      <div className="export-path">
        <input
          readOnly
          className="mono"
          value={outcome.outDir}
          aria-label="Export folder"
          size={Math.min(80, outcome.outDir.length)}
          onFocus={(e) => e.target.select()}
          ref={(el) => {
            if (el && copied === 'select') el.select();
          }}
          data-testid="export-path"
        />
        {onOpenFolder ? (
          <button onClick={() => onOpenFolder(sessionId)}>Open folder</button>
        ) : (
          <button onClick={() => void copy()}>Copy path</button>
        )}
        {copied === 'yes' && <span className="muted">Copied.</span>}
        {copied === 'select' && <span className="muted">Press Ctrl+C to copy the selected path.</span>}
      </div>
      {outcome.warnings.length > 0 && <div className="muted">{outcome.warnings.join(' ')}</div>}
    </div>
  );
}
