/** Export buttons of one session, with a progress bar while an export runs. */
import { EXPORT_FORMAT_HINTS, EXPORT_FORMAT_IDS, EXPORT_FORMAT_LABELS, type ExportFormatId } from '../../../shared/recording/exportFormats';

/** Props of {@link ExportButtons}. */
export interface ExportButtonsProps {
  readonly sessionId: string;
  /** Progress 0–1 of the running export of this session, or null when none runs. */
  readonly progress: number | null;
  /** Result line of the last export (files written or the error), if any. */
  readonly message?: string | null;
  readonly isDisabled?: boolean;
  readonly onExport: (sessionId: string, formats: readonly ExportFormatId[]) => void;
}

/** Buttons for every export format and "All". */
export function ExportButtons(props: ExportButtonsProps): React.JSX.Element {
  const isBusy = props.progress !== null;
  const disabled = isBusy || props.isDisabled === true;
  return (
    <div className="export-buttons" data-testid={`export-${props.sessionId}`}>
      <button disabled={disabled} onClick={() => props.onExport(props.sessionId, EXPORT_FORMAT_IDS)}>
        Export all
      </button>
      {EXPORT_FORMAT_IDS.map((f) => (
        <button key={f} className="link" title={EXPORT_FORMAT_HINTS[f]} disabled={disabled} onClick={() => props.onExport(props.sessionId, [f])}>
          {EXPORT_FORMAT_LABELS[f]}
        </button>
      ))}
      {isBusy && (
        <span className="export-progress">
          <progress max={1} value={props.progress ?? 0} aria-label="Export progress" />{' '}
          {Math.round((props.progress ?? 0) * 100)}%
        </span>
      )}
      {props.message && !isBusy && <div className="muted export-message">{props.message}</div>}
    </div>
  );
}
