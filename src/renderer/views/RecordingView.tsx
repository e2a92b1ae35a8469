/** The Recording view: the sessions panel over the app's contract client, with the live device list (and, in the desktop app, folder opening). */
import { useMemo } from 'react';
import { client } from '../app';
import { useAppStore } from '../stores/appStore';
import { recordingApi } from './sessions/recordingApi';
import { SessionsPanel } from './sessions/SessionsPanel';

/** Recording view. */
export function RecordingView(): React.JSX.Element {
  const devices = useAppStore((s) => s.devices);
  const isDesktop = useAppStore((s) => s.hostInfo?.mode === 'electron');
  const api = useMemo(() => recordingApi(client), []);
  const checklist = useMemo(() => devices.map((d) => ({ id: d.id, name: d.name, status: d.status })), [devices]);
  return <SessionsPanel api={api} devices={checklist} markerShortcut="M" canOpenFolder={isDesktop} />;
}
