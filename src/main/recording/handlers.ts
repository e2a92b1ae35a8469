/**
 * Handlers of the recording contract section, bound to a {@link RecordingService}. Typed on the
 * section's own map so they fit `HandlerSet<'recording.*'>` once the section is merged into
 * `COMMANDS`; failures are thrown as `CommandError` with the service's codes.
 */
import type { z } from 'zod';
import type { recordingCommands, recordingStatusSchema } from '../../shared/contract/recording';
import type { Result } from '../../shared/errors';
import { summarize } from '../../shared/recording/manifest';
import { CommandError, type CallContext } from '../contract/server';
import type { RecordingService, RecordingStatus } from './service';
import { SessionViewer } from './view/sessionViewer';

type Section = typeof recordingCommands;
/** Handlers of the recording section. */
export type RecordingHandlers = {
  readonly [K in keyof Section]: (
    args: z.output<Section[K]['args']>,
    ctx: CallContext,
  ) => z.output<Section[K]['result']> | Promise<z.output<Section[K]['result']>>;
};

/** The status as plain arrays (the contract's output type), for the `recording.status` reply and the `recordingStatus` event. */
export function wireStatus(s: RecordingStatus): z.output<typeof recordingStatusSchema> {
  return {
    ...s,
    markers: [...s.markers],
    recoveredSessionIds: [...s.recoveredSessionIds],
    autoStartWaitingFor: s.autoStartWaitingFor ? [...s.autoStartWaitingFor] : null,
  };
}

function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw new CommandError(r.code, r.message);
  return r.value;
}

/** Build the handlers; `onExportProgress` forwards progress to UIs (the `recordingExportProgress` event). */
export function recordingHandlers(
  service: RecordingService,
  onExportProgress: (sessionId: string, fraction: number) => void = () => undefined,
): RecordingHandlers {
  const viewer = new SessionViewer(service);
  return {
    'recording.status': () => wireStatus(service.status()),
    'recording.checklist': ({ requiredDeviceIds }) => {
      const c = service.checklist(requiredDeviceIds);
      return { required: [...c.required], missing: [...c.missing], isReady: c.isReady };
    },
    'recording.start': async ({ isAutoStart, ...options }) => {
      const r = isAutoStart ? await service.armAutoStart(options) : await service.start(options);
      return wireStatus(unwrap(r));
    },
    'recording.cancelAutoStart': () => {
      service.disarmAutoStart();
      return null;
    },
    'recording.stop': () => {
      const id = service.status().sessionId;
      const manifest = unwrap(service.stop());
      const s = summarize(id ?? manifest.base, manifest);
      return { ...s, participants: [...s.participants] };
    },
    'recording.marker': ({ label, source }, ctx) => unwrap(service.marker(label, source ?? (ctx.clientId === 'in-process' ? 'contract' : 'ui'))),
    'recording.list': () => service.list().map((s) => ({ ...s, participants: [...s.participants] })),
    'recording.export': async ({ sessionId, formats }) => {
      const r = unwrap(await service.export(sessionId, { formats, onProgress: (f) => onExportProgress(sessionId, f) }));
      return { ...r, files: [...r.files], warnings: [...r.warnings] };
    },
    'recording.view': async (args) => unwrap(await viewer.view(args)),
    'recording.openFolder': async ({ sessionId }) => unwrap(await service.openFolder(sessionId)),
  };
}
