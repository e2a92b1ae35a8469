/** The recorded sessions: date, participants, duration, size, recovered flag, and export buttons. */
import type { SessionSummaryView } from '../../../shared/contract/recording';
import type { ExportFormatId } from '../../../shared/recording/exportFormats';
import { formatBytes, formatDuration } from '../../../shared/recording/format';
import { ExportButtons } from './ExportButtons';

/** Props of {@link SessionsList}. */
export interface SessionsListProps {
  readonly sessions: readonly SessionSummaryView[];
  /** Progress of running exports by session id. */
  readonly exportProgress: Readonly<Record<string, number>>;
  /** Last export result line by session id. */
  readonly exportMessages?: Readonly<Record<string, string>>;
  readonly onExport: (sessionId: string, formats: readonly ExportFormatId[]) => void;
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
              <ExportButtons
                sessionId={s.id}
                progress={props.exportProgress[s.id] ?? null}
                message={props.exportMessages?.[s.id] ?? null}
                isDisabled={s.state === 'recording'}
                onExport={props.onExport}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
