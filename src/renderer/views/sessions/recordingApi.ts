/** The {@link RecordingApi} of the sessions panel over the app's contract client. */
import type { HostClient } from '../../contract/client';
import type { RecordingApi } from './SessionsPanel';

/** Adapt the contract client's `recording.*` commands and events for the sessions panel. */
export function recordingApi(client: HostClient): RecordingApi {
  return {
    status: () => client.call('recording.status', {}),
    list: () => client.call('recording.list', {}),
    start: (args) => client.call('recording.start', args),
    stop: () => client.call('recording.stop', {}),
    marker: (label) => client.call('recording.marker', { label, source: 'ui' }),
    exportSession: (sessionId, formats) => client.call('recording.export', { sessionId, formats: [...formats] }),
    openFolder: (sessionId) => client.call('recording.openFolder', { sessionId }),
    view: (args) => client.call('recording.view', args),
    onStatus: (fn) => client.on('recordingStatus', fn),
    onExportProgress: (fn) => client.on('recordingExportProgress', (p) => fn(p.sessionId, p.fraction)),
  };
}
