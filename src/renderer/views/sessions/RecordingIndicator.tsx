/**
 * The header's recording light: shown only while a session is recorded, with its elapsed time,
 * on every view; it links to the Recording view. Fed by the host's `recordingStatus` pushes
 * (once a second while recording).
 */
import { useEffect, useState } from 'react';
import type { RecordingStatusView } from '../../../shared/contract/recording';
import type { HostClient } from '../../contract/client';
import './sessions.css';

/** `hh:mm:ss` of an elapsed time. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}

/** Props of {@link RecordingIndicatorView}. */
export interface RecordingIndicatorViewProps {
  readonly status: Pick<RecordingStatusView, 'isRecording' | 'elapsedMs' | 'sessionId'> | null;
  readonly onOpen: () => void;
}

/** The indicator itself (nothing when not recording). */
export function RecordingIndicatorView({ status, onOpen }: RecordingIndicatorViewProps): React.JSX.Element | null {
  if (!status?.isRecording) return null;
  return (
    <button className="rec-indicator" onClick={onOpen} data-testid="rec-indicator" title={`Recording ${status.sessionId ?? ''} — open the Recording view`}>
      <span className="rec-dot" aria-hidden="true" />
      REC <span className="mono">{formatElapsed(status.elapsedMs)}</span>
    </button>
  );
}

/** The indicator over the contract client. */
export function RecordingIndicator({ client, onOpen }: { client: HostClient; onOpen: () => void }): React.JSX.Element | null {
  const [status, setStatus] = useState<RecordingStatusView | null>(null);
  useEffect(() => {
    let isCurrent = true;
    const fetchStatus = (): void => {
      void client.call('recording.status', {}).then((r) => {
        if (isCurrent && r.ok) setStatus(r.value);
      });
    };
    fetchStatus();
    const off = client.on('recordingStatus', setStatus);
    // after a reconnect the host may have stopped (or restarted) meanwhile
    const offLink = client.onState((state) => {
      if (state === 'open') fetchStatus();
    });
    return () => {
      isCurrent = false;
      off();
      offLink();
    };
  }, [client]);
  return <RecordingIndicatorView status={status} onOpen={onOpen} />;
}
