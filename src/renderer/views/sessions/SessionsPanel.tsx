/**
 * The recording panel: start form (participant and session ids, required sensors, checklist),
 * the current session, and the sessions list with exports. Talks to the host through a small
 * {@link RecordingApi} passed in, so it stays independent of the transport and testable.
 */
import { useCallback, useEffect, useState } from 'react';
import type { RecordingStatusView, SessionSummaryView } from '../../../shared/contract/recording';
import type { ExportFormatId } from '../../../shared/recording/exportFormats';
import { CurrentSession } from './CurrentSession';
import type { ExportOutcome } from './ExportResult';
import { suggestedIds } from './nextSession';
import { SensorChecklist } from './SensorChecklist';
import { useSessionForm } from './sessionForm';
import { SessionsList } from './SessionsList';
import { SessionView, type SessionViewApi } from './SessionView';
import { userMessage } from '../../userMessage';
import './sessions.css';

/** A reply of the host: a value or an error with a code and a message for people. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

/** What the panel needs from the host (an adapter over the contract client's `recording.*` calls and events). */
export interface RecordingApi extends SessionViewApi {
  status(): Promise<ApiResult<RecordingStatusView>>;
  list(): Promise<ApiResult<SessionSummaryView[]>>;
  start(args: {
    subjectId: string;
    sessionId: string;
    requiredDeviceIds: string[];
    isStartAnyway: boolean;
    isAutoStart: boolean;
  }): Promise<ApiResult<RecordingStatusView>>;
  stop(): Promise<ApiResult<unknown>>;
  marker(label: string): Promise<ApiResult<unknown>>;
  exportSession(sessionId: string, formats: readonly ExportFormatId[]): Promise<ApiResult<{ outDir: string; files: string[]; warnings: string[] }>>;
  /** Open a session folder in the file manager (the desktop app only). */
  openFolder(sessionId: string): Promise<ApiResult<unknown>>;
  /** Subscribe to status pushes; returns the unsubscribe function. */
  onStatus(fn: (status: RecordingStatusView) => void): () => void;
  /** Subscribe to export progress; returns the unsubscribe function. */
  onExportProgress(fn: (sessionId: string, fraction: number) => void): () => void;
}

/** A device as the checklist needs it. */
export interface ChecklistDevice {
  readonly id: string;
  readonly name: string;
  readonly status: string;
}

/** Props of {@link SessionsPanel}. */
export interface SessionsPanelProps {
  readonly api: RecordingApi;
  readonly devices: readonly ChecklistDevice[];
  readonly markerShortcut?: string;
  /** The desktop app can open folders; in a browser the export path is offered for copying. */
  readonly canOpenFolder?: boolean;
}

/** The recording panel. */
export function SessionsPanel({ api, devices, markerShortcut, canOpenFolder = false }: SessionsPanelProps): React.JSX.Element {
  const [status, setStatus] = useState<RecordingStatusView | null>(null);
  const [sessions, setSessions] = useState<SessionSummaryView[]>([]);
  const [progress, setProgress] = useState<Record<string, number>>({});
  const [outcomes, setOutcomes] = useState<Record<string, ExportOutcome>>({});
  const [error, setError] = useState<string | null>(null);
  const { subjectId, sessionId, set: setForm } = useSessionForm();
  const [required, setRequired] = useState<string[]>([]);
  const [viewing, setViewing] = useState<string | null>(null);

  /** Reload status and list; after a stop (`isAfterStop`) propose the same participant's next session. */
  const refresh = useCallback(
    async (isAfterStop = false) => {
      const [s, l] = await Promise.all([api.status(), api.list()]);
      if (s.ok) setStatus(s.value);
      if (!l.ok) return;
      setSessions(l.value);
      if (isAfterStop || !useSessionForm.getState().isFilled) setForm(suggestedIds(l.value));
    },
    [api, setForm],
  );

  useEffect(() => {
    void refresh();
    const offStatus = api.onStatus((s) => {
      setStatus((prev) => {
        if (prev && prev.isRecording !== s.isRecording) void refresh(prev.isRecording && !s.isRecording);
        return s;
      });
    });
    const offProgress = api.onExportProgress((id, f) => setProgress((p) => ({ ...p, [id]: f })));
    return () => {
      offStatus();
      offProgress();
    };
  }, [api, refresh]);

  /** Show a failed call as a sentence about `action` (codes go to the console: userMessage.ts). */
  const show = (r: ApiResult<unknown>, action: string): boolean => {
    setError(r.ok ? null : userMessage(r, action));
    return r.ok;
  };
  const start = async (isStartAnyway: boolean, isAutoStart = false): Promise<void> => {
    if (show(await api.start({ subjectId, sessionId, requiredDeviceIds: required, isStartAnyway, isAutoStart }), 'start the recording')) await refresh();
  };
  const runExport = async (id: string, formats: readonly ExportFormatId[]): Promise<void> => {
    setProgress((p) => ({ ...p, [id]: 0 }));
    const r = await api.exportSession(id, formats);
    setProgress((p) => {
      const { [id]: _done, ...rest } = p;
      return rest;
    });
    const outcome: ExportOutcome = r.ok
      ? { ok: true, outDir: r.value.outDir, fileCount: r.value.files.length, warnings: r.value.warnings }
      : { ok: false, message: userMessage(r, 'export the session') };
    setOutcomes((m) => ({ ...m, [id]: outcome }));
  };
  const openFolder = (id: string): void => void api.openFolder(id).then((r) => show(r, 'open the folder'));

  const missing = required.filter((id) => devices.find((d) => d.id === id)?.status !== 'live');
  const isRecording = status?.isRecording === true;
  return (
    <section className="panel sessions" data-testid="sessions-panel">
      <h2>Recording</h2>
      {error && (
        <div className="notice notice-error" data-testid="recording-error">
          {error}
        </div>
      )}
      {status?.recoveredSessionIds.length ? (
        <div className="notice notice-info">
          Recovered after an unexpected stop: {status.recoveredSessionIds.join(', ')} (at most the last second is missing).
        </div>
      ) : null}
      {!isRecording && (
        <div className="start-form">
          <label>
            Participant id <input value={subjectId} maxLength={64} onChange={(e) => setForm({ subjectId: e.target.value })} data-testid="subject-id" />
          </label>{' '}
          <label>
            Session id <input value={sessionId} maxLength={64} onChange={(e) => setForm({ sessionId: e.target.value })} data-testid="session-id" />
          </label>
          <fieldset>
            <legend>Required sensors</legend>
            {devices.length === 0 && <span className="muted">No sensors known yet.</span>}
            {devices.map((d) => (
              <label key={d.id} className="required-choice">
                <input
                  type="checkbox"
                  checked={required.includes(d.id)}
                  onChange={(e) => setRequired((r) => (e.target.checked ? [...r, d.id] : r.filter((x) => x !== d.id)))}
                />{' '}
                {d.name}
              </label>
            ))}
          </fieldset>
          <SensorChecklist
            required={required.map((id) => ({ id, name: devices.find((d) => d.id === id)?.name ?? id }))}
            missing={missing}
            onStart={(anyway) => void start(anyway)}
            onAutoStart={() => void start(false, true)}
          />
        </div>
      )}
      {status && (
        <CurrentSession
          status={status}
          markerShortcut={markerShortcut}
          onMarker={(label) => void api.marker(label).then((r) => show(r, 'add the marker'))}
          onStop={() =>
            void api.stop().then(async (r) => {
              if (show(r, 'stop the recording')) await refresh(true);
            })
          }
        />
      )}
      {viewing ? (
        <SessionView
          api={api}
          sessionId={viewing}
          deviceNames={Object.fromEntries(devices.map((d) => [d.id, d.name]))}
          onClose={() => {
            setViewing(null);
            void refresh();
          }}
        />
      ) : (
        <>
          <h3>Sessions</h3>
          <SessionsList
            sessions={sessions}
            exportProgress={progress}
            exportOutcomes={outcomes}
            onExport={(id, f) => void runExport(id, f)}
            onView={setViewing}
            onOpenFolder={canOpenFolder ? openFolder : undefined}
          />
        </>
      )}
    </section>
  );
}
