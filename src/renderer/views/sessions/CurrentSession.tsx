/** The session being recorded: elapsed time, size, samples, markers, a marker button and Stop. */
import { useState } from 'react';
import type { RecordingStatusView } from '../../../shared/contract/recording';
import { formatBytes, formatDuration } from '../../../shared/recording/format';

/** Props of {@link CurrentSession}. */
export interface CurrentSessionProps {
  readonly status: RecordingStatusView;
  /** Add a marker (label typed by the user, or "Marker n" when empty). */
  readonly onMarker: (label: string) => void;
  readonly onStop: () => void;
  /** Keyboard shortcut shown next to the marker button, e.g. "M". */
  readonly markerShortcut?: string;
}

/** Current session panel (only meaningful while recording). */
export function CurrentSession(props: CurrentSessionProps): React.JSX.Element {
  const { status } = props;
  const [label, setLabel] = useState('');
  if (!status.isRecording) {
    return (
      <p className="muted" data-testid="current-session">
        Not recording.
        {status.autoStartWaitingFor && status.autoStartWaitingFor.length > 0 && (
          <> Auto-start waits for: {status.autoStartWaitingFor.join(', ')}.</>
        )}
      </p>
    );
  }
  const addMarker = (): void => {
    props.onMarker(label.trim() || `Marker ${status.markers.length + 1}`);
    setLabel('');
  };
  return (
    <section className="current-session" data-testid="current-session">
      <div className="current-session-stats">
        <span className="badge live">● REC</span>
        <span className="mono">{status.sessionId}</span>
        <span>
          Elapsed <strong data-testid="rec-elapsed">{formatDuration(status.elapsedMs)}</strong>
        </span>
        <span>
          Size <strong data-testid="rec-size">{formatBytes(status.sizeBytes)}</strong>
        </span>
        <span>
          Samples <strong>{status.sampleCount.toLocaleString()}</strong>
        </span>
        <button className="danger" onClick={props.onStop}>
          Stop
        </button>
      </div>
      <form
        className="marker-form"
        onSubmit={(e) => {
          e.preventDefault();
          addMarker();
        }}
      >
        <input value={label} maxLength={200} placeholder="Marker label (optional)" onChange={(e) => setLabel(e.target.value)} aria-label="Marker label" />
        <button type="submit" data-testid="marker-button">
          Add marker{props.markerShortcut ? ` (${props.markerShortcut})` : ''}
        </button>
      </form>
      {status.markers.length > 0 && (
        <ol className="marker-list" data-testid="marker-list">
          {status.markers.map((m) => (
            <li key={m.n}>
              <span className="mono">{formatDuration(status.startMs === null ? null : m.tMs - status.startMs)}</span> {m.label}{' '}
              <span className="muted">({m.source})</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
