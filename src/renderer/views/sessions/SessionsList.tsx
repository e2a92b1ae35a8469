/** The recorded sessions: date, participants, duration, size, recovered flag, and export buttons. */
import type { SessionSummaryView } from '../../../shared/contract/recording';
import type { ExportFormatId } from '../../../shared/recording/exportFormats';
import { formatBytes, formatDuration } from '../../../shared/recording/format';
import { ExportButtons } from './ExportButtons';
import { ExportResult, type ExportOutcome } from './ExportResult';

/** Props of {@link SessionsList}. */
export interface SessionsListProps {
  readonly sessions: readonly SessionSummaryView[];
  /** Progress of running exports by session id. */
  readonly exportProgress: Readonly<Record<string, number>>;
  /** Last export outcome by session id. */
  readonly exportOutcomes?: Readonly<Record<string, ExportOutcome>>;
  readonly onExport: (sessionId: string, formats: readonly ExportFormatId[]) => void;
  /** Open a session in the session view. */
  readonly onView?: (sessionId: string) => void;
  /** Desktop app: open an export folder in the file manager. */
  readonly onOpenFolder?: (sessionId: string) => void;
}

function localDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** Sessions table, newest first (as the host lists them). */
export function SessionsList(props: SessionsListProps): React.JSX.Element {
  if (props.sessions.length === 0) {
    return <p className="empty">No recorded sessions yet. Start a recording to create one.</p>;
  }
  return (
    <table className="sessions-list" data-testid="sessions-list">
      <thead>
        <tr>
          <th>Date</th>
          <th>Session</th>
          <th>Participants</th>
          <th>Duration</th>
          <th>Size</th>
          <th>State</th>
          <th>View</th>
          <th>Export</th>
        </tr>
      </thead>
      <tbody>
        {props.sessions.map((s) => (
          <tr key={s.id} data-testid={`session-${s.id}`}>
            <td>{localDate(s.startIso)}</td>
            <td>
              sub-{s.subjectId} · ses-{s.sessionId}
              <div className="muted mono">{s.id}</div>
            </td>
            <td>{s.participants.join(', ')}</td>
            <td>{formatDuration(s.durationMs)}</td>
            <td>{formatBytes(s.sizeBytes)}</td>
            <td>
              {s.state === 'recording' ? (
                <span className="badge live">Recording</span>
              ) : s.recovered ? (
                <span className="badge warn" title="The app stopped unexpectedly during this session; it was recovered at the next start (at most the last second is missing).">
                  Recovered
                </span>
              ) : (
                <span className="badge">Complete</span>
              )}
              {s.markerCount > 0 && <div className="muted">{s.markerCount} markers</div>}
            </td>
            <td>
              {props.onView && (
                <button onClick={() => props.onView?.(s.id)} data-testid={`view-${s.id}`} aria-label={`View session sub-${s.subjectId} ses-${s.sessionId}`}>
                  View
                </button>
              )}
            </td>
            <td>
              <ExportButtons
                sessionId={s.id}
                progress={props.exportProgress[s.id] ?? null}
                isDisabled={s.state === 'recording'}
                onExport={props.onExport}
              />
              {props.exportProgress[s.id] === undefined && props.exportOutcomes?.[s.id] && (
                <ExportResult sessionId={s.id} outcome={props.exportOutcomes[s.id]!} onOpenFolder={props.onOpenFolder} />
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
